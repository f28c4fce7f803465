"""What the chat channels (Telegram, WhatsApp) share; not a plugin of its own.

- :mod:`channels.common.background`: tasks kept until they end, drained at shutdown;
- :mod:`channels.common.channel`: the per-process channel object's lifecycle (clients, tasks).

Nothing here imports an SDK or knows a wire format; each channel folder keeps its own.
"""
