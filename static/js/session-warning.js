/* The warning before the signed-in session ends (WCAG 2.2.1), on every page that shows
   includes/session_warning.html. Everything comes from the dialog's data attributes:
   data-expires-in (seconds left, said by the server), data-lead (how long before the end
   to warn), data-keepalive-url, data-csrf-token (renewed by portal.js's renewToken, which
   reads data-token-url) and the texts.
   At the warning, work in an autosaved form is saved first (window.Tilskudd.saveAll from
   portal.js, where it is loaded); «Fortsett» asks the server to extend the session and
   starts the count again. When the time has run out, the dialog says so and offers to
   sign in again. */
(function () {
  "use strict";

  function start() {
    const dialog = document.getElementById("session-warning");
    if (!dialog || typeof dialog.showModal !== "function") return;
    const text = document.getElementById("session-warning-text");
    const proceed = dialog.querySelector("[data-session-continue]");
    const again = dialog.querySelector("[data-session-login]");
    const lead = Number(dialog.dataset.lead) || 120;
    let warnTimer = null;
    let endTimer = null;

    function saveWork() {
      const tilskudd = window.Tilskudd;
      if (tilskudd && typeof tilskudd.saveAll === "function") return tilskudd.saveAll();
      return Promise.resolve();
    }

    function clock(at) {
      return at.toLocaleTimeString("nb-NO", { hour: "2-digit", minute: "2-digit" });
    }

    function warn(endsAt) {
      saveWork();
      text.textContent = dialog.dataset.warningText.replace("%(time)s", clock(endsAt));
      proceed.hidden = false;
      again.hidden = true;
      if (!dialog.open) dialog.showModal();
      proceed.focus();
    }

    function expired() {
      saveWork();
      text.textContent = dialog.dataset.expiredText;
      proceed.hidden = true;
      again.hidden = false;
      if (!dialog.open) dialog.showModal();
      again.focus();
    }

    function schedule(secondsLeft) {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      const endsAt = new Date(Date.now() + secondsLeft * 1000);
      warnTimer = window.setTimeout(() => warn(endsAt),
        Math.max(0, (secondsLeft - lead) * 1000));
      endTimer = window.setTimeout(expired, secondsLeft * 1000);
    }

    async function extend() {
      const response = await fetch(dialog.dataset.keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": dialog.dataset.csrfToken, "X-Requested-With": "fetch",
          Accept: "application/json" },
      });
      return { response, body: await response.json() };
    }

    proceed.addEventListener("click", async () => {
      await saveWork();
      try {
        let { response, body } = await extend();
        // An old token (signed in again in another tab): portal.js renews it, where loaded.
        const renew = window.Tilskudd && window.Tilskudd.renewToken;
        if (body.code === "csrf" && renew) {
          if (!(await renew()).token) {
            expired();
            return;
          }
          ({ response, body } = await extend());
        }
        if (body.code === "csrf") throw new Error(body.code);
        if (!response.ok || !body.signed_in) {
          expired();
          return;
        }
        dialog.close();
        schedule(Number(body.expires_in));
      } catch (error) {
        text.textContent = dialog.dataset.failedText;
      }
    });
    // Escape closes the dialog; the session still ends, so the count goes on.
    schedule(Number(dialog.dataset.expiresIn));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
