// Idle logoff warning for staff pages. The server ends the session after
// data-idle-seconds without a request the user made; this shows a warning
// data-idle-warning seconds before, and "Stay logged in" tells the server.
// Other tabs count as activity: before warning, the page asks the server.
(function () {
  "use strict";
  const body = document.body;
  const idle = parseInt(body.dataset.idleSeconds || "0", 10);
  if (!idle) return;
  const warnBefore = parseInt(body.dataset.idleWarning || "120", 10);
  const url = body.dataset.sessionUrl;
  // The server counts idle time in whole seconds and ends a session only once it is over.
  const END_MARGIN_MS = 2000;
  const toastEl = document.getElementById("idle-warning");
  const countdown = toastEl && toastEl.querySelector("[data-idle-countdown]");
  const toast = toastEl && window.bootstrap ? bootstrap.Toast.getOrCreateInstance(toastEl) : null;
  let deadline = Date.now() + idle * 1000;
  let timer = null;
  let ticker = null;

  function csrf() {
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  function ask(method) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "X-Clinic-Background": "1", "X-CSRFToken": csrf() },
    }).then(function (r) {
      if (r.redirected || !r.ok) throw new Error("session ended");
      return r.json();
    });
  }

  // The session has ended (or is about to, on the server's whole-second clock). Drafts of
  // the forms on this page are kept first (draft.js); then the page is asked for again, by
  // GET, never resent as a reload of a posted page would be: the server ends the session and
  // answers with the login page, its message, and next= this page to come back to.
  function loggedOut() {
    document.dispatchEvent(new CustomEvent("clinic:signed-out"));
    window.location.assign(window.location.pathname + window.location.search);
  }

  function schedule(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(secondsLeft - warnBefore, 0) * 1000);
  }

  function showWarning() {
    if (toast) toast.show();
    clearInterval(ticker);
    ticker = setInterval(function () {
      const left = Math.round((deadline - Date.now()) / 1000);
      if (left <= 0) {
        clearInterval(ticker);
        if (countdown) countdown.textContent = "a moment";
        setTimeout(loggedOut, END_MARGIN_MS);
        return;
      }
      if (countdown) {
        const m = Math.floor(left / 60), s = left % 60;
        countdown.textContent = m ? m + " min " + s + " s" : s + " seconds";
      }
    }, 1000);
  }

  function check() {
    ask("GET").then(function (data) {
      if (data.idle_seconds_left > warnBefore) {
        schedule(data.idle_seconds_left); // activity in another tab
      } else {
        deadline = Date.now() + data.idle_seconds_left * 1000;
        showWarning();
      }
    }).catch(loggedOut);
  }

  const stay = toastEl && toastEl.querySelector("[data-idle-stay]");
  if (stay) {
    stay.addEventListener("click", function () {
      ask("POST").then(function (data) {
        clearInterval(ticker);
        if (toast) toast.hide();
        schedule(data.idle_seconds_left);
      }).catch(loggedOut);
    });
  }
  // htmx requests the user makes count as activity on the server too.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    const headers = (event.detail.requestConfig || {}).headers || {};
    if (!headers["X-Clinic-Background"]) schedule(idle);
  });
  schedule(idle);
})();
