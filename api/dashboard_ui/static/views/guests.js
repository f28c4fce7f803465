// Guests: search by name (any script, any case) or phone (any accepted format); a profile with the
// guest's record here (visits, no-shows, history), notes and language; create and edit.

import { formatTime } from "../clock.js";
import { get, post, put } from "../api.js";
import { debounce, field, h, input, replace, select } from "../dom.js";
import { formatDate, formatInstant, N_, statusName, t } from "../i18n.js";
import { badge, empty, errorLine, showError, sidePanel, toast } from "../ui.js";

const LANGS = [["en", "English"], ["ru", "Русский"], ["de", "Deutsch"], ["fr", "Français"], ["it", "Italiano"], ["es", "Español"]];

export async function render(ctx) {
  const params = new URLSearchParams(location.search);
  const state = { q: params.get("q") || "", page: 1, pageSize: 50, total: 0, items: [], openId: params.get("id") ? Number(params.get("id")) : null };
  const node = h("div", { class: "guests-page" });
  const list = h("div", { class: "guest-list" });
  const layout = h("div", { class: "with-panel" }, list);
  const panel = sidePanel(layout);
  panel.onHide = () => { state.openId = null; history.replaceState(null, "", `/dashboard/guests${state.q ? `?q=${encodeURIComponent(state.q)}` : ""}`); };
  const search = h("input", {
    type: "search", value: state.q, placeholder: t("Name or phone, in any format"), attrs: { "aria-label": t("Search guests") },
    oninput: debounce(async (e) => { state.q = e.target.value.trim(); state.page = 1; await load(); }, 250),
  });
  node.append(h("div", { class: "toolbar" }, h("h1", { text: t("Guests") }), search,
    h("button", { type: "button", class: "primary", text: t("New guest"), onclick: () => editGuest(null) })), layout);

  async function load() {
    const data = await get("/api/guests", { q: state.q, page: state.page, pageSize: state.pageSize });
    state.items = data.items;
    state.total = data.total;
    draw();
  }

  function draw() {
    const pages = Math.max(1, Math.ceil(state.total / state.pageSize));
    replace(list, state.items.length ? h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ...[N_("Name"), N_("Phone"), N_("E-mail"), N_("Language")].map((c) => h("th", { scope: "col", text: t(c) })))),
      h("tbody", {}, ...state.items.map((g) => h("tr", { dataset: { guestId: g.id }, class: state.openId === g.id ? "open" : "" },
        h("td", {}, h("button", { type: "button", class: "link strong", text: g.name, onclick: () => open(g.id) })),
        h("td", { text: g.phone || "—" }), h("td", { text: g.email || "—" }), h("td", { text: g.language }))))) : empty(state.q ? t("No guest matches.") : t("No guests yet.")),
    pages > 1 ? h("div", { class: "pager" },
      h("button", { type: "button", text: t("Previous"), disabled: state.page <= 1, onclick: async () => { state.page -= 1; await load(); } }),
      h("span", { text: t("Page {page} of {pages}", { page: state.page, pages }) }),
      h("button", { type: "button", text: t("Next"), disabled: state.page >= pages, onclick: async () => { state.page += 1; await load(); } })) : null,
    h("p", { class: "muted", text: t("{n} guests", { n: state.total }) }));
  }

  async function open(id) {
    state.openId = id;
    history.replaceState(null, "", `/dashboard/guests?id=${id}${state.q ? `&q=${encodeURIComponent(state.q)}` : ""}`);
    draw();
    let g;
    try { g = await get(`/api/guests/${id}`); } catch (err) { toast(err.message, "error"); return; }
    panel.show(g.name,
      h("div", { class: "guest-stats" },
        h("div", { class: "stat" }, h("strong", { text: String(g.visitCount), dataset: { stat: "visits" } }), h("span", { text: t("visits") })),
        h("div", { class: "stat" }, h("strong", { text: String(g.noShows), dataset: { stat: "noShows" } }), h("span", { text: t("no-shows") })),
        h("div", { class: "stat" }, h("strong", { text: String(g.reservationCount) }), h("span", { text: t("bookings") }))),
      h("dl", { class: "details" },
        h("dt", { text: t("Phone") }), h("dd", { text: g.phone || "—" }),
        h("dt", { text: t("E-mail") }), h("dd", { text: g.email || "—" }),
        h("dt", { text: t("Language") }), h("dd", { text: g.language }),
        h("dt", { text: t("Notes") }), h("dd", { class: "pre", text: g.notes || "—" }),
        h("dt", { text: t("Guest since") }), h("dd", { text: formatInstant(g.createdAt, ctx.timezone) })),
      h("h3", { text: t("History") }),
      g.recentReservations.length ? h("ul", { class: "history" }, ...g.recentReservations.map((r) => h("li", {},
        h("a", { href: `/dashboard?date=${r.date}`, onclick: (e) => { e.preventDefault(); ctx.navigate(`/dashboard?date=${r.date}`); } },
          `${formatDate(r.date, { day: "numeric", month: "short", year: "numeric" })} ${formatTime(r.time)}`),
        ` · ${t("{n} guests", { n: r.guests })} `, badge(r.status, statusName(r.status)), r.comments ? h("div", { class: "muted small", text: r.comments }) : null)))
        : empty(t("No bookings yet.")),
      h("h3", { text: t("Edit") }), guestForm(g));
  }

  function editGuest(g) {
    panel.show(g ? g.name : t("New guest"), guestForm(g));
    panel.panel.querySelector("input")?.focus();
  }

  function guestForm(g) {
    const error = errorLine();
    const name = input({ value: g?.name || "", required: true, maxLength: 255 });
    const phone = input({ type: "tel", value: g?.phone || "", maxLength: 50 });
    const email = input({ type: "email", value: g?.email || "", maxLength: 255 });
    const language = select(LANGS.some(([c]) => c === g?.language) || !g ? LANGS : [...LANGS, [g.language, g.language]], g?.language || "en");
    const notes = h("textarea", { rows: 3, value: g?.notes || "", maxLength: 5000 });
    return h("form", {
      class: "grid-form",
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { name: name.value.trim(), phone: phone.value.trim() || null, email: email.value.trim() || null, language: language.value, notes: notes.value.trim() || null };
        try {
          const saved = g ? await put(`/api/guests/${g.id}`, body) : await post("/api/guests", body);
          toast(t("Guest saved."), "ok");
          await load();
          await open(saved.id);
        } catch (err) {
          showError(error, err);
          if (err.body?.guestId) error.append(" ", h("button", { type: "button", class: "link", text: t("Open that guest"), onclick: () => open(err.body.guestId) }));
        }
      },
    }, field(t("Name"), name), field(t("Phone"), phone, t("With country code, e.g. +44 20 7946 0000.")), field(t("E-mail"), email),
    field(t("Language"), language), field(t("Notes"), notes), error, h("button", { type: "submit", class: "primary", text: t("Save") }));
  }

  await load();
  if (state.openId) await open(state.openId);
  return {
    node,
    async refresh(events) {
      await load();
      if (state.openId && !panel.panel.contains(document.activeElement)) await open(state.openId);
    },
  };
}
