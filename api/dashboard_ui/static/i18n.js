// English and Russian. English texts are the keys; ru.json holds their Russian. Chosen from the browser
// (navigator.languages), switchable, remembered in localStorage.

import { hourCycle } from "./clock.js";

const KEY = "tobeout.lang";
export const LANGUAGES = [["en", "English"], ["ru", "Русский"]];
let lang = "en";
let table = {};

export function chooseLanguage() {
  const saved = localStorage.getItem(KEY);
  if (saved && LANGUAGES.some(([code]) => code === saved)) return saved;
  for (const wanted of navigator.languages || [navigator.language || "en"]) {
    const code = String(wanted).slice(0, 2).toLowerCase();
    if (LANGUAGES.some(([c]) => c === code)) return code;
  }
  return "en";
}

export async function loadLanguage(code) {
  lang = code;
  table = {};
  if (code !== "en") {
    const response = await fetch(`/dashboard/static/i18n/${code}.json`, { credentials: "same-origin" });
    if (response.ok) table = await response.json();
  }
  document.documentElement.lang = code;
}

export function setLanguage(code) {
  localStorage.setItem(KEY, code);
}

export function currentLanguage() {
  return lang;
}

/** Marks an English text for translation where it is defined (t() translates it where it is shown). */
export const N_ = (english) => english;

/** The text of `english` in the current language, with {name} placeholders filled from `vars`. */
export function t(english, vars) {
  let text = table[english] || english;
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.split(`{${k}}`).join(String(v));
  return text;
}

/** Localised status name. */
export function statusName(status) {
  return t(STATUS_NAMES[status] || status);
}

const STATUS_NAMES = {
  created: N_("Created"), confirmed: N_("Confirmed"), seated: N_("Seated"), completed: N_("Completed"),
  canceled: N_("Canceled"), no_show: N_("No-show"), archived: N_("Archived"),
};

export function formatDate(iso, options = { weekday: "long", day: "numeric", month: "long", year: "numeric" }) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(lang, { ...options, timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatInstant(iso, timeZone) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(lang, {
    year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", hourCycle: hourCycle(),
    timeZone: timeZone || undefined,
  }).format(new Date(iso));
}
