// Integrations: every type a plugin declares (Telegram, WhatsApp, SMS, e-mail, OpenAI, a third party's), each
// form built from the `settingsSchema` the API sends: titles, help, secrets (writeOnly), choices (enum), numbers.
// Values the server added (a webhook URL, a bot's name) are shown as facts; nothing here names a type.

import { integrations, readiness } from "../api.js";
import { field, h, input, replace } from "../dom.js";
import { formatInstant, t } from "../i18n.js";
import { errorLine, section, showError, toast } from "../ui.js";

/** The fields of an integration's form, from its JSON schema (a `T | None` field is an `anyOf` with null). */
export function fieldsOf(item) {
  const properties = item.settingsSchema?.properties || {};
  return Object.entries(properties).map(([name, spec]) => {
    const variant = (spec.anyOf || [spec]).find((s) => s.type && s.type !== "null") || spec;
    const numeric = variant.type === "integer" || variant.type === "number";
    return {
      name, label: spec.title || name, help: spec.description || "", placeholder: String((spec.examples || [])[0] ?? ""),
      secret: Boolean(variant.writeOnly) || (item.secretKeys || []).includes(name),
      choices: variant.enum || null, numeric, min: variant.minimum, max: variant.maximum,
    };
  });
}

/** "webhookUrl" -> "Webhook URL": a server-added value's label. */
export function factLabel(key) {
  const words = key.replace(/([A-Z])/g, " $1").toLowerCase().replace(/\burl\b/g, "URL").replace(/\bid\b/g, "ID");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function control(spec, item) {
  const stored = item.settings[spec.name];
  if (spec.choices) {
    const el = h("select", { name: spec.name }, h("option", { value: "", text: "—" }),
      ...spec.choices.map((c) => h("option", { value: c, text: c })));
    el.value = stored ?? "";
    return el;
  }
  const el = input({
    name: spec.name, type: spec.secret ? "password" : spec.numeric ? "number" : "text", autocomplete: "off",
    placeholder: spec.placeholder, value: spec.secret ? "" : stored ?? "",
  });
  if (spec.numeric && spec.min !== undefined) el.min = spec.min;
  if (spec.numeric && spec.max !== undefined) el.max = spec.max;
  if (spec.secret && stored) el.placeholder = t("saved ({masked}); leave empty to keep", { masked: stored });
  if (spec.help) el.title = t(spec.help);
  return el;
}

export async function render(ctx) {
  const node = h("div", { class: "integrations-page" });
  let editing = false;

  async function draw() {
    const [list, ready] = await Promise.all([integrations.list(), readiness()]);
    const checks = ready?.checks || {};
    const rid = ctx.profile.id;
    replace(node, h("div", { class: "toolbar" }, h("h1", { text: t("Integrations") })),
      ...list.map((item) => card(item, checks[`${item.type}:${rid}`] || checks[item.type])));
    for (const form of node.querySelectorAll("form")) form.addEventListener("input", () => { editing = true; });
    editing = false;
  }

  function card(item, health) {
    const fields = fieldsOf(item);
    const title = item.label || item.type;
    const error = errorLine();
    const status = item.settings.status;
    const inputs = fields.map((spec) => field(t(spec.label), control(spec, item)));
    const enabled = h("input", { type: "checkbox", name: "enabled", checked: item.enabled || !item.configured });
    const form = h("form", {
      class: "grid-form", dataset: { integration: item.type },
      onsubmit: async (e) => {
        e.preventDefault();
        const values = { enabled: enabled.checked };
        for (const spec of fields) {
          const value = form.querySelector(`[name="${spec.name}"]`).value.trim();
          if (spec.secret && value === "") continue; // keep the stored secret
          values[spec.name] = value === "" ? null : spec.numeric ? Number(value) : value;
        }
        showError(error, null);
        const button = form.querySelector("button[type=submit]");
        button.disabled = true;
        try {
          await integrations.save(item.type, values);
          toast(t("{name} saved.", { name: title }), "ok");
          await draw();
        } catch (err) {
          showError(error, err);
          button.disabled = false;
        }
      },
    },
    item.description ? h("p", { class: "hint", text: t(item.description) }) : null,
    ...inputs, h("label", { class: "check" }, enabled, t("Switched on")), error,
    h("div", { class: "form-buttons" }, h("button", { type: "submit", class: "primary", text: t("Save and check") }),
      fields.some((f) => f.secret) && item.configured ? h("button", {
        type: "button", class: "danger", text: t("Disconnect"),
        onclick: async () => {
          const values = { enabled: false };
          for (const spec of fields) if (spec.secret) values[spec.name] = "";
          try { await integrations.save(item.type, values); toast(t("Disconnected."), "ok"); await draw(); } catch (err) { showError(error, err); }
        },
      }) : null));

    const facts = h("dl", { class: "details" });
    const declared = new Set(fields.map((f) => f.name));
    for (const [key, value] of Object.entries(item.settings)) {
      if (declared.has(key) || key === "status" || !value || typeof value === "object") continue;
      facts.append(h("dt", { text: t(factLabel(key)) }), h("dd", {}, h("code", { text: String(value), dataset: { fact: key } })));
    }
    const stateText = !item.configured ? t("Not connected") : !item.enabled ? t("Switched off") : t("Connected");
    const ok = health ? health.ok : status ? status.ok : null;
    return section(t(title),
      h("p", { class: `health ${ok === false ? "bad" : ok ? "good" : ""}`, dataset: { health: item.type } },
        h("strong", { text: stateText }),
        status?.detail ? h("span", { text: ` — ${status.detail}` }) : null,
        health ? h("span", { class: "muted", text: ` (${t("readiness check")}: ${health.ok ? t("ok") : t("failing")}${health.detail && health.detail !== status?.detail ? `, ${health.detail}` : ""})` }) : null),
      facts, item.updatedAt ? h("p", { class: "muted small", text: t("Last saved {when}", { when: formatInstant(item.updatedAt, ctx.timezone) }) }) : null,
      form);
  }

  await draw();
  return {
    node,
    async refresh(events) {
      if (editing) return;
      if (events.some((e) => e.type === "integration.changed" || e.type === "resync")) await draw();
    },
  };
}
