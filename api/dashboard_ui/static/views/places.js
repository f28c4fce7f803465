// What the day view, the day sheet and the floor plan show of a reservation's place on first draw (its tables,
// its end, too few seats), kept apart from the booking panel and dialog (views/booking.js), which are loaded only
// when first opened.

import { hhmm } from "../dom.js";
import { t } from "../i18n.js";
import { toast } from "../ui.js";

/** The names of the tables a reservation holds ("T6 + T3"). */
export function tableNames(reservation, tablesById) {
  const ids = reservation.tableIds && reservation.tableIds.length ? reservation.tableIds : reservation.tableId ? [reservation.tableId] : [];
  return ids.map((id) => tablesById.get(id)?.name || `#${id}`).join(" + ") || t("No table");
}

/** The seats of the tables `ids` (names in `tablesById`). */
export function seatsOf(ids, tablesById) {
  return ids.reduce((n, id) => n + (tablesById.get(id)?.maxGuests || 0), 0);
}

/** "Tables seat 10 for a party of 12": the line shown when a party sits on fewer seats than guests. */
export function seatWarning(seats, guests) {
  return t("{seats} seats for {guests} guests: more guests than seats.", { seats, guests });
}

/** After a write on tables chosen by hand: the API's over-capacity warning as a toast. */
export function warnSeats(reservation) {
  if (reservation?.warning) toast(seatWarning(reservation.warning.seats, reservation.warning.guests), "warn", 9000);
}

/** "HH:MM" when the reservation ends. */
export function endOf(reservation) {
  return hhmm(minutesFrom(reservation.time) + (reservation.duration || 120));
}

function minutesFrom(time) {
  const [a, b] = time.split(":").map(Number);
  return a * 60 + b;
}
