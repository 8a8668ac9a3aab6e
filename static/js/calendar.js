// The calendar's keys: arrows move a day or week, t today, d day, w week. Keys typed into a
// field or with a modifier are left alone; the links work the same without this script.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
    var link = document.querySelector('[data-cal-key="' + event.key + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
  var who = document.querySelector("[data-cal-submit]");
  if (who) {
    who.addEventListener("change", function () {
      who.form.submit();
    });
  }
})();
