"""The waitlist offered through the chat: freed tables offered to waiting parties, answered yes or no.

Registered as an ordinary plugin (``plugins.toml``: ``[plugins."plugins.waitlist"]``). The domain is
:mod:`core.booking.waitlist`; this plugin brings its worker job (:mod:`plugins.waitlist.job`: expire,
recover, offer, at every poll and at once when the bus says a table was freed), the words of its
messages being the core's (:mod:`core.booking.waitlist_texts`), and the ``/waitlist`` conversation command
that handles the guest's answer (:mod:`plugins.waitlist.answers`). How long an offered table is held is the
restaurant's ``waitlistHoldMinutes`` (profile API, default 10).
"""

from plugins.waitlist.plugin import (
    tobeout_conversation_commands,
    tobeout_conversation_tools,
    tobeout_plugin_settings,
    tobeout_worker_jobs,
)

__all__ = [
    "tobeout_conversation_commands",
    "tobeout_conversation_tools",
    "tobeout_plugin_settings",
    "tobeout_worker_jobs",
]
