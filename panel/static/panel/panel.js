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
var ENTER_SUBMITS = ["text", "email", "number", "search", "url", "tel", "password"];
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key !== "Enter" || event.defaultPrevented || event.isComposing) return;
  if (!(field instanceof HTMLInputElement) || ENTER_SUBMITS.indexOf(field.type) < 0) return;
  var group = field.closest("[data-enter-presses]");
  var button = group && document.getElementById(group.dataset.enterPresses);
  if (!button) return;
  event.preventDefault();
  button.click();
});
// A form sent the ordinary way leaves the page. An autosave issued after it
// could arrive after the answer was sent and its draft deleted, and bring the
// sent text back as a draft; so none is issued from then on.
var leavingPage = false;
document.addEventListener("submit", function (event) {
  if (!event.defaultPrevented) leavingPage = true;
});
window.addEventListener("pageshow", function () {
  leavingPage = false;
});
document.addEventListener("htmx:beforeRequest", function (event) {
  if (leavingPage && event.detail.elt.hasAttribute("data-autosave")) event.preventDefault();
});
