// Tags on bookings and guests (docs/api.md "Tags"): the known ones as an icon with a label in the UI's language,
// any other slug as written. The icons are symbols every system font has (no emoji font needed). Shown on timeline blocks, floor-plan tables, lists and the day sheet; set in the panel.

import { h } from "./dom.js";
import { N_, t } from "./i18n.js";

/** The API's known tags (core/booking/tags.py), in the order they are offered: [slug, icon, label]. */
export const KNOWN_TAGS = [
  ["vip", "★", N_("VIP")], ["regular", "♥", N_("Regular")], ["allergy", "⚠", N_("Allergy")], ["dietary", "✚", N_("Dietary")],
  ["vegetarian", "☘", N_("Vegetarian")], ["vegan", "❦", N_("Vegan")], ["gluten_free", "⊘", N_("Gluten-free")],
  ["birthday", "✿", N_("Birthday")], ["anniversary", "⚭", N_("Anniversary")], ["occasion", "✦", N_("Occasion")],
  ["business", "⚑", N_("Business")], ["high_chair", "☺", N_("High chair")], ["wheelchair", "♿", N_("Wheelchair")],
  ["accessibility", "♿", N_("Accessibility")], ["window", "⊞", N_("Window")], ["quiet", "☾", N_("Quiet")],
  ["outdoor", "☀", N_("Outdoor")], ["walk_in", "➜", N_("Walk-in")],
];
const BY_SLUG = new Map(KNOWN_TAGS.map(([slug, icon, label]) => [slug, { icon, label }]));

/** The tags of a booking and of its guest, without repeats. */
export function tagsOf(r) {
  return [...new Set([...(r.tags || []), ...(r.guest?.tags || [])])];
}

/** A tag's label in the UI's language (a free tag as written, underscores as spaces). */
export function tagLabel(slug) {
  const known = BY_SLUG.get(slug);
  return known ? t(known.label) : slug.replace(/_/g, " ");
}

/** The icons of `tags` in one span (a free tag as "#word"), labelled for screen readers and on hover. */
export function tagIcons(tags, { className = "tags" } = {}) {
  if (!tags || !tags.length) return null;
  const words = tags.map(tagLabel).join(", ");
  return h("span", { class: className, dataset: { tags: tags.join(" ") }, attrs: { title: words, "aria-label": words, role: "img" } },
    ...tags.map((slug) => h("span", { class: `tag tag-${BY_SLUG.has(slug) ? slug : "free"}`, text: BY_SLUG.get(slug)?.icon || `#${slug}`, attrs: { "aria-hidden": "true" } })));
}

/** Chips with icon and label (the panel's read-only view). */
export function tagChips(tags) {
  return h("span", { class: "tag-chips" }, ...tags.map((slug) => h("span", { class: "chip tag-chip", dataset: { tag: slug } },
    `${BY_SLUG.get(slug)?.icon || "#"} ${tagLabel(slug)}`)));
}

/**
 * A tag editor: a checkbox per known tag and a field for free ones (comma-separated). `read()` gives the slugs.
 */
export function tagPicker(selected = [], { name = "tags" } = {}) {
  const chosen = new Set(selected);
  const boxes = KNOWN_TAGS.map(([slug, icon, label]) => {
    const box = h("input", { type: "checkbox", value: slug, checked: chosen.has(slug) });
    return h("label", { class: "tag-option" }, box, ` ${icon} ${t(label)}`);
  });
  const free = h("input", {
    type: "text", name: `${name}-free`, value: selected.filter((s) => !BY_SLUG.has(s)).join(", "),
    placeholder: t("other tags, comma-separated"), attrs: { "aria-label": t("Other tags") },
  });
  const node = h("fieldset", { class: "tag-picker", dataset: { picker: name } }, h("legend", { text: t("Tags") }), ...boxes, free);
  node.read = () => [
    ...boxes.map((l) => l.querySelector("input")).filter((b) => b.checked).map((b) => b.value),
    ...free.value.split(",").map((s) => s.trim().toLowerCase().replace(/[\s-]+/g, "_")).filter(Boolean),
  ];
  return node;
}

/** A select to filter by tag: "" for all, then the known tags. */
export function tagOptions() {
  return [["", t("All tags")], ...KNOWN_TAGS.map(([slug, icon, label]) => [slug, `${icon} ${t(label)}`])];
}
