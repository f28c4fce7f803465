// The waitlist (docs/api.md "Waitlist") in the day view's side panel: add a party with a quoted wait, tell them
// "your table is ready" on their chat, seat them from the list, take them off; offers and holds made by the server
// (a freed table held for the first waiting party) show as they happen (waitlist.changed events redraw it).

import { del, get, patch, post } from "../api.js";
import { formatTime, localTimeOf } from "../clock.js";
import { field, h, input, replace, select } from "../dom.js";
import { N_, t } from "../i18n.js";
import { tagIcons } from "../tags.js";
import { empty, errorLine, showError, toast } from "../ui.js";

const STATUS_NAMES = {
  waiting: N_("Waiting"), offered: N_("Offered"), booked: N_("Booked"), seated: N_("Seated"), left: N_("Left"), expired: N_("Expired"),
};
const QUOTES = [10, 15, 20, 30, 45, 60, 90];

/** Minutes since an ISO instant. */
function minutesSince(iso) {
  return Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
}

/**
 * The waitlist of `date` as a node with `refresh()`. `onSeated(reservation)` runs after a party is seated
 * (the day view redraws and opens it).
 */
export async function waitlistView(date, { tables, onSeated = () => {} }) {
  const node = h("div", { class: "waitlist", dataset: { date } });
  const list = h("ol", { class: "waitlist-list" });
  const error = errorLine();

  const guests = input({ type: "number", name: "guests", min: 1, max: 1000, value: 2, required: true });
  const name = input({ name: "name", autocomplete: "off", maxLength: 255 });
  const phone = input({ type: "tel", name: "phone", autocomplete: "off", maxLength: 50 });
  const quoted = select(QUOTES.map((m) => [m, t("{n} min", { n: m })]), 30, { name: "quotedMinutes" });
  const form = h("form", {
    class: "grid-form waitlist-add", dataset: { form: "waitlist" },
    onsubmit: async (e) => {
      e.preventDefault();
      showError(error, null);
      const body = { guests: Number(guests.value), date, quotedMinutes: Number(quoted.value) };
      if (name.value.trim()) body.name = name.value.trim();
      if (phone.value.trim()) body.phone = phone.value.trim();
      try {
        await post("/api/waitlist", body);
        toast(t("Added to the waitlist: {guest}, quoted {n} min.", { guest: body.name || body.phone || t("Walk-in"), n: body.quotedMinutes }), "ok");
        name.value = "";
        phone.value = "";
        await refresh();
      } catch (err) { showError(error, err); }
    },
  },
  field(t("Guests"), guests), field(t("Quoted wait"), quoted), field(t("Name"), name), field(t("Phone"), phone),
  h("p", { class: "hint span-all", text: t("A name or a phone is needed; with a chat they are told when the table is ready.") }),
  h("button", { type: "submit", class: "primary", text: t("Add to waitlist") }));

  async function act(entry, fn) {
    showError(error, null);
    try { await fn(); await refresh(); } catch (err) { showError(error, err); }
  }

  function row(entry) {
    const who = entry.guest?.name || entry.guest?.phone || t("Walk-in");
    const waited = minutesSince(entry.createdAt);
    const late = entry.quotedMinutes && waited > entry.quotedMinutes;
    const held = entry.status === "offered" && entry.offerExpiresAt
      ? h("p", { class: "waitlist-hold", text: t("A table is held for them until {time}.", { time: formatTime(localTimeOf(entry.offerExpiresAt)) }) }) : null;
    const table = h("select", { attrs: { "aria-label": t("Table") } },
      h("option", { value: "", text: t("Best free table") }),
      ...tables.filter((tb) => tb.status !== "unavailable").map((tb) => h("option", { value: String(tb.id), text: `${tb.name} (${tb.minGuests}–${tb.maxGuests})` })));
    return h("li", { class: `waitlist-entry wl-${entry.status}`, dataset: { entryId: entry.id, status: entry.status } },
      h("div", { class: "waitlist-head" },
        h("strong", { text: who }), tagIcons(entry.tags || []),
        h("span", { text: ` · ${t("{n} guests", { n: entry.guests })}` }),
        h("span", { class: `badge wl-badge wl-badge-${entry.status}`, text: t(STATUS_NAMES[entry.status] || entry.status) })),
      h("p", { class: `muted small${late ? " late" : ""}` },
        t("waiting {n} min", { n: waited }), entry.quotedMinutes ? ` · ${t("quoted {n} min", { n: entry.quotedMinutes })}` : "",
        entry.channel ? ` · ${entry.channel}` : entry.guest?.phone ? ` · ${entry.guest.phone}` : ""),
      held,
      ["waiting", "offered"].includes(entry.status) ? h("div", { class: "actions" },
        h("button", {
          type: "button", text: t("Table ready"), dataset: { action: "ready" },
          onclick: () => act(entry, async () => {
            const told = await post(`/api/waitlist/${entry.id}/ready`);
            toast(told.queued ? t("{guest} is told on {channel}.", { guest: who, channel: told.channel }) : t("{guest} has no chat: call them.", { guest: who }), told.queued ? "ok" : "info");
          }),
        }),
        table,
        h("button", {
          type: "button", class: "primary", text: t("Seat"), dataset: { action: "seat" },
          onclick: () => act(entry, async () => {
            const body = { status: "seated" };
            if (table.value) body.tableId = Number(table.value);
            const seated = await patch(`/api/waitlist/${entry.id}`, body);
            toast(t("{guest}: {status}", { guest: who, status: t("Seated") }), "ok");
            onSeated(seated);
          }),
        }),
        h("button", { type: "button", class: "link", text: t("Left"), dataset: { action: "left" }, onclick: () => act(entry, () => patch(`/api/waitlist/${entry.id}`, { status: "left" })) }),
        h("button", { type: "button", class: "link danger", text: t("Remove"), onclick: () => act(entry, () => del(`/api/waitlist/${entry.id}`)) })) : null);
  }

  async function refresh() {
    const data = await get("/api/waitlist", { date });
    const started = performance.now();
    const items = data.items || [];
    replace(list, ...items.map(row));
    if (!items.length) list.append(h("li", { class: "empty-item" }, empty(t("Nobody is waiting."))));
    node.dataset.count = String(items.length);
    // The bench reads this: drawing the list (DOM, style and layout, forced once attached) after its data.
    if (node.isConnected) void list.getBoundingClientRect().height;
    performance.measure("tobeout:waitlist", { start: started, end: performance.now() });
  }

  node.append(form, error, h("h3", { text: t("Waiting") }), list);
  node.refresh = refresh;
  await refresh();
  return node;
}
