// A part of a page that htmx could not load says so, instead of a spinner that never stops.
// Only targets marked data-load-error are changed; the attribute's text is the message.
(function () {
  "use strict";
  function failed(event) {
    const target = event.detail && event.detail.target;
    if (!target || !target.hasAttribute("data-load-error")) return;
    const alert = document.createElement("div");
    alert.className = "alert alert-warning small py-2 my-2";
    alert.setAttribute("role", "alert");
    alert.textContent = target.getAttribute("data-load-error");
    target.replaceChildren(alert);
  }
  document.body.addEventListener("htmx:responseError", failed);
  document.body.addEventListener("htmx:sendError", failed);
})();
