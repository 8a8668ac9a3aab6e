// Drafts of long staff forms, kept while the clinician types, so that a session that ends
// (the idle logoff, "Log out" in another tab, a lost cookie) costs no typing: after logging
// in again the form comes back with what was typed and a notice to review and save it.
//
// A form opts in with data-draft="<the address of its page>"; its draft is keyed by the
// signed-in user's id (data-user on this script's tag) and that address.
//
// Kept in sessionStorage, not localStorage: one tab only, gone when the tab or the browser
// closes, so nothing typed about a patient stays on a shared clinic computer. Password, file
// and hidden fields are never stored. A draft is deleted
//   - once it is saved: the form was sent and the server answered with a redirect to a
//     signed-in page (Post/Redirect/Get); a page sent back with errors keeps it,
//   - when the page already shows everything the draft holds, or "Discard" is pressed,
//   - when the user logs out in this tab, when another user signs in in this tab, and
//     MAX_AGE_MS after the last keystroke.
(function () {
  "use strict";
  const script = document.currentScript;
  const user = (script && script.dataset.user) || "";
  const logoutUrl = (script && script.dataset.logoutUrl) || "";
  const PREFIX = "clinic-draft:";
  const MAX_AGE_MS = 8 * 60 * 60 * 1000; // the longest a session lasts (SESSION_COOKIE_AGE)
  const SENT_FOR_MS = 10 * 60 * 1000; // a sent form's answer is the next page, within minutes
  const SKIPPED = ["password", "file", "hidden", "submit", "button", "reset", "image"];
  const SIGNED_OUT = "Restored what you typed before you were signed out \u2014 review and save.";
  const LEFT = "Restored what you typed here before you left without saving \u2014 review and save.";
  const DISCARDED = "Discarded: the form shows what was last saved.";

  let store = null;
  try {
    store = window.sessionStorage;
    store.setItem(PREFIX + "probe", "1");
    store.removeItem(PREFIX + "probe");
  } catch (e) {
    return; // storage switched off: the forms work as before, without drafts
  }

  // ------------------------------------------------------------------ storage

  function storageKey(draftUser, key) {
    return PREFIX + draftUser + ":" + key;
  }

  function read(name) {
    try {
      const draft = JSON.parse(store.getItem(name));
      return draft && typeof draft === "object" && draft.values ? draft : null;
    } catch (e) {
      return null;
    }
  }

  let leaving = false; // logging out: no draft may be written any more from this page

  function write(name, draft) {
    if (leaving) return;
    try {
      store.setItem(name, JSON.stringify(draft));
    } catch (e) {
      // storage full: the form itself is unaffected
    }
  }

  function names() {
    const found = [];
    for (let i = 0; i < store.length; i++) {
      const name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) found.push(name);
    }
    return found;
  }

  function forgetAll() {
    leaving = true;
    names().forEach(function (name) { store.removeItem(name); });
  }

  // ------------------------------------------------------------------ form values

  function storable(el) {
    return el.name && !el.disabled && SKIPPED.indexOf(el.type) === -1;
  }

  function serialize(form) {
    const values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!storable(el)) return;
      const list = values[el.name] || (values[el.name] = []);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) list.push(el.value);
      } else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { list.push(o.value); });
      } else {
        list.push(el.value);
      }
    });
    return values;
  }

  function same(a, b) {
    return JSON.stringify(a || []) === JSON.stringify(b || []);
  }

  function blank(list) {
    return !list || list.every(function (v) { return v === ""; });
  }

  // Fields of ``values`` that differ from ``base``; a field missing from ``base`` (a part of
  // the form loaded on demand) counts when ``values`` holds something for it.
  function changed(base, values) {
    return Object.keys(values).filter(function (name) {
      return name in base ? !same(base[name], values[name]) : !blank(values[name]);
    });
  }

  // Put values into the form's fields; returns the names that are not on the page (yet).
  function fill(form, values, mark) {
    const seen = {};
    const index = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!storable(el) || !(el.name in values)) return;
      const wanted = values[el.name];
      seen[el.name] = true;
      let changed = false;
      if (el.type === "checkbox" || el.type === "radio") {
        const checked = wanted.indexOf(el.value) !== -1;
        changed = el.checked !== checked;
        el.checked = checked;
      } else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) {
          const selected = wanted.indexOf(o.value) !== -1;
          changed = changed || o.selected !== selected;
          o.selected = selected;
        });
      } else {
        const i = index[el.name] || 0;
        index[el.name] = i + 1;
        const value = i < wanted.length ? wanted[i] : "";
        changed = el.value !== value;
        el.value = value;
      }
      if (mark === "restored" && changed) el.classList.add("border-info", "draft-restored");
      if (mark === "discarded") el.classList.remove("border-info", "draft-restored");
    });
    return Object.keys(values).filter(function (name) { return !seen[name]; });
  }

  // ------------------------------------------------------------------ what the last page did

  function redirected() {
    const entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].redirectCount > 0;
  }

  // The answer to a sent form is this page. Signed out (the login page): the draft waits for
  // the login. Redirected to a signed-in page: it was saved. Anything else (the form sent
  // back with its errors, an error page): the draft stays, as what was typed is not saved
  // even where the page shows it.
  function settleSentDrafts() {
    const now = Date.now();
    names().forEach(function (name) {
      const draft = read(name);
      if (!draft) return store.removeItem(name);
      if (!user) {
        draft.signedOut = true;
      } else if (draft.sentAt && now - draft.sentAt < SENT_FOR_MS && draft.user === user) {
        if (redirected()) return store.removeItem(name);
        draft.sentBack = true;
      }
      delete draft.sentAt;
      write(name, draft);
    });
  }

  function purge() {
    const now = Date.now();
    names().forEach(function (name) {
      const draft = read(name);
      if (!draft || now - (draft.savedAt || 0) > MAX_AGE_MS || (user && draft.user !== user)) {
        store.removeItem(name);
      }
    });
  }

  // ------------------------------------------------------------------ one form

  function notice(form, text, onDiscard) {
    const box = document.createElement("div");
    box.className = "alert alert-info d-flex flex-wrap align-items-center gap-2";
    box.setAttribute("role", "status");
    box.setAttribute("data-draft-notice", "");
    const icon = document.createElement("i");
    icon.className = "bi bi-arrow-counterclockwise";
    icon.setAttribute("aria-hidden", "true");
    const message = document.createElement("span");
    const words = document.createElement("span");
    message.className = "me-auto";
    words.textContent = text;
    icon.classList.add("me-2");
    message.append(icon, words);
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-secondary";
    discard.textContent = "Discard what was restored";
    discard.addEventListener("click", function () {
      onDiscard();
      words.textContent = DISCARDED;
      discard.remove();
    });
    box.append(message, discard);
    form.parentNode.insertBefore(box, form);
  }

  function track(form) {
    const key = form.dataset.draft || window.location.pathname;
    const name = storageKey(user, key);
    let saved = serialize(form); // what the server sent: the last saved state...
    const draft = read(name);
    // ...unless the page is the form sent back with its errors: then nothing shown is saved.
    const sentBack = !!(draft && draft.sentBack);
    let waiting = {}; // restored values of fields not loaded yet
    let timer = null;

    function save(extra) {
      clearTimeout(timer);
      timer = null;
      const values = serialize(form);
      Object.keys(waiting).forEach(function (n) { if (!(n in values)) values[n] = waiting[n]; });
      if (!sentBack && changed(saved, values).length === 0) {
        store.removeItem(name); // nothing typed that is not saved
        return;
      }
      const previous = read(name) || {};
      write(name, Object.assign({ user: user, key: key, values: values, sentBack: sentBack,
        signedOut: !!previous.signedOut }, extra || {}, { savedAt: Date.now() }));
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(save, 300);
    }

    if (draft && draft.user === user) {
      if (changed(saved, draft.values).length === 0) {
        if (!sentBack) store.removeItem(name); // the page shows all of it, and it is saved
      } else {
        const missing = fill(form, draft.values, "restored");
        missing.forEach(function (n) { waiting[n] = draft.values[n]; });
        if (missing.length) {
          // Parts drawn when opened (htmx): open them so that their fields come back too.
          form.querySelectorAll("details[hx-get]:not([open])").forEach(function (d) {
            d.open = true;
          });
        }
        notice(form, draft.signedOut ? SIGNED_OUT : LEFT, function () {
          fill(form, Object.assign(emptied(draft.values), saved), "discarded");
          waiting = {};
          store.removeItem(name);
        });
      }
    }

    function emptied(values) {
      const out = {};
      Object.keys(values).forEach(function (n) { out[n] = []; });
      return out;
    }

    // A part of the form loaded later (htmx) is blank on the server: that is its saved state;
    // restored values waiting for it are put in now.
    form.addEventListener("htmx:afterSettle", function () {
      const now = serialize(form);
      Object.keys(now).forEach(function (n) { if (!(n in saved)) saved[n] = now[n]; });
      const pending = Object.keys(waiting).filter(function (n) { return n in now; });
      if (!pending.length) return;
      const values = {};
      pending.forEach(function (n) { values[n] = waiting[n]; delete waiting[n]; });
      fill(form, values, "restored");
    });
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () { save({ sentAt: Date.now() }); });
    window.addEventListener("pagehide", function () { if (timer) save(); });
    document.addEventListener("clinic:signed-out", function () {
      save();
      const kept = read(name);
      if (kept) { kept.signedOut = true; write(name, kept); }
    });
  }

  // ------------------------------------------------------------------ the page

  const forms = user ? Array.prototype.slice.call(document.querySelectorAll("form[data-draft]")) : [];
  settleSentDrafts();
  purge();
  forms.forEach(track);

  // Logging out here means leaving: nothing typed stays in this tab.
  document.querySelectorAll("form").forEach(function (form) {
    let path = "";
    try { path = new URL(form.action, window.location.href).pathname; } catch (e) { return; }
    if (logoutUrl && path === logoutUrl) form.addEventListener("submit", forgetAll);
  });
})();
