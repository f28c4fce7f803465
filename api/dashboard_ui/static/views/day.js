// The day view (home): today at a glance, the timeline of tables × opening hours, and a list mode.
// Address: /dashboard?date=YYYY-MM-DD&mode=list

import { get, getAll, patch } from "../api.js";
import { formatTime } from "../clock.js";
import { addDays, debounce, h, hhmm, minutesOf, nowIn, replace, select } from "../dom.js";
import { formatDate, N_, statusName, t } from "../i18n.js";
import { allStatuses, isActive } from "../statuses.js";
import { badge, empty, sidePanel, toast } from "../ui.js";
import { endOf, tableNames, warnSeats } from "./places.js";
// The booking panel and dialog, the day sheet and the walk-in dialog are loaded when first wanted (not on the
// dashboard's first load).
const bookingViews = () => import("./booking.js");
const daySheet = () => import("./daysheet.js");
const walkInDialog = () => import("./walkin.js");
const waitlistModule = () => import("./waitlist.js");
import { tagIcons, tagOptions, tagsOf } from "../tags.js";

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const DENSITY_KEY = "tobeout.density";
/** Comfortable: fixed sizes, the day scrolls. Compact: rows and minutes sized so the day (at least its longest
 *  service) fits the screen's width and the tables its height (a 40-table dinner on a 1024×768 tablet). */
const COMFORTABLE = { row: 44, ppm: 2, label: 128 };
const COMPACT = { minRow: 13, maxRow: 30, minPpm: 0.8, maxPpm: 2, label: 84 };
const COVER_CELL = 18; // px: the covers row groups slots until a cell is at least this wide
const NOT_COUNTED = new Set(["canceled", "no_show", "archived"]);
const HIDDEN_ON_TIMELINE = new Set(["canceled", "archived"]);

/** The opening intervals of `date` as [startMinute, endMinute) (end may pass 1440). */
export function intervalsOf(profile, date) {
  const exceptions = profile.hoursExceptions || {};
  const [y, m, d] = date.split("-").map(Number);
  const weekday = WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7];
  const list = date in exceptions ? exceptions[date] : (profile.openingHours || {})[weekday] || [];
  return list.map((iv) => {
    const open = minutesOf(iv.open);
    let close = minutesOf(iv.close);
    if (close <= open) close += 1440;
    return [open, close];
  });
}

