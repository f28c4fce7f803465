// The reservation statuses as the server states them (GET /api/reservations/statuses): the status filter and
// badges, and whether a booking can still be moved, edited or seated, come from the state machine itself
// instead of a copy of it in each view.

import { get } from "./api.js";

let model = null;

/** Load the statuses once; the dashboard awaits this before it draws its first page. */
export async function loadStatuses() {
  if (!model) {
    const body = await get("/api/reservations/statuses");
    model = { all: body.statuses, active: new Set(body.active) };
  }
  return model;
}

/** Every status, in lifecycle order. */
export function allStatuses() {
  return model ? model.all : [];
}

/** True while a booking in `status` holds its tables: it can be moved, edited and seated. */
export function isActive(status) {
  return model ? model.active.has(status) : false;
}
