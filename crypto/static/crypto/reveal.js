// "Show encrypted information" (panel/views/encrypted.py): htmx puts the answer into
// the ticket page's dialog, which opens; closing it empties it, so the decrypted
// text does not stay in the page.
document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (!target || target.id !== "decrypted-dialog-body") return;
  var dialog = document.getElementById("decrypted-dialog");
  if (dialog && !dialog.open) dialog.showModal();
  var text = document.getElementById("decrypted-text") || document.getElementById("decrypted-problem");
  if (text) text.focus();
});
document.addEventListener(
  "close",
  function (event) {
    if (!(event.target instanceof HTMLDialogElement) || event.target.id !== "decrypted-dialog") return;
    var body = document.getElementById("decrypted-dialog-body");
    if (body) body.replaceChildren();
  },
  true
);
