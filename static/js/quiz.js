// Keyboard for quizzes: 1-9 or a-z choose, Enter submits, N goes on, ? shows the keys.
// The page works without this file; it only adds keys, a countdown and focus moves.
(() => {
  "use strict";

  // The focus moves to each new heading for screen readers and keyboards; its ring is
  // for the keyboard only. Browsers show it on script focus after a page load whatever
  // was used, so the last way of input is remembered across pages (per tab), from the
  // set's page on.
  const MODALITY = "quiz-pointer";
  document.addEventListener("pointerdown", () => sessionStorage.setItem(MODALITY, "1"), true);
  document.addEventListener("keydown", () => sessionStorage.removeItem(MODALITY), true);

  const quiz = document.querySelector("[data-quiz]");
  if (!quiz) return;
  // Key hints (.js-only) show only now that the keys work.
  document.documentElement.classList.add("has-js");
  const help = document.getElementById("quiz-keys");
  const helpButton = quiz.querySelector("[data-keys-toggle]");

  const card = () => document.getElementById("quiz-card");
  const typing = (el) =>
    el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !["radio", "checkbox"].includes(el.type)));

  function toggleHelp() {
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  function choose(index) {
    const inputs = card()?.querySelectorAll("input[name='choice']") || [];
    const input = inputs[index];
    if (!input) return false;
    if (input.type === "checkbox") input.checked = !input.checked;
    else input.checked = true;
    input.focus();
    return true;
  }

  // In a review the answer needs a confidence: Enter asks for it, then 1-3 submit with it.
  function askConfidence(event) {
    const group = card()?.querySelector("[data-confidence-required]");
    if (!group) return false;
    const key = event.key.toLowerCase();
    if (group.classList.contains("is-asking")) {
      event.preventDefault();
      const button = group.querySelector(`[data-confidence-level="${key}"]`);
      if (button) button.click();
      else if (key === "escape") {
        group.classList.remove("is-asking");
        card()?.querySelector("[data-legend]")?.focus();
      }
      return true;
    }
    if (key === "enter" && !["BUTTON", "A"].includes(event.target.tagName)) {
      event.preventDefault();
      group.classList.add("is-asking");
      group.focus();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (help?.open && event.key !== "?") return; // the dialog handles its own keys
    const target = event.target;
    if (card()?.querySelector("[data-quiz-form]") && askConfidence(event)) return;
    // A select keeps its arrow keys, but Enter submits as it does from a text box.
    if (event.key === "Enter" && target.tagName === "SELECT" && target.form?.matches("[data-quiz-form]")) {
      event.preventDefault();
      target.form.requestSubmit();
      return;
    }
    if (typing(target)) return; // keys belong to the text box or the select
    if (event.key === "?") {
      event.preventDefault();
      toggleHelp();
      return;
    }
    const key = event.key.toLowerCase();
    const form = card()?.querySelector("[data-quiz-form]");
    if (key === "n") {
      const next = card()?.querySelector("[data-next]");
      if (next) {
        event.preventDefault();
        next.click();
      }
      return;
    }
    if (key === "enter" && form && !["BUTTON", "A"].includes(target.tagName)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    let index = -1;
    if (/^[1-9]$/.test(key)) index = Number(key) - 1;
    else if (/^[a-z]$/.test(key)) index = key.charCodeAt(0) - 97;
    if (index >= 0 && form && choose(index)) event.preventDefault();
  });

  function focusHeading(target) {
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.classList.toggle("focus-quiet", sessionStorage.getItem(MODALITY) === "1");
    target.focus();
  }

  const focusTarget = (root) =>
    root?.querySelector("[data-quiz-error]") ||
    root?.querySelector("[data-feedback-heading]") ||
    root?.querySelector("[data-legend]");

  // After htmx swaps the card: focus the verdict if an answer was just recorded,
  // else the new question's legend (what a screen reader should read next).
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const swapped = card();
    if (!swapped || !swapped.contains(event.detail.elt) && event.detail.elt !== swapped) return;
    focusHeading(focusTarget(swapped));
  });

  // Exam "Finish now": ask first, in a dialog (without JavaScript the link opens the
  // review page, which asks the same).
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("[data-finish-confirm]");
    const dialog = card()?.querySelector("[data-finish-dialog]");
    if (!link || !dialog) return;
    event.preventDefault();
    dialog.showModal();
  });

  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", toggleHelp);
  }

  // The countdown is a convenience: the server enforces the limit.
  const countdown = quiz.querySelector("[data-deadline]");
  if (countdown) {
    const deadline = Date.parse(countdown.dataset.deadline);
    const time = countdown.querySelector("time");
    const tick = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      countdown.firstChild.textContent = "Time left: ";
      time.textContent = `${minutes}:${seconds}`;
      countdown.classList.toggle("is-low", left <= 30);
      if (left === 0) {
        countdown.firstChild.textContent = "Time is up ";
        clearInterval(timer);
      }
    };
    const timer = setInterval(tick, 1000);
    tick();
  }

  // On a full page load (no htmx swap), a fresh verdict or question gets the focus too.
  focusHeading(focusTarget(card()));
})();
