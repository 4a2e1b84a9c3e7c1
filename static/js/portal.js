/* What every page of the portal shares, loaded by base.html. Every page works without
   it; with it:
   - an error summary takes focus, and its links move focus to the field;
   - buttons of forms marked data-submit-once are disabled after the first click, so a
     double click sends once;
   - a receipt page asks whether its PDF copy is ready (#receipt-pdf) on the back-off
     schedule the page gives (data-poll-schedule: 2, 4, 8 … s), and stops when it is ready
     or has failed (showing the page's data-failed-text), or when the schedule ends;
   - autosave(): the background saving both forms use;
   - renewToken(): the CSRF token of now, after a sign-in in another tab.
   The form scripts (application-form.js, report-form.js) use the helpers it exports as
   window.Tilskudd. Texts come from the page (#js-texts), translated on the server. */
(function () {
  "use strict";

  function texts() {
    const node = document.getElementById("js-texts");
    return node ? JSON.parse(node.textContent) : {};
  }

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");
  }


  function enhanceErrorSummary() {
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    document.addEventListener("click", (event) => {
      const link = event.target.closest(".error-summary a[href^='#'], #missing-list a[href^='#']");
      if (!link) return;
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      event.preventDefault();
      const line = target.closest("[data-line]");
      if (line) line.hidden = false;
      if (!target.matches("input, select, textarea, button, a[href]")) {
        target.setAttribute("tabindex", "-1");
      }
      const label = document.querySelector(`label[for="${CSS.escape(target.id)}"]`);
      (label || target).scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
  }

  function describedBy(field, id, add) {
    const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const others = ids.filter((value) => value !== id);
    if (add) others.push(id);
    if (others.length) field.setAttribute("aria-describedby", others.join(" "));
    else field.removeAttribute("aria-describedby");
  }

  function errorList(messages, className) {
    const box = document.createElement("div");
    box.className = className;
    box.dataset.jsError = "";
    for (const message of messages) {
      const p = document.createElement("p");
      p.className = "mb-0";
      const strong = document.createElement("strong");
      strong.textContent = message;
      p.appendChild(strong);
      box.appendChild(p);
    }
    return box;
  }

  function showMissing(items) {
    const list = document.getElementById("missing-list");
    if (!list || !items) return;
    const prefix = list.dataset.linkPrefix || "";
    list.textContent = "";
    for (const item of items) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = prefix + item.href;
      a.textContent = item.text;
      li.appendChild(a);
      list.appendChild(li);
    }
    document.getElementById("missing-intro").hidden = items.length === 0;
    document.getElementById("missing-none").hidden = items.length !== 0;
  }

  function enhanceSubmitOnce() {
    document.querySelectorAll("form[data-submit-once]").forEach((form) => {
      form.addEventListener("submit", () => {
        window.setTimeout(() => {
          form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
        }, 0);
      });
    });
  }

  // -- The receipt's PDF copy -----------------------------------------------------------

  // Seconds before each question, from the page (tilskudd.documents.polling.POLL_SCHEDULE).
  function pollSchedule(box) {
    return (box.dataset.pollSchedule || "").split(",").map(Number)
      .filter((seconds) => seconds > 0);
  }

  function pollReceipt(box, t) {
    if (!box.dataset.statusUrl || box.dataset.status !== "pending") return;
    const schedule = pollSchedule(box);
    let asked = 0;

    // The next question after the schedule's next wait; none once the schedule has run out
    // (the page's «Oppdater siden» link stays).
    function later() {
      if (asked < schedule.length) window.setTimeout(tick, schedule[asked++] * 1000);
    }

    function show(state) {
      // The offer to make it on the spot stays when the worker gave up (made when clicked).
      const now = box.querySelector("#pdf-now");
      const again = now ? now.closest("p") : null;
      box.textContent = "";
      if (state.status === "ready") {
        const p = document.createElement("p");
        p.className = "mb-1";
        const a = document.createElement("a");
        a.href = state.url;
        a.className = "btn btn-primary";
        a.textContent = t.pdf_ready;
        p.appendChild(a);
        const sum = document.createElement("p");
        sum.className = "small";
        sum.append(`${t.pdf_sha256}: `);
        const code = document.createElement("code");
        code.className = "sha256";
        code.textContent = state.sha256;
        sum.appendChild(code);
        box.append(p, sum);
      } else {
        // Failed: the page's own words (the same the server shows on reload), then stop.
        const p = document.createElement("p");
        p.className = "alert alert-warning";
        p.textContent = box.dataset.failedText || t.pdf_failed;
        box.appendChild(p);
        if (again) {
          // The offer now reads as the page says it after a reload: make it again.
          if (now.dataset.againText) now.textContent = now.dataset.againText;
          box.appendChild(again);
        }
      }
      box.dataset.status = state.status;
    }

    async function tick() {
      try {
        const response = await fetch(box.dataset.statusUrl, {
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", Accept: "application/json" },
        });
        const state = await response.json();
        if (state.status === "ready" || state.status === "failed") {
          show(state);
          return;
        }
      } catch (error) {
        // The network hiccuped; ask again.
      }
      later();
    }

    later();
  }

  // -- The CSRF token after a sign-in in another tab ----------------------------------

  // Django gives the token a new secret at every sign-in, so a page loaded before the
  // person signed in again elsewhere holds one that is refused (403, code "csrf"). Asks
  // the server for the token of now (tilskudd.session_views.session_token, a GET, at the
  // session dialog's data-token-url) and puts it in every form of the page and in the
  // session dialog's header. Only for the user the page was made for (data-user-id):
  // what it holds is theirs, not to be saved in the name of another who signed in since.
  // Resolves to { token }, { token: null } when nobody is signed in, or
  // { token: null, otherUser: true } when someone else is.
  async function renewToken() {
    const dialog = document.getElementById("session-warning");
    const url = dialog && dialog.dataset.tokenUrl;
    if (!url) return { token: null };
    const user = encodeURIComponent(dialog.dataset.userId || "");
    const response = await fetch(`${url}?user=${user}`, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.signed_in || !body.csrf_token) {
      return { token: null, otherUser: Boolean(body.other_user) };
    }
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => {
      input.value = body.csrf_token;
    });
    dialog.dataset.csrfToken = body.csrf_token;
    return { token: body.csrf_token };
  }

  // -- Saving a form in the background ------------------------------------------------

  const AUTOSAVE_DELAY_MS = 1500;

  // Saves `form` in the background (POST with action=autosave, answered with JSON) after
  // the person stops typing and when a field loses focus; one request at a time, so what
  // one save creates (the ids of new lines) comes back before the next. "Lagre" waits for
  // a save under way (or makes one of what is not saved yet, sent with Enter); leaving
  // through a [data-save-first] form or link saves first.
  // options.apply(body, announce) shows what the server answered; options.touched(name)
  // hears of every field the person has been in. Returns { announce, saveNow }.
  // A save refused for an old CSRF token (signed in again in another tab) renews the
  // token and is sent once more. Signed out, or signed in as another user, the page says
  // so and keeps what was typed: it neither posts nor leaves (which would lose it) until
  // a save goes through again.
  function autosave(form, t, options) {
    const status = document.getElementById("save-status");
    const url = form.getAttribute("action") || window.location.pathname;
    const touched = options.touched || (() => {});
    let timer = null;
    let dirty = false;
    let saving = null;
    let again = false;
    let signedOut = false;

    function announce(text) {
      if (status) status.textContent = text;
    }

    // The answer and its JSON ({} when it is a page: the sign-in page a signed-out save
    // is sent on to, an error page).
    async function post(keepalive) {
      const data = new FormData(form);
      data.set("action", "autosave");
      const response = await fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
        keepalive,
      });
      const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
      return { response, body: json ? await response.json() : {} };
    }

    async function send(keepalive) {
      try {
        let { response, body } = await post(keepalive);
        if (body.code === "csrf" || response.redirected) {
          const renewed = await renewToken();
          if (!renewed.token) {
            // signed out, or another user signed in: nothing is saved for this page
            signedOut = true;
            dirty = true;
            announce((renewed.otherUser ? t.other_user : t.signed_out) || t.not_saved);
            return;
          }
          ({ response, body } = await post(keepalive));
        }
        signedOut = false;
        if (!response.ok || response.redirected) {
          announce(body.error || body.message || t.not_saved);
          return;
        }
        options.apply(body, announce);
      } catch (error) {
        dirty = true;
        announce(t.not_saved);
      }
    }

    function save(keepalive = false) {
      window.clearTimeout(timer);
      if (saving) {
        again = true;
        return saving;
      }
      if (!dirty) return Promise.resolve();
      dirty = false;
      saving = send(keepalive).finally(() => {
        saving = null;
        if (again) {
          again = false;
          if (dirty) return save();
        }
        return undefined;
      });
      return saving;
    }

    function changed() {
      dirty = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, AUTOSAVE_DELAY_MS);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", (event) => {
      if (event.target.name) touched(event.target.name);
      changed();
    });
    form.addEventListener("focusout", (event) => {
      if (event.target.name) touched(event.target.name);
      if (dirty) save();
    });
    form.addEventListener("submit", (event) => {
      window.clearTimeout(timer);
      if (saving || signedOut || dirty) {
        // after the save under way; signed out, after a save that finds them signed in;
        // typed on and sent with Enter (no focusout saved it), after a save that renews an
        // old token, so the post does not meet the 403 page with what was typed
        event.preventDefault();
        const submitter = event.submitter;
        const first = saving || (dirty = true, save());
        first.then(() => { if (!signedOut) form.requestSubmit(submitter); });
        return;
      }
      dirty = false;
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && dirty) save(true);
    });
    document.querySelectorAll("form[data-save-first]").forEach((other) => {
      other.addEventListener("submit", (event) => {
        if (!dirty && !saving) return;
        event.preventDefault();
        save().then(() => (saving || Promise.resolve())).then(() => {
          if (!signedOut) other.submit();
        });
      });
    });
    document.querySelectorAll("a[data-save-first]").forEach((link) => {
      link.addEventListener("click", (event) => {
        if (!dirty && !saving) return;
        event.preventDefault();
        save().then(() => (saving || Promise.resolve())).then(() => {
          if (!signedOut) window.location.href = link.href;
        });
      });
    });

    savers.push(() => (dirty || saving ? save().then(() => saving) : Promise.resolve()));
    return {
      announce,
      saveNow() { dirty = true; return save(); },
    };
  }

  // Saves what every autosaved form on the page has not saved yet (session-warning.js).
  const savers = [];
  function saveAll() { return Promise.all(savers.map((saver) => saver())); }

  window.Tilskudd = {
    texts, format, describedBy, errorList, showMissing, autosave, saveAll, renewToken,
  };

  function start() {
    enhanceErrorSummary();
    enhanceSubmitOnce();
    const receipt = document.getElementById("receipt-pdf");
    if (receipt) pollReceipt(receipt, texts());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
