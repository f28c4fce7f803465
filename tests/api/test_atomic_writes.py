"""One request, one transaction: a PATCH's time, table and status together; a table deleted under the
placement lock; reads that write nothing."""

from __future__ import annotations

import asyncio

from core.models import Reservation, ReservationTable, Table, Timeslot
from tests.api.bookkit import DAY, book, make_restaurant
from tests.api.helpers import CSRF


async def _reservation(client, rid: int) -> dict:  # type: ignore[no-untyped-def]
    response = await client.get(f"/api/reservations/{rid}")
    assert response.status_code == 200
    return await response.get_json()


async def test_a_refused_status_leaves_the_new_time_unsaved(booking_app):
    place = await make_restaurant(booking_app)
    made = await book(place.client, time="19:00")
    # created -> completed is not a move the state machine allows: nothing of the PATCH may stay
    response = await place.client.patch(
        f"/api/reservations/{made['id']}", json={"time": "20:00", "status": "completed"}, headers=CSRF
    )
    assert response.status_code == 409, await response.get_data(as_text=True)
    after = await _reservation(place.client, made["id"])
    assert (after["time"], after["status"]) == ("19:00", "created")


async def test_time_table_and_status_change_together(booking_app):
    place = await make_restaurant(booking_app)
    made = await book(place.client, time="19:00")
    other_table = [t for t in place.table_ids if t != made["tableId"]][0]
    response = await place.client.patch(
        f"/api/reservations/{made['id']}",
        json={"time": "20:30", "tableId": other_table, "status": "confirmed", "comments": "window"},
        headers=CSRF,
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    body = await response.get_json()
    assert (body["time"], body["tableId"], body["status"], body["comments"]) == (
        "20:30",
        other_table,
        "confirmed",
        "window",
    )
    assert await _reservation(place.client, made["id"]) == body


async def test_a_refused_move_leaves_the_status_unchanged(booking_app):
    place = await make_restaurant(booking_app, tables=((1, 2),))
    first = await book(place.client, time="19:00")
    second = await book(place.client, time="13:00")
    response = await place.client.patch(  # onto the only table, taken at 19:00
        f"/api/reservations/{second['id']}", json={"time": "19:30", "status": "confirmed"}, headers=CSRF
    )
    assert response.status_code == 409
    after = await _reservation(place.client, second["id"])
    assert (after["time"], after["status"]) == ("13:00", "created")
    assert (await _reservation(place.client, first["id"]))["status"] == "created"


async def test_two_patches_racing_for_one_table(booking_app):
    place = await make_restaurant(booking_app, tables=((1, 2),))
    early = await book(place.client, time="12:00")
    late = await book(place.client, time="16:00")

    async def move(rid: int):  # type: ignore[no-untyped-def]
        return await place.client.patch(
            f"/api/reservations/{rid}", json={"time": "19:00", "status": "confirmed"}, headers=CSRF
        )

    answers = await asyncio.gather(move(early["id"]), move(late["id"]))
    assert sorted(a.status_code for a in answers) == [200, 409]
    won, lost = (early, late) if answers[0].status_code == 200 else (late, early)
    assert [(r["time"], r["status"]) for r in [await _reservation(place.client, won["id"])]] == [("19:00", "confirmed")]
    loser = await _reservation(place.client, lost["id"])
    assert (loser["time"], loser["status"]) == (lost["time"], "created"), "the loser is exactly as it was"


async def test_deleting_a_table_races_a_booking_on_it(booking_app):
    place = await make_restaurant(booking_app, tables=())
    outcomes = []

    async def delete_after(delay: float, table_id: int):  # type: ignore[no-untyped-def]
        await asyncio.sleep(delay)  # lands the delete's check at a different step of the booking each time
        return await place.client.delete(f"/api/tables/{table_id}", headers=CSRF)

    for step in range(16):
        table = await (
            await place.client.post(
                "/api/tables", json={"name": f"Race {len(outcomes)}", "minGuests": 1, "maxGuests": 4}, headers=CSRF
            )
        ).get_json()
        booking, deletion = await asyncio.gather(
            place.client.post(
                "/api/booking/create",
                json={
                    "date": DAY,
                    "time": "19:00",
                    "guests": 2,
                    "tableId": table["id"],
                    "guest": {"name": "Ada", "phone": "+44 20 7946 0001"},
                },
                headers=CSRF,
            ),
            delete_after(step * 0.002, table["id"]),
        )
        outcomes.append((booking.status_code, deletion.status_code))
        # the booking first (the delete then refuses: 409), or the delete first (the booking finds no table:
        # refused with 400, 404 or 409 depending on where it was), never both
        assert deletion.status_code in (200, 409) and booking.status_code in (201, 400, 404, 409), outcomes
        assert (booking.status_code == 201) == (deletion.status_code == 409), outcomes
        if deletion.status_code == 409:  # the booking won: cancel it so the table can go
            rid = (await booking.get_json())["id"]
            await place.client.post(f"/api/booking/cancel/{rid}", headers=CSRF)
            assert (await place.client.delete(f"/api/tables/{table['id']}", headers=CSRF)).status_code == 200
    # whatever the interleaving, no active booking was left without its table
    active = Reservation.filter(restaurant_id=place.id, status__in=["created", "confirmed", "seated"])
    assert await active.count() == 0
    assert await ReservationTable.filter(restaurant_id=place.id, active=True).count() == 0
    assert await Table.filter(restaurant_id=place.id).count() == 0


async def test_reading_timeslot_stats_writes_nothing(booking_app):
    place = await make_restaurant(booking_app)
    generated = await place.client.post("/api/timeslots/generate", json={"days": 3}, headers=CSRF)
    assert generated.status_code == 201
    made = await book(place.client, time="19:00")
    await place.client.patch(f"/api/reservations/{made['id']}", json={"status": "confirmed"}, headers=CSRF)
    before = sorted(await Timeslot.filter(restaurant_id=place.id).values_list("id", "status"))
    stats = await (await place.client.get(f"/api/timeslots/stats?date={DAY}")).get_json()
    assert stats["occupied"] > 0
    assert sorted(await Timeslot.filter(restaurant_id=place.id).values_list("id", "status")) == before
