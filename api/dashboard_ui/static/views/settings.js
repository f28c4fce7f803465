// Settings: the restaurant profile, opening hours and exceptions (with the warning about bookings the new
// hours would leave outside), booking rules, reminders, the chat handoff's wait, the website widget, staff
// members and API tokens.

import { del, get, post, put } from "../api.js";
import { formatTime, timeInput, timeValue } from "../clock.js";
import { field, h, input, replace, select } from "../dom.js";
import { formatDate, formatInstant, N_, t } from "../i18n.js";
import { empty, errorLine, section, showError, toast } from "../ui.js";

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const DAY_NAMES = {
  monday: N_("Monday"), tuesday: N_("Tuesday"), wednesday: N_("Wednesday"), thursday: N_("Thursday"), friday: N_("Friday"),
  saturday: N_("Saturday"), sunday: N_("Sunday"),
};

export async function render(ctx) {
  const node = h("div", { class: "settings-page" });
  const banner = h("div", { class: "banner", hidden: true, attrs: { role: "status" } });
  let dirty = false;
  const markDirty = () => { dirty = true; };

  async function draw() {
    const profile = await ctx.reloadProfile();
    dirty = false;
    banner.hidden = true;
    const owner = ctx.isOwner;
    replace(node, h("div", { class: "toolbar" }, h("h1", { text: t("Settings") })), banner,
      owner ? null : h("p", { class: "notice", text: t("Only the owner can change these settings; you can read them.") }),
      profileSection(profile, owner), hoursSection(profile, owner), rulesSection(profile, owner),
      remindersSection(profile, owner), handoffSection(profile, owner), widgetSection(profile, owner),
      owner ? await staffSection() : null, await tokensSection(owner));
    for (const form of node.querySelectorAll("form")) form.addEventListener("input", markDirty);
  }

  /** PUT the profile fields; refreshes the page after a save. */
  async function save(body, error, { onConflict } = {}) {
    try {
      await put("/api/restaurants/profile", body);
      toast(t("Saved."), "ok");
      await draw();
      return true;
    } catch (err) {
      if (err.code === "bookings_outside_hours" && onConflict) onConflict(err);
      else showError(error, err);
      return false;
    }
  }

  function textField(label, name, profile, props = {}) {
    return field(t(label), input({ name, value: profile[name] ?? "", ...props }));
  }

  function profileSection(p, owner) {
    const error = errorLine();
    const form = h("form", { class: "grid-form two", onsubmit: async (e) => {
      e.preventDefault();
      const body = {};
      for (const el of form.querySelectorAll("[name]")) {
        const value = el.value.trim();
        body[el.name] = el.type === "number" ? Number(value) : value === "" && el.name !== "name" ? null : value;
      }
      await save(body, error);
    } },
    textField(N_("Name"), "name", p, { required: true }), textField(N_("Address"), "address", p), textField(N_("Phone"), "phone", p, { type: "tel" }),
    textField(N_("E-mail"), "email", p, { type: "email" }), textField(N_("Website"), "website", p), textField(N_("Cuisine"), "cuisineType", p),
    textField(N_("Price range"), "priceRange", p), textField(N_("Capacity"), "capacity", p, { type: "number", min: 1 }),
    textField(N_("Time zone"), "timezone", p, { required: true, placeholder: "Europe/London" }),
    field(t("Guests' default language"), select([["en", "English"], ["ru", "Русский"], ["de", "Deutsch"], ["fr", "Français"], ["it", "Italiano"], ["es", "Español"]].concat(
      ["en", "ru", "de", "fr", "it", "es"].includes(p.defaultLanguage) ? [] : [[p.defaultLanguage, p.defaultLanguage]]), p.defaultLanguage, { name: "defaultLanguage" })),
    error, owner ? h("button", { type: "submit", class: "primary", text: t("Save profile") }) : null);
    disableUnless(form, owner);
    return section(t("Restaurant"), form);
  }

  function intervalEditor(intervals, owner) {
    const box = h("div", { class: "intervals" });
    const add = (iv = { open: "12:00", close: "22:00" }) => {
      const open = timeInput({ value: iv.open, required: true, attrs: { "aria-label": t("Opens") } });
      const close = timeInput({ value: iv.close, required: true, attrs: { "aria-label": t("Closes") } });
      const row = h("span", { class: "interval" }, open, "–", close,
        owner ? h("button", { type: "button", class: "link", text: "×", attrs: { "aria-label": t("Remove these hours") }, onclick: () => { row.remove(); paint(); box.dispatchEvent(new Event("input", { bubbles: true })); } }) : null);
      box.insertBefore(row, end);
      paint();
    };
    const closedLabel = h("span", { class: "muted closed-label", text: t("Closed") });
    const addButton = h("button", { type: "button", class: "link", text: t("+ hours"), onclick: () => { add(); box.dispatchEvent(new Event("input", { bubbles: true })); } });
    function paint() { closedLabel.hidden = box.querySelectorAll(".interval").length > 0; }
    const end = owner ? addButton : h("span");
    box.append(closedLabel, end);
    for (const iv of intervals) add(iv);
    paint();
    box.read = () => [...box.querySelectorAll(".interval")].map((row) => {
      const [open, close] = row.querySelectorAll("input");
      return { open: timeValue(open), close: timeValue(close) };
    });
    return box;
  }

  function hoursSection(p, owner) {
    const error = errorLine();
    const warning = h("div", { class: "warning", hidden: true, attrs: { role: "alert" } });
    const days = {};
    const rows = WEEKDAYS.map((day) => {
      days[day] = intervalEditor((p.openingHours || {})[day] || [], owner);
      return h("div", { class: "hours-row", dataset: { day } }, h("span", { class: "day-name", text: t(DAY_NAMES[day]) }), days[day]);
    });
    const exceptionsBox = h("div", { class: "exceptions" });
    const addException = (date = "", intervals = []) => {
      const dateInput = input({ type: "date", value: date, required: true, attrs: { "aria-label": t("Date") } });
      const editor = intervalEditor(intervals, owner);
      const row = h("div", { class: "hours-row exception" }, dateInput, editor,
        owner ? h("button", { type: "button", class: "link", text: t("Remove"), onclick: () => row.remove() }) : null);
      row.read = () => [dateInput.value, editor.read()];
      exceptionsBox.append(row);
    };
    for (const [date, intervals] of Object.entries(p.hoursExceptions || {})) addException(date, intervals);
    const body = () => {
      const openingHours = Object.fromEntries(WEEKDAYS.map((day) => [day, days[day].read()]));
      const hoursExceptions = Object.fromEntries([...exceptionsBox.children].map((row) => row.read()).filter(([d]) => d));
      return { openingHours, hoursExceptions };
    };
    const submit = async (confirm) => {
      warning.hidden = true;
      showError(error, null);
      await save(confirm ? { ...body(), confirmOutsideHours: true } : body(), error, { onConflict: (err) => {
        warning.hidden = false;
        replace(warning, h("p", { class: "strong", text: t("These bookings would fall outside the new hours. Nothing is saved yet: move or cancel them first, or save anyway and tell the guests.") }),
          h("ul", {}, ...err.body.reservations.map((r) => h("li", { dataset: { reservationId: r.id } },
            h("a", { href: `/dashboard?date=${r.date}`, text: `${formatDate(r.date, { weekday: "short", day: "numeric", month: "short" })} ${formatTime(r.time)}` }),
            ` — ${r.guest?.name || ""} (${t("{n} guests", { n: r.guests })}) — ${r.reason}`))),
          h("div", { class: "form-buttons" },
            h("button", { type: "button", class: "danger", text: t("Save anyway"), onclick: () => submit(true) }),
            h("button", { type: "button", text: t("Keep the old hours"), onclick: () => draw() })));
        warning.querySelector("button")?.focus();
      } });
    };
    const form = h("form", { class: "hours-form", onsubmit: (e) => { e.preventDefault(); submit(false); } },
      h("p", { class: "hint", text: t("A close time at or before the opening time runs past midnight.") }),
      ...rows, h("h3", { text: t("Exceptions (holidays, private events)") }), exceptionsBox,
      owner ? h("button", { type: "button", class: "link", text: t("+ exception"), onclick: () => addException() }) : null,
      error, warning, owner ? h("button", { type: "submit", class: "primary", text: t("Save hours") }) : null);
    disableUnless(form, owner);
    return section(t("Opening hours"), form);
  }

  function numberField(label, name, value, props = {}, hint) {
    return field(t(label), input({ type: "number", name, value: value ?? "", ...props }), hint ? t(hint) : undefined);
  }

  function rulesSection(p, owner) {
    const error = errorLine();
    const turns = h("div", { class: "turns" });
    const addTurn = (tt = { minGuests: 1, maxGuests: null, minutes: 90 }) => {
      const min = input({ type: "number", min: 1, value: tt.minGuests, attrs: { "aria-label": t("From guests") } });
      const max = input({ type: "number", min: 1, value: tt.maxGuests ?? "", attrs: { "aria-label": t("To guests") }, placeholder: "∞" });
      const minutes = input({ type: "number", min: 15, max: 720, step: 15, value: tt.minutes, attrs: { "aria-label": t("Minutes") } });
      const row = h("div", { class: "turn" }, t("Parties of"), min, "–", max, ":", minutes, t("min"),
        owner ? h("button", { type: "button", class: "link", text: "×", attrs: { "aria-label": t("Remove") }, onclick: () => row.remove() }) : null);
      row.read = () => ({ minGuests: Number(min.value), ...(max.value ? { maxGuests: Number(max.value) } : {}), minutes: Number(minutes.value) });
      turns.append(row);
    };
    for (const tt of p.turnTimes || []) addTurn(tt);
    const form = h("form", { class: "grid-form two", onsubmit: async (e) => {
      e.preventDefault();
      const body = { turnTimes: [...turns.children].map((row) => row.read()) };
      for (const el of form.querySelectorAll("input[name]")) body[el.name] = el.value === "" ? null : Number(el.value);
      await save(body, error);
    } },
    numberField(N_("Minimum notice (minutes)"), "minNoticeMinutes", p.minNoticeMinutes, { min: 0 }),
    numberField(N_("Booking window (days ahead)"), "maxAdvanceDays", p.maxAdvanceDays, { min: 1 }),
    numberField(N_("Slot interval (minutes)"), "slotIntervalMinutes", p.slotIntervalMinutes, { min: 5, max: 240 }),
    numberField(N_("Usual booking length (minutes)"), "avgReservationDuration", p.avgReservationDuration, { min: 15, max: 720 }),
    numberField(N_("Buffer between bookings (minutes)"), "bufferMinutes", p.bufferMinutes, { min: 0 }),
    numberField(N_("Last seating before close (minutes)"), "lastSeatingMinutes", p.lastSeatingMinutes, { min: 0 }, N_("Empty: a booking must end by closing time.")),
    numberField(N_("Pacing: most covers per slot"), "pacingMaxCovers", p.pacingMaxCovers, { min: 1 }, N_("Empty: no limit.")),
    h("div", { class: "span2" }, h("h3", { text: t("Turn times by party size") }), turns,
      owner ? h("button", { type: "button", class: "link", text: t("+ turn time"), onclick: () => addTurn() }) : null),
    error, owner ? h("button", { type: "submit", class: "primary", text: t("Save booking rules") }) : null);
    disableUnless(form, owner);
    return section(t("Booking rules"), form);
  }

  function remindersSection(p, owner) {
    const known = ["reminderMinutes", "noShowAfterMinutes", "archiveAfterDays"].filter((k) => k in p);
    if (!known.length) return null;
    const error = errorLine();
    const form = h("form", { class: "grid-form two", onsubmit: async (e) => {
      e.preventDefault();
      const body = {};
      for (const el of form.querySelectorAll("input[name]")) {
        if (el.name === "reminderMinutes") body.reminderMinutes = el.value.split(/[ ,;]+/).filter(Boolean).map(Number);
        else body[el.name] = el.value === "" ? null : Number(el.value);
      }
      await save(body, error);
    } },
    "reminderMinutes" in p ? field(t("Reminders (minutes before, comma-separated)"), input({ name: "reminderMinutes", value: (p.reminderMinutes || []).join(", ") })) : null,
    "noShowAfterMinutes" in p ? numberField(N_("Mark as no-show after (minutes late)"), "noShowAfterMinutes", p.noShowAfterMinutes, { min: 0 }, N_("Empty: never; staff mark no-shows themselves.")) : null,
    "archiveAfterDays" in p ? numberField(N_("Archive finished bookings after (days)"), "archiveAfterDays", p.archiveAfterDays, { min: 1 }) : null,
    error, owner ? h("button", { type: "submit", class: "primary", text: t("Save reminders") }) : null);
    disableUnless(form, owner);
    return section(t("Reminders and no-shows"), form);
  }

  function handoffSection(p, owner) {
    const error = errorLine();
    const form = h("form", { class: "grid-form two", onsubmit: async (e) => {
      e.preventDefault();
      const el = form.querySelector("input[name=handoffWaitMinutes]");
      await save({ handoffWaitMinutes: el.value === "" ? null : Number(el.value) }, error);
    } },
    numberField(N_("Wait for a staff reply in the chat (minutes)"), "handoffWaitMinutes", p.handoffWaitMinutes, { min: 1, max: 1440 },
      N_("A guest handed to a person and not answered this long (while open) is offered the bot or your phone. Empty: the service's default (5 minutes unless the operator changed it).")),
    error, owner ? h("button", { type: "submit", class: "primary", text: t("Save chat handoff") }) : null);
    disableUnless(form, owner);
    return section(t("Chat handoff"), form);
  }

  function widgetSection(p, owner) {
    const snippet = `<script src="${location.origin}/widget.js" data-restaurant="${p.id}" async></script>`;
    const code = h("code", { class: "snippet", text: snippet });
    const origins = h("textarea", { rows: 3, value: (p.allowedOrigins || []).join("\n"), attrs: { "aria-label": t("Allowed origins") } });
    const error = errorLine();
    const form = h("form", { class: "grid-form", onsubmit: async (e) => {
      e.preventDefault();
      await save({ allowedOrigins: origins.value.split(/\s+/).filter(Boolean) }, error);
    } },
    h("p", { text: t("Paste this into your website's HTML, before </body>:") }), code,
    h("button", { type: "button", text: t("Copy"), onclick: async () => { try { await navigator.clipboard.writeText(snippet); toast(t("Copied."), "ok"); } catch { toast(t("Select the text and copy it."), "info"); } } }),
    field(t("Sites allowed to use the widget (one origin a line, e.g. https://example.com)"), origins),
    error, owner ? h("button", { type: "submit", class: "primary", text: t("Save origins") }) : null);
    disableUnless(form, owner);
    return section(t("Website chat widget"), form);
  }

  async function staffSection() {
    const members = await get("/api/staff");
    const error = errorLine();
    const email = input({ type: "email", required: true, autocomplete: "off" });
    const name = input({ required: true });
    const password = input({ type: "password", required: true, minLength: 8, autocomplete: "new-password" });
    const role = select([["staff", t("Staff")], ["restaurant", t("Owner")]], "staff", { name: "role" });
    return section(t("Staff"),
      h("table", { class: "list" }, h("tbody", {}, ...members.map((m) => h("tr", {},
        h("td", { text: m.name }), h("td", { text: m.email }), h("td", { text: t(m.role === "staff" ? "Staff" : "Owner") }),
        h("td", {}, m.role === "staff" ? h("button", { type: "button", class: "link danger", text: t("Remove"), onclick: async () => {
          try { await del(`/api/staff/${m.id}`); toast(t("Removed."), "ok"); await draw(); } catch (err) { toast(err.message, "error"); }
        } }) : null))))),
      h("form", { class: "grid-form four", dataset: { form: "staff" }, onsubmit: async (e) => {
        e.preventDefault();
        try {
          await post("/api/staff", { email: email.value, name: name.value, password: password.value, role: role.value });
          toast(t("Staff member added."), "ok");
          await draw();
        } catch (err) { showError(error, err); }
      } }, field(t("E-mail"), email), field(t("Name"), name), field(t("Password"), password), field(t("Role"), role),
      h("p", { class: "hint span-all", text: t("Passwords have at least 8 characters. Staff run the day; owners also change settings and staff.") }), error,
      h("button", { type: "submit", class: "primary", text: t("Add staff member") })));
  }

  async function tokensSection(owner) {
    const error = errorLine();
    const shown = h("div", { class: "token-once", attrs: { role: "status" } });
    const name = input({ required: true, maxLength: 100 });
    const role = select(owner ? [["staff", t("Staff")], ["restaurant", t("Owner")]] : [["staff", t("Staff")]], "staff");
    const list = h("div", { class: "token-list" });
    const fill = async () => replace(list, tokenTable(await get("/api/auth/tokens")));
    await fill();
    return section(t("API tokens"),
      h("p", { class: "hint", text: t("For integrations: send it as Authorization: Bearer <token>. It is shown once.") }),
      list,
      h("form", { class: "grid-form three", onsubmit: async (e) => {
        e.preventDefault();
        try {
          const created = await post("/api/auth/tokens", { name: name.value, role: role.value });
          replace(shown, h("p", { text: t("Copy this token now; it will not be shown again:") }), h("code", { class: "snippet", text: created.token }));
          name.value = "";
          await fill();
        } catch (err) { showError(error, err); }
      } }, field(t("Name"), name), field(t("Role"), role), h("button", { type: "submit", class: "primary", text: t("Create token") }), error),
      shown);
  }

  function tokenTable(tokens) {
    return tokens.length ? h("table", { class: "list" }, h("tbody", {}, ...tokens.map((tk) => h("tr", { class: tk.revoked ? "muted" : "" },
        h("td", { text: tk.name }), h("td", {}, h("code", { text: `${tk.prefix}…` })), h("td", { text: tk.role }),
        h("td", { text: tk.lastUsedAt ? t("used {when}", { when: formatInstant(tk.lastUsedAt, ctx.timezone) }) : t("never used") }),
        h("td", {}, tk.revoked ? t("revoked") : h("button", { type: "button", class: "link danger", text: t("Revoke"), onclick: async () => {
          try { await del(`/api/auth/tokens/${tk.id}`); toast(t("Revoked."), "ok"); await draw(); } catch (err) { toast(err.message, "error"); }
        } })))))) : empty(t("No tokens."));
  }

  function disableUnless(form, owner) {
    if (owner) return;
    for (const el of form.querySelectorAll("input, select, textarea")) el.disabled = true;
  }

  await draw();
  return {
    node,
    async refresh(events) {
      if (!events.some((e) => ["restaurant.changed", "hours.changed", "resync"].includes(e.type))) return;
      if (dirty) {
        banner.hidden = false;
        replace(banner, t("These settings were changed elsewhere. "), h("button", { type: "button", class: "link", text: t("Show the new values"), onclick: () => draw() }));
      } else await draw();
    },
  };
}
