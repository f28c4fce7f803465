"""The unsubscribe page of e-mails: ``/channels/email/<restaurantId>/unsubscribe/<token>``.

``GET`` shows the address and one button (a link scanner opening the URL unsubscribes no one);
``POST`` (the button, or a mail client's one-click ``List-Unsubscribe-Post``) records the opt-out
(:mod:`core.consent`) and says so. A forged or garbled token is a 400 page saying what to do.
The page is in the guest's language when the address is a known guest's, else the restaurant's.
"""

from __future__ import annotations

import html

from quart import Blueprint, Response, current_app
from quart_schema import hide

from channels.email.render import CATALOGS
from channels.email.settings import CHANNEL
from channels.email.unsubscribe import address_of
from core.consent import record_consent
from core.models import Guest, Restaurant
from core.runtime import runtime_of

blueprint = Blueprint("email_channel", __name__)
PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#18181b}}
button{{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#18181b;color:#fff}}</style>
</head><body><h1>{title}</h1><p>{text}</p>{form}</body></html>"""


async def _page(restaurant_id: int, token: str, *, done: bool) -> Response:
    runtime = runtime_of(current_app)
    restaurant = await Restaurant.filter(id=restaurant_id).only("id", "name", "default_language").first()
    address = address_of(runtime.settings.secret_key, restaurant_id, token) if restaurant is not None else None
    name = restaurant.name if restaurant is not None else ""
    guest = (
        await Guest.filter(restaurant_id=restaurant_id, email=address).only("id", "language").first()
        if address
        else None
    )
    lang = (guest.language if guest else None) or (restaurant.default_language if restaurant else None) or "en"
    title = html.escape(CATALOGS.say(lang, "page_title", restaurant=name))
    if address is None:
        text = html.escape(CATALOGS.say(lang, "page_bad"))
        return Response(PAGE.format(lang=lang, title=title, text=text, form=""), 400, content_type="text/html")
    if done:
        await record_consent(
            restaurant_id, CHANNEL, address, granted=False, source="unsubscribe", guest_id=guest.id if guest else None
        )
        text = html.escape(CATALOGS.say(lang, "page_done", restaurant=name, address=address))
        return Response(PAGE.format(lang=lang, title=title, text=text, form=""), 200, content_type="text/html")
    text = html.escape(CATALOGS.say(lang, "page_ask", restaurant=name, address=address))
    button = html.escape(CATALOGS.say(lang, "page_button"))
    form = f'<form method="post"><button type="submit">{button}</button></form>'
    return Response(PAGE.format(lang=lang, title=title, text=text, form=form), 200, content_type="text/html")


@blueprint.get("/channels/email/<int:restaurant_id>/unsubscribe/<token>")
@hide
async def ask(restaurant_id: int, token: str) -> Response:
    """The page asking to confirm the unsubscription."""
    return await _page(restaurant_id, token, done=False)


@blueprint.post("/channels/email/<int:restaurant_id>/unsubscribe/<token>")
@hide
async def unsubscribe(restaurant_id: int, token: str) -> Response:
    """Record the opt-out (the page's button, or a mail client's one-click unsubscribe)."""
    return await _page(restaurant_id, token, done=True)
