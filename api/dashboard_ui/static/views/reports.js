// Reports: how the restaurant and its bot did over a range of local dates, by day or week.
// Each report of GET /api/reports/{name} is drawn as an SVG chart of our own (charts.js) with its
// numbers as a table and a CSV download of the same figures. Printable (reports.css).

import { chosenRestaurant, get } from "../api.js";
import { barsChart, columnsChart, heatChart } from "../charts.js";
import { addDays, debounce, h, nowIn, replace } from "../dom.js";
import { currentLanguage, formatDate, N_, t } from "../i18n.js";
import { empty, errorLine, showError } from "../ui.js";

const REPORTS = ["bookings", "channels", "lead_time", "heatmap", "utilisation", "bot", "reminders"];
const RANGES = [["7", N_("Last 7 days")], ["30", N_("Last 30 days")], ["90", N_("Last 90 days")], ["month", N_("Month")], ["custom", N_("Custom")]];
const SOURCES = {
  webchat: N_("Web chat"), telegram: N_("Telegram"), whatsapp: N_("WhatsApp"), form: N_("Booking form"), sms: N_("SMS"),
  email: N_("E-mail"), staff: N_("Staff"), walk_in: N_("Walk-in"), api: N_("API"), waitlist: N_("Waitlist"),
  unknown: N_("Not recorded"),
};
const LEAD = {
  under_2h: N_("Under 2 hours"), "2h_to_1d": N_("2 hours to a day"), "1_to_3d": N_("1–3 days"), "3_to_7d": N_("3–7 days"),
  "7_to_14d": N_("1–2 weeks"), "14_to_30d": N_("2–4 weeks"), "30d_plus": N_("30 days or more"),
};
const GROUPS = { confirmed: N_("Confirmed from the reminder"), canceled: N_("Canceled from the reminder"), no_answer: N_("No answer"), no_reminder: N_("No reminder sent") };
const LANGUAGE_NAMES = { en: N_("English"), ru: N_("Russian"), de: N_("German"), unknown: N_("Not recorded"), total: N_("Total") };
let stylesheet = null;

/** reports.css, once: the page's own styles (and its print rules) beside the shell's. */
function ensureStyles() {
  if (!stylesheet) {
    stylesheet = new Promise((resolve) => {
      const link = h("link", { rel: "stylesheet", href: "/dashboard/static/reports.css", onload: resolve, onerror: resolve });
      document.head.append(link);
    });
  }
  return stylesheet;
}

