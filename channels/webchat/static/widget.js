/*
 * ToBeOut chat widget. Embed on a restaurant's site with:
 *   <script src="https://YOUR-TOBEOUT-HOST/widget.js" data-restaurant="RESTAURANT_ID" async></script>
 * Optional attributes: data-title, data-color, data-open="true", data-lang (else the browser's language).
 * No dependencies. Everything shown is inserted as text (never as HTML).
 * The greeting comes from the bot (GET .../greeting); the widget's own words follow the language the
 * conversation is in. Esc closes the panel and gives the focus back to the button.
 * Two tabs: Chat, and Book (a form: date, party, the free times as buttons, name, phone or e-mail) for
 * visitors who would rather click than chat; the arrow keys move between the tabs.
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
  // ---- tabs: Chat | Book (the WAI-ARIA tabs pattern: one tab in the Tab order, arrows move between them)
  var tabs = el("div", { "class": "tbo-tabs", role: "tablist", "aria-label": "Chat or book" });
  function makeTab(name, label) {
    var t = el("button", { "class": "tbo-tab", type: "button", role: "tab", id: "tbo-tab-" + name + "-" + restaurantId,
      "aria-controls": "tbo-" + name + "-" + restaurantId, "data-tobeout": "tab-" + name }, label);
    tabs.appendChild(t);
    return t;
  }
  var chatTab = makeTab("chat", "Chat"), bookTab = makeTab("book", "Book");
  var chatPane = el("div", { "class": "tbo-pane", role: "tabpanel", id: "tbo-chat-" + restaurantId,
    "aria-labelledby": chatTab.id });
  var bookPane = el("div", { "class": "tbo-pane tbo-bookpane", role: "tabpanel", id: "tbo-book-" + restaurantId,
    "aria-labelledby": bookTab.id, "data-tobeout": "book" });
  chatPane.appendChild(log); chatPane.appendChild(form);
  panel.appendChild(head); panel.appendChild(tabs); panel.appendChild(chatPane); panel.appendChild(bookPane);
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

  // ---- the booking form (GET .../form, .../times; POST .../bookings)
  var formBase = base + "/channels/webchat/" + restaurantId;
  var fx = null; // the form's words and bounds, in the visitor's language
  var picked = null; // the time chosen
  function selectTab(name, focus) {
    var book = name === "book";
    chatTab.setAttribute("aria-selected", String(!book)); bookTab.setAttribute("aria-selected", String(book));
    chatTab.tabIndex = book ? -1 : 0; bookTab.tabIndex = book ? 0 : -1;
    chatPane.hidden = book; bookPane.hidden = !book;
    state.tab = name; save();
    if (book) { loadForm(); }
    if (focus) { (book ? bookTab : chatTab).focus(); }
  }
  chatTab.addEventListener("click", function () { selectTab("chat", true); });
  bookTab.addEventListener("click", function () { selectTab("book", true); });
  tabs.addEventListener("keydown", function (event) {
    var keys = { ArrowLeft: 1, ArrowRight: 1, Home: 1, End: 1 };
    if (!keys[event.key]) { return; }
    event.preventDefault();
    var toBook = event.key === "End" || (event.key !== "Home" && state.tab !== "book");
    selectTab(toBook ? "book" : "chat", true);
  });
  function getJson(url) {
    return fetch(url).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
    });
  }
  function loadForm() {
    if (fx && fx.language === state.lang) { return; }
    getJson(formBase + "/form?lang=" + encodeURIComponent(state.lang || "")).then(function (answer) {
      if (answer.status !== 200) { throw new Error("form"); }
      fx = answer.body; fx.language = state.lang; drawForm();
    }).catch(function () {
      bookPane.textContent = ""; bookPane.appendChild(el("p", { "class": "tbo-note", role: "alert" }, ui.offline));
    });
  }
  var formSeq = 0;
  function fieldRow(parent, label, control) {
    var id = "tbo-f" + (++formSeq) + "-" + restaurantId;
    control.id = id;
    parent.appendChild(el("label", { "for": id }, label));
    parent.appendChild(control);
    return control;
  }
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  function refusal(status, body) {
    var t = fx.texts; body = body || {};
    if (!status) { return t.err_offline; }
    if (status === 429) { return t.err_rate; }
    var byCode = { too_soon: t.err_too_soon, too_far: t.err_too_far, closed: t.err_closed, outside_hours: t.err_closed,
      ends_after_close: t.err_closed, party_too_large: t.err_party, no_suitable_table: t.err_party,
      no_tables: t.err_party, in_past: t.err_in_past };
    if (byCode[body.code]) { return byCode[body.code]; }
    var first = body.errors && body.errors[0];
    if (first && first.path === "phone") { return t.err_phone; }
    if (first && first.path === "email") { return t.err_email; }
    return fill(t.err_generic, { message: (first && first.message) || body.message || "" });
  }
  function drawForm() {
    var t = fx.texts;
    chatTab.textContent = t.tab_chat; bookTab.textContent = t.tab_book; tabs.setAttribute("aria-label", t.tabs);
    bookPane.textContent = "";
    var f = el("form", { "class": "tbo-book", novalidate: "", "data-tobeout": "book-form" });
    var date = fieldRow(f, t.date, el("input", { type: "date", required: "", min: fx.firstDay, max: fx.lastDay,
      "data-tobeout": "book-date" }));
    date.value = fx.firstDay;
    var party = fieldRow(f, t.party, el("select", { "data-tobeout": "book-party" }));
    for (var n = 1; n <= Math.max(fx.maxGuests, 1); n++) { party.appendChild(el("option", { value: String(n) }, String(n))); }
    party.value = fx.maxGuests >= 2 ? "2" : "1";
    var set = el("fieldset", { "class": "tbo-set" });
    set.appendChild(el("legend", {}, t.times));
    var times = el("div", { "class": "tbo-times", "data-tobeout": "book-times" });
    var timesNote = el("p", { "class": "tbo-note", role: "status", "aria-live": "polite" });
    set.appendChild(times); set.appendChild(timesNote); f.appendChild(set);
    var name = fieldRow(f, t.name, el("input", { type: "text", autocomplete: "name", maxlength: "255", required: "",
      "data-tobeout": "book-name" }));
    var hintId = "tbo-hint-" + restaurantId;
    var phone = fieldRow(f, t.phone, el("input", { type: "tel", autocomplete: "tel", maxlength: "50",
      "aria-describedby": hintId, "data-tobeout": "book-phone" }));
    var email = fieldRow(f, t.email, el("input", { type: "email", autocomplete: "email", maxlength: "255",
      "aria-describedby": hintId, "data-tobeout": "book-email" }));
    f.appendChild(el("p", { "class": "tbo-note", id: hintId }, t.contact_hint));
    var submitButton = el("button", { "class": "tbo-submit", type: "submit", "data-tobeout": "book-submit" }, t.submit);
    submitButton.style.background = color;
    f.appendChild(submitButton);
    var result = el("p", { "class": "tbo-result", role: "alert", tabindex: "-1", "data-tobeout": "book-result" });
    f.appendChild(result);
    bookPane.appendChild(f);

    function timeButton(label, value) {
      var b = el("button", { "class": "tbo-time", type: "button", "aria-pressed": "false" }, label);
      b.addEventListener("click", function () {
        picked = value;
        if (value.date) { date.value = value.date; }
        Array.prototype.forEach.call(times.querySelectorAll("button"), function (other) {
          other.setAttribute("aria-pressed", String(other === b));
        });
      });
      return b;
    }
    var asked = 0;
    function loadTimes() {
      picked = null; times.textContent = "";
      if (!date.value) { return; }
      var mine = ++asked;
      timesNote.textContent = t.times_loading;
      var url = formBase + "/times?date=" + encodeURIComponent(date.value) + "&guests=" + encodeURIComponent(party.value);
      getJson(url).then(function (answer) {
        if (mine !== asked) { return; }
        if (answer.status !== 200) { timesNote.textContent = refusal(answer.status, answer.body); return; }
        var list = answer.body.times || [];
        list.forEach(function (time) { times.appendChild(timeButton(time, { date: date.value, time: time })); });
        timesNote.textContent = list.length ? fill(t.times_found, { n: list.length }) : t.no_times;
      }).catch(function () { if (mine === asked) { timesNote.textContent = t.err_offline; } });
    }
    date.addEventListener("change", loadTimes);
    date.addEventListener("input", loadTimes);
    party.addEventListener("change", loadTimes);
    function refuse(text, focusOn) { result.textContent = text; if (focusOn) { focusOn.focus(); } else { result.focus(); } }
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!picked) { return refuse(t.pick_time, times.querySelector("button") || date); }
      if (!name.value.trim()) { return refuse(t.need_name, name); }
      if (!phone.value.trim() && !email.value.trim()) { return refuse(t.need_contact, phone); }
      submitButton.disabled = true; result.textContent = t.sending;
      fetch(formBase + "/bookings", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sessionId: state.sessionId, date: picked.date, time: picked.time,
          guests: Number(party.value), name: name.value, phone: phone.value, email: email.value, language: state.lang })
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
      }).catch(function () { return { status: 0, body: {} }; }).then(function (answer) {
        submitButton.disabled = false;
        var body = answer.body || {};
        if (answer.status === 201) { return booked(body); }
        if (answer.status === 409 && body.alternatives) {
          times.textContent = ""; picked = null;
          body.alternatives.forEach(function (a) {
            times.appendChild(timeButton(a.date === date.value ? a.time : a.date + " " + a.time, a));
          });
          timesNote.textContent = "";
          return refuse(t.taken, times.querySelector("button"));
        }
        var first = body.errors && body.errors[0];
        var at = first && first.path === "email" ? email : first && first.path === "phone" ? phone : null;
        refuse(refusal(answer.status, body), at);
      });
    });
    loadTimes();
  }
  function booked(body) {
    var t = fx.texts;
    bookPane.textContent = "";
    var done = el("div", { "class": "tbo-done", "data-tobeout": "book-done" });
    var said = el("p", { "class": "tbo-result", role: "status", tabindex: "-1" }, body.message + " " + t.booked_next);
    done.appendChild(said);
    if (body.manageUrl) {
      done.appendChild(el("a", { href: body.manageUrl, target: "_blank", rel: "noopener", "class": "tbo-link" }, t.manage));
    }
    if (body.calendarUrl) {
      done.appendChild(el("a", { href: body.calendarUrl, download: "", "class": "tbo-link" }, t.calendar));
    }
    var again = el("button", { "class": "tbo-choice", type: "button" }, t.another);
    again.style.borderColor = color; again.style.color = color;
    again.addEventListener("click", function () { drawForm(); bookPane.querySelector("input").focus(); });
    done.appendChild(again);
    bookPane.appendChild(done);
    said.focus();
  }

  if (!state.lang) { state.lang = script.getAttribute("data-lang") || navigator.language || ""; }
  selectTab(state.tab === "book" ? "book" : "chat", false);
  redraw();
  loadTexts(state.lang);
  if (state.open || script.getAttribute("data-open") === "true") { open(); } else { fetchPending(); }
})();
