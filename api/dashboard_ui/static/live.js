// The live connection: /api/events (Server-Sent Events). When the stream drops it reconnects by itself;
// on every reconnect the page refetches what it shows (an event missed while away is never lost),
// and while it is down the header says so.
// A stream can look open while the server is gone (a frozen or unplugged server, a proxy holding the connection,
// a server draining its requests before it stops): while the stream is open, a watchdog asks /healthz every
// PROBE_EVERY ms and, when no answer comes within PROBE_TIMEOUT ms, calls the connection lost and reconnects.
// So the header says Offline at most PROBE_EVERY + PROBE_TIMEOUT (4.5 s) after the server stops answering.

export const PROBE_EVERY = 2000;
export const PROBE_TIMEOUT = 2500;

export class Live {
  constructor({ onEvent, onResync, onState, url = "/api/events" }) {
    this.onEvent = onEvent;
    this.onResync = onResync;
    this.onState = onState;
    this.url = url;
    this.source = null;
    this.everOpen = false;
    this.wasDown = false;
    this.retry = null;
    this.delay = 1000;
    this.stopped = false;
    this.watchdog = null;
    this.online = false;
  }

  start() {
    this.stopped = false;
    this.connect();
    window.addEventListener("online", () => this.reconnectSoon(0));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    clearTimeout(this.watchdog);
    if (this.source) this.source.close();
    this.source = null;
  }

  connect() {
    if (this.stopped) return;
    if (this.source) this.source.close();
    const source = new EventSource(this.url, { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.delay = 1000;
      this.online = true;
      this.watch(source);
      this.onState("online");
      if (this.everOpen && this.wasDown) this.onResync();
      this.everOpen = true;
      this.wasDown = false;
    };
    source.onerror = () => {
      this.online = false;
      this.wasDown = true;
      this.onState("offline");
      // The browser retries by itself while readyState is CONNECTING; a refused stream (CLOSED) is retried here.
      if (source.readyState === EventSource.CLOSED) this.reconnectSoon(this.delay);
    };
    source.onmessage = (message) => this.dispatch(message);
    for (const type of EVENT_TYPES) source.addEventListener(type, (message) => this.dispatch(message));
  }

  /** While `source` is the open stream, probe the server; no answer in time: the connection is lost. */
  watch(source) {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(async () => {
      if (this.stopped || this.source !== source || !this.online) return;
      if (await this.answers()) return this.watch(source);
      if (this.source !== source || this.stopped) return;
      this.online = false;
      this.wasDown = true;
      source.close();
      this.onState("offline");
      this.reconnectSoon(this.delay);
    }, PROBE_EVERY);
  }

  /** Whether the server answers /healthz within PROBE_TIMEOUT. */
  async answers() {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT);
    try {
      const response = await fetch("/healthz", { cache: "no-store", credentials: "same-origin", signal: abort.signal });
      return response.ok;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  reconnectSoon(ms) {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.connect(), ms);
    this.delay = Math.min(this.delay * 2, 15000);
  }

  dispatch(message) {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    this.onEvent(event);
  }
}

// SSE delivers named events only to listeners of that name; these are the domain events of docs/api.md.
const EVENT_TYPES = [
  "reservation.created", "reservation.updated", "reservation.status_changed", "reservation.canceled",
  "table.changed", "hours.changed", "restaurant.changed", "guest.changed", "integration.changed",
  "conversation.message", "conversation.handoff", "conversation.handback", "waitlist.changed",
];
