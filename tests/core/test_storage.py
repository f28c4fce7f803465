"""The storage seam: both implementations satisfy the protocol, the connected database's one is chosen, and
each operation does what the protocol says on its own database (every test runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import db as core_db
from core.booking.availability import Ask
from core.models import (
    Conversation,
    Guest,
    GuestIdentity,
    IntegrationSetting,
    ProcessedMessage,
    Reservation,
    ReservationChange,
    ReservationStatus,
    ReservationTable,
    Timeslot,
)
from core.storage import storage
from core.storage.base import Arrival, Arrived, NewBooking, SqlSpelling, Storage
from core.storage.postgres import PostgresSql, PostgresStorage
from core.storage.sqlite import SqliteSql, SqliteStorage
from tests.core.booking.helpers import make_restaurant, make_tables

START = datetime(2026, 6, 2, 18, 0, tzinfo=UTC)  # 19:00 in London, a Tuesday
ASK = Ask(
    date=date(2026, 6, 2),
    time=time(19, 0),
    guests=2,
    duration=90,
    start=START,
    end=START + timedelta(minutes=90),
    until=START + timedelta(minutes=105),
)


def _members(protocol: type) -> list[str]:
    return [name for name in vars(protocol) if not name.startswith("_")] + list(protocol.__annotations__)


@pytest.mark.parametrize("implementation", [PostgresStorage, SqliteStorage])
def test_both_implementations_satisfy_the_protocol(implementation: type) -> None:
    made = implementation()
    assert isinstance(made, Storage)
    for name in _members(Storage):
        member = getattr(Storage, name, None)
        if callable(member):  # the same parameters, with the same names and kinds
            assert (
                list(inspect.signature(getattr(made, name)).parameters)
                == list(inspect.signature(member).parameters)[1:]
            ), name


@pytest.mark.parametrize("spelling", [PostgresSql, SqliteSql])
def test_both_spellings_have_every_expression(spelling: type) -> None:
    made = spelling()
    for name in _members(SqlSpelling):
        assert (
            list(inspect.signature(getattr(made, name)).parameters)
            == list(inspect.signature(getattr(SqlSpelling, name)).parameters)[1:]
        ), name


async def test_the_connected_database_chooses_the_implementation(db: str) -> None:
    expected = "sqlite" if core_db.is_sqlite(db) else "postgres"
    assert storage().name == expected
    assert storage() is storage()  # chosen once, not made per call
    assert storage().skip_locked is (expected == "postgres")


async def _booking(restaurant_id: int, guest: Guest, tables: list, **values: Any) -> Reservation | None:
    defaults: dict[str, Any] = {
        "status": ReservationStatus.CONFIRMED,
        "comments": "window",
        "source": "test",
        "created_at": START - timedelta(days=1),
        "history": ("reservation.created", "staff"),
        "tags": ["vip"],
    }
    values = {**defaults, **values}
    async with storage().write_lock(), in_transaction():
        return await storage().insert_booking(NewBooking(restaurant_id, guest, tables, ASK, **values))


async def test_reads_and_a_booking_through_the_seam(db: str) -> None:
    restaurant = await make_restaurant()
    tables = await make_tables(restaurant, ("T1", 1, 4), ("T2", 1, 4), ("T3", 1, 2))
    guest = await Guest.create(restaurant=restaurant, name="Ann", phone="+447700900001")
    seam, rid = storage(), restaurant.id

    async with seam.pinned():
        found = await seam.restaurant(rid)
        assert found is not None and found.name == "Test Bistro"
        assert await seam.restaurant(rid + 1000) is None
        assert [t.name for t in await seam.tables(rid)] == ["T1", "T2", "T3"]
        by_id, by_phone = await seam.guest(rid, guest_id=guest.id), await seam.guest(rid, phone="+447700900001")
        assert by_id is not None and by_phone is not None and by_id.name == "Ann" and by_phone.id == guest.id
        assert await seam.guest(rid, phone="+447700900002") is None
        version = await seam.setting_version(rid)
    assert (version is None) is (seam.name == "sqlite")

    made = await _booking(rid, guest, tables[:2])
    assert made is not None and made.id and made.guest is guest and made.table is tables[0]
    assert sorted(a.table_id for a in made.allocations) == [tables[0].id, tables[1].id]
    assert await Reservation.filter(id=made.id, tags=["vip"], comments="window").exists()
    assert await ReservationChange.filter(reservation_id=made.id, type="reservation.created").count() == 1
    assert await _booking(rid, guest, [tables[1]]) is None  # T2 is taken: nothing written
    assert await Reservation.filter(restaurant_id=rid).count() == 1

    lo, hi = ASK.start, ASK.until
    window = await seam.allocations(rid, lo, hi, None, with_guests=True, lookback=timedelta(days=1))
    assert sorted(window) == sorted((t.id, made.id, lo, hi, 2) for t in tables[:2])
    assert [row[4] for row in await seam.allocations(rid, lo, hi, None, with_guests=False, lookback=timedelta(1))] == [
        0,
        0,
    ]
    assert await seam.allocations(rid, lo, hi, made.id, with_guests=True, lookback=timedelta(days=1)) == []

    async with seam.write_lock(), seam.transaction(orm=True):
        await seam.lock_restaurant(rid)
        locked = await seam.lock_tables(rid, [tables[2].id, tables[0].id], skip_locked=seam.skip_locked)
        assert [t.id for t in locked] == [tables[0].id, tables[2].id]  # in id order
        assert await seam.clashes(rid, [tables[0].id, tables[2].id], lo, hi, None)
        assert not await seam.clashes(rid, [tables[0].id], lo, hi, made.id)
        assert not await seam.clashes(rid, [tables[2].id], lo, hi, None)
        assert not await seam.clashes(rid, [tables[0].id], hi, hi + timedelta(hours=1), None)
        assert await seam.covers_starting(rid, lo, lo + timedelta(minutes=15), None) == 2
        assert await seam.covers_starting(rid, lo, lo + timedelta(minutes=15), made.id) == 0

    # a canceled booking's tables taken by another: only SQLite checks (PostgreSQL's constraint refuses)
    await Reservation.filter(id=made.id).update(status=ReservationStatus.CANCELED)
    await ReservationTable.filter(reservation_id=made.id).update(active=False)
    other = await _booking(rid, guest, [tables[0]], history=None)
    assert other is not None
    held = [(tables[0].id, lo, hi)]
    assert await seam.reactivation_clashes(rid, made.id, held) is (seam.name == "sqlite")
    assert not await seam.reactivation_clashes(rid, made.id, [(tables[1].id, lo, hi)])


async def test_guest_locks_and_generated_timeslots(db: str) -> None:
    restaurant = await make_restaurant()
    tables = await make_tables(restaurant, ("T1", 1, 4), ("T2", 1, 4))
    seam, rid = storage(), restaurant.id
    async with seam.contact_lock(rid, "+447700900001"):
        await Guest.create(restaurant=restaurant, name="Ann", phone="+447700900001")
    async with seam.guest_create_lock(rid):
        await Guest.create(restaurant=restaurant, name="Bo")
    assert await Guest.filter(restaurant_id=rid).count() == 2

    grid = [(date(2026, 6, 2), time(19, 0)), (date(2026, 6, 2), time(19, 15)), (date(2026, 6, 3), time(12, 0))]
    ids = [t.id for t in tables]
    dates = (date(2026, 6, 2), date(2026, 6, 3))
    assert await seam.insert_timeslots(rid, 15, grid, ids, dates, START) == 6
    assert await seam.insert_timeslots(rid, 15, grid, ids, dates, START) == 0  # kept, not doubled
    assert await Timeslot.filter(restaurant_id=rid, table_id=ids[0], date=date(2026, 6, 2), time=time(19, 15)).exists()


def _arrival(rid: int, message_id: str, chat_id: str = "chat-1", sender_id: str = "chat-1") -> Arrival:
    return Arrival(rid, "webchat", message_id, chat_id, sender_id, "openai", START)


async def test_a_message_is_claimed_once_with_what_its_turn_reads_first(db: str) -> None:
    restaurant = await make_restaurant()
    seam, rid = storage(), restaurant.id
    assert await seam.claim_and_read(_arrival(rid, "m-1")) == Arrived(True)  # a first contact: nothing to read yet
    assert await seam.claim_and_read(_arrival(rid, "m-1")) == Arrived(False)  # a redelivery: not claimed again
    made = await Conversation.create(
        restaurant_id=rid,
        channel="webchat",
        external_chat_id="chat-1",
        language="de",
        state={"step": "name"},
        history=[],
        last_activity=START,
    )
    await Conversation.create(
        restaurant_id=rid, channel="telegram", external_chat_id="chat-1", state={}, history=[], last_activity=START
    )
    settings = await IntegrationSetting.create(restaurant_id=rid, type="openai", settings={"model": "gpt-4o"})
    await IntegrationSetting.create(restaurant_id=rid, type="telegram", settings={})
    arrived = await seam.claim_and_read(_arrival(rid, "m-2"))
    assert arrived.claimed and arrived.conversation is not None and arrived.guest is None
    read = arrived.conversation
    assert (read.id, read.language, read.state, read.last_activity) == (made.id, "de", {"step": "name"}, START)
    assert arrived.integration is not None
    assert (arrived.integration.id, arrived.integration.settings) == (settings.id, {"model": "gpt-4o"})

    # the guest: the one linked to the sender's identity, until the conversation has its own
    linked = await Guest.create(restaurant=restaurant, name="Ann", phone="+447700900001")
    await GuestIdentity.create(restaurant_id=rid, guest_id=linked.id, channel="webchat", external_id="chat-1")
    by_identity = await seam.guest_by_identity(rid, "webchat", "chat-1")
    assert by_identity is not None and by_identity.id == linked.id
    assert await seam.guest_by_identity(rid, "telegram", "chat-1") is None
    found = await seam.claim_and_read(_arrival(rid, "m-3"))
    assert found.guest is not None and (found.guest.id, found.guest.name) == (linked.id, "Ann")
    own = await Guest.create(restaurant=restaurant, name="Bo", phone="+447700900002")
    made.guest_id = own.id
    await made.save()
    own_read = (await seam.claim_and_read(_arrival(rid, "m-4"))).guest
    assert own_read is not None and own_read.id == own.id
    other = await make_restaurant()  # another restaurant's identity of the same sender is not this one's
    await GuestIdentity.create(restaurant_id=other.id, guest_id=linked.id, channel="webchat", external_id="chat-9")
    assert (await seam.claim_and_read(_arrival(rid, "m-5", "chat-9", "chat-9"))).guest is None

    assert await ProcessedMessage.filter(restaurant_id=rid).count() == 5
    with pytest.raises(IntegrityError):  # no such restaurant
        await seam.claim_and_read(_arrival(rid + 1000, "m-6"))


async def test_a_guest_is_written_with_its_identity_all_or_nothing(db: str) -> None:
    restaurant = await make_restaurant()
    seam, rid = storage(), restaurant.id
    made = await seam.create_guest_with_identity(
        Guest(restaurant_id=rid, name="Zoë Ångström", phone="+447700900123", language="fr"), "webchat", "s-1"
    )
    stored = await Guest.get(id=made.id)
    assert (stored.name, stored.phone, stored.language, stored.tags) == ("Zoë Ångström", "+447700900123", "fr", [])
    assert (stored.name_folded, stored.phone_digits) == ("zoë ångström", "447700900123")  # the search keys
    assert stored.created_at is not None
    link = await GuestIdentity.get(restaurant_id=rid, channel="webchat", external_id="s-1")
    assert link.guest_id == made.id
    made.email = "zoe@example.com"
    await made.save(update_fields=["email"])  # returned as saved: a later save updates the row
    assert (await Guest.get(id=made.id)).email == "zoe@example.com"

    with pytest.raises(IntegrityError):  # the identity is taken: no second guest is left behind
        await seam.create_guest_with_identity(Guest(restaurant_id=rid, name="Other"), "webchat", "s-1")
    assert await Guest.filter(restaurant_id=rid).count() == 1
    async with in_transaction():  # a lost race inside a caller's transaction leaves that transaction usable
        with pytest.raises(IntegrityError):
            await seam.create_guest_with_identity(Guest(restaurant_id=rid, name="Other"), "webchat", "s-1")
        await Guest.create(restaurant_id=rid, name="After")
    assert await Guest.filter(restaurant_id=rid).count() == 2


async def test_the_sql_spellings_run_on_their_database(db: str) -> None:
    restaurant = await make_restaurant()
    [table] = await make_tables(restaurant, ("T1", 1, 4))
    guest = await Guest.create(restaurant=restaurant, name="Ann", phone="+447700900001")
    made = await _booking(restaurant.id, guest, [table])
    assert made is not None
    await ReservationChange.create(
        restaurant_id=restaurant.id, reservation_id=made.id, type="x", changes={"status": {"to": "seated"}}
    )
    d = storage().sql
    sql = f"""SELECT {d.seconds_between("r.starts_at", "r.ends_at")} AS seconds, {d.hour_of("r.time")} AS hour,
        {d.weekday_of("r.date")} AS weekday, {d.json_text("c.changes", "status", "to")} AS status
        FROM reservations r JOIN reservation_changes c ON c.reservation_id = r.id
        WHERE r.restaurant_id = $1 AND c.type = 'x' AND {d.instant("r.starts_at")} >= {d.instant("$2")}
        AND r.date = $3 AND {d.json_list_has("r.tags", "vip")} AND NOT {d.json_list_has("r.tags", "new")}"""
    args = [restaurant.id, d.param_instant(START - timedelta(hours=1)), d.param_date(ASK.date)]
    [row] = await core_db.fetch_dicts(sql, args)
    assert (round(float(row["seconds"])), row["hour"], row["weekday"], row["status"]) == (5400, 19, 1, "seated")
    async with in_transaction():  # the claim clause is valid where it goes
        assert await core_db.fetch_dicts(f"SELECT o.id FROM guest_outbox o {d.lock_skipping('o')}", []) == []
