"""A fake Telegram Bot API server for python-telegram-bot (and any other HTTP client).

PTB posts to ``{base_url}{token}/{method}`` (form-encoded, non-string values JSON-encoded;
multipart when uploading files); JSON bodies and query strings are accepted too::

    with FakeTelegram() as fake:
        fake.add_bot("123:ABC", "ToBeOutBot", 123)
        bot = telegram.Bot("123:ABC", base_url=fake.base_url, base_file_url=fake.base_file_url)
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .base import FakeServer, RecordedRequest, Reply

# Parameters that are strings on the wire and must not be JSON-decoded ("123" stays "123").
_STRING_PARAMS = {
    "text",
    "caption",
    "url",
    "secret_token",
    "parse_mode",
    "callback_query_id",
    "inline_message_id",
    "ip_address",
    "description",
    "short_description",
    "name",
    "title",
    "query",
    "file_id",
    "data",
    "language_code",
}


@dataclass
class _Bot:
    token: str
    username: str
    bot_id: int
    first_name: str
    webhook: dict[str, Any] = field(default_factory=dict)
    updates: list[dict] = field(default_factory=list)
    next_update_id: int = 1
    next_message_id: int = 1
    messages: dict[tuple[Any, int], dict] = field(default_factory=dict)  # (chat_id, message_id)

    def user(self) -> dict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.first_name, "username": self.username}


def _decode(params: dict[str, Any]) -> dict[str, Any]:
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, str) and key not in _STRING_PARAMS:
            with contextlib.suppress(ValueError):
                out[key] = json.loads(value)
    return out


def _ok(result: Any) -> Reply:
    return Reply(200, {"ok": True, "result": result})


def _fail(status: int, description: str, parameters: dict | None = None) -> Reply:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Reply(status, body)


def message_update(
    chat_id: int,
    text: str,
    *,
    update_id: int | None = None,
    user_id: int | None = None,
    first_name: str = "Guest",
    username: str | None = None,
    message_id: int = 1,
) -> dict:
    """A Telegram ``Update`` carrying a private text message from a user (for webhooks/getUpdates)."""
    user = {"id": user_id or chat_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    update = {
        "message": {
            "message_id": message_id,
            "date": int(time.time()),
            "from": user,
            "chat": {"id": chat_id, "type": "private", "first_name": first_name},
            "text": text,
        }
    }
    if text.startswith("/"):
        update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, **update} if update_id is not None else update


def callback_query_update(
    chat_id: int,
    data: str,
    *,
    update_id: int | None = None,
    message_id: int = 1,
    query_id: str = "cbq-1",
    user_id: int | None = None,
    first_name: str = "Guest",
    bot_id: int = 1,
) -> dict:
    """A Telegram ``Update`` for an inline-keyboard button press on message ``message_id``."""
    user = {"id": user_id or chat_id, "is_bot": False, "first_name": first_name}
    message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": first_name},
        "from": {"id": bot_id, "is_bot": True, "first_name": "Bot"},
        "text": "...",
    }
    update = {
        "callback_query": {
            "id": query_id,
            "from": user,
            "chat_instance": str(chat_id),
            "message": message,
            "data": data,
        }
    }
    return {"update_id": update_id, **update} if update_id is not None else update


class FakeTelegram(FakeServer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._bots: dict[str, _Bot] = {}
        self._failures: list[dict] = []
        self._updates_cv = threading.Condition(self._lock)

    @property
    def base_url(self) -> str:
        """PTB ``Bot(base_url=...)`` / TELEGRAM_API_BASE_URL: ``http://127.0.0.1:PORT/bot``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # ---- scripting -------------------------------------------------------------------
    def add_bot(
        self, token: str, username: str = "ToBeOutBot", bot_id: int | None = None, first_name: str | None = None
    ) -> None:
        bot_id = bot_id if bot_id is not None else int(token.split(":")[0])
        with self._lock:
            self._bots[token] = _Bot(token, username, bot_id, first_name or username)

    def queue_update(self, token: str, update: dict) -> int:
        """Queue an update for getUpdates; assigns ``update_id`` if missing. Returns the id."""
        with self._lock:
            bot = self._bots[token]
            update = dict(update)
            update.setdefault("update_id", bot.next_update_id)
            bot.next_update_id = max(bot.next_update_id, update["update_id"]) + 1
            bot.updates.append(update)
            self._updates_cv.notify_all()
            return update["update_id"]

    def fail_next(
        self,
        token: str | None,
        method: str,
        status: int,
        description: str,
        times: int = 1,
        *,
        retry_after: int | None = None,
        delay: float = 0,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (any bot if ``token`` is None) fail.

        429 carries ``parameters.retry_after`` (default 1s). ``delay`` holds the reply first.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            self._failures.append(
                {
                    "token": token,
                    "method": method.lower(),
                    "status": status,
                    "description": description,
                    "times": times,
                    "retry_after": retry_after,
                    "delay": delay,
                }
            )

    def delay_next(self, token: str | None, method: str, seconds: float, times: int = 1) -> None:
        """Hold the next ``times`` replies to ``method`` (with a short client timeout: TimedOut)."""
        self.fail_next(token, method, 200, "", times, delay=seconds)

    # ---- inspection ------------------------------------------------------------------
    def calls(self, token: str, method: str | None = None) -> list[dict]:
        """Decoded params of every API call made with ``token`` (optionally one method)."""
        method = method.lower() if method else None
        return [
            self._params(r)
            for r in self.requests
            if (p := self._parse_path(r.path)) and p[0] == token and method in (None, p[1].lower())
        ]

    def sent_messages(self, token: str, chat_id: int | str | None = None) -> list[dict]:
        """Params of every accepted sendMessage call (chat_id as int, reply_markup as dict)."""
        with self._lock:
            bot = self._bots[token]
            return [dict(m["params"]) for (chat, _), m in bot.messages.items() if chat_id in (None, chat)]

    def webhook(self, token: str) -> dict:
        """The stored setWebhook params (url, secret_token, allowed_updates, ...); {} if none."""
        with self._lock:
            return dict(self._bots[token].webhook)

    def message(self, token: str, chat_id: int | str, message_id: int) -> dict | None:
        """The stored Message JSON (after edits) of a message the bot sent."""
        with self._lock:
            entry = self._bots[token].messages.get((chat_id, message_id))
            return dict(entry["message"]) if entry else None

    # ---- server ----------------------------------------------------------------------
    @staticmethod
    def _parse_path(path: str) -> tuple[str, str] | None:
        parts = path.split("/")  # "", "bot<token>", "<method>"
        if len(parts) == 3 and parts[1].startswith("bot"):
            return parts[1][3:], parts[2]
        return None

    @staticmethod
    def _params(request: RecordedRequest) -> dict[str, Any]:
        body = request.body if isinstance(request.body, dict) else {}
        if request.headers.get("content-type", "").startswith("application/json"):
            return {**_decode(request.query), **body}  # JSON bodies are already typed
        return _decode({**request.query, **body})

    def handle(self, request: RecordedRequest) -> Reply:
        parsed = self._parse_path(request.path)
        if parsed is None:
            return _fail(404, "Not Found")
        token, method = parsed
        with self._lock:
            bot = self._bots.get(token)
            failure = self._take_failure(token, method.lower()) if bot else None
        if bot is None:
            return _fail(401, "Unauthorized")
        if failure:
            self.sleep(failure["delay"])
            if failure["status"] != 200:
                params = {"retry_after": failure["retry_after"]} if failure["retry_after"] else None
                return _fail(failure["status"], failure["description"], params)
        params = self._params(request)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _ok(True)
        return handler(bot, params)

    def _take_failure(self, token: str, method: str) -> dict | None:
        for failure in self._failures:
            if failure["method"] == method and failure["token"] in (None, token):
                failure["times"] -= 1
                if failure["times"] <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _m_getme(self, bot: _Bot, params: dict) -> Reply:
        return _ok(
            {
                **bot.user(),
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        )

    def _m_setwebhook(self, bot: _Bot, params: dict) -> Reply:
        if not params.get("url"):
            return self._m_deletewebhook(bot, params)
        with self._lock:
            bot.webhook = params
            if params.get("drop_pending_updates"):
                bot.updates.clear()
        return _ok(True)

    def _m_deletewebhook(self, bot: _Bot, params: dict) -> Reply:
        with self._lock:
            bot.webhook = {}
            if params.get("drop_pending_updates"):
                bot.updates.clear()
        return _ok(True)

    def _m_getwebhookinfo(self, bot: _Bot, params: dict) -> Reply:
        with self._lock:
            info = {
                "url": bot.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(bot.updates),
            }
            for key in ("max_connections", "allowed_updates", "ip_address"):
                if key in bot.webhook:
                    info[key] = bot.webhook[key]
        return _ok(info)

    def _m_sendmessage(self, bot: _Bot, params: dict) -> Reply:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            return _fail(400, "Bad Request: chat_id is empty")
        if not params.get("text"):
            return _fail(400, "Bad Request: message text is empty")
        with self._lock:
            message_id = bot.next_message_id
            bot.next_message_id += 1
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "from": bot.user(),
                "chat": self._chat(chat_id),
                "text": params["text"],
            }
            if isinstance(params.get("reply_markup"), dict) and "inline_keyboard" in params["reply_markup"]:
                message["reply_markup"] = params["reply_markup"]
            bot.messages[(chat_id, message_id)] = {"params": params, "message": message}
        return _ok(message)

    @staticmethod
    def _chat(chat_id: int | str) -> dict:
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Guest"}
        if isinstance(chat_id, int):
            return {"id": chat_id, "type": "supergroup", "title": "Group"}
        return {"id": -1000000000001, "type": "channel", "title": str(chat_id), "username": str(chat_id)[1:]}

    def _m_answercallbackquery(self, bot: _Bot, params: dict) -> Reply:
        if not params.get("callback_query_id"):
            return _fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return _ok(True)

    def _m_editmessagereplymarkup(self, bot: _Bot, params: dict) -> Reply:
        if params.get("inline_message_id"):
            return _ok(True)
        key = (params.get("chat_id"), params.get("message_id"))
        with self._lock:
            entry = bot.messages.get(key)
            message = (
                dict(entry["message"])
                if entry
                else {
                    "message_id": key[1],
                    "date": int(time.time()),
                    "from": bot.user(),
                    "chat": self._chat(key[0]),
                    "text": "...",
                }
            )
            message.pop("reply_markup", None)
            if isinstance(params.get("reply_markup"), dict) and params["reply_markup"].get("inline_keyboard"):
                message["reply_markup"] = params["reply_markup"]
            message["edit_date"] = int(time.time())
            if entry:
                entry["message"] = message
        return _ok(message)

    def _m_getupdates(self, bot: _Bot, params: dict) -> Reply:
        if bot.webhook.get("url"):
            return _fail(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 30)
        with self._updates_cv:
            while True:
                if offset:
                    bot.updates[:] = [u for u in bot.updates if u["update_id"] >= offset]
                if bot.updates or self._stopping.is_set() or time.monotonic() >= deadline:
                    return _ok(bot.updates[:limit])
                self._updates_cv.wait(min(0.05, deadline - time.monotonic()))