export async function render(ctx) {
  const params = new URLSearchParams(location.search);
  const today = nowIn(ctx.timezone).date;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") || "") ? params.get("date") : today;
  const narrow = window.matchMedia("(max-width: 700px)").matches;
  const state = {
    date, mode: params.get("mode") || (narrow ? "list" : "timeline"), q: params.get("q") || "", status: params.get("status") || "",
    tag: params.get("tag") || "",
    tables: [], reservations: [], listed: [], openId: null, upcoming: [],
    density: localStorage.getItem(DENSITY_KEY) || (window.innerWidth <= 1100 ? "compact" : "comfortable"),
  };
  let geometry = null; // the sizes the timeline was last drawn with: {row, ppm, label, from, to}

  const node = h("div", { class: `day${state.density === "compact" ? " compact" : ""}` });
  const message = h("div", { class: "day-message", attrs: { role: "alert" } });
  const glance = h("section", { class: "glance", attrs: { "aria-label": t("Today at a glance") } });
  const body = h("div", { class: "day-body" });
  const layout = h("div", { class: "with-panel" }, body);
  const panel = sidePanel(layout, { overlay: true });
  panel.onHide = () => { state.openId = null; markOpen(); roomForPanel(); };

  const go = (d, extra = {}) => {
    const q = new URLSearchParams({ date: d });
    if ((extra.mode ?? state.mode) === "list") q.set("mode", "list");
    ctx.navigate(`/dashboard?${q}`);
  };
  const picker = h("input", { type: "date", value: date, attrs: { "aria-label": t("Date") }, onchange: (e) => e.target.value && go(e.target.value) });
  const modeButtons = ["timeline", "list"].map((mode) => h("button", {
    type: "button", text: t(mode === "timeline" ? N_("Timeline") : N_("List")), class: state.mode === mode ? "active" : "",
    attrs: { "aria-pressed": String(state.mode === mode) }, dataset: { mode },
    onclick: async () => {
      state.mode = mode;
      history.replaceState(null, "", `/dashboard?date=${date}${mode === "list" ? "&mode=list" : ""}`);
      if (mode === "list") state.listed = await listQuery();
      paintMode();
      draw();
    },
  }));
  const title = h("h1", { class: "day-title" });
  const paintTitle = () => {
    title.textContent = state.density === "compact" ? formatDate(date, { weekday: "short", day: "numeric", month: "short", year: "numeric" }) : formatDate(date);
  };
  paintTitle();
  const densityButton = h("button", {
    type: "button", class: "density", dataset: { density: state.density },
    attrs: { "aria-pressed": String(state.density === "compact"), title: t("Fit the day and all tables on the screen") },
    text: t("Compact"),
    onclick: () => {
      state.density = state.density === "compact" ? "comfortable" : "compact";
      localStorage.setItem(DENSITY_KEY, state.density);
      densityButton.dataset.density = state.density;
      densityButton.setAttribute("aria-pressed", String(state.density === "compact"));
      node.classList.toggle("compact", state.density === "compact");
      paintTitle();
      if (state.mode === "timeline") draw();
    },
  });
  let sheetModule = null;
  const sheetData = () => ({ date, tables: state.tables, reservations: state.reservations, profile: ctx.profile });
  async function printSheet() {
    sheetModule = await daySheet();
    sheetModule.printDaySheet(node, sheetData());
    window.print();
  }
  // The browser's own print (Ctrl+P) prints the same sheet: its module is fetched at the first key or tap on the
  // page, or after a few seconds, whichever comes first (not on the first load).
  const beforePrint = () => { if (sheetModule) sheetModule.printDaySheet(node, sheetData()); };
  const prefetch = () => {
    clearTimeout(prefetchTimer);
    for (const type of ["keydown", "pointerdown"]) window.removeEventListener(type, prefetch, true);
    daySheet().then((m) => { sheetModule = m; }).catch(() => {});
  };
  const prefetchTimer = setTimeout(prefetch, 5000);
  for (const type of ["keydown", "pointerdown"]) window.addEventListener(type, prefetch, true);
  window.addEventListener("beforeprint", beforePrint);
  function paintMode() {
    for (const b of modeButtons) { b.classList.toggle("active", b.dataset.mode === state.mode); b.setAttribute("aria-pressed", String(b.dataset.mode === state.mode)); }
  }
  const toolbar = h("div", { class: "toolbar" },
    h("button", { type: "button", text: "‹", attrs: { "aria-label": t("Previous day") }, onclick: () => go(addDays(date, -1)) }),
    picker,
    h("button", { type: "button", text: "›", attrs: { "aria-label": t("Next day") }, onclick: () => go(addDays(date, 1)) }),
    date !== today ? h("button", { type: "button", text: t("Today"), onclick: () => go(today) }) : null,
    title,
    h("div", { class: "segmented", attrs: { role: "group", "aria-label": t("View") } }, ...modeButtons),
    densityButton,
    h("button", { type: "button", text: t("Print"), attrs: { title: t("Print the day sheet: by time and by table") }, onclick: () => printSheet() }),
    h("button", { type: "button", text: t("Waitlist"), dataset: { open: "waitlist" }, onclick: () => openWaitlist() }),
    h("button", { type: "button", text: t("Seat walk-in"), attrs: { "aria-keyshortcuts": "W", title: t("Seat walk-in (W)") }, onclick: () => walkIn({}) }),
    h("button", { type: "button", class: "primary", text: t("New booking"), onclick: () => create({}) }));
  node.append(toolbar, glance, message, layout);

  let waitlistNode = null;
  /** The waitlist in the side panel (for this day). */
  async function openWaitlist() {
    state.openId = null;
    markOpen();
    const { waitlistView } = await waitlistModule();
    waitlistNode = await waitlistView(date, { tables: state.tables, onSeated: async (r) => { await load(); if (r?.id) openPanel(r.id); } });
    panel.show(t("Waitlist"), waitlistNode);
    const hide = panel.onHide;
    panel.onHide = () => { waitlistNode = null; panel.onHide = hide; hide(); };
  }

  function walkIn(at) {
    walkInDialog().then(({ openWalkIn }) => openWalkIn(state.tables, at, async (reservation) => { if (reservation.date === date) { await load(); openPanel(reservation.id); } }));
  }

  function create(at) {
    bookingViews().then(({ openCreate }) => openCreate(ctx, state.tables, { date, ...at }, async (reservation) => { await load(); openPanel(reservation.id); }));
  }

  async function openPanel(id) {
    state.openId = id;
    markOpen();
    try {
      const { showReservation } = await bookingViews();
      await showReservation(panel, ctx, id, { tables: state.tables, onChanged: load });
    } catch (err) {
      toast(err.message, "error");
    }
    roomForPanel();
    keepInView(id);
  }

  /** The overlay panel covers the timeline's right edge: give the timeline room to scroll past it. */
  function roomForPanel() {
    const inner = body.querySelector(".tl-inner");
    if (!inner || !geometry) return;
    const room = panel.open && overlaid() ? panel.panel.getBoundingClientRect().width + 24 : 0;
    inner.style.width = `${geometry.label + geometry.width + room}px`;
  }

  /** Whether the panel lies over the timeline (a side overlay), rather than being a bottom sheet. */
  function overlaid() {
    return getComputedStyle(panel.panel).position === "fixed" && panel.panel.getBoundingClientRect().left > window.innerWidth / 3;
  }

  /** Scroll the timeline so the opened booking's block is in sight and clear of the panel. */
  function keepInView(id) {
    const scroller = body.querySelector(".tl-scroll");
    const el = scroller?.querySelector(`.tl-block[data-reservation-id="${id}"]`);
    if (!el || !panel.open) return;
    const area = scroller.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    // Vertically: inside the scroller's visible rows (below the sticky head).
    const head = scroller.querySelector(".tl-head")?.getBoundingClientRect().height || 0;
    if (box.top < area.top + head) scroller.scrollTop -= area.top + head - box.top + 8;
    else if (box.bottom > area.bottom) scroller.scrollTop += box.bottom - area.bottom + 8;
    if (scroller.getBoundingClientRect().bottom > window.innerHeight) scroller.scrollIntoView({ block: "nearest" });
    // Horizontally: right of the sticky names, left of the panel.
    const left = area.left + geometry.label + 8;
    const right = Math.min(area.right, overlaid() ? panel.panel.getBoundingClientRect().left - 12 : area.right);
    const b = el.getBoundingClientRect();
    if (b.right > right) scroller.scrollLeft += Math.min(b.right - right, b.left - left);
    else if (b.left < left) scroller.scrollLeft -= left - b.left;
  }

  function markOpen() {
    for (const el of node.querySelectorAll("[data-reservation-id].open")) el.classList.remove("open");
    if (state.openId !== null) for (const el of node.querySelectorAll(`[data-reservation-id="${state.openId}"]`)) el.classList.add("open");
  }

  async function load() {
    const [tables, reservations] = await Promise.all([get("/api/tables"), getAll("/api/reservations", { date })]);
    state.tables = tables;
    state.reservations = reservations;
    if (state.mode === "list") state.listed = await listQuery();
    if (date === today) {
      try { state.upcoming = await get("/api/dashboard/upcoming", { limit: 5 }); } catch { state.upcoming = []; }
    }
    drawGlance();
    draw();
  }

  async function listQuery() {
    if (!state.q && !state.status && !state.tag) return state.reservations;
    return getAll("/api/reservations", { date, q: state.q, status: state.status, tag: state.tag });
  }

  function drawGlance() {
    const live = state.reservations.filter((r) => !["canceled", "no_show", "archived"].includes(r.status));
    const covers = live.reduce((sum, r) => sum + r.guests, 0);
    const counts = {};
    for (const r of state.reservations) counts[r.status] = (counts[r.status] || 0) + 1;
    const tablesById = new Map(state.tables.map((tb) => [tb.id, tb]));
    replace(glance,
      h("div", { class: "stat" }, h("strong", { text: String(covers), dataset: { stat: "covers" } }), h("span", { text: t("covers") })),
      h("div", { class: "stat" }, h("strong", { text: String(live.length), dataset: { stat: "bookings" } }), h("span", { text: t("bookings") })),
      h("div", { class: "stat-statuses" }, ...allStatuses().filter((s) => counts[s]).map((s) => badge(s, `${statusName(s)}: ${counts[s]}`))),
      date === today ? h("div", { class: "next" }, h("span", { class: "muted", text: t("Next:") }),
        state.upcoming.length ? h("ul", {}, ...state.upcoming.slice(0, 3).map((r) => h("li", {},
          h("button", { type: "button", class: "link", onclick: () => (r.date === date ? openPanel(r.id) : go(r.date)) },
            `${r.date === date ? "" : `${formatDate(r.date, { day: "numeric", month: "short" })} `}${formatTime(r.time)} ${r.guest?.name || ""} (${r.guests}) · ${tableNames(r, tablesById)}`))))
          : h("span", { text: t("nothing more today") })) : null);
  }

  function draw() {
    replace(message);
    if (state.mode === "list") drawList();
    else drawTimeline();
    markOpen();
  }

  // --- timeline -----------------------------------------------------------------------------
  /** The sizes to draw with: fixed (comfortable) or fitted to the space on screen (compact). */
  function measure(from, to, rowCount, intervals) {
    if (state.density !== "compact") return { ...COMFORTABLE, from, to, width: (to - from) * COMFORTABLE.ppm, maxHeight: null };
    const label = COMPACT.label;
    const attached = body.isConnected && body.clientWidth > 0;
    const width = (attached ? body.clientWidth : document.documentElement.clientWidth - 32) - 2;
    const top = attached ? body.getBoundingClientRect().top + window.scrollY : 150;
    const available = width - label;
    let ppm = available / (to - from);
    if (ppm < COMPACT.minPpm) {
      // The whole day does not fit: fit its longest service (dinner, usually) instead.
      const longest = Math.max(...intervals.map(([a, b]) => b - a), 60);
      ppm = available / (longest + 30);
    }
    ppm = Math.min(COMPACT.maxPpm, Math.max(COMPACT.minPpm, ppm));
    const maxHeight = Math.max(240, window.innerHeight - top - 8);
    const head = 44;
    const row = Math.min(COMPACT.maxRow, Math.max(COMPACT.minRow, Math.floor((maxHeight - head - 2) / Math.max(1, rowCount))));
    return { row, ppm, label, from, to, width: Math.floor((to - from) * ppm), maxHeight };
  }

  function drawTimeline() {
    const started = performance.now();
    const step = Math.max(5, ctx.profile.slotIntervalMinutes || 15);
    const intervals = intervalsOf(ctx.profile, date);
    const shown = state.reservations.filter((r) => !HIDDEN_ON_TIMELINE.has(r.status));
    let from = Math.min(...intervals.map((iv) => iv[0]), ...shown.map((r) => minutesOf(r.time)));
    let to = Math.max(...intervals.map((iv) => iv[1]), ...shown.map((r) => minutesOf(r.time) + (r.duration || 120)));
    if (!Number.isFinite(from)) { from = 12 * 60; to = 23 * 60; }
    from = Math.floor(from / 60) * 60;
    to = Math.ceil(to / step) * step;

    const rows = [...state.tables];
    const unassigned = shown.filter((r) => !r.tableId && !r.tableIds?.length);
    if (unassigned.length) rows.push({ id: null, name: t("No table"), minGuests: 0, maxGuests: 0 });
    const rowOf = new Map(rows.map((tb, i) => [tb.id, i]));
    const g = measure(from, to, rows.length, intervals);
    geometry = g;
    const { row: ROW, ppm: PPM, label: LABEL, width } = g;
    const x = (minute) => Math.round((minute - from) * PPM);

    const hours = h("div", { class: "tl-hours" });
    hours.style.width = `${width}px`;
    const hourEvery = PPM < 1.2 ? 60 : 60; // one label an hour; compact labels are short
    for (let m = from; m < to; m += hourEvery) {
      const label = h("span", { class: "tl-hour", text: formatTime(hhmm(m), { short: true }), dataset: { minute: String(m) } });
      label.style.left = `${x(m)}px`;
      hours.append(label);
    }
    const cornerStyle = { width: `${LABEL}px` };
    const head = h("div", { class: "tl-head" },
      h("div", { class: "tl-head-row" }, h("div", { class: "tl-corner", text: t("Table"), style: cornerStyle }), hours),
      coversRow(shown, from, to, step, PPM, width, cornerStyle));

    const bodyEl = h("div", { class: "tl-body" });
    bodyEl.style.height = `${rows.length * ROW}px`;
    bodyEl.style.width = `${LABEL + width}px`;
    const closed = [];
    let cursor = from;
    for (const [o, c] of [...intervals].sort((a, b) => a[0] - b[0])) {
      if (o > cursor) closed.push([cursor, o]);
      cursor = Math.max(cursor, c);
    }
    if (cursor < to) closed.push([cursor, to]);
    for (const [a, b] of closed) {
      const shade = h("div", { class: "tl-closed", attrs: { "aria-hidden": "true" } });
      Object.assign(shade.style, { left: `${LABEL + x(a)}px`, width: `${x(b) - x(a)}px` });
      bodyEl.append(shade);
    }
    const fragment = document.createDocumentFragment();
    rows.forEach((table, i) => {
      const lane = h("div", {
        class: "tl-lane", dataset: { tableId: table.id ?? "" },
        attrs: { title: table.id ? t("Click a free time to book {table}", { table: table.name }) : "" },
      });
      lane.style.backgroundSize = `${step * PPM}px 100%`;
      if (table.id !== null) {
        lane.addEventListener("click", (e) => {
          if (e.target !== lane) return;
          const minute = from + Math.floor(e.offsetX / PPM / step) * step;
          create({ time: hhmm(minute), tableId: table.id, guests: Math.max(2, Math.min(table.maxGuests, 2)) });
        });
      }
      const labelEl = h("div", { class: "tl-label", style: { width: `${LABEL}px` } }, h("strong", { text: table.name }),
        table.id ? h("span", { class: "muted", text: ` ${table.minGuests}–${table.maxGuests}` }) : null,
        table.status === "unavailable" ? h("span", { class: "muted", text: ` · ${t("unavailable")}` }) : null);
      const rowEl = h("div", { class: "tl-row", dataset: { tableId: table.id ?? "" } }, labelEl, lane);
      rowEl.style.top = `${i * ROW}px`;
      rowEl.style.height = `${ROW}px`;
      fragment.append(rowEl);
    });
    bodyEl.append(fragment);

    const layer = h("div", { class: "tl-blocks" });
    Object.assign(layer.style, { left: `${LABEL}px`, width: `${width}px`, height: `${rows.length * ROW}px` });
    for (const r of shown) {
      const ids = r.tableIds?.length ? r.tableIds : [r.tableId ?? null];
      const indexes = [...new Set(ids.map((id) => rowOf.get(id)).filter((i) => i !== undefined))].sort((a, b) => a - b);
      // A combination spans its tables: one block per run of adjacent rows.
      const runs = [];
      for (const i of indexes) {
        const last = runs[runs.length - 1];
        if (last && last[1] === i - 1) last[1] = i;
        else runs.push([i, i]);
      }
      const start = minutesOf(r.time);
      for (const [a, b] of runs) layer.append(block(r, start, a, b, from, step, rows));
    }
    bodyEl.append(layer);
    if (date === nowIn(ctx.timezone).date) {
      const now = nowIn(ctx.timezone).minutes;
      if (now >= from && now <= to) {
        const line = h("div", { class: "tl-now", attrs: { "aria-hidden": "true" } });
        line.style.left = `${LABEL + x(now)}px`;
        bodyEl.append(line);
      }
    }
    const inner = h("div", { class: "tl-inner" }, head, bodyEl);
    const scroller = h("div", {
      class: "tl-scroll", attrs: { role: "region", "aria-label": t("Timeline"), tabindex: "0" },
      dataset: { ppm: String(PPM), row: String(ROW), label: String(LABEL), from: String(from) },
    }, inner);
    inner.style.width = `${LABEL + width}px`;
    if (g.maxHeight) scroller.style.maxHeight = `${g.maxHeight}px`;
    const note = intervals.length ? null : h("p", { class: "notice", text: t("Closed on this day (opening hours).") });
    const previous = body.querySelector(".tl-scroll");
    const kept = previous ? [previous.scrollLeft, previous.scrollTop] : null;
    replace(body, note, state.tables.length ? scroller : empty(t("No tables yet: add them on the floor plan.")));
    roomForPanel();
    if (kept) [scroller.scrollLeft, scroller.scrollTop] = kept;
    else {
      // First look: an hour before now (today), else just before the first booking.
      const focus = date === nowIn(ctx.timezone).date ? nowIn(ctx.timezone).minutes - 60
        : shown.length ? Math.min(...shown.map((r) => minutesOf(r.time))) - 30 : from;
      const left = Math.max(0, (focus - from) * PPM);
      if (scroller.isConnected) scroller.scrollLeft = left;
      else requestAnimationFrame(() => { scroller.scrollLeft = left; }); // the page is attached after its first draw
    }
    // The bench reads this: how long drawing (DOM, style and layout, forced here) took once the data was there.
    void scroller.getBoundingClientRect().width;
    performance.measure("tobeout:timeline", { start: started, end: performance.now() });
    node.dataset.rendered = String(Date.now());
  }

  /** The covers row: guests arriving in each slot (grouped until a cell is wide enough), over the pacing limit marked. */
  function coversRow(shown, from, to, step, ppm, width, cornerStyle) {
    const per = Math.max(1, Math.ceil(COVER_CELL / (step * ppm))) * step;
    const counts = new Map();
    for (const r of shown) {
      if (NOT_COUNTED.has(r.status)) continue;
      const slot = from + Math.floor((minutesOf(r.time) - from) / per) * per;
      counts.set(slot, (counts.get(slot) || 0) + r.guests);
    }
    const limit = ctx.profile.pacingMaxCovers ? ctx.profile.pacingMaxCovers * (per / step) : null;
    const cells = h("div", { class: "tl-covers", style: { width: `${width}px` } });
    for (let m = from; m < to; m += per) {
      const n = counts.get(m) || 0;
      if (!n) continue;
      const cell = h("span", {
        class: `tl-cover${limit && n > limit ? " over" : ""}`, text: String(n), dataset: { minute: String(m), covers: String(n) },
        attrs: { title: t("{n} covers arriving {from}–{to}", { n, from: formatTime(hhmm(m)), to: formatTime(hhmm(m + per)) }) },
      });
      Object.assign(cell.style, { left: `${Math.round((m - from) * ppm)}px`, width: `${Math.round(per * ppm)}px` });
      cells.append(cell);
    }
    return h("div", { class: "tl-head-row tl-covers-row" },
      h("div", { class: "tl-corner", text: t("Covers"), style: cornerStyle, attrs: { title: t("Guests arriving per time slot") } }), cells);
  }

  function block(r, start, firstRow, lastRow, from, step, rows) {
    const { ppm: PPM, row: ROW } = geometry;
    const inset = ROW >= 30 ? 4 : 1;
    const tablesById = new Map(state.tables.map((tb) => [tb.id, tb]));
    const name = r.guest?.name || t("Guest #{id}", { id: r.guestId });
    const el = h("button", {
      type: "button", class: `tl-block status-${r.status}`, dataset: { reservationId: r.id, status: r.status },
      attrs: { "aria-label": `${name}, ${t("{n} guests", { n: r.guests })}, ${formatTime(r.time)}–${formatTime(endOf(r))}, ${tableNames(r, tablesById)}, ${statusName(r.status)}` },
    }, h("strong", { text: name }), tagIcons(tagsOf(r)), h("span", { text: ` ${r.guests} · ${formatTime(r.time)}` }));
    Object.assign(el.style, {
      left: `${Math.round((start - from) * PPM)}px`, width: `${Math.round(Math.max(step, r.duration || 120) * PPM) - 2}px`,
      top: `${firstRow * ROW + inset}px`, height: `${(lastRow - firstRow + 1) * ROW - 2 * inset}px`,
    });
    const movable = isActive(r.status);
    let drag = null;
    el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, moved: false };
      el.setPointerCapture(e.pointerId);
    });
    el.addEventListener("pointermove", (e) => {
      if (!drag || !movable) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      drag.moved = true;
      el.classList.add("dragging");
      const snapped = Math.round(dx / PPM / step) * step;
      const rowDelta = Math.round(dy / ROW);
      el.style.transform = `translate(${snapped * PPM}px, ${rowDelta * ROW}px)`;
      el.dataset.preview = formatTime(hhmm(start + snapped));
    });
    el.addEventListener("pointerup", async (e) => {
      if (!drag) return;
      const moved = drag.moved;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      drag = null;
      if (!moved) return; // a click: the click handler opens the panel
      const minutes = start + Math.round(dx / PPM / step) * step;
      const target = rows[Math.min(rows.length - 1, Math.max(0, firstRow + Math.round(dy / ROW)))];
      const body = {};
      if (minutes !== start) {
        body.time = hhmm(minutes);
        if (minutes >= 1440 || minutes < 0) body.date = addDays(date, Math.floor(minutes / 1440));
      }
      if (target && target.id && target.id !== rows[firstRow].id) body.tableId = target.id;
      el.dataset.suppressClick = "1";
      if (!Object.keys(body).length) { el.style.transform = ""; el.classList.remove("dragging"); return; }
      try {
        warnSeats(await patch(`/api/reservations/${r.id}`, body));
        toast(t("Moved {guest} to {time}, {table}", { guest: name, time: formatTime(body.time || r.time), table: target?.name || "" }), "ok");
      } catch (err) {
        el.style.transform = "";
        el.classList.remove("dragging");
        replace(message, h("p", { class: "error", text: t("Not moved: {reason}", { reason: err.detail || err.message }) }));
        toast(t("Not moved: {reason}", { reason: err.message }), "error");
      }
      const kept = message.firstChild;
      await load();
      if (kept) replace(message, kept);
      if (state.openId === r.id) openPanel(r.id);
    });
    el.addEventListener("pointercancel", () => { drag = null; el.style.transform = ""; el.classList.remove("dragging"); });
    el.addEventListener("click", () => {
      if (el.dataset.suppressClick) { delete el.dataset.suppressClick; return; }
      openPanel(r.id);
    });
    return el;
  }

  // --- list ---------------------------------------------------------------------------------
  const search = h("input", {
    type: "search", value: state.q, placeholder: t("Name, phone or e-mail"), attrs: { "aria-label": t("Search bookings") },
    oninput: debounce(() => refreshList(), 250),
  });
  const statusFilter = select([["", t("All statuses")], ...allStatuses().map((s) => [s, statusName(s)])], state.status, {
    attrs: { "aria-label": t("Status") },
    onchange: () => refreshList(),
  });
  const tagFilter = select(tagOptions(), state.tag, { attrs: { "aria-label": t("Tag") }, onchange: () => refreshList() });
  let listSeq = 0;
  /** Re-query with the current search and filter; only the latest answer is shown. */
  async function refreshList() {
    state.q = search.value.trim();
    state.status = statusFilter.value;
    state.tag = tagFilter.value;
    const seq = ++listSeq;
    const listed = await listQuery();
    if (seq !== listSeq) return;
    state.listed = listed;
    drawList();
  }
  const listArea = h("div", { class: "list-area" });
  function drawList() {
    const tablesById = new Map(state.tables.map((tb) => [tb.id, tb]));
    const rows = state.listed.map((r) => h("tr", { class: `status-row-${r.status}`, dataset: { reservationId: r.id } },
      h("td", { class: "time", text: `${formatTime(r.time)}–${formatTime(endOf(r))}` }),
      h("td", {}, h("button", { type: "button", class: "link strong", text: r.guest?.name || `#${r.guestId}`, onclick: () => openPanel(r.id) }),
        tagIcons(tagsOf(r)), h("div", { class: "muted small", text: r.guest?.phone || "" })),
      h("td", { text: String(r.guests), attrs: { "data-label": t("Guests") } }),
      h("td", { text: tableNames(r, tablesById), attrs: { "data-label": t("Table") } }),
      h("td", {}, badge(r.status, statusName(r.status))),
      h("td", { class: "muted", text: r.source || "" })));
    replace(listArea, rows.length ? h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ...[N_("Time"), N_("Guest"), N_("Guests"), N_("Table"), N_("Status"), N_("Source")].map((c) => h("th", { scope: "col", text: t(c) })))),
      h("tbody", {}, ...rows)) : empty(state.q || state.status || state.tag ? t("No booking matches.") : t("No bookings on this day.")));
    if (!body.contains(listArea)) replace(body, h("div", { class: "list-tools" }, search, statusFilter, tagFilter), listArea);
  }

  await load();
  // ?open=<id> (a search result): the booking's panel, once the page is on screen.
  const asked = Number(params.get("open"));
  if (asked) {
    history.replaceState(null, "", location.pathname + location.search.replace(/[?&]open=\d+/, "").replace(/^&/, "?"));
    requestAnimationFrame(() => openPanel(asked));
  }

  // Compact fits the screen: draw again when the space changes (and once the page is on screen, where it is measured).
  const refit = debounce(() => {
    if (state.mode !== "timeline" || state.density !== "compact" || !geometry || !body.isConnected) return;
    const next = measure(geometry.from, geometry.to, Math.max(1, body.querySelectorAll(".tl-row").length), intervalsOf(ctx.profile, date));
    if (next.ppm !== geometry.ppm || next.row !== geometry.row || next.maxHeight !== geometry.maxHeight) draw();
  }, 50);
  const resized = new ResizeObserver(refit);
  // What sits above the timeline too: when it grows (the glance wraps, a message shows) the timeline moves down
  // without changing size, and the rows fitted to the old position would run off the screen.
  for (const el of [body, toolbar, glance, message, document.querySelector("header.top")]) if (el) resized.observe(el);
  window.addEventListener("resize", refit);

  return {
    node,
    walkIn: () => walkIn({}),
    dispose() {
      resized.disconnect();
      window.removeEventListener("resize", refit);
      window.removeEventListener("beforeprint", beforePrint);
      clearTimeout(prefetchTimer);
    },
    async refresh(events) {
      await load();
      if (waitlistNode && panel.open && events.some((e) => e.type === "waitlist.changed" || e.type === "resync" || e.type.startsWith("reservation."))) {
        if (!waitlistNode.contains(document.activeElement) || document.activeElement.tagName === "BUTTON") await waitlistNode.refresh();
      }
      if (state.openId !== null && events.some((e) => e.type === "resync" || e.data?.reservationId === state.openId)) {
        // Keep the panel current, unless someone is typing in it.
        if (!panel.panel.contains(document.activeElement) || document.activeElement.tagName === "BUTTON") openPanel(state.openId);
      }
    },
  };
}
