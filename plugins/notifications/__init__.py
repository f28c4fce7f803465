"""Guest notifications: when staff create, move or cancel a reservation, the guest is told on their channel.

Registered as an ordinary plugin (``plugins.toml``: ``[plugins."plugins.notifications"]``).
Settings: ``max_attempts`` (5), ``backoff_seconds`` (2, doubling), ``max_backoff_seconds``
(300), ``shutdown_grace_seconds`` (10). See :mod:`plugins.notifications.notifier`.
"""

from plugins.notifications.plugin import tobeout_domain_event, tobeout_shutdown, tobeout_startup

__all__ = ["tobeout_domain_event", "tobeout_shutdown", "tobeout_startup"]
