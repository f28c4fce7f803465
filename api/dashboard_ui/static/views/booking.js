// A reservation's side panel (details, history, edit, the allowed status actions) and the new-booking dialog.

import { get, patch, post } from "../api.js";
import { formatTime, setTime, timeInput, timeValue } from "../clock.js";
import { debounce, field, h, input, replace, select } from "../dom.js";
import { formatDate, formatInstant, N_, statusName, t } from "../i18n.js";
import { isActive } from "../statuses.js";
import { tagChips, tagLabel, tagPicker, tagsOf } from "../tags.js";
import { badge, errorLine, openDialog, showError, toast } from "../ui.js";
import { endOf, seatWarning, seatsOf, tableNames, warnSeats } from "./places.js";

/** The status actions staff take, in the order shown; only those the state machine allows appear. */
export const ACTIONS = [
  ["confirmed", N_("Confirm")], ["seated", N_("Seat")], ["completed", N_("Complete")], ["no_show", N_("No-show")],
  ["canceled", N_("Cancel booking")],
];

/** A placement's tables as one comparable string: the main table, then the others by id. */
const placeKey = (ids) => [ids[0], ...ids.slice(1).sort((a, b) => a - b)].join(",");

/**
 * "Combine tables": tables put together by hand with the one chosen in the `main` select ("" = best fit).
 * ids() gives the chosen tables, main first (null: the engine chooses). A live line warns when their seats are
 * fewer than the `party` input's guests; staff may still book (the API answers with the same warning).
 */
export function combinePicker(tables, main, party, held = []) {
  const byId = new Map(tables.map((tb) => [tb.id, tb]));
  const boxes = tables.filter((tb) => tb.status !== "unavailable").map((tb) => h("label", { class: "pick" },
    h("input", { type: "checkbox", name: "combine", value: String(tb.id), checked: held.includes(tb.id) }), ` ${tb.name} · ${tb.maxGuests}`));
  const note = h("p", { class: "hint seats", attrs: { "aria-live": "polite" } });
  function ids() {
    const first = main.value ? [Number(main.value)] : [];
    const extra = boxes.map((b) => b.firstChild).filter((c) => c.checked).map((c) => Number(c.value));
    const all = [...first, ...extra.filter((id) => !first.includes(id))];
    return all.length ? all : null;
  }
  function update() {
    for (const b of boxes) b.hidden = b.firstChild.value === main.value;
    const chosen = ids();
    const seats = chosen ? seatsOf(chosen, byId) : 0;
    const guests = Number(party.value) || 0;
    note.classList.toggle("over", Boolean(chosen) && seats < guests);
    replace(note, !chosen ? "" : seats < guests ? seatWarning(seats, guests) : t("{seats} seats for {guests} guests.", { seats, guests }));
  }
  main.addEventListener("change", update);
  party.addEventListener("input", update);
  for (const b of boxes) b.addEventListener("change", update);
  update();
  const el = h("div", { class: "combine" }, h("details", { open: held.length > 0 }, h("summary", { text: t("Combine tables") }),
    h("div", { class: "picks", attrs: { role: "group", "aria-label": t("Combine tables") } }, ...boxes)), note);
  return { el, ids };
}

/**
 * Fill `panel` (ui.sidePanel) with reservation `id`, its history and what may be done with it.
 * Calls `onChanged()` after a change went through.
 */
