/* The portal's small helpers. Every page works without them; they save a round trip. */
(function () {
  "use strict";

  // Loaded in the head: controls only needed without scripts hide before the page shows.
  document.documentElement.classList.add("scripted");

  function size(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + " KB";
    return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "") + " MB";
  }

  // Files too many or too large are refused before anything is sent, so the text
  // being typed never makes a trip that fails (the server checks the same).
  function checkFiles(input) {
    var most = parseInt(input.dataset.maxFiles, 10);
    var largest = parseInt(input.dataset.maxSize, 10);
    var problems = [];
    if (input.files.length > most) {
      problems.push("You chose " + input.files.length + " files; a message takes at most " + most + ".");
    }
    Array.prototype.forEach.call(input.files, function (file) {
      if (file.size > largest) {
        problems.push(file.name + " is " + size(file.size) + "; the largest file accepted is " + size(largest) + ".");
      }
    });
    input.setCustomValidity(problems.join(" "));
    var note = document.getElementById(input.id + "-check");
    if (!note) {
      note = document.createElement("p");
      note.id = input.id + "-check";
      note.className = "file-check";
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = problems.join(" ");
    note.hidden = problems.length === 0;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("input[type=file][data-max-files]")) checkFiles(target);
    if (target.matches("select[data-auto-submit]") && target.form) target.form.requestSubmit();
  });

  // One press, one ticket: a second click while the first is on its way sends nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
  });
  // Back to a page kept in memory: its forms may be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[aria-disabled]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  });
})();
