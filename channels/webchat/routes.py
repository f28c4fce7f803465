"""HTTP routes of the web chat channel."""

from __future__ import annotations

import asyncio
import html
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from quart import Blueprint, Response, current_app, jsonify, request
from quart_schema import hide

from channels.webchat import texts
from channels.webchat.outbox import WebchatAdapter
from channels.webchat.settings import PLUGIN, WebchatSettings
from core.booking import reads
from core.conversation.types import InboundMessage
from core.jsontypes import JSON, JSONObject
from core.models import Restaurant
from core.runtime import runtime_of

CHANNEL = "webchat"
STATIC = Path(__file__).resolve().parent / "static"
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,100}$")
MAX_TEXT = 1000
REPLY_TTL = 600
FOREIGN_ORIGIN = "This site may not use this restaurant's chat."

blueprint = Blueprint("webchat", __name__)


def _error(message: str, status: int) -> tuple[Response, int]:
    return jsonify({"message": message}), status


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _allowed_origin(allowed_origins: list[JSON] | None, origin: str | None) -> bool:
    """A browser may call from the restaurant's listed origins or from this service's own pages."""
    if not origin:
        return True  # not a browser's cross-origin call: nothing for CORS to protect
    origin = origin.lower().rstrip("/")
    own = {_origin(runtime_of(current_app).settings.public_base_url), _origin(request.host_url)}
    listed = {str(o).lower().rstrip("/") for o in (allowed_origins or [])}
    return origin in own or origin in listed or "*" in listed


async def _origins_of(restaurant_id: int) -> list[JSON] | None:
    """The restaurant's allowed origins ([] when none are listed), None for an unknown restaurant. Only the
    one column: every message of the chat asks, and a whole restaurant row costs several times more to build."""
    row = await Restaurant.filter(id=restaurant_id).first().values_list("allowed_origins", flat=True)
    if row is None:  # the column is never NULL: no such restaurant
        return None
    return list(row) if isinstance(row, list) else []


def _cors(response: Response, origin: str | None) -> Response:
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


def _settings() -> WebchatSettings:
    return runtime_of(current_app).options(PLUGIN, WebchatSettings)


async def _rate_limited(restaurant_id: int, session_id: str) -> bool:
    cache = runtime_of(current_app).cache
    settings = _settings()
    per_session = settings.session_messages_per_minute
    per_address = settings.address_messages_per_minute
    address = request.remote_addr or "unknown"
    session_count, address_count = await cache.incr_many(
        [(f"webchat:rl:s:{restaurant_id}:{session_id}", 60), (f"webchat:rl:a:{address}", 60)]
    )
    return session_count > per_session or address_count > per_address


async def _refuse_caller(restaurant_id: int, origin: str | None) -> tuple[Response, int] | None:
    """404 for an unknown restaurant, 403 for a page on an origin the restaurant did not allow."""
    origins = await _origins_of(restaurant_id)
    if origins is None:
        return _error("No such restaurant.", 404)
    if not _allowed_origin(origins, origin):
        return _error(FOREIGN_ORIGIN, 403)
    return None


def _embeddable(name: str, content_type: str) -> Response:
    """A widget file that restaurants' own sites load cross-origin: cached briefly, readable from any origin."""
    response = Response((STATIC / name).read_text(), content_type=content_type)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.get("/widget.js")
@hide
async def widget() -> Response:
    """The embeddable widget script."""
    return _embeddable("widget.js", "application/javascript; charset=utf-8")


@blueprint.get("/widget.css")
@hide
async def widget_css() -> Response:
    """The widget's stylesheet (linked by widget.js, also from restaurants' own sites)."""
    return _embeddable("widget.css", "text/css; charset=utf-8")


@blueprint.get("/demo.css")
@hide
async def demo_css() -> Response:
    """The demo page's stylesheet."""
    return Response((STATIC / "demo.css").read_text(), content_type="text/css; charset=utf-8")


@blueprint.get("/")
@hide
async def demo_page() -> Response | tuple[Response, int]:
    """A page of the first restaurant (the demo one on ``make run``) with the widget on it."""
    from core.booking.hours import describe_hours
    from core.booking.rules import rules_for

    restaurant = await Restaurant.all().order_by("id").first()
    if restaurant is None:
        return _error("No restaurant yet: run `tobeout demo-data` or register one through the API.", 404)
    page = (STATIC / "demo.html").read_text()
    values = {
        "{{NAME}}": restaurant.name,
        "{{ADDRESS}}": restaurant.address or "",
        "{{HOURS}}": describe_hours(rules_for(restaurant)),
        "{{BASE}}": _snippet_base(),
        "{{ID}}": str(restaurant.id),
    }
    for key, value in values.items():
        page = page.replace(key, html.escape(value, quote=True))
    return Response(page, content_type="text/html; charset=utf-8")


def _snippet_base() -> str:
    """The service's address for the embed snippet: ``PUBLIC_BASE_URL``, unless that is a loopback address and
    the page was asked for on another local port (a development run): then the address actually used."""
    configured = runtime_of(current_app).settings.public_base_url.rstrip("/")
    asked = request.host_url.rstrip("/")
    loopback = ("localhost", "127.0.0.1", "[::1]", "::1")
    if urlsplit(configured).hostname in loopback and urlsplit(asked).hostname in loopback:
        return asked
    return configured