export async function showReservation(panel, ctx, id, { tables, onChanged }) {
  const [r, history, messages] = await Promise.all([
    get(`/api/reservations/${id}`), get(`/api/reservations/${id}/history`), get(`/api/reservations/${id}/messages`),
  ]);
  const tablesById = new Map(tables.map((tb) => [tb.id, tb]));
  const error = errorLine();
  const guestName = r.guest?.name || t("Guest #{id}", { id: r.guestId });

  const actions = h("div", { class: "actions", attrs: { role: "group", "aria-label": t("Status") } });
  for (const [status, label] of ACTIONS) {
    if (!(r.allowedStatuses || []).includes(status)) continue;
    const button = h("button", {
      type: "button", class: status === "canceled" ? "danger" : status === "confirmed" || status === "seated" ? "primary" : "",
      text: t(label), dataset: { action: status },
    });
    button.addEventListener("click", async () => {
      if (status === "canceled" && button.dataset.armed !== "1") {
        button.dataset.armed = "1";
        button.textContent = t("Really cancel?");
        return;
      }
      button.disabled = true;
      showError(error, null);
      try {
        if (!(await changeStatus(r, status))) { button.disabled = false; return; }
        await onChanged();
        await showReservation(panel, ctx, id, { tables, onChanged });
      } catch (err) {
        showError(error, err);
        button.disabled = false;
      }
    });
    actions.append(button);
  }
  if (!actions.childElementCount && !(r.corrections || []).length) actions.append(h("p", { class: "hint", text: t("This booking can no longer change status.") }));
  const correction = (r.corrections || []).length ? correctionForm(r, async () => {
    await onChanged();
    await showReservation(panel, ctx, id, { tables, onChanged });
  }) : null;

  // Editing: the changes go through the booking engine like a new booking (it may refuse).
  const date = input({ type: "date", value: r.date, required: true });
  const time = timeInput({ value: r.time, required: true, name: "time" });
  const guests = input({ type: "number", min: 1, max: 1000, value: r.guests, required: true });
  const duration = input({ type: "number", min: 15, max: 720, step: 15, value: r.duration || "" });
  const table = select([["", t("Keep / best fit")], ...tables.map((tb) => [tb.id, `${tb.name} (${tb.minGuests}–${tb.maxGuests})`])], r.tableId ?? "", { name: "table" });
  const held = r.tableIds?.length ? r.tableIds : r.tableId ? [r.tableId] : [];
  const combine = combinePicker(tables, table, guests, held.slice(1));
  const comments = h("textarea", { rows: 3, value: r.comments || "", maxLength: 2000 });
  const tags = tagPicker(r.tags || [], { name: "booking-tags" });
  const editable = isActive(r.status);
  const editForm = h("form", {
    class: "grid-form", hidden: !editable,
    onsubmit: async (e) => {
      e.preventDefault();
      const body = {};
      if (date.value !== r.date) body.date = date.value;
      if (timeValue(time) !== r.time) body.time = timeValue(time);
      if (Number(guests.value) !== r.guests) body.guests = Number(guests.value);
      if (duration.value && Number(duration.value) !== r.duration) body.duration = Number(duration.value);
      const chosen = combine.ids();
      if (chosen && placeKey(chosen) !== placeKey(held)) body.tableIds = chosen;
      if (comments.value !== (r.comments || "")) body.comments = comments.value;
      const newTags = tags.read();
      if (newTags.join(",") !== (r.tags || []).join(",")) body.tags = newTags;
      if (!Object.keys(body).length) return showError(error, { message: t("Nothing changed.") });
      try {
        warnSeats(await patch(`/api/reservations/${id}`, body));
        toast(t("Booking changed."), "ok");
        await onChanged();
        await showReservation(panel, ctx, id, { tables, onChanged });
      } catch (err) {
        showError(error, err);
      }
    },
  },
  field(t("Date"), date), field(t("Time"), time), field(t("Guests"), guests), field(t("Minutes"), duration),
  field(t("Table"), table), combine.el, field(t("Comments"), comments), tags,
  h("button", { type: "submit", class: "primary", text: t("Save changes") }));

  const historyList = h("ol", { class: "history" },
    ...(history.length ? history : [{ type: "reservation.created", createdAt: r.createdAt, source: r.source }]).map((item) => h("li", {},
      h("time", { class: "muted", text: formatInstant(item.createdAt, ctx.timezone) }), ` ${describeChange(item, tablesById)}`)));

  const messageList = messages.length
    ? h("ol", { class: "history messages" }, ...messages.map((m) => h("li", { dataset: { status: m.status } },
      h("time", { class: "muted", text: formatInstant(m.sentAt || m.createdAt, ctx.timezone) }), ` ${describeMessage(m)}`)))
    : h("p", { class: "hint", text: t("No message was sent to the guest.") });

  panel.show(guestName,
    h("div", { class: "panel-body", dataset: { reservationId: id } },
      h("p", {}, badge(r.status, statusName(r.status))),
      tagsOf(r).length ? tagChips(tagsOf(r)) : null,
      h("dl", { class: "details" },
        h("dt", { text: t("When") }), h("dd", { text: `${formatDate(r.date)}, ${formatTime(r.time)}–${formatTime(endOf(r))}` }),
        h("dt", { text: t("Guests") }), h("dd", { text: String(r.guests) }),
        h("dt", { text: t("Table") }), h("dd", { text: tableNames(r, tablesById) },
          seatsOf(held, tablesById) < r.guests && held.length ? h("span", { class: "seats over", text: ` ${seatWarning(seatsOf(held, tablesById), r.guests)}` }) : null),
        h("dt", { text: t("Phone") }), h("dd", { text: r.guest?.phone || "—" }),
        h("dt", { text: t("E-mail") }), h("dd", { text: r.guest?.email || "—" }),
        h("dt", { text: t("Source") }), h("dd", { text: r.source || "—" }),
        h("dt", { text: t("Comments") }), h("dd", { class: "pre", text: r.comments || "—" })),
      h("a", {
        href: `/dashboard/guests?id=${r.guestId}`, text: t("Guest profile"),
        onclick: (e) => { e.preventDefault(); ctx.navigate(`/dashboard/guests?id=${r.guestId}`); },
      }),
      h("h3", { text: t("Status") }), actions, error, correction,
      editable ? h("h3", { text: t("Change") }) : null, editForm,
      h("h3", { text: t("History") }), historyList,
      h("h3", { text: t("Messages to the guest") }), messageList));
}

