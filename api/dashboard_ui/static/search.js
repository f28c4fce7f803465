// Find any booking by the guest's name, phone or e-mail, on any date (GET /api/reservations/search): upcoming first
// (soonest first), then past ones (latest first). In the header of every page; choosing one opens its day with its
// panel (/dashboard?date=...&open=<id>).

import { get } from "./api.js";
import { formatTime } from "./clock.js";
import { debounce, h, replace } from "./dom.js";
import { formatDate, statusName, t } from "./i18n.js";
import { tagIcons, tagsOf } from "./tags.js";
import { badge } from "./ui.js";

/** The search box and its results; `navigate(href)` opens a result. */
export function bookingSearch(navigate) {
  const results = h("div", { class: "find-results", hidden: true, attrs: { role: "region", "aria-label": t("Bookings found") } });
  const box = h("input", {
    type: "search", id: "find-booking", class: "find-input", placeholder: t("Find a booking…"), autocomplete: "off",
    attrs: { "aria-label": t("Find a booking by name or phone, any date"), "aria-controls": "find-results" },
  });
  results.id = "find-results";
  let seq = 0;
  const hide = () => { results.hidden = true; };
  const run = debounce(async () => {
    const q = box.value.trim();
    const mine = ++seq;
    if (q.length < 2) return hide();
    let found;
    try {
      found = await get("/api/reservations/search", { q, limit: 20 });
    } catch (err) {
      if (mine !== seq) return;
      results.hidden = false;
      return replace(results, h("p", { class: "error", text: err.message }));
    }
    if (mine !== seq) return;
    results.hidden = false;
    const item = (r) => h("li", {}, h("button", {
      type: "button", class: "find-item", dataset: { reservationId: r.id },
      onclick: () => { hide(); box.value = ""; navigate(`/dashboard?date=${r.date}&open=${r.id}`); },
    },
    h("span", { class: "find-when", text: `${formatDate(r.date, { weekday: "short", day: "numeric", month: "short", year: "numeric" })} ${formatTime(r.time)}` }),
    h("strong", { text: r.guest?.name || t("Walk-in") }), tagIcons(tagsOf(r)),
    h("span", { class: "muted", text: ` ${t("{n} guests", { n: r.guests })}${r.guest?.phone ? ` · ${r.guest.phone}` : ""}` }),
    badge(r.status, statusName(r.status))));
    const upcoming = found.items.slice(0, found.upcoming);
    const past = found.items.slice(found.upcoming);
    replace(results,
      found.items.length ? null : h("p", { class: "empty", text: t("No booking matches.") }),
      upcoming.length ? h("h3", { text: t("Upcoming") }) : null, upcoming.length ? h("ul", { class: "find-list" }, ...upcoming.map(item)) : null,
      past.length ? h("h3", { text: t("Past") }) : null, past.length ? h("ul", { class: "find-list" }, ...past.map(item)) : null);
  }, 250);
  box.addEventListener("input", run);
  box.addEventListener("keydown", (e) => { if (e.key === "Escape" && !results.hidden) { e.preventDefault(); hide(); } });
  document.addEventListener("click", (e) => { if (!node.contains(e.target)) hide(); });
  const node = h("div", { class: "find", attrs: { role: "search" } }, box, results);
  return node;
}
