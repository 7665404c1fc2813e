// Live sessions: the server pushes each new screen over a WebSocket; when the socket
// cannot connect (a proxy, a school firewall), htmx polls the same page instead.
// The screen (#live-stage for a learner, #live-panel for the host) is always whole
// server-rendered HTML, so a reconnect simply shows what the database says now.
(() => {
  const root = document.querySelector("[data-live]");
  if (!root) return;
  const targetId = root.dataset.target;
  const mode = document.querySelector("[data-live-mode]");
  const POLL = "every 2s";
  let socket = null;
  let polling = false;
  let retry = 1000;

  const target = () => document.getElementById(targetId);
  const say = (text) => {
    if (mode) mode.textContent = text;
  };

  function startPolling() {
    polling = true;
    say("(polling)");
    const el = target();
    if (!el || el.getAttribute("hx-trigger") === POLL) return;
    el.setAttribute("hx-get", el.dataset.poll);
    el.setAttribute("hx-trigger", POLL);
    el.setAttribute("hx-swap", "outerHTML");
    htmx.process(el);
  }

  function stopPolling() {
    polling = false;
    const el = target();
    if (!el) return;
    // A fresh copy of the element without hx-trigger ends htmx's poll on it.
    const fresh = el.cloneNode(true);
    ["hx-get", "hx-trigger", "hx-swap"].forEach((name) => fresh.removeAttribute(name));
    el.replaceWith(fresh);
    htmx.process(fresh);
  }

  function show(html) {
    const el = target();
    const hadFocus = el && el.contains(document.activeElement);
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.firstElementChild;
    el.replaceWith(fresh);
    htmx.process(fresh);
    afterSwap(fresh, hadFocus);
  }

  function afterSwap(el, hadFocus) {
    if (polling) startPolling();
    tick();
    // A new question takes the focus, so keyboard users can answer straight away.
    const legend = el.querySelector("#live-legend");
    if (legend && !hadFocus && el.querySelector("[data-live-answer]")) legend.focus();
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const path = root.dataset.ws.replace(/^\/live\//, "/live/ws/");
    let opened = false;
    socket = new WebSocket(scheme + location.host + path);
    socket.addEventListener("open", () => {
      opened = true;
      retry = 1000;
      if (polling) stopPolling();
      say("");
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      const html = data.stage || data.panel;
      if (html) show(html);
    });
    socket.addEventListener("close", () => {
      socket = null;
      // Poll at once (nothing is missed meanwhile), and try the socket again later.
      startPolling();
      setTimeout(connect, opened ? 1000 : retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  // An answer goes over the socket when it is open; otherwise htmx posts the form.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target.closest("[data-live-answer]");
      if (!form || !socket || socket.readyState !== WebSocket.OPEN) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const answer = {};
      for (const [key, value] of new FormData(form, event.submitter)) {
        if (key === "csrfmiddlewaretoken") continue;
        (answer[key] ||= []).push(value);
      }
      form.querySelectorAll("button").forEach((b) => {
        b.disabled = true;
      });
      socket.send(JSON.stringify({ answer }));
    },
    true,
  );

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const el = target();
    if (el && event.detail.elt === el) afterSwap(el, true);
    else if (el && event.detail.target?.id === targetId) afterSwap(el, true);
  });

  // Keys: a, b, c... or 1, 2, 3... pick an option (a single choice is sent at once).
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const t = event.target;
    if (t.matches?.("input[type=text], textarea, select")) return;
    const form = target()?.querySelector("[data-live-answer]");
    if (!form) return;
    let key = event.key.toLowerCase();
    if (/^[1-9]$/.test(key)) key = String.fromCharCode(96 + Number(key));
    const option = form.querySelector(`[data-key="${key}"]`);
    if (option) {
      event.preventDefault();
      option.click();
      option.focus();
    }
  });

  // Countdowns: the server's deadline, shown in seconds left.
  function tick() {
    document.querySelectorAll("[data-deadline]").forEach((el) => {
      const left = Math.ceil((Number(el.dataset.deadline) - Date.now()) / 1000);
      el.textContent = left > 0 ? `${left} s left` : "time is up";
      el.classList.toggle("is-low", left <= 5);
    });
  }
  setInterval(tick, 500);
  tick();
  connect();
})();
