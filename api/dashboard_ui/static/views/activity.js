// Activity: the AI activity log (turns, tool calls, fallbacks, notifications) and the guests'
// conversations as transcripts, newest first, with staff reply and hand-back where the server has them.

import { ApiError, get, getAll, post } from "../api.js";
import { h, replace, select } from "../dom.js";
import { formatTime } from "../clock.js";
import { formatDate, formatInstant, N_, statusName, t } from "../i18n.js";
import { empty, errorLine, showError, sidePanel, toast } from "../ui.js";

const TYPES = ["", "response_generated", "reservation_intent", "tool_call", "fallback", "error", "notification", "notification_failed"];
const TYPE_NAMES = {
  "": N_("All"), response_generated: N_("Replies"), reservation_intent: N_("Understood"), tool_call: N_("Tool calls"),
  fallback: N_("Fallbacks"), error: N_("Errors"), notification: N_("Notifications"), notification_failed: N_("Failed notifications"),
};

export async function render(ctx) {
  const params = new URLSearchParams(location.search);
  const state = { tab: params.get("tab") || "conversations", type: params.get("type") || "", page: 1, openId: null };
  const node = h("div", { class: "activity-page" });
  const content = h("div", { class: "activity-content" });
  const layout = h("div", { class: "with-panel" }, content);
  const panel = sidePanel(layout);
  panel.onHide = () => { state.openId = null; };
  const tabs = ["conversations", "log"].map((tab) => h("button", {
    type: "button", role: "tab", dataset: { tab }, text: t(tab === "log" ? N_("AI activity log") : N_("Conversations")),
    attrs: { "aria-selected": String(state.tab === tab) },
    onclick: async () => { state.tab = tab; state.page = 1; history.replaceState(null, "", `/dashboard/activity?tab=${tab}`); paintTabs(); await load(); },
  }));
  const paintTabs = () => tabs.forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === state.tab)));
  node.append(h("div", { class: "toolbar" }, h("h1", { text: t("Activity") }), h("div", { class: "segmented", attrs: { role: "tablist" } }, ...tabs)), layout);

  async function load() {
    if (state.tab === "log") return drawLog();
    return drawConversations();
  }

  async function drawLog() {
    const filter = select(TYPES.map((ty) => [ty, t(TYPE_NAMES[ty] || ty)]), state.type, {
      attrs: { "aria-label": t("Type") }, onchange: async (e) => { state.type = e.target.value; state.page = 1; await drawLog(); },
    });
    const data = await get("/api/ai/activities", { type: state.type, page: state.page, pageSize: 50 });
    const pages = Math.max(1, Math.ceil(data.total / 50));
    replace(content, h("div", { class: "list-tools" }, filter),
      data.items.length ? h("ol", { class: "log" }, ...data.items.map((a) => h("li", { class: `log-${a.type}`, dataset: { activityId: a.id } },
        h("div", { class: "log-head" }, h("span", { class: "badge", text: t(TYPE_NAMES[a.type] || a.type) }), h("time", { text: formatInstant(a.createdAt, ctx.timezone) }),
          a.confidence !== null ? h("span", { class: "muted", text: `${t("confidence")} ${Math.round(a.confidence * 100)}%` }) : null),
        a.message ? h("p", { class: "said" }, h("span", { class: "muted", text: `${t("Guest")}: ` }), a.message) : null,
        a.response ? h("p", { class: "answer" }, h("span", { class: "muted", text: `${t("Reply")}: ` }), a.response) : null,
        a.metadata ? h("details", {}, h("summary", { text: t("Details") }), h("pre", { text: JSON.stringify(a.metadata, null, 2) })) : null)))
        : empty(t("Nothing recorded yet.")),
      pages > 1 ? h("div", { class: "pager" },
        h("button", { type: "button", text: t("Newer"), disabled: state.page <= 1, onclick: async () => { state.page -= 1; await drawLog(); } }),
        h("span", { text: t("Page {page} of {pages}", { page: state.page, pages }) }),
        h("button", { type: "button", text: t("Older"), disabled: state.page >= pages, onclick: async () => { state.page += 1; await drawLog(); } })) : null);
  }

  async function drawConversations() {
    let list;
    try {
      const data = await get("/api/conversations", { pageSize: 100 });
      list = Array.isArray(data) ? data : data.items || [];
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) return drawTranscriptsFromLog();
      throw err;
    }
    replace(content, list.length ? h("ul", { class: "conversations" }, ...list.map((c) => {
      const last = lastMessage(c);
      return h("li", { class: `conv status-${c.status || ""}`, dataset: { conversationId: c.id } },
        h("button", { type: "button", class: "conv-open", onclick: () => openConversation(c.id) },
          h("strong", { text: c.guest?.name || c.guestName || c.externalId || `#${c.id}` }),
          h("span", { class: "muted", text: ` · ${c.channel || ""}` }),
          c.status === "handoff" ? h("span", { class: "badge status-handoff", text: t("Needs staff") }) : null,
          h("time", { class: "muted", text: formatInstant(c.updatedAt || c.lastMessageAt || c.createdAt, ctx.timezone) }),
          last ? h("p", { class: "muted small", text: last }) : null));
    })) : empty(t("No conversations yet.")));
  }

  function lastMessage(c) {
    const messages = c.messages || c.lastMessages || [];
    const m = messages[messages.length - 1] || c.lastMessage;
    return m ? (typeof m === "string" ? m : m.text || "") : "";
  }

  async function openConversation(id) {
    state.openId = id;
    const c = await get(`/api/conversations/${id}`);
    const guestBookings = c.guest?.id ? await get(`/api/guests/${c.guest.id}`).then((g) => g.recentReservations || []).catch(() => []) : [];
    const error = errorLine();
    const text = h("textarea", { rows: 2, maxLength: 4000, attrs: { "aria-label": t("Reply to the guest") } });
    const messages = c.messages || [];
    panel.show(c.guest?.name || c.guestName || `#${c.id}`,
      h("p", { class: "muted", text: `${c.channel || ""} · ${c.status || ""}` }),
      guestBookings.length ? h("div", { class: "guest-bookings" }, h("span", { class: "muted", text: t("Bookings:") }),
        ...guestBookings.slice(0, 5).map((r) => h("a", {
          href: `/dashboard?date=${r.date}&open=${r.id}`, class: "chip", dataset: { reservationId: r.id },
          text: `${formatDate(r.date, { day: "numeric", month: "short" })} ${formatTime(r.time)} (${r.guests}) · ${statusName(r.status)}`,
          onclick: (e) => { e.preventDefault(); ctx.navigate(`/dashboard?date=${r.date}&open=${r.id}`); },
        }))) : null,
      h("ol", { class: "transcript" }, ...messages.map((m) => {
        const role = m.role || m.direction || m.sender || "";
        const mine = ["assistant", "bot", "staff", "outbound", "out"].includes(role);
        return h("li", { class: `msg ${mine ? "msg-out" : "msg-in"}` }, h("span", { class: "muted small", text: `${t(roleName(role))} · ${formatInstant(m.createdAt || m.at, ctx.timezone)}` }), h("p", { text: m.text || m.content || "" }));
      })),
      h("form", { class: "grid-form", onsubmit: async (e) => {
        e.preventDefault();
        if (!text.value.trim()) return;
        try { await post(`/api/conversations/${id}/messages`, { text: text.value.trim() }); text.value = ""; toast(t("Sent."), "ok"); await openConversation(id); }
        catch (err) { showError(error, err.status === 404 ? { message: t("Replying is not available on this server.") } : err); }
      } }, text, error, h("div", { class: "form-buttons" }, h("button", { type: "submit", class: "primary", text: t("Send as staff") }),
        c.status === "handoff" ? h("button", { type: "button", text: t("Hand back to the assistant"), onclick: async () => {
          try { await post(`/api/conversations/${id}/handback`); toast(t("Handed back."), "ok"); await openConversation(id); await load(); }
          catch (err) { showError(error, err.status === 404 ? { message: t("Handing back is not available on this server.") } : err); }
        } }) : null)));
    // Open at the latest message.
    panel.panel.querySelector(".transcript > li:last-child")?.scrollIntoView({ block: "nearest" });
  }

  function roleName(role) {
    return { user: N_("Guest"), guest: N_("Guest"), inbound: N_("Guest"), in: N_("Guest"), assistant: N_("Assistant"), bot: N_("Assistant"), staff: N_("Staff"), outbound: N_("Assistant"), out: N_("Assistant") }[role] || role || "Guest";
  }

  /** Without the conversations API, the transcripts are what the log recorded: each guest message and the reply. */
  async function drawTranscriptsFromLog() {
    const turns = await getAll("/api/ai/activities", { type: "response_generated" }, 100).catch(() => []);
    replace(content, h("p", { class: "notice", text: t("Conversations (staff reply and hand-back) are not available on this server; the transcript below is what the assistant's log recorded.") }),
      turns.length ? h("ol", { class: "transcript" }, ...turns.slice(0, 200).flatMap((a) => [
        h("li", { class: "msg msg-in" }, h("span", { class: "muted small", text: `${t("Guest")} · ${formatInstant(a.createdAt, ctx.timezone)}${a.metadata?.channel ? ` · ${a.metadata.channel}` : ""}` }), h("p", { text: a.message || "" })),
        h("li", { class: "msg msg-out" }, h("span", { class: "muted small", text: t("Assistant") }), h("p", { text: a.response || "" })),
      ])) : empty(t("No conversations yet.")));
  }

  await load();
  // ?conversation=<id> (the header's attention badge): open it.
  const asked = Number(params.get("conversation"));
  if (asked && state.tab === "conversations") requestAnimationFrame(() => openConversation(asked).catch((err) => toast(err.message, "error")));
  return {
    node,
    async refresh() {
      if (content.contains(document.activeElement) && document.activeElement.tagName === "SELECT") return;
      await load();
      if (state.openId && !panel.panel.contains(document.activeElement)) await openConversation(state.openId).catch(() => {});
    },
  };
}
