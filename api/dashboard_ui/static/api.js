// The dashboard's only way to the server: the public REST API, with the session cookie and the CSRF header.

import { fieldName, refusalText } from "./errors.js";

export class ApiError extends Error {
  constructor(status, body) {
    super(refusalText(status, body)); // the UI's language for the common refusals (errors.js)
    this.status = status;
    this.serverMessage = (body && body.message) || null; // the server's own (English) words
    this.body = body || {};
    this.code = this.body.code || null;
    this.errors = this.body.errors || [];
  }

  /** The message plus each field error (the field named in the UI's language), as one readable sentence list. */
  get detail() {
    const parts = [this.message];
    for (const e of this.errors) parts.push(e.path ? `${fieldName(e.path)}: ${e.message}` : e.message);
    return parts.join(" — ");
  }
}

const RESTAURANT_KEY = "tobeout.restaurantId";

/** The restaurant an admin chose (sent as X-Restaurant-Id); owners and staff have theirs. */
export function chosenRestaurant() {
  return sessionStorage.getItem(RESTAURANT_KEY);
}

export function chooseRestaurant(id) {
  if (id) sessionStorage.setItem(RESTAURANT_KEY, String(id));
  else sessionStorage.removeItem(RESTAURANT_KEY);
}

export async function api(method, path, body, { query } = {}) {
  const headers = { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" };
  const chosen = chosenRestaurant();
  if (chosen) headers["X-Restaurant-Id"] = chosen;
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, v);
    const text = params.toString();
    if (text) url += (url.includes("?") ? "&" : "?") + text;
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new ApiError(0, { message: "The server cannot be reached. Check the connection and try again.", code: "offline" });
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && path !== "/api/auth/login") {
      window.dispatchEvent(new CustomEvent("tobeout:signed-out"));
    }
    throw error;
  }
  return data;
}

export const get = (path, query) => api("GET", path, undefined, { query });
export const post = (path, body) => api("POST", path, body ?? {});
export const put = (path, body) => api("PUT", path, body);
export const patch = (path, body) => api("PATCH", path, body);
export const del = (path) => api("DELETE", path);

/** Every page of a paginated list endpoint ({items, total, page, pageSize}). */
export async function getAll(path, query = {}, pageSize = 100) {
  const items = [];
  for (let page = 1; ; page += 1) {
    const data = await get(path, { ...query, page, pageSize });
    items.push(...data.items);
    if (items.length >= data.total || data.items.length === 0) return items;
  }
}

/** Integration settings by type: today /api/integrations/<type>, the same shape for every type. */
export const integrations = {
  list: () => get("/api/integrations/settings"),
  get: (type) => get(`/api/integrations/${encodeURIComponent(type)}`),
  save: (type, values) => post(`/api/integrations/${encodeURIComponent(type)}`, values),
};

/** The readiness report (/readyz answers 503 with the same body when something is down). */
export async function readiness() {
  try {
    const response = await fetch("/readyz", { credentials: "same-origin", headers: { Accept: "application/json" } });
    return await response.json();
  } catch {
    return null;
  }
}
