// The dashboard shell: who is signed in, the navigation, the live connection and the router.
// Each page is a module exporting `render(ctx)` that returns {node, refresh?(event), dispose?()}.

import { chooseRestaurant, chosenRestaurant, get, post } from "./api.js";
import { h, replace, select } from "./dom.js";
import { setRestaurantClock } from "./clock.js";
import { chooseLanguage, currentLanguage, LANGUAGES, loadLanguage, N_, setLanguage, t } from "./i18n.js";
import { Live } from "./live.js";
import { bookingSearch } from "./search.js";
import { attentionBadge, loadWaiting } from "./attention.js";
import { loadStatuses } from "./statuses.js";
import { toast } from "./ui.js";

// The pages: the one registry is pages.json (the server answers only its addresses): the address under
// /dashboard/, the title (translated like any text) and the module under views/; `owner` pages only for owners.
let PAGES = {};

async function loadPages() {
  const response = await fetch("/dashboard/static/pages.json", { credentials: "same-origin" });
  if (!response.ok) throw new Error(t("The dashboard could not load ({status}). Reload the page.", { status: response.status }));
  const { pages } = await response.json();
  PAGES = Object.fromEntries(pages.map((p) => [p.path, { title: p.title, owner: Boolean(p.owner), load: () => import(`./views/${p.view}.js`) }]));
}

const root = document.getElementById("app");
const ctx = {
  me: null, // {user, restaurant}
  profile: null,
  live: null,
  liveState: "connecting",
  get isOwner() { return ["restaurant", "admin"].includes(this.me?.user?.role); },
  get timezone() { return this.profile?.timezone || "UTC"; },
  navigate,
  reloadProfile,
};
let current = null; // the rendered page
let refreshTimer = null;
let pendingEvents = [];

function pageName() {
  const path = location.pathname.replace(/^\/dashboard\/?/, "").replace(/\/$/, "");
  return path;
}

export function navigate(href, { replace: replaceState = false } = {}) {
  if (replaceState) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  route();
}

async function reloadProfile() {
  ctx.profile = await get("/api/restaurants/profile");
  setRestaurantClock(ctx.profile);
  return ctx.profile;
}

async function start() {
  try {
    await Promise.all([loadLanguage(chooseLanguage()), loadPages()]);
  } catch (err) {
    return replace(root, h("p", { class: "error", attrs: { role: "alert" }, text: err.message }));
  }
  window.addEventListener("popstate", route);
  window.addEventListener("tobeout:signed-out", () => {
    if (ctx.me) signedOut(t("Your session ended. Sign in again."));
  });
  let session;
  try {
    session = await get("/api/auth/session");
  } catch (err) {
    return replace(root, h("p", { class: "error", attrs: { role: "alert" }, text: err.message }));
  }
  if (!session.signedIn) return showSignIn();
  ctx.me = { user: session.user, restaurant: session.restaurant };
  await enter();
}

async function enter() {
  if (ctx.me.user.role === "admin" && !ctx.me.restaurant && !chosenRestaurant()) return showRestaurantChoice();
  try {
    await Promise.all([reloadProfile(), loadStatuses()]);
  } catch (err) {
    if (ctx.me.user.role === "admin") {
      chooseRestaurant(null);
      return showRestaurantChoice(err.message);
    }
    throw err;
  }
  startLive();
  loadWaiting();
  if (pageName() === "signin") {
    const next = new URLSearchParams(location.search).get("next") || "";
    history.replaceState(null, "", next.startsWith("/dashboard") && !next.startsWith("/dashboard/signin") ? next : "/dashboard");
  }
  route();
}

function startLive() {
  if (ctx.live) ctx.live.stop();
  const chosen = chosenRestaurant();
  const url = chosen ? `/api/events?restaurantId=${encodeURIComponent(chosen)}` : "/api/events";
  ctx.live = new Live({
    url,
    onEvent: (event) => {
      if (event.type === "restaurant.changed" || event.type === "hours.changed") reloadProfile().catch(() => {});
      if (event.type.startsWith("conversation.")) loadWaiting();
      pendingEvents.push(event);
      scheduleRefresh();
    },
    onResync: () => {
      reloadProfile().catch(() => {});
      loadWaiting();
      pendingEvents.push({ type: "resync" });
      scheduleRefresh();
    },
    onState: (state) => {
      ctx.liveState = state;
      const badge = document.getElementById("live-state");
      if (badge) paintLive(badge);
    },
  });
  ctx.live.start();
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    const events = pendingEvents;
    pendingEvents = [];
    if (current && current.refresh) current.refresh(events);
  }, 150);
}

