// The guest's manage page: Change and Cancel through the signed-link API (/api/manage/<token>).
// The page arrives complete from the server; this only adds the two actions. No framework, no CDN.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const source = $("manage-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const words = data.texts;
  let view = data.view;
  let chosen = null; // the time picked in the change form

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

  function notice(text, isError) {
    const box = $("notice");
    box.textContent = text;
    box.classList.toggle("error", !!isError);
    if (text) box.focus();
  }

  function show(section) {
    for (const id of ["change", "confirm-cancel"]) $(id).hidden = id !== section;
    $("actions").hidden = !!section || !view.open;
    if (section) $(section).querySelector("h2").focus();
  }

  function render(next) {
    view = next;
    for (const key of ["when", "party", "status"]) {
      const field = document.querySelector(`[data-field="${key}"]`);
      if (field) field.textContent = view.labels[key];
    }
    $("calendar").href = view.calendarUrl;
    $("actions").hidden = !view.open;
    $("closed").hidden = view.open;
    // A moved booking gets a fresh link (its expiry follows the new end): the address bar keeps it.
    history.replaceState(null, "", "/manage/" + view.token + location.search);
  }

  function problem(status, body) {
    if (status === 429) return words.err_rate;
    const code = body && body.code;
    if (code === "booking_closed") return words.closed;
    const byCode = {
      too_soon: words.err_too_soon,
      too_far: words.err_too_far,
      closed: words.err_closed,
      outside_hours: words.err_closed,
      ends_after_close: words.err_closed,
      party_too_large: words.err_party,
      no_suitable_table: words.err_party,
      no_tables: words.err_party,
      in_past: words.err_in_past,
    };
    if (byCode[code]) return byCode[code];
    const detail = (body && ((body.errors && body.errors[0] && body.errors[0].message) || body.message)) || "";
    return fill(words.err_generic, { message: detail });
  }

  async function call(method, path, body) {
    const options = { method, headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch("/api/manage/" + view.token + path, options);
    } catch (error) {
      return { ok: false, status: 0, body: null };
    }
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    return { ok: response.ok, status: response.status, body: answer };
  }

  function timeButton(label, value) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      chosen = value;
      if (value.date) $("date").value = value.date;
      for (const other of $("times").querySelectorAll("button")) other.setAttribute("aria-pressed", String(other === button));
    });
    return button;
  }

  function pick(times, date) {
    const list = $("times");
    list.replaceChildren();
    chosen = null;
    for (const time of times) {
      const button = timeButton(time, { date, time });
      list.append(button);
      if (date === view.reservation.date && time === view.reservation.time) button.click();
    }
  }

  let asked = 0;
  async function loadTimes() {
    const date = $("date").value;
    const guests = $("guests").value;
    const status = $("times-status");
    $("times").replaceChildren();
    chosen = null;
    if (!date) return;
    const mine = ++asked;
    status.textContent = words.times_loading;
    const query = `/times?date=${encodeURIComponent(date)}&guests=${encodeURIComponent(guests)}`;
    const answer = await call("GET", query);
    if (mine !== asked) return; // a later date or party was chosen meanwhile
    if (!answer.ok) {
      status.textContent = answer.status ? problem(answer.status, answer.body) : words.err_network;
      return;
    }
    pick(answer.body.times, date);
    status.textContent = answer.body.times.length ? fill(words.times_found, { n: answer.body.times.length }) : words.no_times;
  }

  async function save(event) {
    event.preventDefault();
    if (!chosen) {
      $("times-status").textContent = words.pick_time;
      return;
    }
    const button = $("save");
    button.disabled = true;
    const answer = await call("PATCH", "", { date: chosen.date, time: chosen.time, guests: Number($("guests").value) });
    button.disabled = false;
    if (answer.ok) {
      render(answer.body);
      show(null);
      notice(words.changed);
      return;
    }
    const body = answer.body || {};
    if (answer.status === 409 && Array.isArray(body.alternatives)) {
      const list = $("times");
      list.replaceChildren(...body.alternatives.map((a) => timeButton(a.date === chosen.date ? a.time : `${a.date} ${a.time}`, a)));
      chosen = null;
      $("times-status").textContent = body.alternatives.length ? words.taken : words.no_times;
      $("times-status").focus();
      return;
    }
    if (answer.status === 409) {
      show(null);
      notice(words.closed, true);
      return;
    }
    $("times-status").textContent = answer.status ? problem(answer.status, body) : words.err_network;
  }

  async function cancel() {
    const button = $("cancel-yes");
    button.disabled = true;
    const answer = await call("POST", "/cancel");
    button.disabled = false;
    show(null);
    if (answer.ok) {
      render(answer.body);
      notice(words.canceled);
    } else {
      notice(answer.status ? problem(answer.status, answer.body) : words.err_network, true);
    }
  }

  $("times-status").tabIndex = -1;
  $("change-open").addEventListener("click", () => {
    notice("");
    $("date").value = view.reservation.date;
    $("guests").value = String(view.reservation.guests);
    show("change");
    loadTimes();
  });
  $("change-back").addEventListener("click", () => {
    show(null);
    $("change-open").focus();
  });
  $("date").addEventListener("change", loadTimes);
  $("guests").addEventListener("change", loadTimes);
  $("change-form").addEventListener("submit", save);
  $("cancel-open").addEventListener("click", () => {
    notice("");
    show("confirm-cancel");
  });
  $("cancel-no").addEventListener("click", () => {
    show(null);
    $("cancel-open").focus();
  });
  $("cancel-yes").addEventListener("click", cancel);
})();