export async function render(ctx) {
  await ensureStyles();
  const today = nowIn(ctx.timezone).date;
  const params = new URLSearchParams(location.search);
  const state = {
    range: params.get("range") || (params.get("from") ? "custom" : "30"),
    from: params.get("from") || addDays(today, -29),
    to: params.get("to") || today,
    month: params.get("month") || today.slice(0, 7),
    by: params.get("by") === "week" ? "week" : "day",
  };
  const node = h("div", { class: "reports-page" });
  const error = errorLine();
  const body = h("div", { class: "reports-body", attrs: { "aria-busy": "true" } });
  const rangeButtons = RANGES.map(([value, label]) => h("button", {
    type: "button", text: t(label), dataset: { range: value }, attrs: { "aria-pressed": String(state.range === value) },
    onclick: () => { state.range = value; applyRange(); load(); },
  }));
  const byButtons = [["day", N_("By day")], ["week", N_("By week")]].map(([value, label]) => h("button", {
    type: "button", text: t(label), dataset: { by: value }, attrs: { "aria-pressed": String(state.by === value) },
    onclick: () => { state.by = value; load(); },
  }));
  const month = h("input", { type: "month", value: state.month, attrs: { "aria-label": t("Month") }, onchange: (e) => { state.month = e.target.value; state.range = "month"; applyRange(); load(); } });
  const from = h("input", { type: "date", value: state.from, attrs: { "aria-label": t("From") }, onchange: (e) => { state.from = e.target.value; state.range = "custom"; load(); } });
  const to = h("input", { type: "date", value: state.to, attrs: { "aria-label": t("To") }, onchange: (e) => { state.to = e.target.value; state.range = "custom"; load(); } });
  const rangeTitle = h("p", { class: "reports-range muted" });
  node.append(
    h("div", { class: "toolbar reports-tools" }, h("h1", { text: t("Reports") }),
      h("div", { class: "segmented", attrs: { role: "group", "aria-label": t("Range") } }, ...rangeButtons),
      h("span", { class: "reports-month" }, month),
      h("span", { class: "reports-custom" }, from, h("span", { text: "–" }), to),
      h("div", { class: "segmented", attrs: { role: "group", "aria-label": t("Grouping") } }, ...byButtons),
      h("button", { type: "button", text: t("Print"), onclick: () => window.print() })),
    rangeTitle, error, body);

  function applyRange() {
    if (["7", "30", "90"].includes(state.range)) {
      state.to = today;
      state.from = addDays(today, -(Number(state.range) - 1));
    } else if (state.range === "month" && /^\d{4}-\d{2}$/.test(state.month)) {
      const [y, m] = state.month.split("-").map(Number);
      state.from = `${state.month}-01`;
      state.to = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    }
    from.value = state.from;
    to.value = state.to;
  }

  function paintControls() {
    rangeButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.range === state.range)));
    byButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.by === state.by)));
    node.dataset.range = state.range;
    rangeTitle.textContent = `${formatDate(state.from, { day: "numeric", month: "long", year: "numeric" })} – ${formatDate(state.to, { day: "numeric", month: "long", year: "numeric" })} · ${ctx.timezone}`;
    const query = new URLSearchParams({ range: state.range, from: state.from, to: state.to, by: state.by });
    if (state.range === "month") query.set("month", state.month);
    history.replaceState(null, "", `/dashboard/reports?${query}`);
  }

  let loading = 0;
  async function load() {
    const ticket = ++loading;
    paintControls();
    showError(error, null);
    body.setAttribute("aria-busy", "true");
    let data;
    try {
      data = Object.fromEntries(await Promise.all(REPORTS.map(async (name) => [name, await get(`/api/reports/${name}`, { from: state.from, to: state.to, by: state.by })])));
    } catch (err) {
      if (ticket !== loading) return;
      body.setAttribute("aria-busy", "false");
      replace(body);
      return showError(error, err);
    }
    if (ticket !== loading) return;
    performance.mark("reports:data");
    draw(data);
    performance.mark("reports:drawn");
    const measure = performance.measure("reports:draw", "reports:data", "reports:drawn");
    node.dataset.drawMs = String(Math.round(measure.duration));
    body.setAttribute("aria-busy", "false");
  }

  let last = null;
  function draw(data) {
    last = data;
    const width = Math.max(300, Math.min(880, document.documentElement.clientWidth - 72));
    replace(body,
      bookingsSection(data.bookings, width),
      channelsSection(data.channels, width),
      leadSection(data.lead_time, width),
      heatSection(data.heatmap, width),
      utilisationSection(data.utilisation, width),
      botSection(data.bot, width),
      remindersSection(data.reminders, width));
  }

  function csvLink(name) {
    const query = new URLSearchParams({ from: state.from, to: state.to, by: state.by, format: "csv" });
    const chosen = chosenRestaurant();
    if (chosen) query.set("restaurantId", chosen);
    return h("a", { class: "csv-link", href: `/api/reports/${name}?${query}`, download: `tobeout-${name}-${state.from}-${state.to}.csv`, text: t("Download CSV") });
  }

  function section(name, title, hint, chart, table, extra) {
    return h("section", { class: "card report", dataset: { report: name }, attrs: { "aria-labelledby": `report-${name}` } },
      h("div", { class: "report-head" }, h("h2", { id: `report-${name}`, text: title }), csvLink(name)),
      hint ? h("p", { class: "hint", text: hint }) : null,
      extra || null,
      table.tBodies[0].rows.length
        ? [h("figure", { class: "report-chart" }, chart), h("div", { class: "report-table" }, table)]
        : empty(t("Nothing in this range.")));
  }

  function bookingsSection(report, width) {
    const rows = objects(report);
    const totals = report.totals;
    const periodLabel = shortDate;
    const chart = columnsChart({
      label: t("Bookings by status"), width, periods: rows.map((r) => r.period), periodLabel,
      stacks: [
        { name: t("Seated or completed"), cls: "st-completed", values: rows.map((r) => r.seated + r.completed) },
        { name: t("Expected"), cls: "st-confirmed", values: rows.map((r) => r.created + r.confirmed) },
        { name: t("No-show"), cls: "st-no_show", values: rows.map((r) => r.no_show) },
        { name: t("Canceled"), cls: "st-canceled", values: rows.map((r) => r.canceled) },
      ],
    });
    const kpis = h("dl", { class: "kpis" },
      kpi(t("Bookings"), num(totals.bookings)), kpi(t("Covers"), num(totals.covers)), kpi(t("No-show rate"), pct(totals.no_show_rate)),
      kpi(t("Late cancellations"), pct(totals.late_cancel_rate)), kpi(t("Average party"), num(totals.avg_party)));
    const table = dataTable(
      [state.by === "week" ? t("Week of") : t("Day"), t("Bookings"), t("Covers"), t("Seated or completed"), t("Expected"), t("No-shows"), t("Canceled"), t("Late cancellations"), t("No-show rate"), t("Late-cancel rate"), t("Average party")],
      rows.map((r) => [periodLabel(r.period), num(r.bookings), num(r.covers), num(r.seated + r.completed), num(r.created + r.confirmed), num(r.no_show), num(r.canceled), num(r.late_canceled), pct(r.no_show_rate), pct(r.late_cancel_rate), num(r.avg_party)]),
      [t("Total"), num(totals.bookings), num(totals.covers), num(totals.seated + totals.completed), num(totals.created + totals.confirmed), num(totals.no_show), num(totals.canceled), num(totals.late_canceled), pct(totals.no_show_rate), pct(totals.late_cancel_rate), num(totals.avg_party)]);
    return section("bookings", t("Bookings and covers"), t("By the day of the visit. No-show rate: of the bookings not canceled. Late: canceled less than 24 hours ahead."), chart, table, kpis);
  }

  function channelsSection(report, width) {
    const rows = objects(report);
    const names = rows.map((r) => t(SOURCES[r.source] || r.source));
    const chart = barsChart({ label: t("Bookings by channel"), width, labels: names, series: [{ name: t("Bookings"), cls: "s1", values: rows.map((r) => r.bookings) }], format: num });
    const table = dataTable([t("Channel"), t("Bookings"), t("Covers"), t("Share"), t("By the AI assistant"), t("By the guided chat")],
      rows.map((r, i) => [names[i], num(r.bookings), num(r.covers), pct(r.share), num(r.llm), num(r.guided)]),
      [t("Total"), num(report.totals.bookings), num(report.totals.covers), "", num(report.totals.llm), num(report.totals.guided)]);
    return section("channels", t("Where bookings come from"), t("Chat bookings are made either by the AI assistant or by the guided chat."), chart, table);
  }

  function leadSection(report, width) {
    const rows = objects(report);
    const names = rows.map((r) => t(LEAD[r.lead_time] || r.lead_time));
    const chart = barsChart({ label: t("How far ahead guests book"), width, labels: names, series: [{ name: t("Bookings"), cls: "s1", values: rows.map((r) => r.bookings) }], format: num });
    const table = dataTable([t("Booked ahead"), t("Bookings"), t("Covers"), t("Share")], rows.map((r, i) => [names[i], num(r.bookings), num(r.covers), pct(r.share)]));
    return section("lead_time", t("How far ahead guests book"), null, chart, table);
  }

  function heatSection(report, width) {
    const rows = objects(report);
    const cells = Array.from({ length: 7 }, () => Array(24).fill(0));
    const order = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    for (const r of rows) cells[order.indexOf(r.weekday)][r.hour] = r.covers;
    const busy = [...Array(24).keys()].filter((hour) => cells.some((day) => day[hour] > 0));
    const hours = busy.length ? range(Math.min(...busy), Math.max(...busy)) : range(12, 22);
    const days = order.map((_, i) => weekdayName(i));
    const chart = heatChart({ label: t("Covers by weekday and hour"), width, days, hours, cells });
    const table = dataTable([t("Day"), ...hours.map((hour) => `${hour}`)], days.map((day, i) => [day, ...hours.map((hour) => num(cells[i][hour]))]));
    return section("heatmap", t("Covers by weekday and hour"), t("By the local start time of the booking; canceled bookings and no-shows left out."), chart, table);
  }

  function utilisationSection(report, width) {
    const rows = objects(report);
    const chart = barsChart({ label: t("Table utilisation"), width, labels: rows.map((r) => r.table), series: [{ name: t("Utilisation"), cls: "s2", values: rows.map((r) => (r.utilisation || 0) * 100) }], format: (v) => pct(v / 100), max: 100 });
    const table = dataTable([t("Table"), t("Bookings"), t("Seated hours"), t("Open hours"), t("Utilisation")],
      rows.map((r) => [r.table, num(r.bookings), num(r.seated_minutes / 60, 1), num(r.open_minutes / 60, 1), pct(r.utilisation)]),
      [t("Total"), "", num(report.totals.seated_minutes / 60, 1), num(report.totals.open_minutes / 60, 1), pct(report.totals.utilisation)]);
    return section("utilisation", t("Table utilisation"), t("Seated time over the opening hours of the range."), chart, table);
  }

  function botSection(report, width) {
    const rows = objects(report);
    const totals = report.totals;
    const names = rows.map((r) => t(LANGUAGE_NAMES[r.language] || r.language));
    const chart = barsChart({
      label: t("Conversations by language"), width, labels: names, format: num,
      series: [
        { name: t("Conversations"), cls: "s1", values: rows.map((r) => r.conversations) },
        { name: t("Booked"), cls: "s2", values: rows.map((r) => r.booked) },
        { name: t("Handed to staff"), cls: "s3", values: rows.map((r) => r.handoffs) },
      ],
    });
    const kpis = h("dl", { class: "kpis" },
      kpi(t("Conversations"), num(totals.conversations)), kpi(t("Ended in a booking"), pct(totals.booking_rate)), kpi(t("Handed to staff"), pct(totals.handoff_rate)),
      kpi(t("Median messages to book"), num(totals.median_turns)), kpi(t("Fallbacks"), num(totals.fallbacks)), kpi(t("AI paused (circuit open)"), num(totals.circuit_open)));
    const table = dataTable([t("Language"), t("Conversations"), t("Booked"), t("Booking rate"), t("Median messages to book"), t("Handed to staff"), t("Handoff rate"), t("Asked for a person"), t("By the AI assistant"), t("Not understood"), t("Fallbacks"), t("AI paused (circuit open)")],
      rows.map((r, i) => [names[i], num(r.conversations), num(r.booked), pct(r.booking_rate), num(r.median_turns), num(r.handoffs), pct(r.handoff_rate), num(r.asked), num(r.llm_tool), num(r.not_understood), num(r.fallbacks), num(r.circuit_open)]),
      [t("Total"), num(totals.conversations), num(totals.booked), pct(totals.booking_rate), num(totals.median_turns), num(totals.handoffs), pct(totals.handoff_rate), num(totals.asked), num(totals.llm_tool), num(totals.not_understood), num(totals.fallbacks), num(totals.circuit_open)]);
    return section("bot", t("The assistant"), t("Conversations with a guest message in the range; why they were handed to staff; fallbacks when the AI could not answer."), chart, table, kpis);
  }

  function remindersSection(report, width) {
    const rows = objects(report);
    const names = rows.map((r) => t(GROUPS[r.group] || r.group));
    const chart = barsChart({ label: t("No-show rate by reminder answer"), width, labels: names, series: [{ name: t("No-show rate"), cls: "st-no_show", values: rows.map((r) => (r.no_show_rate || 0) * 100) }], format: (v) => pct(v / 100), max: 10 });
    const table = dataTable([t("Reminder"), t("Bookings"), t("Canceled"), t("No-shows"), t("No-show rate")], rows.map((r, i) => [names[i], num(r.bookings), num(r.canceled), num(r.no_show), pct(r.no_show_rate)]));
    return section("reminders", t("Reminders and no-shows"), t("Bookings grouped by what the guest answered to the reminder."), chart, table);
  }

  applyRange();
  if (params.get("from")) { from.value = state.from = params.get("from"); to.value = state.to = params.get("to") || state.to; }
  await load();
  const onResize = debounce(() => { if (last) draw(last); }, 200);
  window.addEventListener("resize", onResize);
  return {
    node,
    async refresh(events) {
      if (events.some((e) => /^(reservation|conversation|table|hours)\./.test(e.type) || e.type === "resync")) await load();
    },
    dispose() { window.removeEventListener("resize", onResize); },
  };
}