function paintLive(badge) {
  const online = ctx.liveState === "online";
  badge.className = `live ${online ? "live-on" : "live-off"}`;
  badge.dataset.state = ctx.liveState;
  badge.textContent = online ? t("Live") : t("Offline — reconnecting…");
  badge.title = online ? t("Changes made anywhere appear here at once.") : t("The live connection dropped; it reconnects by itself and catches up.");
}

async function route() {
  if (!ctx.me) return showSignIn();
  const name = pageName();
  const spec = PAGES[name] || PAGES[""];
  if (spec.owner && !ctx.isOwner) return navigate("/dashboard", { replace: true });
  if (current && current.dispose) current.dispose();
  current = null;
  const main = h("main", { id: "main", class: "main", tabIndex: -1 });
  replace(root, shell(name), main);
  // On a phone the pages are one line that scrolls sideways: keep the open one in sight.
  const active = root.querySelector(".nav a.active");
  if (active && active.parentElement.scrollWidth > active.parentElement.clientWidth) {
    active.parentElement.scrollLeft = active.offsetLeft - active.parentElement.clientWidth / 3;
  }
  document.title = `${t(spec.title)} · ToBeOut`;
  try {
    const module = await spec.load();
    current = await module.render(ctx);
    replace(main, current.node);
  } catch (err) {
    console.warn(err);
    replace(main, h("p", { class: "error", role: "alert", text: err.message || String(err) }));
  }
}

function shell(active) {
  const nav = h("nav", { class: "nav", attrs: { "aria-label": t("Main") } });
  for (const [name, spec] of Object.entries(PAGES)) {
    if (spec.owner && !ctx.isOwner) continue;
    const href = name ? `/dashboard/${name}` : "/dashboard";
    nav.append(h("a", {
      href, text: t(spec.title), class: name === active ? "active" : "",
      attrs: { "aria-current": name === active ? "page" : null },
      onclick: (e) => { if (!e.metaKey && !e.ctrlKey) { e.preventDefault(); navigate(href); } },
    }));
  }
  const badge = h("span", { id: "live-state", attrs: { role: "status" } });
  paintLive(badge);
  const language = select(LANGUAGES, currentLanguage(), {
    attrs: { "aria-label": t("Language") }, class: "lang",
    onchange: async (e) => { setLanguage(e.target.value); await loadLanguage(e.target.value); route(); },
  });
  const user = ctx.me.user;
  const restaurant = ctx.profile?.name || ctx.me.restaurant?.name || "";
  return h("header", { class: "top" },
    h("a", { class: "brand", href: "/dashboard", onclick: (e) => { e.preventDefault(); navigate("/dashboard"); } },
      h("img", { src: "/dashboard/static/logo.svg", alt: "", width: 24, height: 24 }), h("span", { text: restaurant || "ToBeOut" })),
    nav,
    h("div", { class: "top-right" },
      attentionBadge(navigate), bookingSearch(navigate), badge, language,
      h("span", { class: "who", text: `${user.name} · ${t(ROLE_NAMES[user.role] || user.role)}` }),
      user.role === "admin" ? adminPicker() : null,
      h("button", { type: "button", class: "link", text: t("Sign out"), onclick: signOut })));
}

const ROLE_NAMES = { admin: N_("Administrator"), restaurant: N_("Owner"), staff: N_("Staff") };

async function signOut() {
  try { await post("/api/auth/logout"); } catch { /* signed out anyway */ }
  signedOut();
}

function signedOut(message) {
  if (ctx.live) ctx.live.stop();
  ctx.live = null;
  ctx.me = null;
  ctx.profile = null;
  chooseRestaurant(null);
  if (current && current.dispose) current.dispose();
  current = null;
  showSignIn(message);
}