/** One message the guest was sent about the booking ({kind, notice, channel, to, status, lastError}) in words. */
export function describeMessage(m) {
  const what = t(MESSAGE_KINDS[m.notice || m.kind] || m.kind);
  const line = t("{what} by {channel} to {to}: {status}", {
    what, channel: m.channel || "—", to: m.to || "—", status: t(DELIVERY[m.status] || m.status),
  });
  return m.lastError && !["sent", "delivered"].includes(m.status) ? `${line} (${m.lastError})` : line;
}

const MESSAGE_KINDS = {
  created: N_("Confirmation"), moved: N_("Change"), confirmed: N_("Confirmed"), canceled: N_("Cancellation"),
  reminder: N_("Reminder"), notification: N_("Notice"),
};

const DELIVERY = {
  pending: N_("waiting"), claimed: N_("waiting"), sending: N_("sending"), sent: N_("sent"), delivered: N_("delivered"),
  failed: N_("failed"), blocked: N_("not allowed"), skipped: N_("not sent"),
};

/**
 * PATCH `r` to `status`. Seating far from the booked time (409 confirm_seating) asks "Seat now? Booked for 20:00"
 * and seats only on yes. Resolves to the updated reservation, or null when the host said no.
 */
export async function changeStatus(r, status) {
  const name = r.guest?.name || t("Walk-in");
  let updated;
  try {
    updated = await patch(`/api/reservations/${r.id}`, { status });
  } catch (err) {
    if (err.code !== "confirm_seating") throw err;
    const question = t("Seat {guest} now? The booking is for {time}.", { guest: name, time: formatTime(r.time) });
    if (!(await confirmDialog(t("Seat now?"), question, t("Seat now")))) return null;
    updated = await patch(`/api/reservations/${r.id}`, { status, confirmSeating: true });
  }
  toast(t("{guest}: {status}", { guest: name, status: statusName(status) }), "ok");
  return updated;
}

