// Integrations: Telegram, WhatsApp (Twilio), OpenAI, and any type a plugin adds. The client is generic:
// the type is a parameter of /api/integrations/<type>; FIELDS only says how to ask for each type's values.

import { integrations, readiness } from "../api.js";
import { field, h, input, replace } from "../dom.js";
import { formatInstant, N_, t } from "../i18n.js";
import { errorLine, section, showError, toast } from "../ui.js";

const FIELDS = {
  telegram: {
    title: N_("Telegram"), help: N_("Create a bot with @BotFather, then paste its token here."),
    fields: [["botToken", N_("Bot token"), { secret: true }]],
    shown: [["botUsername", N_("Bot"), (v) => `@${v}`], ["webhookUrl", N_("Webhook URL")]],
  },
  whatsapp: {
    title: N_("WhatsApp (Twilio)"), help: N_("Your Twilio account; paste the webhook URL below into Twilio's WhatsApp sender settings (HTTP POST)."),
    fields: [["accountSid", N_("Account SID")], ["authToken", N_("Auth token"), { secret: true }], ["fromNumber", N_("WhatsApp number"), { placeholder: "+14155238886" }]],
    shown: [["webhookUrl", N_("Webhook URL for Twilio")]],
  },
  openai: {
    title: N_("OpenAI"), help: N_("The restaurant's own API key and model for the assistant; without one the guided flow answers guests."),
    fields: [["apiKey", N_("API key"), { secret: true }], ["model", N_("Model"), { placeholder: "gpt-4o" }]],
    shown: [],
  },
};

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
    const spec = FIELDS[item.type] || { title: item.type, fields: [], shown: Object.keys(item.settings).map((k) => [k, k]) };
    const error = errorLine();
    const status = item.settings.status;
    const inputs = spec.fields.map(([name, label, opts = {}]) => {
      const el = input({
        name, type: opts.secret ? "password" : "text", autocomplete: "off", placeholder: opts.placeholder || "",
        value: opts.secret ? "" : item.settings[name] || "",
      });
      if (opts.secret && item.settings[name]) el.placeholder = t("saved ({masked}); leave empty to keep", { masked: item.settings[name] });
      return field(t(label), el);
    });
    const enabled = h("input", { type: "checkbox", name: "enabled", checked: item.enabled || !item.configured });
    const form = h("form", {
      class: "grid-form", dataset: { integration: item.type },
      onsubmit: async (e) => {
        e.preventDefault();
        const values = { enabled: enabled.checked };
        for (const [name, , opts = {}] of spec.fields) {
          const value = form.querySelector(`[name="${name}"]`).value.trim();
          if (opts.secret && value === "") continue; // keep the stored secret
          values[name] = value;
        }
        showError(error, null);
        const button = form.querySelector("button[type=submit]");
        button.disabled = true;
        try {
          await integrations.save(item.type, values);
          toast(t("{name} saved.", { name: t(spec.title) }), "ok");
          await draw();
        } catch (err) {
          showError(error, err);
          button.disabled = false;
        }
      },
    },
    spec.help ? h("p", { class: "hint", text: t(spec.help) }) : null,
    ...inputs, h("label", { class: "check" }, enabled, t("Switched on")), error,
    h("div", { class: "form-buttons" }, h("button", { type: "submit", class: "primary", text: t("Save and check") }),
      spec.fields.some(([, , o]) => o?.secret) && item.configured ? h("button", {
        type: "button", class: "danger", text: t("Disconnect"),
        onclick: async () => {
          const values = { enabled: false };
          for (const [name, , opts = {}] of spec.fields) if (opts.secret) values[name] = "";
          try { await integrations.save(item.type, values); toast(t("Disconnected."), "ok"); await draw(); } catch (err) { showError(error, err); }
        },
      }) : null));

    const facts = h("dl", { class: "details" });
    for (const [key, label, fmt] of spec.shown) {
      const value = item.settings[key];
      if (!value) continue;
      facts.append(h("dt", { text: t(label) }), h("dd", {}, h("code", { text: fmt ? fmt(value) : String(value), dataset: { fact: key } })));
    }
    const stateText = !item.configured ? t("Not connected") : !item.enabled ? t("Switched off") : t("Connected");
    const ok = health ? health.ok : status ? status.ok : null;
    return section(t(spec.title),
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
