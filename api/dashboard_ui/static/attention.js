// Attention: conversations waiting for a person (handed off, no staff answer since the guest last wrote) as a badge in the header of every
// page, kept current by the live events, and a browser notification for a new one where the browser allows it.
// The badge opens the newest one on the Activity page at its latest message.

import { get } from "./api.js";
import { h, replace } from "./dom.js";
import { t } from "./i18n.js";

let waiting = []; // the newest 50 of them, named in the badge's title
let waitingCount = 0;
let known = null; // ids already seen (no notification for what was waiting when the page opened)
let badgeEl = null;

/** Conversations handed to staff that still wait for a person's answer (the server decides: no staff
 *  reply since the guest last wrote; the assistant's own "a colleague will answer" does not count). */
export async function loadWaiting() {
  let data;
  try {
    data = await get("/api/conversations", { waiting: "true", pageSize: 50 });
  } catch {
    return waiting; // a server without conversations: no badge
  }
  waiting = data.items || [];
  waitingCount = Math.max(data.total ?? 0, waiting.length); // every one, not only the 50 newest named
  const fresh = known ? waiting.filter((c) => !known.has(c.id)) : [];
  known = new Set([...(known || []), ...waiting.map((c) => c.id)]);
  for (const c of fresh) notify(c);
  paint();
  return waiting;
}

function notify(c) {
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  const last = (c.lastMessages || []).at(-1);
  const note = new Notification(t("{guest} is waiting for staff", { guest: c.guest?.name || t("A guest") }), { body: last?.text || "", tag: `conversation-${c.id}` });
  note.onclick = () => { window.focus(); location.assign(`/dashboard/activity?conversation=${c.id}`); };
}

function paint() {
  if (!badgeEl) return;
  const n = waitingCount;
  badgeEl.hidden = n === 0;
  replace(badgeEl, "⚑ ", h("strong", { text: String(n) }), h("span", { class: "attention-word", text: ` ${t("waiting for staff")}` }));
  badgeEl.setAttribute("aria-label", t("{n} waiting for staff", { n }));
  badgeEl.dataset.count = String(n);
  const newest = waiting[0];
  badgeEl.href = newest ? `/dashboard/activity?conversation=${newest.id}` : "/dashboard/activity";
  badgeEl.title = waiting.map((c) => c.guest?.name || `#${c.id}`).join(", ");
}

/** The header badge; `navigate(href)` opens the conversation. Asks for notifications on its first use. */
export function attentionBadge(navigate) {
  badgeEl = h("a", {
    class: "attention", hidden: true, attrs: { role: "status", "aria-live": "polite" },
    onclick: (e) => {
      if (e.metaKey || e.ctrlKey) return;
      e.preventDefault();
      if ("Notification" in window && Notification.permission === "default") Notification.requestPermission().catch(() => {});
      navigate(badgeEl.getAttribute("href"));
    },
  });
  paint();
  return badgeEl;
}