function objects(report) {
  return report.rows.map((row) => Object.fromEntries(report.columns.map((c, i) => [c, row[i]])));
}

function dataTable(head, rows, foot) {
  return h("table", { class: "report-numbers" },
    h("thead", {}, h("tr", {}, ...head.map((x, i) => h("th", { text: x, class: i ? "num" : "" })))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((x, i) => h("td", { text: x, class: i ? "num" : "", dataset: { label: head[i] } }))))),
    foot ? h("tfoot", {}, h("tr", {}, ...foot.map((x, i) => h("td", { text: x, class: i ? "num" : "", dataset: { label: head[i] } })))) : null);
}

function kpi(label, value) {
  return h("div", { class: "kpi" }, h("dt", { text: label }), h("dd", { text: value }));
}

const formatters = new Map();

/** An Intl formatter, built once per language and options (building one costs far more than using it). */
function formatter(kind, options) {
  const key = `${kind}|${currentLanguage()}|${JSON.stringify(options)}`;
  if (!formatters.has(key)) {
    const make = kind === "date" ? Intl.DateTimeFormat : Intl.NumberFormat;
    formatters.set(key, new make(currentLanguage(), options));
  }
  return formatters.get(key);
}

function num(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return formatter("number", { maximumFractionDigits: digits }).format(value);
}

function pct(value) {
  if (value === null || value === undefined) return "—";
  return formatter("number", { style: "percent", maximumFractionDigits: 1 }).format(value);
}

function shortDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return formatter("date", { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

function range(low, high) {
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

function weekdayName(index) {
  return formatter("date", { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}
