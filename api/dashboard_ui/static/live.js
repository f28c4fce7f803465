// The live connection: /api/events (Server-Sent Events). When the stream drops it reconnects by itself;
// on every reconnect the page refetches what it shows (an event missed while away is never lost),
// and while it is down the header says so.

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
  }

  start() {
    this.stopped = false;
    this.connect();
    window.addEventListener("online", () => this.reconnectSoon(0));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
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
      this.onState("online");
      if (this.everOpen && this.wasDown) this.onResync();
      this.everOpen = true;
      this.wasDown = false;
    };
    source.onerror = () => {
      this.wasDown = true;
      this.onState("offline");
      // The browser retries by itself while readyState is CONNECTING; a refused stream (CLOSED) is retried here.
      if (source.readyState === EventSource.CLOSED) this.reconnectSoon(this.delay);
    };
    source.onmessage = (message) => this.dispatch(message);
    for (const type of EVENT_TYPES) source.addEventListener(type, (message) => this.dispatch(message));
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
  "conversation.message", "conversation.handoff", "conversation.handback",
];