/** A yes/no question in a dialog; resolves true for yes. */
export function confirmDialog(title, question, yes) {
  return new Promise((resolve) => {
    let answered = false;
    const { body, close } = openDialog(title, { onClose: () => { if (!answered) resolve(false); } });
    const answer = (value) => { answered = true; resolve(value); close(); };
    const ok = h("button", { type: "button", class: "primary", text: yes, dataset: { answer: "yes" }, onclick: () => answer(true) });
    body.append(h("p", { class: "question", text: question }),
      h("div", { class: "form-buttons" }, ok, h("button", { type: "button", text: t("Not now"), dataset: { answer: "no" }, onclick: () => answer(false) })));
    ok.focus();
  });
}

/** Put a wrong final status back (POST /api/reservations/<id>/correct): the status to return to and why. */
function correctionForm(r, onDone) {
  const error = errorLine();
  const target = select(r.corrections.map((s) => [s, statusName(s)]), r.corrections[0], { name: "correctTo", attrs: { "aria-label": t("Back to") } });
  const reason = input({ name: "reason", required: true, maxLength: 500, placeholder: t("e.g. tapped the wrong booking") });
  return h("form", {
    class: "correction", dataset: { form: "correct" },
    onsubmit: async (e) => {
      e.preventDefault();
      showError(error, null);
      try {
        await post(`/api/reservations/${r.id}/correct`, { status: target.value, reason: reason.value.trim() });
        toast(t("Corrected: {guest} is {status} again.", { guest: r.guest?.name || t("Walk-in"), status: statusName(target.value) }), "ok");
        await onDone();
      } catch (err) { showError(error, err); }
    },
  },
  h("h3", { text: t("Correct a wrong status") }),
  h("p", { class: "hint", text: t("Marked {status} by mistake? Put it back while its table is free; the history keeps who and why.", { status: statusName(r.status) }) }),
  h("div", { class: "correction-row" }, field(t("Back to"), target), field(t("Why"), reason)),
  error, h("button", { type: "submit", text: t("Correct the status") }));
}

/** One history entry ({type, changes, actor, source}) in words; `tablesById` names the tables of a move. */
export function describeChange(item, tablesById = new Map()) {
  const changes = item.changes || {};
  const who = item.actor ? ` (${t(item.actor === "guest" ? N_("by the guest") : N_("by staff"))})` : "";
  if (item.type === "reservation.created") return t("Booked via {source}", { source: item.source || "—" });
  if (changes.status) {
    const line = t("Status {from} → {to}", { from: statusName(changes.status.from), to: statusName(changes.status.to) }) + who;
    const fix = changes.correction;
    return fix ? `${line} — ${t("corrected by {who}: {reason}", { who: fix.by?.email || t("staff"), reason: fix.reason || "" })}` : line;
  }
  const tables = (ids) => tableNames({ tableIds: ids || [] }, tablesById);
  const parts = Object.entries(changes).filter(([name]) => name !== "tableId" || !changes.tableIds)
    .map(([name, c]) => name === "tableIds" ? `${t("Tables")} ${tables(c.from)} → ${tables(c.to)}`
      : `${t(FIELD_NAMES[name] || name)} ${shown(name, c.from)} → ${shown(name, c.to)}`);
  return (parts.length ? parts.join(", ") : t("Changed")) + who;
}

/** A changed value as the history shows it: times in the restaurant's format. */
function shown(name, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "—";
  if (Array.isArray(value)) return value.map(tagLabel).join(", ");
  return name === "time" && /^\d{1,2}:\d{2}/.test(String(value)) ? formatTime(String(value).slice(0, 5)) : String(value);
}

const FIELD_NAMES = {
  date: N_("Date"), time: N_("Time"), duration: N_("Minutes"), guests: N_("Guests"), tableId: N_("Table"), comments: N_("Comments"),
  tags: N_("Tags"),
};

