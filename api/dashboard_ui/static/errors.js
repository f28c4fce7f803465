// The refusals the dashboard meets most, said in the UI's language from the error body's `code` and details
// (the server's `message` is English): a full slot, bookings the new hours would leave outside, refused
// fields, too many requests, no connection. Anything else keeps the server's own message.

import { formatTime, localTimeOf } from "./clock.js";
import { formatDate, N_, t } from "./i18n.js";

/** The dashboard's names of the fields the API may refuse (the path of an `errors` entry). */
const FIELDS = {
  "guest.name": N_("guest name"), "guest.phone": N_("guest phone"), "guest.email": N_("guest e-mail"),
  guestId: N_("guest"), date: N_("date"), time: N_("time"), guests: N_("guests"), tableId: N_("table"),
  tableIds: N_("tables"), status: N_("status"), notes: N_("notes"), name: N_("name"), phone: N_("phone"),
  email: N_("e-mail"), password: N_("password"), minGuests: N_("minimum guests"), maxGuests: N_("maximum guests"),
  openingHours: N_("opening hours"), hoursExceptions: N_("exceptions to the hours"), timezone: N_("time zone"),
  capacity: N_("capacity"), q: N_("search"), page: N_("page"), pageSize: N_("page size"),
};

/** The label of a refused value's path (`guest.phone`, `openingHours.monday.0.open`), in the UI's language. */
export function fieldName(path) {
  if (!path) return t("the request");
  for (let end = path.length; end > 0; end = path.lastIndexOf(".", end - 1)) {
    const known = FIELDS[path.slice(0, end)];
    if (known) return t(known);
  }
  return path;
}

function when(date, time) {
  return date ? `${formatDate(date, { weekday: "long", day: "numeric", month: "long" })}, ${formatTime(time)}` : formatTime(time);
}

function slotTaken(body) {
  const at = when(body.date, body.time);
  const text = body.tableId ? t("The chosen table is taken: {when}.", { when: at })
    : t("No table is free for {guests} guests: {when}.", { guests: body.guests, when: at });
  const free = (body.alternatives || []).map((a) => (a.date === body.date ? formatTime(a.time) : when(a.date, a.time)));
  return free.length ? `${text} ${t("Free nearby: {times}.", { times: free.join(", ") })}` : text;
}

function tooMany(body) {
  const seconds = Number(body.retryAfter);
  if (!seconds) return t("Too many requests. Wait a moment and try again.");
  if (seconds < 120) return t("Too many attempts. Try again in {n} seconds.", { n: seconds });
  return t("Too many attempts. Try again in {n} minutes.", { n: Math.ceil(seconds / 60) });
}

/** The text of a refusal with HTTP `status` and JSON `body`, in the UI's language where the dashboard knows it. */
export function refusalText(status, body) {
  const b = body || {};
  if (b.code === "offline") return t("The server cannot be reached. Check the connection and try again.");
  if (b.code === "slot_unavailable") return slotTaken(b);
  if (b.code === "bookings_outside_hours") {
    return t("Upcoming bookings outside the new hours: {n}. Move or cancel them first, or save again keeping them.",
      { n: (b.reservations || []).length });
  }
  if (b.code === "no_show_too_early" && b.allowedFrom) {
    return t("Too early for a no-show: it can be marked from {time}.", { time: formatTime(localTimeOf(b.allowedFrom)) });
  }
  if (status === 429 || b.code === "rate_limited") return tooMany(b);
  if (status === 400 && Array.isArray(b.errors) && b.errors.length) {
    const names = [...new Set(b.errors.map((e) => fieldName(e.path)))];
    return t("Not accepted, check: {fields}.", { fields: names.join(", ") });
  }
  return b.message || t("The server answered {status}.", { status });
}
