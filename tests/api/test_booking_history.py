"""A booking's first history entry is written with the booking itself, in its transaction."""

from __future__ import annotations

from bench.booking_pgbench import capture_statements
from tests.api.bookkit import book, make_restaurant


async def test_a_booking_comes_with_its_created_entry_on_both_backends(app_factory, db_url, clock):
    app = await app_factory(db_url, clock=clock)
    place = await make_restaurant(app)
    booked = await book(place.client, time="19:00", guests=6, source="phone")  # the one table of 6
    response = await place.client.get(f"/api/reservations/{booked['id']}/history")
    assert response.status_code == 200
    [entry] = await response.get_json()
    assert (entry["type"], entry["actor"], entry["source"], entry["changes"]) == (
        "reservation.created",
        "staff",
        "phone",
        None,
    )
    full = await book(place.client, time="19:00", guests=6, expect=409)  # the 2-6 table is taken: nothing written
    assert full["alternatives"]

    from core.models import ReservationChange

    assert await ReservationChange.all().count() == 1


async def test_on_postgres_the_entry_is_part_of_the_booking_statement(booking_app, place):
    await book(place.client, time="13:00", guest={"name": "Warm Up", "phone": "+447700900401"})
    sent = await capture_statements(lambda: book(place.client, time="19:00"))
    writes = [s for s in sent if s.split()[0] in ("INSERT", "WITH", "UPDATE", "COMMIT")]
    assert len([s for s in writes if "reservation_changes" in s]) == 1
    [statement] = [s for s in writes if "reservation_changes" in s]
    assert statement.startswith('WITH r AS ( INSERT INTO "reservations"')
