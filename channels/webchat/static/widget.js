/*
 * ToBeOut chat widget. Embed on a restaurant's site with:
 *   <script src="https://YOUR-TOBEOUT-HOST/widget.js" data-restaurant="RESTAURANT_ID" async></script>
 * Optional attributes: data-title, data-color, data-open="true", data-lang (else the browser's language).
 * No dependencies. Everything shown is inserted as text (never as HTML).
 * The greeting comes from the bot (GET .../greeting); the widget's own words follow the language the
 * conversation is in. Esc closes the panel and gives the focus back to the button.
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
  var greetingEndpoint = base + "/channels/webchat/" + restaurantId + "/greeting";
  var customTitle = script.getAttribute("data-title");
  // The widget's own words; replaced by the restaurant's service in the visitor's language (see loadTexts).
  var ui = { title: customTitle || "Book a table", placeholder: "Type a message\u2026", send: "Send", close: "Close",
    open: "Open the chat", log: "Conversation",
    offline: "We could not reach the restaurant. Please check your connection and try again.",
    error: "Sorry, something went wrong. Please try again." };
  var title = ui.title;
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

  var button = el("button", { "class": "tbo-button", type: "button", "aria-label": title, "data-tobeout": "open",
    "aria-expanded": "false", "aria-controls": "tbo-panel-" + restaurantId }, title);
  button.style.background = color;
  var panel = el("div", { "class": "tbo-panel", role: "dialog", "aria-label": title, "data-tobeout": "panel",
    id: "tbo-panel-" + restaurantId });
  var head = el("div", { "class": "tbo-head" }); head.style.background = color;
  var heading = el("span", { "data-tobeout": "title" }, title);
  head.appendChild(heading);
  var close = el("button", { "class": "tbo-close", type: "button", "aria-label": "Close", "data-tobeout": "close" }, "\u00d7");
  head.appendChild(close);
  var log = el("div", { "class": "tbo-log", "aria-live": "polite", "data-tobeout": "log", role: "log" });
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
        b.addEventListener("click", function () {
          submit(String(choice.value), String(choice.label));
          input.focus(); // the buttons are redrawn: keep the keyboard where the visitor types
        });
        row.appendChild(b);
      });
      log.appendChild(row);
    }
  }
  function scrollToLatest() { log.scrollTop = log.scrollHeight; }
  function redraw() {
    log.textContent = "";
    state.log.forEach(function (entry, i) { render(entry, i === state.log.length - 1); });
    if (busy) { log.appendChild(el("div", { "class": "tbo-typing" }, "\u2026")); }
    scrollToLatest();
  }

  // ---- language: the widget's words follow the conversation's language
  function applyTexts(texts) {
    Object.keys(texts || {}).forEach(function (k) { ui[k] = String(texts[k]); });
    if (customTitle) { ui.title = customTitle; }
    button.textContent = ui.title; button.setAttribute("aria-label", ui.title);
    panel.setAttribute("aria-label", ui.title); heading.textContent = ui.title;
    close.setAttribute("aria-label", ui.close);
    input.setAttribute("placeholder", ui.placeholder); input.setAttribute("aria-label", ui.placeholder);
    send.textContent = ui.send; log.setAttribute("aria-label", ui.log);
    panel.setAttribute("lang", state.lang || "");
  }
  function loadTexts(language) {
    var url = greetingEndpoint + (language ? "?lang=" + encodeURIComponent(language) : "");
    return fetch(url).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (!body) { return null; }
      state.lang = body.language; save(); applyTexts(body.ui);
      return body;
    }).catch(function () { return null; });
  }
  function followLanguage(language) {
    if (language && language !== state.lang) { state.lang = language; save(); loadTexts(language); }
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
        if (response.ok) { return body; }
        if (response.status >= 500 && attempt < 3) { throw new Error("retry"); }
        return { replies: [{ text: body.message || ui.error }] };
      });
    }).catch(function (error) {
      if (attempt < 3) {
        // Same messageId on retry: the server handles a message once, however often it arrives.
        return new Promise(function (r) { setTimeout(r, 800 * (attempt + 1)); })
          .then(function () { return post(message, attempt + 1); });
      }
      return { replies: [{ text: ui.offline }] };
    });
  }
  function pump() {
    if (busy || !queue.length) { return; }
    busy = true; redraw();
    var message = queue.shift();
    post(message, 0).then(function (body) {
      busy = false;
      followLanguage(body.language);
      (body.replies || []).forEach(function (reply) { add({ from: "bot", text: String(reply.text || ""), choices: reply.choices || [] }); });
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

  function greet() {
    // The bot opens the conversation; nothing is sent on the visitor's behalf.
    if (state.log.length || state.greeted) { return; }
    state.greeted = true; save();
    loadTexts(state.lang).then(function (body) {
      if (body && body.greeting && !state.log.length) {
        add({ from: "bot", text: String(body.greeting.text || ""), choices: body.greeting.choices || [] });
      }
    });
  }
  function open() {
    panel.classList.add("tbo-open"); state.open = true; save();
    button.setAttribute("aria-expanded", "true");
    scrollToLatest(); // the panel was hidden: only now does the log have a height to scroll
    input.focus();
    greet();
    fetchPending(); polling(true);
  }
  function hide(focusButton) {
    panel.classList.remove("tbo-open"); state.open = false; save();
    button.setAttribute("aria-expanded", "false");
    polling(false);
    if (focusButton) { button.focus(); }
  }
  button.addEventListener("click", function () { panel.classList.contains("tbo-open") ? hide(false) : open(); });
  close.addEventListener("click", function () { hide(true); });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && panel.classList.contains("tbo-open")) {
      event.preventDefault(); hide(true);
    }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); var t = input.value; input.value = ""; submit(t); });

  if (!state.lang) { state.lang = script.getAttribute("data-lang") || navigator.language || ""; }
  redraw();
  loadTexts(state.lang);
  if (state.open || script.getAttribute("data-open") === "true") { open(); } else { fetchPending(); }
})();
