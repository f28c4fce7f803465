// The floor plan, a service view: tables at their saved positions with their state at a chosen time (now by
// default), each with its current and next guest (time, covers, tags); seat, complete and walk-in from a table's
// panel. Owners drag tables into place (saved at once), add, edit and delete them. Positions are floor units
// (1 unit = UNIT px).

import { del, get, getAll, post, put } from "../api.js";
import { formatTime, timeInput, timeValue } from "../clock.js";
import { field, h, hhmm, input, minutesOf, nowIn, replace, select } from "../dom.js";
import { N_, statusName, t } from "../i18n.js";
import { isActive } from "../statuses.js";
import { tagChips, tagIcons, tagsOf } from "../tags.js";
import { badge, empty, errorLine, showError, sidePanel, toast } from "../ui.js";
import { changeStatus } from "./booking.js";
import { endOf } from "./places.js";
/** The walk-in dialog, loaded when first wanted. */
async function openWalkIn(...args) {
  const dialog = await import("./walkin.js");
  return dialog.openWalkIn(...args);
}

const UNIT = 100;
const SOON_MINUTES = 60;
const SEATED_EARLY = 15; // the plan's minutes step: a walk-in seated at 18:47 is "now" on the 18:45 plan
const SHAPES = ["round", "square", "rectangle"];
const SHAPE_NAMES = { round: N_("Round"), square: N_("Square"), rectangle: N_("Rectangle") };
const TABLE_STATUSES = { free: N_("Free"), occupied: N_("Occupied"), reserved: N_("Reserved"), unavailable: N_("Unavailable") };
const STATE_NAMES = { free: N_("Free"), soon: N_("Booked soon"), booked: N_("Booked"), seated: N_("Seated"), unavailable: N_("Unavailable") };

/** The table's booking in progress at minute `at` and its next one after `at` (live bookings only). */
export function currentAndNext(table, reservations, at) {
  let current = null;
  let next = null;
  for (const r of reservations) {
    const ids = r.tableIds?.length ? r.tableIds : [r.tableId];
    if (!ids.includes(table.id) || !isActive(r.status)) continue;
    const start = minutesOf(r.time);
    const end = start + (r.duration || 120);
    // A party already seated counts from the minute the plan shows (its time may be a few minutes later).
    if ((start <= at || (r.status === "seated" && start - at <= SEATED_EARLY)) && at < end) {
      if (!current || r.status === "seated") current = r;
    } else if (start > at && (!next || start < minutesOf(next.time))) next = r;
  }
  return { current, next };
}

/** A table's state at minute `at` of the day, from the day's reservations. */
export function tableState(table, reservations, at) {
  if (table.status === "unavailable") return "unavailable";
  let state = "free";
  for (const r of reservations) {
    const ids = r.tableIds?.length ? r.tableIds : [r.tableId];
    if (!ids.includes(table.id) || !isActive(r.status)) continue;
    const start = minutesOf(r.time);
    const end = start + (r.duration || 120);
    if (r.status === "seated" && start > at && start - at <= SEATED_EARLY) return "seated";
    if (start <= at && at < end) return r.status === "seated" ? "seated" : "booked";
    if (start > at && start - at <= SOON_MINUTES) state = "soon";
  }
  return state;
}

