/*
 * ToBeOut chat widget. Embed on a restaurant's site with:
 *   <script src="https://YOUR-TOBEOUT-HOST/widget.js" data-restaurant="RESTAURANT_ID" async></script>
 * Optional attributes: data-title, data-color, data-open="true".
 * No dependencies. Everything shown is inserted as text (never as HTML).
 */
(function () {
  "use strict";
  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[data-restaurant]");
    return all[all.length - 1];
  })();
  if (!script || window.__tobeoutWidget) { return; }
  window.__tobeoutWidget = true;

  var restaurantId = (script.getAttribute("data-restaurant") || "").trim();
  if (!/^[0-9]+$/.test(restaurantId)) {
    if (window.console) { console.error("ToBeOut widget: data-restaurant must be the restaurant's id"); }
    return;
  }
  var base = new URL(script.src, window.location.href).origin;
  var endpoint = base + "/channels/webchat/" + restaurantId + "/messages";
  var title = script.getAttribute("data-title") || "Book a table";
  var color = script.getAttribute("data-color") || "#1f6f5c";
  var storeKey = "tobeout:" + base + ":" + restaurantId;

  function randomId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var s = ""; for (var i = 0; i < 32; i++) { s += Math.floor(Math.random() * 16).toString(16); }
    return s;
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode: session only */ }
  }
  var state = load();
  if (!state.sessionId) { state.sessionId = randomId(); }
  if (!Array.isArray(state.log)) { state.log = []; }
  save();

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var css = ".tbo-button{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;" +
    "padding:14px 20px;font:600 15px system-ui,sans-serif;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".tbo-panel{position:fixed;right:20px;bottom:84px;z-index:2147483000;width:340px;max-width:calc(100vw - 40px);" +
    "height:480px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;border-radius:14px;" +
    "box-shadow:0 8px 30px rgba(0,0,0,.3);font:14px system-ui,sans-serif;color:#222;overflow:hidden}" +
    ".tbo-panel.tbo-open{display:flex}.tbo-head{padding:12px 16px;color:#fff;font-weight:600;display:flex;" +
    "justify-content:space-between;align-items:center}.tbo-close{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}" +
    ".tbo-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f6f4}" +
    ".tbo-msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}" +
    ".tbo-guest{align-self:flex-end;color:#fff}.tbo-bot{align-self:flex-start;background:#fff;border:1px solid #e2e2de}" +
    ".tbo-choices{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}" +
    ".tbo-choice{border:1px solid;background:#fff;border-radius:16px;padding:6px 12px;cursor:pointer;font:inherit}" +
    ".tbo-form{display:flex;border-top:1px solid #e2e2de}.tbo-input{flex:1;border:0;padding:12px;font:inherit;outline:none}" +
    ".tbo-send{border:0;color:#fff;padding:0 16px;font:600 14px system-ui,sans-serif;cursor:pointer}" +
    ".tbo-typing{align-self:flex-start;color:#888;font-style:italic}";
  var style = el("style"); style.textContent = css; document.head.appendChild(style);

  var button = el("button", { "class": "tbo-button", type: "button", "aria-label": title, "data-tobeout": "open" }, title);
  button.style.background = color;
  var panel = el("div", { "class": "tbo-panel", role: "dialog", "aria-label": title, "data-tobeout": "panel" });
  var head = el("div", { "class": "tbo-head" }); head.style.background = color;
  head.appendChild(el("span", {}, title));
  var close = el("button", { "class": "tbo-close", type: "button", "aria-label": "Close" }, "\u00d7");
  head.appendChild(close);
  var log = el("div", { "class": "tbo-log", "aria-live": "polite", "data-tobeout": "log" });
  var form = el("form", { "class": "tbo-form" });
  var input = el("input", { "class": "tbo-input", type: "text", maxlength: "1000", autocomplete: "off",
    placeholder: "Type a message\u2026", "aria-label": "Message", "data-tobeout": "input" });
  var send = el("button", { "class": "tbo-send", type: "submit", "data-tobeout": "send" }, "Send");
  send.style.background = color;
  form.appendChild(input); form.appendChild(send);
  panel.appendChild(head); panel.appendChild(log); panel.appendChild(form);
  document.body.appendChild(button); document.body.appendChild(panel);

  function render(entry, isLast) {
    var bubble = el("div", { "class": "tbo-msg " + (entry.from === "guest" ? "tbo-guest" : "tbo-bot") }, entry.text);
    if (entry.from === "guest") { bubble.style.background = color; }
    log.appendChild(bubble);
    if (isLast && entry.choices && entry.choices.length) {
      var row = el("div", { "class": "tbo-choices", "data-tobeout": "choices" });
      entry.choices.forEach(function (choice) {
        var b = el("button", { "class": "tbo-choice", type: "button" }, String(choice.label));
        b.style.borderColor = color; b.style.color = color;
        b.addEventListener("click", function () { submit(String(choice.value), String(choice.label)); });
        row.appendChild(b);
      });
      log.appendChild(row);
    }
  }
  function redraw() {
    log.textContent = "";
    state.log.forEach(function (entry, i) { render(entry, i === state.log.length - 1); });
    if (busy) { log.appendChild(el("div", { "class": "tbo-typing" }, "\u2026")); }
    log.scrollTop = log.scrollHeight;
  }
  function add(entry) {
    state.log.push(entry);
    if (state.log.length > 200) { state.log = state.log.slice(-200); }
    save(); redraw();
  }

  var busy = false;
  var queue = [];
  function post(message, attempt) {
    return fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sessionId: state.sessionId, text: message.text, messageId: message.id })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) { return body.replies || []; }
        if (response.status >= 500 && attempt < 3) { throw new Error("retry"); }
        return [{ text: body.message || "Sorry, something went wrong. Please try again." }];
      });
    }).catch(function (error) {
      if (attempt < 3) {
        // Same messageId on retry: the server handles a message once, however often it arrives.
        return new Promise(function (r) { setTimeout(r, 800 * (attempt + 1)); })
          .then(function () { return post(message, attempt + 1); });
      }
      return [{ text: "We could not reach the restaurant. Please check your connection and try again." }];
    });
  }
  function pump() {
    if (busy || !queue.length) { return; }
    busy = true; redraw();
    var message = queue.shift();
    post(message, 0).then(function (replies) {
      busy = false;
      replies.forEach(function (reply) { add({ from: "bot", text: String(reply.text || ""), choices: reply.choices || [] }); });
      redraw(); pump();
    });
  }
  function submit(text, shown) {
    text = (text || "").trim();
    if (!text) { return; }
    add({ from: "guest", text: shown || text });
    queue.push({ text: text, id: randomId() });
    pump();
  }

  // Messages the restaurant sent while no request was open (a staff change, a reminder): fetched when the
  // page loads, when the panel opens and every few seconds while it is open. Fetching marks them delivered.
  var pollTimer = null;
  function fetchPending() {
    var url = endpoint + "?sessionId=" + encodeURIComponent(state.sessionId) +
      (state.outboxAfter ? "&after=" + state.outboxAfter : "");
    return fetch(url).then(function (response) {
      return response.ok ? response.json() : { replies: [] };
    }).then(function (body) {
      (body.replies || []).forEach(function (reply) {
        if (reply.id && state.outboxAfter && reply.id <= state.outboxAfter) { return; }  // shown already
        add({ from: "bot", text: String(reply.text || ""), choices: reply.choices || [] });
        if (reply.id) { state.outboxAfter = Math.max(state.outboxAfter || 0, reply.id); save(); }
      });
    }).catch(function () { /* offline for now: the next poll tries again */ });
  }
  function polling(on) {
    if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
    if (on) { pollTimer = setInterval(function () { if (!document.hidden) { fetchPending(); } }, 4000); }
  }

  function open() {
    panel.classList.add("tbo-open"); state.open = true; save(); input.focus(); fetchPending(); polling(true);
    if (!state.log.length && !state.greeted) { state.greeted = true; save(); submit("/start", "\ud83d\udc4b"); }
  }
  function hide() { panel.classList.remove("tbo-open"); state.open = false; save(); polling(false); }
  button.addEventListener("click", function () { panel.classList.contains("tbo-open") ? hide() : open(); });
  close.addEventListener("click", hide);
  form.addEventListener("submit", function (event) { event.preventDefault(); var t = input.value; input.value = ""; submit(t); });

  redraw();
  if (state.open || script.getAttribute("data-open") === "true") { open(); } else { fetchPending(); }
})();
