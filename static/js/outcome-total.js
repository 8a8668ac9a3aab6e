// Running totals of the outcome measures in the evaluation editor. No inline scripts (CSP):
// a measure's box carries data-om-rule, -maximum, -low, -high, -min-answered and -branches,
// each item's input data-om-item, and the line to update data-om-total. The server draws the
// same line (intake/scoring/editor.py running_total); this repeats its arithmetic as the
// clinician types, for measures loaded later by htmx too (events are caught on the document).
(function () {
  "use strict";

  function entries(box) {
    const low = Number(box.dataset.omLow);
    const high = Number(box.dataset.omHigh);
    const branches = (box.dataset.omBranches || "").split(" ").filter(Boolean);
    const values = {};
    let notCounted = 0;
    box.querySelectorAll("[data-om-item]").forEach(function (el) {
      const raw = (el.value || "").trim();
      const bad = el.validity && el.validity.badInput; // typed, but not a number
      if (!raw) {
        if (bad) notCounted += 1;
        return;
      }
      if (!/^-?\d+$/.test(raw)) { notCounted += 1; return; }
      const value = Number(raw);
      // A select offers only allowed points; a number box must be within the item range.
      const allowed = el.tagName === "SELECT" || (value >= low && value <= high);
      if (allowed) values[el.dataset.omItem] = value; else notCounted += 1;
      el.classList.toggle("is-invalid", !allowed);
    });
    const keys = Object.keys(values);
    const branched = keys.filter(function (k) { return branches.indexOf(k) !== -1; });
    const items = box.querySelectorAll("[data-om-item]").length;
    return {
      points: keys.reduce(function (sum, k) { return sum + values[k]; }, 0),
      answered: keys.length - branched.length + (branched.length ? 1 : 0),
      expected: items - branches.length + (branches.length ? 1 : 0),
      branches: branches,
      branched: branched.length,
      notCounted: notCounted,
      low: low,
      high: high,
    };
  }

  function notes(e) {
    const out = [];
    if (e.branched > 1) out.push("answer only one of " + e.branches.join(", "));
    if (e.notCounted) {
      const word = e.notCounted === 1 ? "entry" : "entries";
      out.push(e.notCounted + " " + word + " not counted: outside " + e.low + "\u2013" + e.high);
    }
    return out;
  }

  // One decimal, half up, as intake/scoring/rules.py round_tenth does (tenths computed in integers).
  function oneDecimal(numerator, denominator) {
    return (Math.round((numerator * 10) / denominator) / 10).toFixed(1);
  }

  function text(box) {
    const e = entries(box);
    const rule = box.dataset.omRule;
    const maximum = Number(box.dataset.omMaximum);
    const extra = notes(e);
    if (rule === "min_answered") {
      const counts = [e.answered + " of " + e.expected + " answered",
        "at least " + box.dataset.omMinAnswered + " needed"].concat(extra).join("; ");
      if (!e.answered) return "\u2014 (" + counts + ")";
      const most = e.answered * e.high;
      return e.points + " / " + most + " = " + oneDecimal(e.points * 100, most) + " % (" + counts + ")";
    }
    if (rule === "mean_of_rated") {
      if (!e.answered) return "\u2014 (" + ["no activity rated"].concat(extra).join("; ") + ")";
      const rated = e.answered + " " + (e.answered === 1 ? "activity" : "activities") + " rated";
      return "mean " + oneDecimal(e.points, e.answered) + " / " + maximum + " (" +
        [rated].concat(extra).join("; ") + ")";
    }
    return e.points + " / " + maximum + " (" +
      [e.answered + " of " + e.expected + " answered"].concat(extra).join("; ") + ")";
  }

  function update(box) {
    const line = box.querySelector("[data-om-total]");
    if (!line) return;
    const now = text(box);
    if (line.textContent !== now) line.textContent = now;
  }

  function changed(event) {
    const box = event.target.closest && event.target.closest("[data-om-measure]");
    if (box) update(box);
  }

  function all() {
    document.querySelectorAll("[data-om-measure]").forEach(update);
  }

  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  // A measure drawn by htmx, or values put back by the draft restore (static/js/draft.js
  // sets values without events), are totalled once they are in the page.
  document.addEventListener("htmx:afterSettle", all);
  window.addEventListener("pageshow", all);
  all();
})();