export async function render(ctx) {
  const now = nowIn(ctx.timezone);
  const params = new URLSearchParams(location.search);
  const state = {
    date: params.get("date") || now.date,
    time: params.get("time") || hhmm(Math.floor(now.minutes / 5) * 5),
    tables: [], reservations: [], selected: null,
  };
  const owner = ctx.isOwner;
  const node = h("div", { class: "floor-page" });
  const floor = h("div", { class: "floor", attrs: { role: "region", "aria-label": t("Floor plan") } });
  const layout = h("div", { class: "with-panel" }, h("div", { class: "floor-wrap" }, floor));
  const panel = sidePanel(layout);
  const dateInput = input({ type: "date", value: state.date, attrs: { "aria-label": t("Date") } });
  const timeField = timeInput({ value: state.time, attrs: { "aria-label": t("Time") } });
  const onChange = async () => { state.date = dateInput.value || now.date; state.time = timeValue(timeField) || state.time; await load(); };
  dateInput.addEventListener("change", onChange);
  timeField.addEventListener("change", onChange);
  const legend = h("ul", { class: "legend" }, ...Object.entries(STATE_NAMES).map(([k, v]) => h("li", { class: `state-${k}` }, h("span", { class: "swatch" }), t(v))));
  node.append(h("div", { class: "toolbar" }, h("h1", { text: t("Floor plan") }),
    h("label", { class: "inline" }, t("State at"), dateInput, timeField),
    h("button", { type: "button", class: "primary", text: t("Seat walk-in"), onclick: () => openWalkIn(state.tables, {}, () => load()) }),
    owner ? h("button", { type: "button", text: t("Add table"), onclick: () => edit(null) }) : null),
  legend, owner ? h("p", { class: "hint", text: t("Drag a table to place it; it is saved when you let go. Arrow keys move the selected table.") }) : null,
  layout);

  async function load() {
    const [tables, reservations] = await Promise.all([get("/api/tables"), getAll("/api/reservations", { date: state.date })]);
    state.tables = tables;
    state.reservations = reservations;
    draw();
  }

  function positions() {
    // Tables never placed get a spot in a grid after the placed ones.
    let auto = 0;
    return state.tables.map((tb) => {
      if (tb.positionX !== null && tb.positionY !== null) return [tb, tb.positionX, tb.positionY];
      const spot = [tb, 1 + (auto % 6) * 1.5, 6 + Math.floor(auto / 6) * 1.5];
      auto += 1;
      return spot;
    });
  }

  function draw() {
    const started = performance.now();
    const at = minutesOf(state.time);
    replace(floor);
    let maxX = 6;
    let maxY = 5;
    for (const [tb, x, y] of positions()) {
      maxX = Math.max(maxX, x + 1.5);
      maxY = Math.max(maxY, y + 1.5);
      const s = tableState(tb, state.reservations, at);
      const { current, next } = currentAndNext(tb, state.reservations, at);
      const who = (r) => r.guest?.name || t("Walk-in");
      const spoken = [tb.name, t("{n} seats", { n: tb.maxGuests }), t(STATE_NAMES[s])];
      if (current) spoken.push(t("now: {guest}, {n} guests, {time}", { guest: who(current), n: current.guests, time: formatTime(current.time) }));
      if (next) spoken.push(t("next: {guest}, {n} guests, {time}", { guest: who(next), n: next.guests, time: formatTime(next.time) }));
      const el = h("button", {
        type: "button", class: `table shape-${SHAPES.includes(tb.shape) ? tb.shape : "round"} state-${s}${state.selected === tb.id ? " selected" : ""}`,
        dataset: { tableId: tb.id, state: s, current: current?.id ?? "", next: next?.id ?? "" },
        attrs: { "aria-label": spoken.join(", ") },
      }, h("span", { class: "table-head" }, h("strong", { text: tb.name }), h("span", { class: "muted", text: ` ${tb.minGuests}–${tb.maxGuests}` }),
        tb.combinable ? h("span", { class: "combo", text: " ⇄", attrs: { title: t("Combinable") } }) : null),
      current ? h("span", { class: "table-now" }, h("span", { class: "table-guest", text: who(current) }),
        h("span", { text: `${current.guests} · ${formatTime(current.time)}` }), tagIcons(tagsOf(current))) : null,
      next ? h("span", { class: "table-next", attrs: { title: t("Next") } }, `→ ${formatTime(next.time)} (${next.guests})`,
        current ? null : tagIcons(tagsOf(next))) : null);
      place(el, x, y);
      if (owner) draggable(el, tb, x, y);
      el.addEventListener("click", () => { if (el.dataset.suppressClick) { delete el.dataset.suppressClick; return; } state.selected = tb.id; details(tb, s); draw(); floor.querySelector(`[data-table-id="${tb.id}"]`)?.focus(); });
      if (owner) el.addEventListener("keydown", (e) => nudge(e, tb, x, y));
      floor.append(el);
    }
    floor.style.width = `${maxX * UNIT}px`;
    floor.style.height = `${maxY * UNIT}px`;
    if (!state.tables.length) floor.append(empty(t("No tables yet.")));
    // The bench reads this: drawing (DOM, style and layout, forced here) once the data was there.
    void floor.getBoundingClientRect().width;
    performance.measure("tobeout:floor", { start: started, end: performance.now() });
  }

  function place(el, x, y) {
    el.style.left = `${x * UNIT}px`;
    el.style.top = `${y * UNIT}px`;
  }

  async function savePosition(tb, x, y) {
    const positionX = Math.max(0, Math.round(x * 10) / 10);
    const positionY = Math.max(0, Math.round(y * 10) / 10);
    try {
      const saved = await put(`/api/tables/${tb.id}`, { positionX, positionY });
      Object.assign(tb, saved);
      toast(t("{table} placed.", { table: tb.name }), "ok", 2500);
    } catch (err) {
      toast(err.message, "error");
    }
    draw();
    floor.querySelector(`[data-table-id="${tb.id}"]`)?.focus();
  }

  function nudge(e, tb, x, y) {
    const moves = { ArrowLeft: [-0.5, 0], ArrowRight: [0.5, 0], ArrowUp: [0, -0.5], ArrowDown: [0, 0.5] };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    savePosition(tb, x + move[0], y + move[1]);
  }

  function draggable(el, tb, x, y) {
    let drag = null;
    el.addEventListener("pointerdown", (e) => { if (e.button === 0) { drag = { x: e.clientX, y: e.clientY, moved: false }; el.setPointerCapture(e.pointerId); } });
    el.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      drag.moved = true;
      el.classList.add("dragging");
      el.style.transform = `translate(${dx}px, ${dy}px)`;
    });
    el.addEventListener("pointerup", (e) => {
      if (!drag) return;
      const { moved } = drag;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      drag = null;
      if (!moved) return;
      el.dataset.suppressClick = "1";
      savePosition(tb, x + dx / UNIT, y + dy / UNIT);
    });
  }

  function details(tb, s) {
    const r = state.reservations.filter((res) => (res.tableIds?.length ? res.tableIds : [res.tableId]).includes(tb.id) && !["canceled", "archived"].includes(res.status));
    const at = minutesOf(state.time);
    const { current, next } = currentAndNext(tb, state.reservations, at);
    const error = errorLine();
    const setStatus = async (res, status) => {
      try {
        if (!(await changeStatus(res, status))) return;
        await load();
        const fresh = state.tables.find((x) => x.id === tb.id);
        if (fresh) details(fresh, tableState(fresh, state.reservations, at));
      } catch (err) { showError(error, err); }
    };
    const card = (res, heading) => h("div", { class: "service-card", dataset: { reservationId: res.id } },
      h("h3", { text: heading }),
      h("p", {}, h("strong", { text: res.guest?.name || t("Walk-in") }), ` · ${t("{n} guests", { n: res.guests })} · ${formatTime(res.time)}–${formatTime(endOf(res))} `, badge(res.status, statusName(res.status))),
      tagsOf(res).length ? tagChips(tagsOf(res)) : null,
      res.comments ? h("p", { class: "pre small", text: res.comments }) : null,
      h("div", { class: "actions" },
        (res.allowedStatuses || []).includes("seated") ? h("button", { type: "button", class: "primary", text: t("Seat"), dataset: { action: "seated" }, onclick: () => setStatus(res, "seated") }) : null,
        (res.allowedStatuses || []).includes("completed") ? h("button", { type: "button", text: t("Complete"), dataset: { action: "completed" }, onclick: () => setStatus(res, "completed") }) : null,
        h("a", { href: `/dashboard?date=${res.date}`, text: t("Open in the day"), onclick: (e) => { e.preventDefault(); ctx.navigate(`/dashboard?date=${res.date}`); } })));
    const free = !current && tb.status !== "unavailable";
    panel.show(tb.name,
      h("dl", { class: "details" },
        h("dt", { text: t("Seats") }), h("dd", { text: `${tb.minGuests}–${tb.maxGuests}` }),
        h("dt", { text: t("State") }), h("dd", { text: t(STATE_NAMES[s]) })),
      current ? card(current, t("Now")) : null,
      next ? card(next, t("Next")) : null,
      error,
      free ? h("button", {
        type: "button", class: "primary walk-in", text: t("Seat walk-in here"),
        onclick: () => openWalkIn(state.tables, { tableId: tb.id, guests: Math.min(2, tb.maxGuests) }, async () => {
          await load();
          const fresh = state.tables.find((x) => x.id === tb.id);
          if (fresh && panel.open) details(fresh, tableState(fresh, state.reservations, at)); // the panel shows them
        }),
      }) : null,
      h("h3", { text: t("Bookings on this day") }),
      r.length ? h("ul", { class: "day-at-table" }, ...r.map((res) => h("li", {}, `${formatTime(res.time)} ${res.guest?.name || t("Walk-in")} (${res.guests}) `, tagIcons(tagsOf(res)), res.status === "seated" || res.status === "completed" || res.status === "no_show" ? ` · ${statusName(res.status)}` : ""))) : empty(t("None.")),
      h("details", { class: "table-settings" }, h("summary", { text: owner ? t("Edit table") : t("Table status") },),
        h("dl", { class: "details" },
          h("dt", { text: t("Combinable") }), h("dd", { text: tb.combinable ? t("yes") : t("no") }),
          h("dt", { text: t("Priority") }), h("dd", { text: String(tb.priority) })),
        editForm(tb)));
  }

  function edit(tb) {
    panel.show(tb ? tb.name : t("New table"), editForm(tb));
    panel.panel.querySelector("input")?.focus();
  }

  function editForm(tb) {
    const error = errorLine();
    const name = input({ value: tb?.name || "", required: true, maxLength: 255 });
    const min = input({ type: "number", min: 1, max: 1000, value: tb?.minGuests ?? 1, required: true });
    const max = input({ type: "number", min: 1, max: 1000, value: tb?.maxGuests ?? 4, required: true });
    const shape = select(SHAPES.map((s) => [s, t(SHAPE_NAMES[s])]), tb?.shape || "round");
    const combinable = h("input", { type: "checkbox", checked: Boolean(tb?.combinable) });
    const priority = input({ type: "number", min: -1000, max: 1000, value: tb?.priority ?? 0 });
    const status = select(Object.entries(TABLE_STATUSES).map(([s, label]) => [s, t(label)]), tb?.status || "free");
    const disabled = !owner;
    for (const el of [name, min, max, shape, combinable, priority]) el.disabled = disabled;
    const form = h("form", {
      class: "grid-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const body = owner ? {
          name: name.value.trim(), minGuests: Number(min.value), maxGuests: Number(max.value), shape: shape.value,
          combinable: combinable.checked, priority: Number(priority.value), status: status.value,
        } : { status: status.value };
        try {
          if (tb) await put(`/api/tables/${tb.id}`, body);
          else await post("/api/tables", body);
          toast(t("Table saved."), "ok");
          panel.hide();
          await load();
        } catch (err) { showError(error, err); }
      },
    },
    field(t("Name"), name), field(t("Fewest guests"), min), field(t("Most guests"), max), field(t("Shape"), shape),
    h("label", { class: "check" }, combinable, t("Can be combined with other tables")),
    field(t("Priority"), priority, t("Higher is offered first.")), field(t("Status"), status), error,
    h("div", { class: "form-buttons" }, h("button", { type: "submit", class: "primary", text: t("Save") }),
      tb && owner ? h("button", {
        type: "button", class: "danger", text: t("Delete table"),
        onclick: async (e) => {
          if (e.target.dataset.armed !== "1") { e.target.dataset.armed = "1"; e.target.textContent = t("Really delete?"); return; }
          try { await del(`/api/tables/${tb.id}`); toast(t("Table deleted."), "ok"); panel.hide(); await load(); } catch (err) { showError(error, err); }
        },
      }) : null));
    return form;
  }

  await load();
  return {
    node,
    walkIn: () => openWalkIn(state.tables, {}, () => load()),
    async refresh() {
      if (floor.querySelector(".dragging")) return;
      await load();
    },
  };
}