@blueprint.route("/channels/webchat/<int:restaurant_id>/messages", methods=["OPTIONS"])
@blueprint.route("/channels/webchat/<int:restaurant_id>/greeting", methods=["OPTIONS"])
@blueprint.route("/channels/webchat/<int:restaurant_id>/form", methods=["OPTIONS"])
@blueprint.route("/channels/webchat/<int:restaurant_id>/times", methods=["OPTIONS"])
@blueprint.route("/channels/webchat/<int:restaurant_id>/bookings", methods=["OPTIONS"])
@hide
async def preflight(restaurant_id: int) -> Response | tuple[Response, int]:
    """CORS preflight: allowed only for the restaurant's origins."""
    origins = await _origins_of(restaurant_id)
    origin = request.headers.get("Origin")
    if origins is None or not _allowed_origin(origins, origin):
        return _error(FOREIGN_ORIGIN, 403)
    response = Response("", status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "600"
    return _cors(response, origin)


@blueprint.get("/channels/webchat/<int:restaurant_id>/messages")
@hide
async def outbox(restaurant_id: int) -> Response | tuple[Response, int]:
    """Messages the restaurant left for this visitor (``?sessionId=&after=``): ``{replies: [{text, choices?,
    id}]}``. ``after`` is the last ``id`` the widget showed: anything later comes again until it is shown."""
    origin = request.headers.get("Origin")
    refusal = await _refuse_caller(restaurant_id, origin)
    if refusal is not None:
        return refusal
    session_id = request.args.get("sessionId", "")
    if not SESSION_ID.match(session_id):
        return _cors_error(_error("sessionId must be 8-100 letters, digits, '-' or '_'.", 400), origin)
    after_arg = request.args.get("after")
    if after_arg is not None and not (after_arg.isdigit() and len(after_arg) <= 12):
        return _cors_error(_error("after must be the id of the last message shown (a whole number).", 400), origin)
    after = int(after_arg) if after_arg is not None else None
    pending = await WebchatAdapter(runtime_of(current_app)).take(restaurant_id, session_id, after)
    return _cors(jsonify({"replies": pending}), origin)


@blueprint.post("/channels/webchat/<int:restaurant_id>/messages")
@hide
async def message(restaurant_id: int) -> Response | tuple[Response, int]:
    """A visitor's message: ``{sessionId, text, messageId?}`` -> ``{replies: [{text, choices?}]}``."""
    origin = request.headers.get("Origin")
    restaurant = await reads.restaurant(restaurant_id)  # the whole row (lean read): the turn uses it too
    if restaurant is None:
        return _error("No such restaurant.", 404)
    if not _allowed_origin(restaurant.allowed_origins, origin):
        return _error(FOREIGN_ORIGIN, 403)
    body = await request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        return _cors_error(_error("Send a JSON object: {sessionId, text, messageId?}.", 400), origin)
    session_id, text = body.get("sessionId"), body.get("text")
    message_id = body.get("messageId") or uuid.uuid4().hex
    if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
        return _cors_error(_error("sessionId must be 8-100 letters, digits, '-' or '_'.", 400), origin)
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        return _cors_error(_error(f"text must be a non-empty string of at most {MAX_TEXT} characters.", 400), origin)
    if not isinstance(message_id, str) or not SESSION_ID.match(message_id):
        return _cors_error(_error("messageId must be 8-100 letters, digits, '-' or '_'.", 400), origin)
    if await _rate_limited(restaurant_id, session_id):
        response, status = _error("You are sending messages very quickly; please wait a minute and try again.", 429)
        response.headers["Retry-After"] = "60"
        return _cors(response, origin), status

    runtime = runtime_of(current_app)
    reply_key = f"webchat:replies:{restaurant_id}:{session_id}:{message_id}"
    turn = await runtime.engine.handle_turn(
        InboundMessage(
            restaurant_id=restaurant_id,
            channel=CHANNEL,
            sender_id=session_id,
            chat_id=session_id,
            text=text.strip(),
            message_id=f"{session_id}:{message_id}",
            language_hint=_browser_language(),
        ),
        restaurant,
    )
    if turn.duplicate:
        stored = await _replies_of_first_delivery(reply_key)
        return _cors(jsonify(stored), origin)
    # A conversation a person answers gets no bot reply now: staff replies arrive through the outbox.
    answer: JSONObject = {
        "replies": [reply.to_dict() for reply in turn.replies],
        "language": texts.language(turn.language),
        "waitingForStaff": turn.silent,
    }
    await runtime.cache.set(reply_key, answer, ttl=REPLY_TTL)
    return _cors(jsonify(answer), origin)


def _browser_language() -> str | None:
    """The visitor's preferred language the bot speaks (``Accept-Language``), else None."""
    header = request.headers.get("Accept-Language") or ""
    return texts.best_language(header)


@blueprint.get("/channels/webchat/<int:restaurant_id>/greeting")
@hide
async def greeting(restaurant_id: int) -> Response | tuple[Response, int]:
    """What the widget shows before the visitor writes: the bot's greeting and the widget's own words,
    in ``?lang=`` or the browser's language (``{language, greeting: {text, choices}, ui: {...}}``)."""
    origin = request.headers.get("Origin")
    refusal = await _refuse_caller(restaurant_id, origin)
    if refusal is not None:
        return refusal
    restaurant = await Restaurant.get(id=restaurant_id)
    language = texts.best_language(request.args.get("lang", "")) or _browser_language()
    language = texts.language(language or restaurant.default_language)
    response = _cors(jsonify(texts.widget_texts(language, restaurant.name)), origin)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _replies_of_first_delivery(key: str, wait: float = 10.0) -> dict:
    """A retried message is handled once; the retry gets the first delivery's answer."""
    cache = runtime_of(current_app).cache
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        stored = await cache.get(key)
        if stored is not None or asyncio.get_running_loop().time() > deadline:
            return stored if isinstance(stored, dict) else {"replies": stored or []}
        await asyncio.sleep(0.1)


def _cors_error(response_and_status: tuple[Response, int], origin: str | None) -> tuple[Response, int]:
    response, status = response_and_status
    return _cors(response, origin), status
