"""The guest's page of one booking, ``/manage/<token>`` (see :mod:`api.guest_ui`)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from quart import Blueprint, Response, request, send_from_directory
from quart_schema import hide

from api.guest_ui import texts
from api.guest_ui.api import count_request, language_of, managed_view, self_service
from core.booking.manage_link import InvalidManageLink
from core.errors import RateLimited
from core.models import Restaurant

STATIC = Path(__file__).resolve().parent / "static"
#: The most party sizes the change form offers (a larger party calls the restaurant).
MOST_GUESTS_OFFERED = 30

blueprint = Blueprint("guest_ui", __name__, url_prefix="/manage")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _data_block(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/json">`` block: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _visitor_language(*more: str | None) -> str:
    asked = request.args.get("lang")
    browser = request.accept_languages.best_match(texts.languages())
    return texts.page_language(asked, *more, browser)


def _place(restaurant: Restaurant | None, language: str) -> str:
    if restaurant is None:
        return ""
    parts = [f"<h1>{_e(restaurant.name)}</h1>"]
    if restaurant.address:
        parts.append(f'<p class="address">{_e(restaurant.address)}</p>')
    if restaurant.phone:
        phone = _e(restaurant.phone)
        tel = _e("".join(ch for ch in restaurant.phone if ch.isdigit() or ch == "+"))
        parts.append(f'<p><a class="phone" href="tel:{tel}">{_e(texts.say(language, "call", phone=phone))}</a></p>')
    return '<header class="place">' + "".join(parts) + "</header>"


def _languages(language: str) -> str:
    names = {"en": "English", "ru": "Русский", "de": "Deutsch", "fr": "Français"}
    links = []
    for code in texts.languages():
        label = _e(names.get(code, code))
        if code == language:
            links.append(f'<span aria-current="true" lang="{code}">{label}</span>')
        else:
            links.append(f'<a href="?lang={code}" lang="{code}" hreflang="{code}">{label}</a>')
    return f'<nav aria-label="{_e(texts.say(language, "language"))}">{" · ".join(links)}</nav>'


def _document(language: str, title: str, header: str, main: str, data: dict[str, Any] | None = None) -> str:
    block = f'<script type="application/json" id="manage-data">{_data_block(data)}</script>' if data else ""
    script = '<script src="/manage/static/manage.js" defer></script>' if data else ""
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">'
        f'<title>{_e(title)}</title><link rel="stylesheet" href="/manage/static/manage.css">{script}</head>'
        f"<body>{header}<main>{main}</main><footer>{_languages(language)}</footer>{block}</body></html>"
    )


def _field(label: str, value: str, name: str | None = None) -> str:
    attribute = f' data-field="{name}"' if name else ""
    return f"<div><dt>{_e(label)}</dt><dd{attribute}>{_e(value)}</dd></div>"


def _booking(view: dict[str, Any], language: str) -> str:
    def t(key: str, **values: object) -> str:
        return _e(texts.say(language, key, **values))

    reservation, labels = view["reservation"], view["labels"]
    hidden_if_closed = "" if view["open"] else " hidden"
    hidden_if_open = " hidden" if view["open"] else ""
    most = min(max(view["maxGuests"], reservation["guests"]), MOST_GUESTS_OFFERED)
    options = "".join(
        f'<option value="{n}"{" selected" if n == reservation["guests"] else ""}>{n}</option>'
        for n in range(1, most + 1)
    )
    return (
        '<section class="card" aria-labelledby="booking-title">'
        f'<h2 id="booking-title">{t("your_booking")}</h2>'
        f'<p class="hello">{t("hello", name=reservation["guestName"])}</p><dl>'
        + _field(texts.say(language, "when_label"), labels["when"], "when")
        + _field(texts.say(language, "party_label"), labels["party"], "party")
        + _field(texts.say(language, "status_label"), labels["status"], "status")
        + _field(texts.say(language, "number_label"), f"#{reservation['id']}")
        + '</dl><p id="notice" class="notice" role="status" aria-live="polite" tabindex="-1"></p>'
        f'<div class="actions" id="actions"{hidden_if_closed}>'
        f'<button type="button" id="change-open">{t("change")}</button>'
        f'<button type="button" id="cancel-open" class="secondary">{t("cancel")}</button></div>'
        f'<p id="closed" class="muted"{hidden_if_open}>{t("closed")}</p>'
        f'<a class="button secondary" id="calendar" href="{_e(view["calendarUrl"])}" download>{t("calendar")}</a>'
        "</section>"
        '<section class="card" id="change" hidden aria-labelledby="change-title">'
        f'<h2 id="change-title" tabindex="-1">{t("change_title")}</h2><form id="change-form" novalidate>'
        f'<label for="date">{t("date_label")}</label>'
        f'<input id="date" name="date" type="date" required value="{reservation["date"]}"'
        f' min="{view["firstDay"]}" max="{view["lastDay"]}">'
        f'<label for="guests">{t("guests_label")}</label><select id="guests" name="guests">{options}</select>'
        f'<fieldset><legend>{t("times_label")}</legend><div id="times" class="times"></div>'
        '<p id="times-status" class="muted" role="status" aria-live="polite"></p></fieldset>'
        f'<div class="actions"><button type="submit" id="save">{t("save")}</button>'
        f'<button type="button" id="change-back" class="secondary">{t("back")}</button></div></form></section>'
        '<section class="card" id="confirm-cancel" hidden aria-labelledby="cancel-title">'
        f'<h2 id="cancel-title" tabindex="-1">{t("cancel_question")}</h2><div class="actions">'
        f'<button type="button" id="cancel-yes" class="danger">{t("cancel_yes")}</button>'
        f'<button type="button" id="cancel-no" class="secondary">{t("cancel_no")}</button></div></section>'
        f'<noscript><p class="muted">{t("noscript")}</p></noscript>'
    )


def _refusal(language: str, title_key: str, reason_key: str, status: int, restaurant: Restaurant | None) -> Response:
    def t(key: str) -> str:
        return _e(texts.say(language, key))

    main = (
        f'<section class="card problem" role="alert"><h2>{t(title_key)}</h2><p>{t(reason_key)}</p>'
        f"<p>{t('bad_contact')}</p></section>"
    )
    page = _document(language, texts.say(language, title_key), _place(restaurant, language), main)
    response = Response(page, status=status, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/<token>")
@hide
async def page(token: str) -> Response:
    """The guest's page of the booking ``token`` grants; a clear page (404, 429) when it cannot be shown."""
    try:
        await count_request()
    except RateLimited as limited:
        response = _refusal(_visitor_language(), "bad_title", "bad_rate", 429, None)
        response.headers["Retry-After"] = str(limited.details.get("retryAfter", 60))
        return response
    try:
        managed = await self_service().open(token)
    except InvalidManageLink as bad:
        restaurant = None
        if bad.restaurant_id is not None:
            restaurant = await Restaurant.filter(id=bad.restaurant_id).first()
        language = _visitor_language(restaurant.default_language if restaurant else None)
        return _refusal(language, "bad_title", f"bad_{bad.problem}", 404, restaurant)
    language = language_of(managed, request.args.get("lang"))
    view = managed_view(managed, language)
    data = {"view": view, "texts": texts.script_texts(language)}
    main = _booking(view, language)
    body = _document(language, texts.say(language, "page_title"), _place(managed.restaurant, language), main, data)
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/static/<path:filename>")
@hide
async def static(filename: str) -> Response:
    """The page's script and stylesheet (revalidated on every load, so a deploy shows at once)."""
    response = await send_from_directory(STATIC, filename)
    response.headers["Cache-Control"] = "no-cache"
    return response
