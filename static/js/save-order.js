// Orders one page's saves: a form with data-save-order holds <input type="hidden" name="seq">,
// set to when each request leaves (the page's clock in ms, always rising). The server refuses
// a save that a newer one of the same page overtook (an autosave still in flight when "Save"
// was pressed), so an older draft never overwrites what was saved after it.
(function () {
  "use strict";
  let last = 0;
  function next() {
    last = Math.max(Date.now(), last + 1);
    return String(last);
  }
  function orderedForm(elt) {
    return elt && elt.closest ? elt.closest("form[data-save-order]") : null;
  }
  document.addEventListener(
    "submit",
    function (event) {
      const form = orderedForm(event.target);
      const input = form && form.querySelector('input[name="seq"]');
      if (input) input.value = next();
    },
    true
  );
  document.addEventListener("htmx:configRequest", function (event) {
    if (orderedForm(event.detail.elt)) event.detail.parameters.seq = next();
  });
})();
