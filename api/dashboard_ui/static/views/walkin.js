// Seat a walk-in: a party size (name and phone optional), seated now at the best free table or the chosen one.
// POST /api/booking/create {source: "walk_in"} (docs/api.md "Walk-ins"). Opened from the day view, the floor plan
// and the keyboard (W, on any page).

import { post } from "../api.js";
import { formatTime } from "../clock.js";
import { field, h, input, select } from "../dom.js";
import { t } from "../i18n.js";
import { errorLine, openDialog, showError, toast } from "../ui.js";
import { tagPicker } from "../tags.js";
import { combinePicker } from "./booking.js";
import { warnSeats } from "./places.js";

/** Open the walk-in dialog; `tableId` preselects a table; calls onSeated(reservation). */
export function openWalkIn(tables, { tableId = null, guests = 2 } = {}, onSeated = () => {}) {
  const { body, close } = openDialog(t("Seat walk-in"));
  const error = errorLine();
  const party = input({ type: "number", name: "guests", min: 1, max: 1000, value: guests, required: true });
  const table = select([["", t("Best free table")], ...tables.filter((tb) => tb.status !== "unavailable")
    .map((tb) => [tb.id, `${tb.name} (${tb.minGuests}–${tb.maxGuests})`])], tableId ?? "", { name: "table" });
  const combine = combinePicker(tables, table, party);
  const name = input({ name: "guestName", autocomplete: "off", maxLength: 255 });
  const phone = input({ type: "tel", name: "guestPhone", autocomplete: "off", maxLength: 50 });
  const tags = tagPicker([], { name: "walkin-tags" });
  const submit = h("button", { type: "submit", class: "primary", text: t("Seat now") });
  const form = h("form", {
    class: "grid-form", dataset: { form: "walk-in" },
    onsubmit: async (e) => {
      e.preventDefault();
      showError(error, null);
      const request = { source: "walk_in", guests: Number(party.value) };
      const placed = combine.ids();
      if (placed) request.tableIds = placed;
      const guest = {};
      if (name.value.trim()) guest.name = name.value.trim();
      if (phone.value.trim()) guest.phone = phone.value.trim();
      if (Object.keys(guest).length) request.guest = guest;
      const chosen = tags.read();
      if (chosen.length) request.tags = chosen;
      submit.disabled = true;
      try {
        const seated = await post("/api/booking/create", request);
        const where = (seated.tableIds?.length ? seated.tableIds : [seated.tableId]).map((id) => tables.find((tb) => tb.id === id)?.name || `#${id}`).join(" + ");
        toast(t("Walk-in of {n} seated at {table}, {time}", { n: seated.guests, table: where, time: formatTime(seated.time) }), "ok");
        warnSeats(seated);
        close();
        onSeated(seated);
      } catch (err) {
        showError(error, err);
      } finally {
        submit.disabled = false;
      }
    },
  },
  field(t("Guests"), party), field(t("Table"), table), combine.el, field(t("Guest name"), name, t("Optional")),
  field(t("Phone"), phone, t("Optional: a regular is found by it")),
  h("details", { class: "tags-more" }, h("summary", { text: t("Tags") }), tags), error,
  h("div", { class: "form-buttons" }, submit, h("button", { type: "button", text: t("Cancel"), onclick: () => close() })));
  body.append(form);
  party.focus();
  party.select();
  return { close };
}
