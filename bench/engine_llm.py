"""An instant, in-process stand-in for the LLM client, for the engine benchmark.

It has the interface the engine calls on ``core.conversation.llm.LLMClient`` and answers from a
script queued per turn, with the openai SDK's own message types.
"""

from __future__ import annotations

import json
import time
from collections import deque
from typing import Any

from openai.types.chat import ChatCompletionMessage, ChatCompletionMessageFunctionToolCall
from openai.types.chat.chat_completion_message_function_tool_call import Function

from core.conversation.llm import Completion


class InstantLLM:
    """The interface the engine calls on :class:`core.conversation.llm.LLMClient`, answering at once.

    ``await complete(messages, tools)`` -> :class:`Completion` whose ``message`` is the SDK's
    ``ChatCompletionMessage`` (text, or function tool calls), from a script queued per turn.
    ``seconds`` is the time spent in here, subtracted from the engine's wall time.
    """

    def __init__(self) -> None:
        self.steps: deque[tuple[str, Any]] = deque()
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.calls = 0
        self.tool_errors: list[str] = []
        self._ids = 0

    def script(self, *steps: tuple[str, Any]) -> None:
        """Queue the answers of the next calls: ``("text", "...")`` or ``("tool", (name, arguments))``."""
        self.steps.extend(steps)

    async def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> Completion:
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            self.calls += 1
            if messages and messages[-1].get("role") == "tool" and '"error"' in messages[-1]["content"]:
                self.tool_errors.append(messages[-1]["content"][:200])
            kind, payload = self.steps.popleft()
            if kind == "text":
                message = ChatCompletionMessage(role="assistant", content=payload)
            else:
                name, arguments = payload
                self._ids += 1
                message = ChatCompletionMessage(
                    role="assistant",
                    content=None,
                    tool_calls=[
                        ChatCompletionMessageFunctionToolCall(
                            id=f"call_{self._ids}",
                            type="function",
                            function=Function(name=name, arguments=json.dumps(arguments)),
                        )
                    ],
                )
            return Completion(
                message=message,
                model="gpt-4o-bench",
                latency_ms=0,
                attempts=1,
                usage={"prompt_tokens": 900, "completion_tokens": 30, "total_tokens": 930},
            )
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.process_time() - cpu_started

    async def close(self) -> None:
        """Nothing to release (the engine calls this at shutdown)."""


# ------------------------------------------------------------------------- set-up
