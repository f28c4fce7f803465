// The printable day sheet: the day's bookings by time and by table, with tags and notes. Built when printing
// (the Print button, or the browser's own print through `beforeprint`); the print stylesheet shows only it.

import { formatTime } from "../clock.js";
import { h, replace } from "../dom.js";
import { formatDate, statusName, t } from "../i18n.js";
import { tagLabel, tagsOf as tagSlugs } from "../tags.js";
import { endOf, tableNames } from "./places.js";

const LEFT_OFF = new Set(["canceled", "archived"]);

/** Tags of a booking and of its guest, as words in the UI's language. */
function tagsOf(r) {
  return tagSlugs(r).map(tagLabel);
}

function notesOf(r) {
  return [r.comments, r.guest?.notes].filter((n) => n && String(n).trim()).join(" · ");
}

function row(r, tablesById, first) {
  const tags = tagsOf(r);
  return h("tr", { dataset: { reservationId: r.id } },
    h("td", { class: "time", text: first === "time" ? `${formatTime(r.time)}–${formatTime(endOf(r))}` : tableNames(r, tablesById) }),
    h("td", { text: first === "time" ? tableNames(r, tablesById) : `${formatTime(r.time)}–${formatTime(endOf(r))}` }),
    h("td", {}, h("strong", { text: r.guest?.name || t("Walk-in") }), r.guest?.phone ? h("div", { class: "small", text: r.guest.phone }) : null),
    h("td", { class: "num", text: String(r.guests) }),
    h("td", { text: statusName(r.status) }),
    h("td", { class: "sheet-tags", text: tags.join(", ") }),
    h("td", { class: "pre", text: notesOf(r) }));
}

function table(rows, first) {
  const headings = first === "time" ? [t("Time"), t("Table")] : [t("Table"), t("Time")];
  return h("table", { class: "sheet-table" },
    h("thead", {}, h("tr", {}, ...[...headings, t("Guest"), t("Guests"), t("Status"), t("Tags"), t("Notes")].map((c) => h("th", { scope: "col", text: c })))),
    h("tbody", {}, ...rows));
}

/** Put the day sheet of `date` into `host` (replacing an earlier one): a section shown only in print. */
export function printDaySheet(host, { date, tables, reservations, profile }) {
  const tablesById = new Map(tables.map((tb) => [tb.id, tb]));
  const listed = reservations.filter((r) => !LEFT_OFF.has(r.status));
  const byTime = [...listed].sort((a, b) => a.time.localeCompare(b.time) || tableNames(a, tablesById).localeCompare(tableNames(b, tablesById)));
  const order = new Map(tables.map((tb, i) => [tb.id, i]));
  const firstTable = (r) => Math.min(...(r.tableIds?.length ? r.tableIds : [r.tableId]).map((id) => order.get(id) ?? 1e9));
  const byTable = [...listed].sort((a, b) => firstTable(a) - firstTable(b) || a.time.localeCompare(b.time));
  const covers = listed.filter((r) => !["no_show"].includes(r.status)).reduce((n, r) => n + r.guests, 0);
  let sheet = host.querySelector(".print-sheet");
  if (!sheet) {
    sheet = h("section", { class: "print-sheet", attrs: { "aria-hidden": "true" } });
    host.append(sheet);
  }
  replace(sheet,
    h("h1", { text: `${profile?.name || ""} — ${formatDate(date)}` }),
    h("p", { text: `${t("{n} bookings", { n: listed.length })} · ${t("{n} covers", { n: covers })}` }),
    h("h2", { text: t("By time") }),
    listed.length ? table(byTime.map((r) => row(r, tablesById, "time")), "time") : h("p", { text: t("No bookings on this day.") }),
    h("h2", { class: "sheet-break", text: t("By table") }),
    listed.length ? table(byTable.map((r) => row(r, tablesById, "table")), "table") : null);
  return sheet;
}
