// "Encrypt this part" (portal/_encrypt_part.html): the sensitive text is encrypted in
// the browser with the help desk's published key (OpenPGP.js) and added to the
// message as an armored block; the text itself is never sent.
const part = document.getElementById("encrypt-part");
if (part) {
  part.hidden = false;
  const message = document.getElementById(part.dataset.message);
  const secret = document.getElementById("encrypt-secret");
  const button = document.getElementById("encrypt-add");
  const status = document.getElementById("encrypt-status");
  const words = {
    working: part.dataset.working || "Encrypting…",
    done: part.dataset.done || "Encrypted and added to your message.",
    empty: part.dataset.empty || "Type the information to encrypt first.",
    failed: part.dataset.failed || "It could not be encrypted. Reload the page and try again.",
  };
  button.addEventListener("click", async () => {
    const text = secret.value;
    if (!text.trim()) {
      status.textContent = words.empty;
      secret.focus();
      return;
    }
    button.disabled = true;
    status.textContent = words.working;
    try {
      const openpgp = await import(part.dataset.library);
      const response = await fetch(part.dataset.keyUrl, { credentials: "same-origin" });
      if (!response.ok) throw new Error("no key");
      const encryptionKeys = await openpgp.readKey({ armoredKey: await response.text() });
      const armored = await openpgp.encrypt({
        message: await openpgp.createMessage({ text }),
        encryptionKeys,
      });
      const before = message.value.replace(/\s+$/, "");
      message.value = (before ? before + "\n\n" : "") + armored.trim() + "\n";
      message.dispatchEvent(new Event("input", { bubbles: true }));
      secret.value = "";
      status.textContent = words.done;
      message.focus();
    } catch (error) {
      status.textContent = words.failed;
    } finally {
      button.disabled = false;
    }
  });
}