function showSignIn(message) {
  document.title = `${t("Sign in")} · ToBeOut`;
  const email = h("input", { type: "email", name: "email", required: true, autocomplete: "username", id: "signin-email" });
  const password = h("input", { type: "password", name: "password", required: true, autocomplete: "current-password", id: "signin-password" });
  const error = h("p", { class: "error", attrs: { role: "alert" }, text: message || "" });
  const button = h("button", { type: "submit", class: "primary", text: t("Sign in") });
  const form = h("form", {
    class: "signin card", attrs: { "aria-labelledby": "signin-title" },
    onsubmit: async (e) => {
      e.preventDefault();
      button.disabled = true;
      error.textContent = "";
      try {
        const answer = await post("/api/auth/login", { email: email.value, password: password.value });
        ctx.me = { user: answer.user, restaurant: answer.restaurant };
        await enter();
      } catch (err) {
        error.textContent = err.status === 401 ? t("Wrong e-mail or password.") : err.message; // 429 etc.: errors.js
        button.disabled = false;
      }
    },
  },
  h("img", { src: "/dashboard/static/logo.svg", alt: "", width: 40, height: 40 }),
  h("h1", { id: "signin-title", text: t("Sign in to ToBeOut") }),
  h("label", { class: "field", for: "signin-email" }, h("span", { class: "field-label", text: t("E-mail") }), email),
  h("label", { class: "field", for: "signin-password" }, h("span", { class: "field-label", text: t("Password") }), password),
  error, button,
  select(LANGUAGES, currentLanguage(), {
    attrs: { "aria-label": t("Language") }, class: "lang",
    onchange: async (e) => { setLanguage(e.target.value); await loadLanguage(e.target.value); showSignIn(); },
  }));
  if (pageName() !== "signin") history.replaceState(null, "", `/dashboard/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
  replace(root, h("main", { class: "signin-page" }, form));
  email.focus();
}

/** The admins' restaurant picker in the header, loaded only for them (restaurants.js is not on others' first load). */
function adminPicker() {
  const place = h("span", { class: "restaurant-choice" });
  import("./restaurants.js").then(({ restaurantPicker }) => place.replaceWith(
    restaurantPicker({ onChoose: () => enterChosen(), onError: (err) => toast(err.message, "error") })));
  return place;
}

/** Open the restaurant an admin just chose; back to the choice when it cannot be opened. */
async function enterChosen() {
  try { await enter(); } catch (err) { chooseRestaurant(null); showRestaurantChoice(err.message); }
}

async function showRestaurantChoice(message) {
  const { restaurantPicker } = await import("./restaurants.js");
  const error = h("p", { class: "error", attrs: { role: "alert" }, text: message || "" });
  const picker = restaurantPicker({
    placeholder: true, idPrefix: "choose-restaurant",
    onChoose: () => { error.textContent = ""; enterChosen(); },
    onError: (err) => { error.textContent = err.message; },
  });
  replace(root, h("main", { class: "signin-page" }, h("div", { class: "signin card" },
    h("h1", { text: t("Choose a restaurant") }),
    h("p", { class: "hint", text: t("Administrators see every restaurant: find one by name and pick it.") }),
    picker, error,
    h("button", { type: "button", class: "link", text: t("Sign out"), onclick: signOut }))));
  picker.querySelector("input").focus();
}

// W seats a walk-in from any page (not while typing, nor over a dialog); a page may offer its own (the day view
// opens the new booking's panel).
document.addEventListener("keydown", async (e) => {
  if (e.key.toLowerCase() !== "w" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || !ctx.me || !ctx.profile) return;
  const target = e.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog")) return;
  if (document.querySelector("dialog[open]")) return;
  e.preventDefault();
  if (current && current.walkIn) return current.walkIn();
  const [{ openWalkIn }, tables] = await Promise.all([import("./views/walkin.js"), get("/api/tables")]);
  openWalkIn(tables);
});

window.addEventListener("error", (e) => toast(e.message || String(e), "error"));
start().catch((err) => replace(root, h("p", { class: "error", role: "alert", text: err.message || String(err) })));
