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

  // A stylesheet of this service, not an inline <style>: pages with a strict CSP (ours too) refuse inline styles.
  // The widget stays hidden until it has its look.
  var sheet = el("link", { rel: "stylesheet", href: base + "/widget.css" });
  document.head.appendChild(sheet);

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
  button.hidden = true; panel.hidden = true;
  function show() { button.hidden = false; panel.hidden = false; }
  sheet.addEventListener("load", show); sheet.addEventListener("error", show);
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

  function open() {
    panel.classList.add("tbo-open"); state.open = true; save(); input.focus();
    if (!state.log.length && !state.greeted) { state.greeted = true; save(); submit("/start", "\ud83d\udc4b"); }
  }
  function hide() { panel.classList.remove("tbo-open"); state.open = false; save(); }
  button.addEventListener("click", function () { panel.classList.contains("tbo-open") ? hide() : open(); });
  close.addEventListener("click", hide);
  form.addEventListener("submit", function (event) { event.preventDefault(); var t = input.value; input.value = ""; submit(t); });

  redraw();
  if (state.open || script.getAttribute("data-open") === "true") { open(); }
})();
