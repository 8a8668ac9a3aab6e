// More rows in a Django formset without saving first, and "Use this code" for the ICD search.
// No inline scripts (CSP). A formset is a [data-formset="prefix"] box holding its rows, a
// <template data-formset-empty> (the formset's empty_form, __prefix__ in its names) and a
// [data-formset-add] button; the management form's TOTAL_FORMS is counted up. Without
// JavaScript the formset still offers one empty row per save.
(function () {
  "use strict";

  function addRow(box) {
    const prefix = box.dataset.formset;
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    const template = box.querySelector("template[data-formset-empty]");
    if (!total || !template) return null;
    const index = Number(total.value);
    if (max && index >= Number(max.value)) return null;
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const row = holder.firstElementChild;
    box.querySelector("[data-formset-rows]").appendChild(row);
    total.value = String(index + 1);
    const button = box.querySelector("[data-formset-add]");
    if (button && max && index + 1 >= Number(max.value)) button.disabled = true;
    return row;
  }

  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-formset-add]");
    if (add) {
      const row = addRow(add.closest("[data-formset]"));
      const first = row && row.querySelector("input, select, textarea");
      if (first) first.focus();
      return;
    }
    const use = event.target.closest("[data-icd-use]");
    if (!use) return;
    const search = document.getElementById(use.dataset.icdUse);
    const code = (search.value || "").trim().split(/\s+/)[0].toUpperCase();
    if (!code) { search.focus(); return; }
    const box = document.querySelector('[data-formset="' + use.dataset.icdFormset + '"]');
    const empty = Array.from(box.querySelectorAll("input[name$='-code']")).find(function (el) {
      return !el.value.trim();
    });
    const target = empty || (addRow(box) || document).querySelector("input[name$='-code']");
    if (!target) return;
    target.value = code;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
    search.value = "";
  });
})();