/** The new-booking dialog, prefilled with `at` {date, time, tableId}; calls onCreated(reservation). */
export function openCreate(ctx, tables, at, onCreated) {
  const { body, close } = openDialog(t("New booking"));
  const error = errorLine();
  const date = input({ type: "date", value: at.date, required: true, name: "date" });
  const time = timeInput({ value: at.time || "19:00", required: true, name: "time" });
  const guests = input({ type: "number", min: 1, max: 1000, value: at.guests || 2, required: true, name: "guests" });
  const table = select([["", t("Best free table")], ...tables.map((tb) => [tb.id, `${tb.name} (${tb.minGuests}–${tb.maxGuests})`])], at.tableId ?? "", { name: "table" });
  const combine = combinePicker(tables, table, guests);
  const duration = input({ type: "number", min: 15, max: 720, step: 15, name: "duration", placeholder: t("automatic") });
  const name = input({ name: "guestName", autocomplete: "off", required: true, maxLength: 255 });
  const phone = input({ type: "tel", name: "guestPhone", autocomplete: "off", required: true, maxLength: 50 });
  const comments = h("textarea", { name: "comments", rows: 2, maxLength: 2000 });
  const known = h("div", { class: "known", attrs: { "aria-live": "polite" } });
  const matches = h("ul", { class: "matches", attrs: { "aria-label": t("Known guests") } });
  let guestId = null;

  function chooseGuest(guest) {
    guestId = guest.id;
    name.value = guest.name;
    phone.value = guest.phone || "";
    replace(matches);
    replace(known, h("span", { class: "chip", text: t("Known guest: {name}", { name: guest.name }) }),
      h("button", { type: "button", class: "link", text: t("Not this guest"), onclick: () => { guestId = null; replace(known); } }));
  }

  const lookup = debounce(async (q) => {
    if (guestId !== null || q.trim().length < 2) return replace(matches);
    try {
      const page = await get("/api/guests", { q, pageSize: 5 });
      replace(matches, ...page.items.map((g) => h("li", {}, h("button", {
        type: "button", class: "match", text: `${g.name}${g.phone ? ` · ${g.phone}` : ""}`, onclick: () => chooseGuest(g),
      }))));
    } catch { replace(matches); }
  }, 250);
  name.addEventListener("input", () => { if (guestId !== null) { guestId = null; replace(known); } lookup(name.value); });
  phone.addEventListener("input", () => { if (guestId !== null) { guestId = null; replace(known); } lookup(phone.value); });

  const alternatives = h("div", { class: "alternatives" });
  const submit = h("button", { type: "submit", class: "primary", text: t("Book") });
  const form = h("form", {
    class: "grid-form",
    onsubmit: async (e) => {
      e.preventDefault();
      showError(error, null);
      replace(alternatives);
      const request = { date: date.value, time: timeValue(time), guests: Number(guests.value), source: "staff" };
      const chosen = combine.ids();
      if (chosen) request.tableIds = chosen;
      if (duration.value) request.duration = Number(duration.value);
      if (comments.value.trim()) request.comments = comments.value.trim();
      if (guestId !== null) request.guestId = guestId;
      else request.guest = { name: name.value.trim(), phone: phone.value.trim() };
      submit.disabled = true;
      try {
        const reservation = await post("/api/booking/create", request);
        toast(t("Booked: {guest}, {time}", { guest: reservation.guest?.name || name.value, time: formatTime(reservation.time) }), "ok");
        warnSeats(reservation);
        close();
        onCreated(reservation);
      } catch (err) {
        showError(error, err);
        const alts = err.body?.alternatives || [];
        if (alts.length) {
          replace(alternatives, h("span", { text: t("Free nearby:") }), ...alts.map((a) => h("button", {
            type: "button", class: "chip", text: a.date === date.value ? formatTime(a.time) : `${a.date} ${formatTime(a.time)}`,
            onclick: () => { date.value = a.date; setTime(time, a.time); table.value = ""; },
          })));
        }
      } finally {
        submit.disabled = false;
      }
    },
  },
  field(t("Date"), date), field(t("Time"), time), field(t("Guests"), guests), field(t("Table"), table), combine.el,
  field(t("Minutes"), duration), field(t("Guest name"), name), field(t("Phone"), phone, t("With country code, or as dialled locally.")),
  known, matches, field(t("Comments"), comments), error, alternatives,
  h("div", { class: "form-buttons" }, submit, h("button", { type: "button", text: t("Cancel"), onclick: () => close() })));
  body.append(form);
  name.focus();
  return { close };
}
