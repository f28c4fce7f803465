// The admins' restaurant picker: a search box and a select of the restaurants it finds (GET /api/restaurants).
// Choosing one keeps its id for the tab (api.js sends it as X-Restaurant-Id) and calls onChoose.

import { chooseRestaurant, chosenRestaurant, get } from "./api.js";
import { debounce, h } from "./dom.js";
import { t } from "./i18n.js";

const PAGE_SIZE = 50;
let lastUnfiltered = null; // the first page without a search, so the header does not flicker on every page change

/** Restaurants whose name contains `q` (all when empty): {items, total}. */
export async function findRestaurants(q = "") {
  const found = await get("/api/restaurants", { q: q.trim(), pageSize: PAGE_SIZE });
  if (!q.trim()) lastUnfiltered = found;
  return found;
}

function fill(picker, found, placeholder) {
  const chosen = chosenRestaurant();
  const options = [];
  if (placeholder || !found.items.some((r) => String(r.id) === chosen)) {
    options.push(h("option", { value: "", text: found.items.length ? t("Choose a restaurant") : t("No restaurant matches."), disabled: true, selected: true }));
  }
  for (const r of found.items) options.push(h("option", { value: String(r.id), text: r.name, selected: String(r.id) === chosen }));
  if (found.total > found.items.length) {
    options.push(h("option", { value: "", disabled: true, text: t("{n} more: narrow the search", { n: found.total - found.items.length }) }));
  }
  picker.replaceChildren(...options);
}

/**
 * The picker's node. `onChoose(id)` runs after a restaurant is chosen; `onError(err)` when the list cannot load.
 * `placeholder`: start on "Choose a restaurant" even when one is chosen (the choice page).
 */
export function restaurantPicker({ onChoose, onError = () => {}, placeholder = false, idPrefix = "restaurant" }) {
  const picker = h("select", {
    id: `${idPrefix}-picker`, class: "restaurant-picker", attrs: { "aria-label": t("Restaurant") },
    onchange: () => { if (picker.value) { chooseRestaurant(picker.value); onChoose(picker.value); } },
  });
  const search = h("input", {
    type: "search", id: `${idPrefix}-search`, class: "restaurant-search", placeholder: t("Find a restaurant…"),
    autocomplete: "off", attrs: { "aria-label": t("Find a restaurant"), "aria-controls": picker.id },
  });
  const load = async () => {
    try {
      fill(picker, await findRestaurants(search.value), placeholder);
    } catch (err) {
      onError(err);
    }
  };
  search.addEventListener("input", debounce(load, 250));
  if (lastUnfiltered) fill(picker, lastUnfiltered, placeholder);
  load();
  return h("span", { class: "restaurant-choice", attrs: { role: "group", "aria-label": t("Restaurant") } }, search, picker);
}
