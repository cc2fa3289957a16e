/* The portal's small helpers. Every page works without them; they save a round trip. */
(function () {
  "use strict";

  // Loaded in the head: controls only needed without scripts hide before the page shows.
  document.documentElement.classList.add("scripted");

  // The words come from the page, in its language (portal/forms.py): "{count}" and
  // the like are filled in here.
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function size(bytes, units) {
    var number = document.documentElement.lang || undefined;
    if (bytes < 1024) return bytes + " " + units[0];
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024).toLocaleString(number) + " " + units[1];
    var megabytes = Math.round(bytes / 1024 / 1024 * 10) / 10;
    return megabytes.toLocaleString(number) + " " + units[2];
  }

  // Files too many or too large are refused before anything is sent, so the text
  // being typed never makes a trip that fails (the server checks the same).
  function checkFiles(input) {
    var most = parseInt(input.dataset.maxFiles, 10);
    var largest = parseInt(input.dataset.maxSize, 10);
    var units = (input.dataset.units || "bytes|KB|MB").split("|");
    var problems = [];
    if (input.files.length > most) {
      problems.push(fill(input.dataset.tooMany, { count: input.files.length, most: most }));
    }
    Array.prototype.forEach.call(input.files, function (file) {
      if (file.size > largest) {
        problems.push(fill(input.dataset.tooLarge, {
          name: file.name, size: size(file.size, units), largest: size(largest, units)
        }));
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

  // My settings without a time zone saved: the browser's is selected, and a note says
  // so; saving the form confirms it.
  document.addEventListener("DOMContentLoaded", function () {
    var note = document.querySelector("[data-detected-zone]");
    var select = document.getElementById("id_time_zone");
    if (!note || !select || select.value) return;
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return;
    }
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!known) return;
    select.value = zone;
    note.hidden = false;
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
