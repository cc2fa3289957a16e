// Canned replies in the answer form (panel/_canned_picker.html): typing filters them
// (htmx), ↓ moves into the list, ↑ ↓ Home End move in it, Enter or a click inserts
// the chosen reply where the cursor was in the answer (at its end when it was never
// there), keeping what is typed, and says so to the autosave as typing would.
(function () {
  var query = document.getElementById("canned-query");
  var results = document.getElementById("canned-results");
  var answer = document.getElementById("answer-answer");
  var status = document.getElementById("canned-status");
  if (!query || !results || !answer) return;
  var caretKnown = false;
  var caret = { start: 0, end: 0 };
  function remember() {
    caretKnown = true;
    caret = { start: answer.selectionStart, end: answer.selectionEnd };
  }
  ["focus", "select", "keyup", "mouseup", "input"].forEach(function (name) {
    answer.addEventListener(name, remember);
  });
  function choices() {
    return Array.prototype.slice.call(results.querySelectorAll("[data-canned-text]"));
  }
  function insert(button) {
    var start = caretKnown ? caret.start : answer.value.length;
    var end = caretKnown ? caret.end : start;
    var before = answer.value.slice(0, start);
    var after = answer.value.slice(end);
    var text = button.dataset.cannedText;
    if (before && !/\s$/.test(before)) text = "\n" + text;
    if (after && !/^\s/.test(after)) text += "\n";
    answer.focus();
    answer.setRangeText(text, start, end, "end");
    remember();
    answer.dispatchEvent(new Event("input", { bubbles: true }));
    if (status) {
      status.textContent = status.dataset.textInserted.replace("%(title)s", button.dataset.cannedTitle);
    }
  }
  // Searching is no change of the answer: it must not reach the answer form's autosave
  // (htmx listens on the field itself, so the search still runs).
  ["input", "focusout", "change"].forEach(function (name) {
    query.addEventListener(name, function (event) {
      event.stopPropagation();
    });
  });
  query.addEventListener("keydown", function (event) {
    var listed = choices();
    if (event.key === "ArrowDown" && listed.length) {
      event.preventDefault();
      listed[0].focus();
    } else if (event.key === "Enter" && !event.isComposing) {
      // Never the answer form's Submit: the first reply found, or the search.
      event.preventDefault();
      if (listed.length) insert(listed[0]);
      else document.getElementById("canned-search-button").click();
    }
  });
  results.addEventListener("keydown", function (event) {
    var listed = choices();
    var index = listed.indexOf(event.target);
    if (index < 0) return;
    var next = null;
    if (event.key === "ArrowDown") next = listed[Math.min(index + 1, listed.length - 1)];
    else if (event.key === "ArrowUp") next = index === 0 ? query : listed[index - 1];
    else if (event.key === "Home") next = listed[0];
    else if (event.key === "End") next = listed[listed.length - 1];
    else if (event.key === "Escape") next = query;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
  results.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-canned-text]");
    if (button) insert(button);
  });
})();
