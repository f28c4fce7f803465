"""What the chat channels (Telegram, WhatsApp) share; not a plugin of its own.

- :mod:`channels.common.background`: tasks kept until they end, drained at shutdown;
- :mod:`channels.common.channel`: the per-process channel object's lifecycle (clients, tasks, forget, close),
  and the adapter's error when the channel is off;
- :mod:`channels.common.settings`: stored settings helpers (secrets box, webhook URL, masked values);
- :mod:`channels.common.status`: a restaurant's channel status, cached for ``/readyz``, and the readiness report;
- :mod:`channels.common.plugin`: the hook implementations' shared parts (one channel object per process);
- :mod:`channels.common.texts`: long replies cut in pieces, the answer to a message without text.

Nothing here imports an SDK or knows a wire format; each channel folder keeps its own.
"""
