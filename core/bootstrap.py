"""Start-up and shut-down of a process's :class:`core.runtime.Runtime`.

The runtime only holds the process's services; this module fills in what the plugins offer once the
database, cache and bus are up (``before_serving``, before ``tobeout_startup``): the integration types,
the channel adapters and the conversation engine. A plugin failing here stops start-up with its name.
"""

from __future__ import annotations

import logging

from core.conversation import understanding
from core.conversation.engine import ConversationEngine
from core.integrations import collect_integration_types
from core.plugins import call_hook_each
from core.runtime import ChannelAdapter, Runtime

log = logging.getLogger(__name__)


async def start_runtime(runtime: Runtime) -> None:
    """Collect the plugins' integration types and channel adapters, then build the conversation engine
    (once: a runtime already started keeps its engine), collect its tools and warm its understanding up."""
    runtime.integrations = await collect_integration_types(runtime)
    runtime.channels = await collect_channels(runtime)
    if not runtime.started:
        engine = ConversationEngine(runtime)
        runtime.engine = engine
        await engine.tools()
        understanding.warm_up()


async def collect_channels(runtime: Runtime) -> dict[str, ChannelAdapter]:
    """The channel adapters the plugins offer (``tobeout_channels``) by name; the first of a name wins."""
    channels: dict[str, ChannelAdapter] = {}
    for _plugin, result in await call_hook_each(runtime.plugins, "tobeout_channels", runtime=runtime):
        for adapter in result if isinstance(result, list | tuple) else [result]:
            if isinstance(adapter, ChannelAdapter):
                channels.setdefault(adapter.name, adapter)
            elif adapter is not None:
                log.warning("ignoring a channel adapter without a name and send(): %r", adapter)
    return channels


async def stop_runtime(runtime: Runtime) -> None:
    """Release what :func:`start_runtime` built (the engine's LLM clients)."""
    if runtime.started:
        await runtime.engine.close()
