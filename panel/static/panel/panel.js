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
