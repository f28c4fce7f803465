"""The e-mail channel against a real SMTP server (aiosmtpd): confirmations with the .ics and the manage link,
reminders, retries through the outbox, the unsubscribe link, per-restaurant settings and the SMTP_URL default."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from channels.email.settings import SmtpServer, parse_smtp_url
from core.models import GuestConsent
from core.worker import Worker
from tests.api.helpers import CSRF
from tests.channels.conftest import MAIL_FROM
from tests.channels.sms.helpers import book_by_staff, messages_of

GUEST_MAIL = "erin@guest.example"


def parts(message) -> tuple[str, str, list]:
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return plain, html, list(message.iter_attachments())


async def test_a_booking_with_only_an_email_is_confirmed_and_reminded_by_email(make_env, mailbox, clock):
    env = await make_env(mail=True)
    booked = await book_by_staff(env, {"name": "Erin Mail", "email": GUEST_MAIL, "language": "de"})
    await env.drain()
    [mail] = mailbox.to(GUEST_MAIL)
    assert mail["From"] == MAIL_FROM and mail["To"] == GUEST_MAIL
    assert mail["Subject"] == f"Chez Test: Ihr Tisch ist reserviert (Nr. {booked['id']})"
    plain, html, attachments = parts(mail)
    assert "Wir haben einen Tisch für Sie reserviert: Fr., 27. November um 19:30, 2 Gäste" in plain
    assert "Reservierung ansehen, ändern oder stornieren: http://tobeout.test/manage/" in plain
    link = plain.split("stornieren: ", 1)[1].split()[0]
    assert f'href="{link}"' in html and "Reservierung ansehen, ändern oder stornieren</a>" in html
    [ics] = attachments
    assert ics.get_content_type() == "text/calendar" and ics.get_filename().endswith(".ics")
    calendar = ics.get_content()
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert "DTSTART;TZID=Europe/London:20261127T193000" in calendar and "1 Test Street" in calendar
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"http://tobeout.test/channels/email/{env.restaurant_id}/unsubscribe/")
    assert unsubscribe in plain and unsubscribe in html

    clock.now = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)
    await Worker(env.runtime).run_once()
    await env.drain()
    reminder = mailbox.to(GUEST_MAIL)[-1]
    assert reminder["Subject"] == f"Chez Test: Erinnerung an Ihre Reservierung Nr. {booked['id']}"
    plain, html, _ = parts(reminder)
    assert "1. " not in plain  # e-mail has no buttons: the manage link answers instead
    assert "/manage/" in html
    sent = await messages_of(env, booked["id"])
    assert [(m["kind"], m["channel"], m["to"], m["status"]) for m in sent] == [
        ("notification", "email", GUEST_MAIL, "sent"),
        ("reminder", "email", GUEST_MAIL, "sent"),
    ]


async def test_a_refused_delivery_is_retried_through_the_outbox(make_env, mailbox):
    env = await make_env(mail=True)
    mailbox.refuse_next(451, "Try again later")
    booked = await book_by_staff(env, {"name": "Erin Mail", "email": GUEST_MAIL})
    await env.drain()
    assert len(mailbox.to(GUEST_MAIL)) == 1
    [sent] = await messages_of(env, booked["id"])
    assert (sent["status"], sent["attempts"]) == ("sent", 2)


async def test_the_unsubscribe_link_stops_the_emails(make_env, mailbox):
    env = await make_env(mail=True)
    booked = await book_by_staff(env, {"name": "Erin Mail", "email": GUEST_MAIL})
    await env.drain()
    link = mailbox.to(GUEST_MAIL)[0]["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://tobeout.test")
    client = env.app.test_client()
    page = await client.get(path)
    assert page.status_code == 200 and GUEST_MAIL in await page.get_data(as_text=True)
    assert not await GuestConsent.filter(address=GUEST_MAIL).exists()  # opening the page is not enough
    done = await client.post(path)
    assert done.status_code == 200 and "will send no more e-mails" in await done.get_data(as_text=True)
    consent = await GuestConsent.get(restaurant_id=env.restaurant_id, channel="email", address=GUEST_MAIL)
    assert (consent.granted, consent.source) == (False, "unsubscribe")
    forged = await client.get(path[:-3] + "xyz")
    assert forged.status_code == 400 and "not valid" in await forged.get_data(as_text=True)

    response = await env.owner.post(f"/api/booking/cancel/{booked['id']}", headers=CSRF)
    assert response.status_code == 200
    await env.drain()
    assert len(mailbox.to(GUEST_MAIL)) == 1


async def test_a_restaurant_sends_through_its_own_server_and_sender(make_env, mailbox):
    env = await make_env()  # no service default
    saved = await env.save(
        "email",
        {
            "smtpHost": "127.0.0.1",
            "smtpPort": mailbox.port,
            "security": "none",
            "smtpPassword": "kept-secret-1234",
            "fromAddress": "hello@chez.example",
            "enabled": True,
        },
    )
    assert saved["settings"]["smtpPassword"].startswith("••••") and saved["settings"]["status"]["ok"] is True
    refused = await env.owner.post("/api/integrations/email", json={"fromAddress": "not an address"}, headers=CSRF)
    assert refused.status_code == 400
    await book_by_staff(env, {"name": "Erin Mail", "email": GUEST_MAIL})
    await env.drain()
    [mail] = mailbox.to(GUEST_MAIL)
    assert mail["From"] == "Chez Test <hello@chez.example>"


@pytest.mark.parametrize(
    ("url", "server"),
    [
        ("smtp://mail.example:2525", SmtpServer("mail.example", 2525)),
        ("smtps://u%40x:p%2Fw@mail.example", SmtpServer("mail.example", 465, "u@x", "p/w", use_tls=True)),
        ("smtp://u:p@mail.example:587?starttls=true", SmtpServer("mail.example", 587, "u", "p", start_tls=True)),
    ],
)
def test_smtp_url_forms(url, server):
    assert parse_smtp_url(url) == server


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://mail.example", "must start with smtp:// or smtps://"),
        ("smtp://", "names no host"),
        ("smtp://mail.example:99999", "port that is not a number from 1 to 65535"),
    ],
)
def test_a_bad_smtp_url_is_refused_with_its_reason(url, reason):
    with pytest.raises(ValueError, match=reason):
        parse_smtp_url(url)


async def test_a_whatsapp_guest_outside_the_24_hour_window_is_told_by_email(make_env, fake_twilio, mailbox, clock):
    from core.models import Conversation, Guest
    from tests.channels.whatsapp.helpers import connect_sender, inbound, post_inbound, sent_bodies

    env = await make_env(mail=True)
    await connect_sender(env)
    await post_inbound(env, inbound("Hello", ProfileName="Walt"))
    await env.drain()
    conversation = await Conversation.get(restaurant_id=env.restaurant_id, channel="whatsapp")
    await Guest.filter(id=conversation.guest_id).update(email=GUEST_MAIL)
    answered = len(sent_bodies(fake_twilio))
    clock.advance(hours=25)  # WhatsApp now allows only an approved template, and none is set

    body = {"date": "2026-11-28", "time": "19:00", "guests": 2, "guestId": conversation.guest_id}
    response = await env.owner.post("/api/booking/create", json=body, headers=CSRF)
    assert response.status_code == 201
    rid = (await response.get_json())["id"]
    await env.drain()
    assert len(sent_bodies(fake_twilio)) == answered  # nothing more on WhatsApp
    [mail] = mailbox.to(GUEST_MAIL)
    assert f"Reservation #{rid}" in parts(mail)[0]
    sent = await messages_of(env, rid)
    assert [(m["channel"], m["status"]) for m in sent] == [("whatsapp", "blocked"), ("email", "sent")]
