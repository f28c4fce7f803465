// Shared pieces of the pages: messages, dialogs, the side panel.

import { h, replace } from "./dom.js";
import { t } from "./i18n.js";

let toasts = null;

/** A short message at the bottom of the screen (also read out by screen readers). */
export function toast(message, kind = "info", ms = 6000) {
  if (!toasts) {
    toasts = h("div", { class: "toasts", attrs: { role: "status", "aria-live": "assertive" } });
    document.body.append(toasts);
  }
  const item = h("div", { class: `toast toast-${kind}`, dataset: { kind } }, h("span", { text: message }),
    h("button", { type: "button", class: "link", text: "×", attrs: { "aria-label": t("Close") }, onclick: () => item.remove() }));
  toasts.append(item);
  setTimeout(() => item.remove(), ms);
  return item;
}

/** A modal dialog (<dialog>): returns {dialog, body, close}. Escape closes it; focus returns where it was. */
export function openDialog(title, { onClose, wide = false } = {}) {
  const before = document.activeElement;
  const body = h("div", { class: "dialog-body" });
  const heading = h("h2", { text: title, id: `dlg-${Math.random().toString(36).slice(2)}` });
  const dialog = h("dialog", { class: `dialog${wide ? " wide" : ""}`, attrs: { "aria-labelledby": heading.id } },
    h("div", { class: "dialog-head" }, heading,
      h("button", { type: "button", class: "link close", text: "×", attrs: { "aria-label": t("Close") }, onclick: () => close() })),
    body);
  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    dialog.close();
    dialog.remove();
    if (onClose) onClose();
    if (before && before.focus) before.focus();
  }
  dialog.addEventListener("cancel", (e) => { e.preventDefault(); close(); });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, body, close };
}

/** The panel on the right (a drawer on narrow screens). */
export function sidePanel(container) {
  const panel = h("aside", { class: "panel", hidden: true, attrs: { "aria-label": t("Details") } });
  container.append(panel);
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") api.hide(); });
  const api = {
    panel,
    show(title, ...content) {
      panel.hidden = false;
      replace(panel, h("div", { class: "panel-head" }, h("h2", { text: title }),
        h("button", { type: "button", class: "link close", text: "×", attrs: { "aria-label": t("Close") }, onclick: () => this.hide() })),
      ...content);
    },
    hide() { panel.hidden = true; replace(panel); this.onHide && this.onHide(); },
    get open() { return !panel.hidden; },
  };
  return api;
}

/** A form's error line. */
export function errorLine() {
  return h("p", { class: "error", attrs: { role: "alert" } });
}

export function showError(line, err) {
  line.textContent = err ? (err.detail || err.message || String(err)) : "";
}

/** Empty state text. */
export function empty(text) {
  return h("p", { class: "empty", text });
}

export function badge(status, text) {
  return h("span", { class: `badge status-${status}`, text });
}

export function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", { text: title }), ...children);
}
