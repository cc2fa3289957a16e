// Tell the person when an htmx request was refused, instead of doing nothing.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var words = {
    403: "You may not do this.",
    404: "This ticket is gone or you may no longer see it.",
  };
  var flash = document.getElementById("flash");
  if (!flash) return;
  var line = document.createElement("p");
  line.className = "flash flash-error";
  line.textContent = words[status] || "Something went wrong (" + status + "). Reload the page.";
  flash.replaceChildren(line);
});
document.addEventListener("htmx:sendError", function () {
  var flash = document.getElementById("flash");
  if (!flash) return;
  var line = document.createElement("p");
  line.className = "flash flash-error";
  line.textContent = "The server cannot be reached. Your text is still here; try again.";
  flash.replaceChildren(line);
});
// The ticket page is one form, so that a change made without JavaScript keeps
// the answer being typed; its default button is disabled, so Enter in a field
// presses nothing by itself. Here Enter presses the button of the field's group.
// Outside fields the same listener serves the keyboard shortcuts below.
var ENTER_SUBMITS = ["text", "email", "number", "search", "url", "tel", "password"];
document.addEventListener("keydown", function (event) {
  if (event.defaultPrevented || event.isComposing) return;
  if (event.key === "Enter" && pressGroupButton(event)) return;
  shortcut(event);
});
function pressGroupButton(event) {
  var field = event.target;
  if (!(field instanceof HTMLInputElement) || ENTER_SUBMITS.indexOf(field.type) < 0) return false;
  var group = field.closest("[data-enter-presses]");
  var button = group && document.getElementById(group.dataset.enterPresses);
  if (!button) return false;
  event.preventDefault();
  button.click();
  return true;
}
// Keyboard shortcuts of the daily work; the "?" dialog (panel/base.html) lists them.
// A key typed into a field is text, and a key with Ctrl, Alt or Command belongs to
// the browser: neither is ever a shortcut.
var SHORTCUTS = {
  j: function () { return moveCurrentRow(1); },
  k: function () { return moveCurrentRow(-1); },
  Enter: openCurrentRow,
  r: function () { return focusField("answer-answer"); },
  n: function () { return focusField("answer-note"); },
  a: assignToMe,
  e: function () { return press("close-button"); },
  "/": focusQuickSearch,
  "?": showShortcuts,
};
var NOT_TYPED = ["checkbox", "radio", "button", "submit", "reset", "image", "file", "color", "range"];
function typingIn(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable || target.closest("textarea, select, [contenteditable]")) return true;
  return target instanceof HTMLInputElement && NOT_TYPED.indexOf(target.type) < 0;
}
function shortcut(event) {
  if (event.ctrlKey || event.altKey || event.metaKey || typingIn(event.target)) return;
  var dialog = document.getElementById("shortcuts");
  if (dialog && dialog.open) return;
  if (!Object.prototype.hasOwnProperty.call(SHORTCUTS, event.key)) return;
  if (SHORTCUTS[event.key](event)) event.preventDefault();
}
function ticketRows() {
  return Array.prototype.filter.call(document.querySelectorAll("table.tickets tbody tr"), function (row) {
    return row.querySelector("td.title a");
  });
}
function moveCurrentRow(step) {
  var rows = ticketRows();
  if (!rows.length) return false;
  var focused = document.activeElement instanceof Element && document.activeElement.closest("tr");
  var current = document.querySelector("tr.current-row") || focused;
  var index = rows.indexOf(current);
  var next = index < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.min(Math.max(index + step, 0), rows.length - 1);
  rows.forEach(function (row) {
    row.classList.remove("current-row");
    row.removeAttribute("aria-current");
  });
  var row = rows[next];
  row.classList.add("current-row");
  row.setAttribute("aria-current", "true");
  row.scrollIntoView({ block: "nearest" });
  row.querySelector("td.title a").focus({ preventScroll: true });
  return true;
}
function openCurrentRow(event) {
  var row = document.querySelector("tr.current-row");
  var link = row && row.querySelector("td.title a");
  // Enter on a button or link does what it does; on the current row's link it follows it.
  if (!link || event.target.closest("a, button, summary, [tabindex]:not(#main)")) return false;
  window.location.assign(link.href);
  return true;
}
function focusField(id) {
  var field = document.getElementById(id);
  if (!field) return false;
  field.focus();
  return true;
}
function press(id) {
  var button = document.getElementById(id);
  if (!button || button.disabled) return false;
  button.click();
  return true;
}
function say(words) {
  var flash = document.getElementById("flash");
  if (!flash || !words) return;
  var line = document.createElement("p");
  line.className = "flash flash-info";
  line.textContent = words;
  flash.replaceChildren(line);
}
// "a": the Pick Up button of an unassigned ticket, else the Change box with oneself
// chosen as the assignee; the same requests the buttons make.
function assignToMe() {
  var dialog = document.getElementById("shortcuts");
  if (!document.getElementById("answer-form") || !dialog) return false;
  if (press("pick-up-button")) return true;
  var select = document.getElementById("change-assignee");
  var me = dialog.dataset.me;
  if (select && select.value === me) {
    say(dialog.dataset.alreadyYours);
    return true;
  }
  var mine = select && Array.prototype.some.call(select.options, function (option) {
    return option.value === me;
  });
  if (!mine || !document.getElementById("change-button")) {
    say(dialog.dataset.cannotAssign);
    return true;
  }
  select.value = me;
  return press("change-button");
}
function focusQuickSearch() {
  if (focusField("quick-search")) return true;
  var dialog = document.getElementById("shortcuts");
  if (!dialog || !dialog.dataset.searchUrl) return false;
  window.location.assign(dialog.dataset.searchUrl + "#quick-search");
  return true;
}
function showShortcuts() {
  var dialog = document.getElementById("shortcuts");
  if (!dialog) return false;
  dialog.showModal();
  return true;
}
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element && event.target.closest("[data-close-dialog]");
  var dialog = button && button.closest("dialog");
  if (dialog) dialog.close();
});
if (window.location.hash === "#quick-search") focusField("quick-search");
// "Closed. Undo" (panel/_undo.html) goes when its seconds are up; the server refuses
// it after that anyway. Each offer is timed once, when it first appears.
function timeUndoOffers() {
  document.querySelectorAll("[data-undo-seconds]:not([data-undo-timed])").forEach(function (form) {
    form.setAttribute("data-undo-timed", "");
    setTimeout(function () {
      // What was done stays said; only the offer goes.
      var words = form.querySelector(".undo-words");
      var notice = document.createElement("p");
      notice.className = "notice";
      notice.textContent = words ? words.textContent : "";
      form.replaceWith(notice);
    }, Number(form.dataset.undoSeconds) * 1000);
  });
}
timeUndoOffers();
document.addEventListener("htmx:load", timeUndoOffers);
// A list's header box checks or unchecks every row of its page, and shows whether
// all, some (indeterminate) or none are checked. Without JavaScript it stays hidden.
function syncSelectAll(table) {
  var all = table.querySelector("[data-select-all]");
  if (!all) return;
  all.hidden = false;
  var boxes = table.querySelectorAll("tbody td.select input[type=checkbox]");
  var checked = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
  all.checked = boxes.length > 0 && checked === boxes.length;
  all.indeterminate = checked > 0 && checked < boxes.length;
}
function syncAllTables() {
  document.querySelectorAll("table.tickets").forEach(syncSelectAll);
}
syncAllTables();
document.addEventListener("htmx:load", syncAllTables);
document.addEventListener("change", function (event) {
  var box = event.target;
  var table = box instanceof HTMLInputElement && box.type === "checkbox" && box.closest("table.tickets");
  if (!table) return;
  if (box.hasAttribute("data-select-all")) {
    table.querySelectorAll("tbody td.select input[type=checkbox]").forEach(function (row) {
      row.checked = box.checked;
    });
  }
  syncSelectAll(table);
});
// A form sent the ordinary way leaves the page. An autosave issued after it
// could arrive after the answer was sent and its draft deleted, and bring the
// sent text back as a draft; so none is issued from then on.
var leavingPage = false;
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  leavingPage = true;
  // One issued just before (leaving a field for Submit) is called off; should it
  // have reached the server already, the server refuses it by the form's version.
  var autosave = document.querySelector("[data-autosave]");
  if (autosave && window.htmx) window.htmx.trigger(autosave, "htmx:abort");
});
window.addEventListener("pageshow", function () {
  leavingPage = false;
});
document.addEventListener("htmx:beforeRequest", function (event) {
  if (leavingPage && event.detail.elt.hasAttribute("data-autosave")) event.preventDefault();
});
// Knowledge base links in the answer form (panel/_kb_link.html): "Insert link" puts
// the article's title and public address where the cursor was in the answer (at
// its end when it was never there), and says so to the autosave, as typing would.
var answerCaretKnown = false;
document.addEventListener("focusin", function (event) {
  if (event.target instanceof Element && event.target.id === "answer-answer") answerCaretKnown = true;
});
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element && event.target.closest("[data-insert-link]");
  var answer = document.getElementById("answer-answer");
  if (!button || !answer) return;
  var start = answerCaretKnown ? answer.selectionStart : answer.value.length;
  var end = answerCaretKnown ? answer.selectionEnd : start;
  var before = answer.value.slice(0, start), after = answer.value.slice(end);
  var text = button.dataset.insertTitle + ": " + button.dataset.insertLink;
  if (before && !/\s$/.test(before)) text = "\n" + text;
  if (!/^\s/.test(after)) text += "\n";
  answer.focus();
  answer.setRangeText(text, start, end, "end");
  answer.dispatchEvent(new Event("input", { bubbles: true }));
});
// Typing a search for an article is no change of the answer: it must not reach the
// answer form's autosave (its own htmx search listens on the field itself).
var kbLinkQuery = document.getElementById("kb-link-query");
if (kbLinkQuery) {
  ["input", "focusout"].forEach(function (name) {
    kbLinkQuery.addEventListener(name, function (event) {
      event.stopPropagation();
    });
  });
}
// A list's mass form sends its checked rows in one field ("numbers"): a page with
// more than a thousand checked rows would pass the server's limit on how many
// fields a form may have. Listened to in the capture phase: whether the event
// bubbles differs between the standard's versions.
document.addEventListener(
  "formdata",
  function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("mass")) return;
    var checked = event.formData.getAll("ticket");
    if (!checked.length) return;
    event.formData.delete("ticket");
    var given = String(event.formData.get("numbers") || "");
    event.formData.set("numbers", (given + " " + checked.join(" ")).trim());
  },
  true
);
// Presence on the ticket page (panel/_presence.html): report every 10 seconds
// while the tab is visible, at once when it becomes visible again, and at once
// when typing an answer or note begins; "typing" means a keystroke in the last
// 15 seconds.
var PRESENCE_EVERY = 10000, TYPING_FOR = 15000;
var lastTyped = 0;
function pollPresence() {
  var presence = document.querySelector("[data-presence]");
  if (presence && !document.hidden && window.htmx) window.htmx.trigger(presence, "presence-poll");
}
if (document.querySelector("[data-presence]")) {
  setInterval(pollPresence, PRESENCE_EVERY);
  document.addEventListener("visibilitychange", pollPresence);
}
// The toolbar's bell (panel/_notification_bell.html) counts anew every minute
// while the tab is visible, and when it becomes visible again.
function pollBell() {
  var bell = document.querySelector("[data-bell]");
  if (bell && !document.hidden && window.htmx) window.htmx.trigger(bell, "bell-poll");
}
setInterval(pollBell, 60000);
document.addEventListener("visibilitychange", pollBell);
document.addEventListener("input", function (event) {
  var field = event.target;
  if (!(field instanceof Element) || (field.id !== "answer-answer" && field.id !== "answer-note")) return;
  var wasTyping = Date.now() - lastTyped < TYPING_FOR;
  lastTyped = Date.now();
  if (!wasTyping) pollPresence();
});
document.addEventListener("htmx:configRequest", function (event) {
  if (!event.detail.elt.hasAttribute("data-presence")) return;
  event.detail.formData.set("typing", Date.now() - lastTyped < TYPING_FOR ? "1" : "");
});
// The ticket page also answers a form it refused (a conflict, a wrong field) at the
// address the form was sent to; reloading there would send it again. The address
// becomes the ticket page's, whose reload shows the ticket as it is now with the
// text kept as the draft.
(function () {
  var form = document.getElementById("answer-form");
  var url = form && form.dataset.pageUrl;
  if (url && window.location.pathname !== url) {
    window.history.replaceState(null, "", url + window.location.hash);
  }
})();
