// Messages at the top of the page (the outcome of a connection, sign-in problems) and a
// polite live region that reads every change out to screen-reader users.

import { h, replaceChildren } from "./dom.js";

let announcer;

function announcerElement() {
  if (!announcer) {
    announcer = h("div", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
    document.body.append(announcer);
  }
  return announcer;
}

/** Reads `text` out (once) without showing anything. */
export function announce(text) {
  const region = announcerElement();
  region.textContent = "";
  // A fresh text node after a tick, so the same message twice is read twice.
  setTimeout(() => { region.textContent = text; }, 50);
}

/**
 * Shows a notice (kind: "success", "error" or "info") in place of the previous one. With
 * `focus`, the notice takes the keyboard focus, as after coming back from a provider.
 */
export function notify(kind, title, text, { focus = false } = {}) {
  const container = document.getElementById("notices");
  const heading = h("p", { class: "notice-title" }, title);
  const dismiss = h("button", { type: "button", class: "button button-quiet button-small notice-dismiss" },
    "Dismiss");
  const notice = h("div", {
    class: `notice notice-${kind}`,
    role: kind === "error" ? "alert" : "status",
    tabindex: "-1",
    dataset: { kind },
  }, h("div", { class: "notice-body" }, heading, text ? h("p", {}, text) : null), dismiss);
  dismiss.addEventListener("click", () => {
    notice.remove();
    document.getElementById("main").focus();
  });
  replaceChildren(container, notice);
  if (focus) notice.focus();
  return notice;
}

export function clearNotices() {
  document.getElementById("notices").replaceChildren();
}
