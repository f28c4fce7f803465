"""``GET /api/reports/{name}``: JSON and streamed CSV, bad ranges, isolation, staff read-only access,
cached until the next write; the bot and reminders reports from real web-chat conversations, a
reminder sent by the worker and answered, on both backends."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from core.worker import Worker
from tests.api.bookkit import book, make_restaurant
from tests.api.documented import Documented
from tests.api.helpers import CSRF, add_staff, login
from tests.clock import Clock

WEEK = "from=2026-06-01&to=2026-06-14"


async def set_status(client, reservation_id: int, status: str) -> None:
    response = await client.patch(f"/api/reservations/{reservation_id}", json={"status": status}, headers=CSRF)
    assert response.status_code == 200, await response.get_data(as_text=True)


async def test_reports_as_json_and_csv_for_the_restaurant_only(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    other = await make_restaurant(app)
    first = await book(place.client, date="2026-06-02", time="19:00", guests=2, source="staff")
    await book(place.client, date="2026-06-03", time="13:00", guests=4, source="form")
    canceled = await book(place.client, date="2026-06-09", time="20:00", guests=3, source="staff")
    await book(other.client, date="2026-06-02", time="19:00", guests=6, source="staff")  # never in place's reports
    clock.now = datetime(2026, 6, 2, 18, 1, tzinfo=UTC)
    await set_status(place.client, first["id"], "seated")
    response = await place.client.post(f"/api/booking/cancel/{canceled['id']}", headers=CSRF)
    assert response.status_code == 200

    response = await place.client.get(f"/api/reports/bookings?{WEEK}&by=week")
    assert response.status_code == 200
    body = await response.get_json()
    assert (body["report"], body["from"], body["to"], body["by"]) == ("bookings", "2026-06-01", "2026-06-14", "week")
    assert body["timezone"] == "Europe/London"
    weeks = [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]
    assert [(w["period"], w["bookings"], w["covers"], w["seated"], w["canceled"]) for w in weeks] == [
        ("2026-06-01", 2, 6, 1, 0),
        ("2026-06-08", 1, 0, 0, 1),
    ]
    assert body["totals"]["bookings"] == 3 and body["totals"]["avg_party"] == 3.0
    await (await Documented.of(app)).check("GET", f"/api/reports/bookings?{WEEK}&by=week", response)

    response = await place.client.get(f"/api/reports/channels?{WEEK}&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="tobeout-channels-2026-06-01-2026-06-14.csv"' in response.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(await response.get_data(as_text=True))))
    assert lines == [
        ["source", "bookings", "covers", "share", "llm", "guided"],
        ["staff", "2", "2", "0.6667", "0", "0"],
        ["form", "1", "4", "0.3333", "0", "0"],
    ]

    theirs = await (await other.client.get(f"/api/reports/bookings?{WEEK}")).get_json()
    assert theirs["totals"]["bookings"] == 1 and theirs["totals"]["covers"] == 6


async def test_the_export_streams_every_booking_as_csv(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    made = [
        await book(place.client, date=day, time="19:00", guests=2, source="staff")
        for day in ("2026-06-02", "2026-06-03", "2026-06-04")
    ]
    response = await place.client.get("/api/reports/reservations?from=2026-06-03&to=2026-06-30&format=csv")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(await response.get_data(as_text=True))))
    assert lines[0] == ["id", "date", "time", "guests", "status", "source", "table", "booked_at", "lead_hours"]
    assert [(line[0], line[1], line[2], line[4], line[5]) for line in lines[1:]] == [
        (str(made[1]["id"]), "2026-06-03", "19:00", "created", "staff"),
        (str(made[2]["id"]), "2026-06-04", "19:00", "created", "staff"),
    ]
    assert lines[1][8] == "57.0"  # booked Monday 09:00 UTC for Wednesday 19:00 BST (18:00 UTC)
    refused = await place.client.get("/api/reports/reservations?from=2026-06-03&to=2026-06-30")
    assert refused.status_code == 400
    assert "format=csv" in (await refused.get_json())["message"]


async def test_bad_ranges_and_names_are_clear_errors(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    response = await place.client.get("/api/reports/bookings?from=2026-06-10&to=2026-06-01")
    assert response.status_code == 400
    assert "'from' (2026-06-10) is after 'to' (2026-06-01)" in (await response.get_json())["message"]
    response = await place.client.get("/api/reports/bookings?from=2025-01-01&to=2026-06-01")
    assert response.status_code == 400
    assert "at most 366" in (await response.get_json())["message"]
    for query in ("from=yesterday", "by=month", "format=xml"):
        response = await place.client.get(f"/api/reports/bookings?{query}")
        assert response.status_code == 400, query
    response = await place.client.get("/api/reports/profit")
    assert response.status_code == 404
    assert "bookings" in (await response.get_json())["message"]
    assert (await app.test_client().get("/api/reports/bookings")).status_code == 401


async def test_the_default_range_is_the_30_days_to_today(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    body = await (await place.client.get("/api/reports/bookings")).get_json()
    assert (body["from"], body["to"], len(body["rows"])) == ("2026-05-03", "2026-06-01", 30)


async def test_staff_read_reports_and_a_write_is_seen_at_once(app_factory, postgres_url, redis_url, clock):
    app = await app_factory(postgres_url, clock=clock, env={"REDIS_URL": redis_url})
    place = await make_restaurant(app)
    staff = await add_staff(place.client)
    member = app.test_client()
    await login(member, staff["email"])
    url = f"/api/reports/bookings?{WEEK}"
    assert (await (await member.get(url)).get_json())["totals"]["bookings"] == 0
    await book(place.client, date="2026-06-02", time="19:00", guests=2)
    assert (await (await member.get(url)).get_json())["totals"]["bookings"] == 1  # cached, then invalidated
    assert (await member.post(url, headers=CSRF)).status_code == 405

    bot_url = f"/api/reports/bot?{WEEK}"
    assert (await (await member.get(bot_url)).get_json())["totals"]["conversations"] == 0
    said = {"sessionId": "cached-0001", "text": "Hello", "messageId": "cached-0001-0001"}
    response = await app.test_client().post(f"/channels/webchat/{place.id}/messages", json=said)
    assert response.status_code == 200
    assert (await (await member.get(bot_url)).get_json())["totals"]["conversations"] == 1  # a chat turn is a write too


async def test_bot_and_reminders_reports_from_real_conversations(app_factory, db_url):
    clock = Clock(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))  # Wednesday; London is on UTC
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    client = app.test_client()
    url = f"/channels/webchat/{place.id}/messages"

    sent = iter(range(1, 1000))

    async def say(session: str, *texts: str) -> list[str]:
        said: list[str] = []
        for text in texts:
            body = {"sessionId": session, "text": text, "messageId": f"{session}-{next(sent):04d}"}
            response = await client.post(url, json=body)
            assert response.status_code == 200, await response.get_data(as_text=True)
            said = [r["text"] for r in (await response.get_json())["replies"]]
        return said

    async def pending(session: str) -> list[str]:
        answer = await (await client.get(f"{url}?sessionId={session}")).get_json()
        return [r["text"] for r in answer["replies"]]

    assert "booked" in (await say("anna-0001", "Table for 2 tomorrow at 7pm", "Anna", "+447700900555", "yes"))[0]
    assert "booked" in (await say("carl-0001", "Table for 3 tomorrow at 8pm", "Carl", "+447700900556", "yes"))[0]
    await say("boris-0001", "Здравствуйте! Позовите администратора, пожалуйста")
    walk_up = await book(place.client, date="2026-11-26", time="13:00", guests=4, source="staff")
    worker = Worker(app.runtime)
    clock.now = datetime(2026, 11, 26, 13, 5, tzinfo=UTC)
    await set_status(place.client, walk_up["id"], "seated")
    clock.now = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
    await set_status(place.client, walk_up["id"], "completed")

    clock.now = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # two hours before Anna's 19:00
    await worker.run_once()
    assert "a reminder of your reservation" in (await pending("anna-0001"))[0]
    assert "confirmed" in (await say("anna-0001", "yes, we'll be there"))[0]
    clock.now = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)  # two hours before Carl's 20:00
    await worker.run_once()
    assert "a reminder of your reservation" in (await pending("carl-0001"))[-1]

    bookings = (await (await place.client.get("/api/reservations?date=2026-11-26")).get_json())["items"]
    by_time = {b["time"]: b["id"] for b in bookings}
    clock.now = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    await set_status(place.client, by_time["19:00"], "seated")
    clock.now = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    await set_status(place.client, by_time["20:00"], "no_show")

    range_ = "from=2026-11-25&to=2026-11-26"
    bot = await (await place.client.get(f"/api/reports/bot?{range_}")).get_json()
    rows = {row[0]: dict(zip(bot["columns"], row, strict=True)) for row in bot["rows"]}
    assert list(rows) == ["en", "ru"]
    en, ru = rows["en"], rows["ru"]
    assert (en["conversations"], en["booked"], en["booking_rate"], en["median_turns"]) == (2, 2, 1.0, 4)
    assert (en["handoffs"], ru["conversations"], ru["booked"], ru["handoffs"], ru["asked"]) == (0, 1, 0, 1, 1)
    assert (ru["handoff_rate"], ru["median_turns"]) == (1.0, None)
    assert bot["totals"]["booking_rate"] == 0.6667 and bot["totals"]["handoff_rate"] == 0.3333

    reminders = await (await place.client.get(f"/api/reports/reminders?{range_}")).get_json()
    groups = {row[0]: dict(zip(reminders["columns"], row, strict=True)) for row in reminders["rows"]}
    assert (groups["confirmed"]["bookings"], groups["confirmed"]["no_show_rate"]) == (1, 0.0)
    assert (groups["no_answer"]["bookings"], groups["no_answer"]["no_show"], groups["no_answer"]["no_show_rate"]) == (
        1,
        1,
        1.0,
    )
    assert (groups["canceled"]["bookings"], groups["canceled"]["no_show_rate"]) == (0, None)
    assert (groups["no_reminder"]["bookings"], groups["no_reminder"]["no_show_rate"]) == (1, 0.0)

    channels = await (await place.client.get(f"/api/reports/channels?{range_}")).get_json()
    assert [(r[0], r[1], r[4], r[5]) for r in channels["rows"]] == [("webchat", 2, 0, 2), ("staff", 1, 0, 0)]
