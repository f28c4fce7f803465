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

const openPanels = new Set();
// Escape closes the open side panel wherever the focus is, unless a dialog (which Escape closes first) is open.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || e.defaultPrevented || document.querySelector("dialog[open]")) return;
  for (const p of [...openPanels]) {
    if (!p.panel.isConnected) { openPanels.delete(p); continue; }
    if (p.open) { e.preventDefault(); p.hide(); }
  }
});

/**
 * The panel on the right (a bottom sheet on narrow screens). `overlay`: it lies over the page's right edge instead
 * of taking width from it (the day view: the timeline keeps its size and scrolls the opened block clear of it).
 */
export function sidePanel(container, { overlay = false } = {}) {
  const panel = h("aside", { class: `panel${overlay ? " panel-overlay" : ""}`, hidden: true, attrs: { "aria-label": t("Details") } });
  container.append(panel);
  // An overlay starts below the page's own tools (the toolbar stays usable) and ends at the bottom of the window.
  function place() {
    const header = document.querySelector("header.top")?.getBoundingClientRect().bottom || 0;
    const top = Math.round(Math.max(header + 8, container.getBoundingClientRect().top));
    panel.style.top = `${top}px`;
    panel.style.maxHeight = `${Math.max(240, window.innerHeight - top - 12)}px`;
  }
  const api = {
    panel,
    show(title, ...content) {
      openPanels.add(this);
      panel.hidden = false;
      replace(panel, h("div", { class: "panel-head" }, h("h2", { text: title }),
        h("button", { type: "button", class: "link close", text: "×", attrs: { "aria-label": t("Close") }, onclick: () => this.hide() })),
      ...content);
      if (overlay) place();
    },
    hide() { openPanels.delete(this); panel.hidden = true; replace(panel); this.onHide && this.onHide(); },
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
