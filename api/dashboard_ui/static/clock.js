// The restaurant's clock: 24- or 12-hour times, from the restaurant's locale (its guests' language and the country
// of its time zone), used for every time the dashboard shows and every time field it asks for.
// A time field is a text field (the browser's <input type=time> follows the browser's locale, not the restaurant's):
// it accepts "19:30", "1930", "7:30 pm", "7pm" and shows the value in the restaurant's format.

import { h } from "./dom.js";
import { currentLanguage, t } from "./i18n.js";

/** Time zones of countries that write times on a 12-hour clock; everywhere else the clock is 24-hour. */
const TWELVE_HOUR_ZONES = [
  /^(US|Canada)\//, /^Pacific\/Honolulu$/, /^Australia\//, /^Pacific\/(Auckland|Chatham)$/,
  /^America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Juneau|Sitka|Yakutat|Nome|Adak|Metlakatla|Boise|Detroit|Menominee)$/,
  /^America\/(Indiana|Kentucky|North_Dakota)\//,
  /^America\/(Toronto|Vancouver|Edmonton|Winnipeg|Halifax|St_Johns|Regina|Moncton|Whitehorse|Yellowknife|Glace_Bay|Goose_Bay|Swift_Current)$/,
  /^America\/(Mexico_City|Cancun|Merida|Monterrey|Tijuana|Chihuahua|Hermosillo|Mazatlan|Bogota|Puerto_Rico)$/,
  /^Asia\/(Kolkata|Calcutta|Karachi|Manila|Riyadh|Dhaka|Kuala_Lumpur|Seoul|Taipei)$/, /^Africa\/Cairo$/,
];

let cycle = "h23";
let zone = "UTC";

/** Set the clock from the restaurant's profile (its `timezone`; `hourCycle` "h12"/"h23" when the server gives one). */
export function setRestaurantClock(profile) {
  zone = profile?.timezone || "UTC";
  if (profile && (profile.hourCycle === "h12" || profile.hourCycle === "h23")) cycle = profile.hourCycle;
  else cycle = TWELVE_HOUR_ZONES.some((re) => re.test(profile?.timezone || "")) ? "h12" : "h23";
}

/** "HH:MM" of an ISO instant on the restaurant's clock (its time zone). */
export function localTimeOf(iso) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}`;
}

/** "h12" or "h23". */
export function hourCycle() {
  return cycle;
}

/** "HH:MM" (24-hour, as the API speaks) in the restaurant's format: "19:30" or "7:30 PM" (in the UI's language). */
export function formatTime(hhmm, { short = false } = {}) {
  if (!hhmm) return "";
  const [hour, minute] = hhmm.split(":").map(Number);
  if (cycle === "h23") return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
  const options = { hour: "numeric", hourCycle: "h12", timeZone: "UTC" };
  if (!(short && minute === 0)) options.minute = "2-digit";
  return new Intl.DateTimeFormat(currentLanguage(), options).format(new Date(Date.UTC(2000, 0, 1, hour % 24, minute)));
}

/** "HH:MM" of what someone typed ("19:30", "1930", "7:30 pm", "7 PM", "19.30"), or null when it is not a time. */
export function parseTime(text) {
  const raw = String(text || "").trim().toLowerCase().replace(/\s+/g, " ");
  const m = raw.match(/^(\d{1,2})(?:[:.h ]?(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|am|pm|дп|пп)?$/);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const half = m[3] ? (m[3].startsWith("p") || m[3] === "пп" ? "pm" : "am") : null;
  if (minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (half === "pm" ? 12 : 0);
  } else if (hour > 23) return null;
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/**
 * A time field in the restaurant's format. Read it with `timeValue(el)` ("HH:MM" or ""), set it with `setTime(el, hhmm)`.
 * An entry that is not a time marks the field invalid (the form will not submit) with a hint in the UI's language.
 */
export function timeInput(props = {}) {
  const { value, ...rest } = props;
  const el = h("input", {
    type: "text", inputMode: "text", autocomplete: "off", spellcheck: false, class: "time-input",
    placeholder: cycle === "h23" ? "19:30" : "7:30 PM", ...rest,
  });
  setTime(el, value || "");
  const check = () => {
    const parsed = parseTime(el.value);
    el.setCustomValidity(el.value.trim() && !parsed ? t("Not a time: write it like {example}.", { example: el.placeholder }) : "");
    el.dataset.time = parsed || "";
  };
  el.addEventListener("input", check);
  el.addEventListener("change", () => { const parsed = parseTime(el.value); if (parsed) el.value = formatTime(parsed); check(); });
  return el;
}

export function timeValue(el) {
  return parseTime(el.value) || "";
}

export function setTime(el, hhmm) {
  el.value = hhmm ? formatTime(hhmm) : "";
  el.dataset.time = hhmm || "";
  el.setCustomValidity("");
}
