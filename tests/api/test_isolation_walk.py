"""The isolation walk: as the first restaurant's owner, every /api endpoint with the second restaurant's
ids answers 404 (or only the first's own data), never the second's; nothing of the second changes.
(``test_isolation.py`` checks the first half's id-bearing endpoints by session and by token.)

Every object of the second restaurant carries the marker ``ZZOTHER`` in a name, a comment or a
message, so any response that leaks one is caught wherever the leak is. The walk is checked
against ``app.url_map``: a new /api endpoint without a case here fails the test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.booking.manage_link import sign_manage_token
from core.events import DomainEvent
from core.models import AiActivity, Conversation, ConversationMessage
from tests.api.bookkit import DAY, Restaurant, book, make_restaurant, open_stream
from tests.api.helpers import CSRF, PASSWORD, add_staff, create_guest, create_token, login

MARK = "ZZOTHER"
# No restaurant is resolved there (the password and sign-out-everywhere act on the caller's own user).
PUBLIC = {
    "/api/auth/register",
    "/api/auth/login",
    "/api/auth/logout",
    "/api/auth/logout-everywhere",
    "/api/auth/password",
}
# The guest's manage link: its token names the restaurant and the booking; the caller's own restaurant plays no part.
PUBLIC |= {f"/api/manage/<token>{tail}" for tail in ("", "/cancel", "/times", "/calendar.ics")}


@dataclass
class World:
    app: Any
    mine: Restaurant
    other: Restaurant
    ids: dict[str, int]  # the other restaurant's ids
    own: dict[str, int]  # the first restaurant's own ids

    async def call(self, method: str, path: str, *, json: Any = None, client: Any = None) -> tuple[int, Any]:
        """A request as the first restaurant's owner; fails if the answer mentions the other restaurant."""
        client = client or self.mine.client
        kwargs: dict[str, Any] = {"headers": CSRF}
        if json is not None:
            kwargs["json"] = json
        response = await client.open(path, method=method, **kwargs)
        text = await response.get_data(as_text=True)
        assert MARK not in text, f"{method} {path} leaked the other restaurant: {text[:300]}"
        assert response.status_code < 500, f"{method} {path}: {text[:300]}"
        return response.status_code, (await response.get_json() if text else None)

    async def not_found(self, method: str, path: str, json: Any = None) -> None:
        status, body = await self.call(method, path, json=json)
        assert status == 404, f"{method} {path} -> {status} {body}"

    async def only_mine(self, path: str, key: str = "items") -> list[dict]:
        status, body = await self.call("GET", path)
        assert status == 200, f"GET {path} -> {status} {body}"
        items = body[key] if isinstance(body, dict) and key in body else body
        assert all(item.get("restaurantId", self.mine.id) == self.mine.id for item in items if isinstance(item, dict))
        return items


Case = Callable[[World], Awaitable[None]]
CASES: dict[tuple[str, str], Case] = {}


def case(rule: str, method: str) -> Callable[[Case], Case]:
    def register(func: Case) -> Case:
        CASES[(rule, method)] = func
        return func

    return register


# --- auth, staff, tokens ---------------------------------------------------------------------------


@case("/api/auth/register", "POST")
async def _register(w: World) -> None:
    client = w.app.test_client()
    status, body = await w.call(
        "POST",
        "/api/auth/register",
        client=client,
        json={"email": "newcomer@example.com", "password": PASSWORD, "name": "New", "restaurantName": "Fresh"},
    )
    assert status == 201 and body["restaurant"]["id"] not in (w.mine.id, w.other.id)


@case("/api/auth/login", "POST")
async def _login(w: World) -> None:
    status, body = await w.call(
        "POST",
        "/api/auth/login",
        client=w.app.test_client(),
        json={"email": w.mine.owner["email"], "password": PASSWORD},
    )
    assert status == 200


@case("/api/auth/logout", "POST")
async def _logout(w: World) -> None:
    client = w.app.test_client()
    await login(client, w.mine.owner["email"])
    status, _ = await w.call("POST", "/api/auth/logout", client=client)
    assert status in (200, 204)


@case("/api/auth/logout-everywhere", "POST")
async def _logout_everywhere(w: World) -> None:
    client = w.app.test_client()
    await login(client, w.mine.owner["email"])
    status, body = await w.call("POST", "/api/auth/logout-everywhere", client=client, json={})
    assert status == 200 and body["sessionsEnded"] >= 1
    await login(w.mine.client, w.mine.owner["email"])  # the walk goes on signed in (the snapshot checks the other's)


@case("/api/auth/password", "POST")
async def _password(w: World) -> None:
    staff = await add_staff(w.mine.client, name="Changer", email="changer@example.com")
    client = w.app.test_client()
    await login(client, staff["email"])
    new = "another long passphrase 2026"
    status, _ = await w.call(
        "POST", "/api/auth/password", client=client, json={"currentPassword": PASSWORD, "newPassword": new}
    )
    assert status == 200
    await login(w.app.test_client(), staff["email"], new)


@case("/api/health", "GET")
async def _health(w: World) -> None:
    status, body = await w.call("GET", "/api/health")
    assert status in (200, 503) and "database" in body["checks"]
    assert not [name for name in body["checks"] if name.endswith(f":{w.other.id}")], body["checks"]


@case("/api/auth/me", "GET")
async def _me(w: World) -> None:
    status, body = await w.call("GET", "/api/auth/me")
    assert status == 200 and body["restaurant"]["id"] == w.mine.id


@case("/api/auth/session", "GET")
async def _session(w: World) -> None:
    status, body = await w.call("GET", "/api/auth/session")
    assert status == 200 and body["signedIn"] and body["restaurant"]["id"] == w.mine.id


@case("/api/auth/tokens", "GET")
async def _tokens(w: World) -> None:
    tokens = await w.only_mine("/api/auth/tokens")
    assert w.ids["token"] not in [t["id"] for t in tokens]


@case("/api/auth/tokens", "POST")
async def _token_create(w: World) -> None:
    status, _ = await w.call("POST", "/api/auth/tokens", json={"name": "walk"})
    assert status == 201


@case("/api/auth/tokens/<int:token_id>", "DELETE")
async def _token_revoke(w: World) -> None:
    await w.not_found("DELETE", f"/api/auth/tokens/{w.ids['token']}")


@case("/api/staff", "GET")
async def _staff(w: World) -> None:
    staff = await w.only_mine("/api/staff")
    assert w.ids["staff"] not in [s["id"] for s in staff]


@case("/api/staff", "POST")
async def _staff_add(w: World) -> None:
    status, _ = await w.call(
        "POST", "/api/staff", json={"email": "walk@example.com", "password": PASSWORD, "name": "Walker"}
    )
    assert status == 201


@case("/api/staff/<int:user_id>", "DELETE")
async def _staff_remove(w: World) -> None:
    await w.not_found("DELETE", f"/api/staff/{w.ids['staff']}")


# --- restaurant, tables, guests, integrations, activities -------------------------------------------


@case("/api/restaurants", "GET")
async def _restaurants(w: World) -> None:
    status, body = await w.call("GET", "/api/restaurants?q=" + MARK)  # admins only: an owner lists none
    assert status == 403 and body["code"] == "forbidden"


@case("/api/restaurants/profile", "GET")
async def _profile(w: World) -> None:
    status, body = await w.call("GET", "/api/restaurants/profile")
    assert status == 200 and body["id"] == w.mine.id


@case("/api/restaurants/profile", "PUT")
async def _profile_put(w: World) -> None:
    status, body = await w.call("PUT", "/api/restaurants/profile", json={"id": w.other.id, "address": "1 Walk St"})
    assert status == 200 and body["id"] == w.mine.id


@case("/api/tables", "GET")
async def _tables(w: World) -> None:
    assert not set(w.other.table_ids) & {t["id"] for t in await w.only_mine("/api/tables")}


@case("/api/tables", "POST")
async def _table_add(w: World) -> None:
    status, body = await w.call(
        "POST", "/api/tables", json={"name": "Walk", "minGuests": 1, "maxGuests": 2, "restaurantId": w.other.id}
    )
    assert status == 201 and body["restaurantId"] == w.mine.id


@case("/api/tables/<int:table_id>", "PUT")
async def _table_put(w: World) -> None:
    await w.not_found("PUT", f"/api/tables/{w.other.table_ids[0]}", json={"name": "Stolen"})


@case("/api/tables/<int:table_id>", "DELETE")
async def _table_delete(w: World) -> None:
    await w.not_found("DELETE", f"/api/tables/{w.other.table_ids[0]}")


@case("/api/guests", "GET")
async def _guests(w: World) -> None:
    assert await w.only_mine(f"/api/guests?q={MARK}") == []
    assert w.ids["guest"] not in [g["id"] for g in await w.only_mine("/api/guests?q=7700900555")]


@case("/api/guests", "POST")
async def _guest_add(w: World) -> None:
    """The other restaurant's guest's e-mail is free here: no 409 that would reveal them (the booking
    case does the same with their phone)."""
    status, body = await w.call(
        "POST", "/api/guests", json={"name": "Same Mail", "phone": "+447700900556", "email": "zzother@example.org"}
    )
    assert status == 201 and body["restaurantId"] == w.mine.id


@case("/api/guests/<int:guest_id>", "GET")
async def _guest(w: World) -> None:
    await w.not_found("GET", f"/api/guests/{w.ids['guest']}")


@case("/api/guests/<int:guest_id>", "PUT")
async def _guest_put(w: World) -> None:
    await w.not_found("PUT", f"/api/guests/{w.ids['guest']}", json={"name": "Stolen"})


@case("/api/integrations", "GET")
@case("/api/integrations/settings", "GET")
async def _integrations(w: World) -> None:
    for path in ("/api/integrations", "/api/integrations/settings"):
        status, body = await w.call("GET", path)
        assert status == 200


INTEGRATION_SAVES = (
    ("telegram", {"enabled": False}),
    ("whatsapp", {"fromNumber": "+15005550006"}),
    ("openai", {"model": "gpt-4o-mini"}),
)


@case("/api/integrations/<type>", "GET")
async def _integration_get(w: World) -> None:
    for kind, _ in INTEGRATION_SAVES:
        status, _body = await w.call("GET", f"/api/integrations/{kind}")
        assert status == 200


@case("/api/integrations/<type>", "POST")
async def _integration_post(w: World) -> None:
    for kind, body in INTEGRATION_SAVES:
        status, _body = await w.call("POST", f"/api/integrations/{kind}", json=body)
        assert status in (200, 201)


@case("/api/ai/activities", "GET")
async def _activities(w: World) -> None:
    items = await w.only_mine("/api/ai/activities")
    assert [a["message"] for a in items] == ["AA mine"]


# --- reservations, booking, dashboard, timeslots, events ---------------------------------------------


@case("/api/reservations", "GET")
async def _reservations(w: World) -> None:
    ids = {r["id"] for r in await w.only_mine("/api/reservations")}
    assert w.own["reservation"] in ids and w.ids["reservation"] not in ids
    assert await w.only_mine(f"/api/reservations?q={MARK}") == []


@case("/api/reservations/statuses", "GET")
async def _statuses(w: World) -> None:
    status, body = await w.call("GET", "/api/reservations/statuses")  # the same for every restaurant
    assert status == 200 and body["active"] == ["created", "confirmed", "seated"]


@case("/api/reservations/search", "GET")
async def _search(w: World) -> None:
    assert await w.only_mine(f"/api/reservations/search?q={MARK}") == []
    found = await w.only_mine("/api/reservations/search?q=Mine")
    assert [r["id"] for r in found] == [w.own["reservation"]]


@case("/api/reservations/<int:reservation_id>/messages", "GET")
async def _reservation_messages(w: World) -> None:
    await w.not_found("GET", f"/api/reservations/{w.ids['reservation']}/messages")
    status, _ = await w.call("GET", f"/api/reservations/{w.own['reservation']}/messages")
    assert status == 200


@case("/api/reservations/<int:reservation_id>/correct", "POST")
async def _correct(w: World) -> None:
    await w.not_found(
        "POST", f"/api/reservations/{w.ids['reservation']}/correct", json={"status": "confirmed", "reason": "walk"}
    )


@case("/api/reports/<name>", "GET")
async def _reports(w: World) -> None:
    for name in ("bookings", "channels", "bot"):
        status, _ = await w.call("GET", f"/api/reports/{name}?from={DAY}&to={DAY}")
        assert status == 200, name
    response = await w.mine.client.get(f"/api/reports/reservations?from={DAY}&to={DAY}&format=csv")
    text = await response.get_data(as_text=True)
    assert response.status_code == 200 and MARK not in text


# --- waitlist ---------------------------------------------------------------------------------------


@case("/api/waitlist", "GET")
async def _waitlist(w: World) -> None:
    ids = {e["id"] for e in await w.only_mine("/api/waitlist")}
    assert w.own["entry"] in ids and w.ids["entry"] not in ids


@case("/api/waitlist", "POST")
async def _waitlist_add(w: World) -> None:
    await w.not_found("POST", "/api/waitlist", json={"guests": 2, "guestId": w.ids["guest"]})


@case("/api/waitlist/<int:entry_id>", "GET")
async def _waitlist_entry(w: World) -> None:
    await w.not_found("GET", f"/api/waitlist/{w.ids['entry']}")


@case("/api/waitlist/<int:entry_id>", "PATCH")
async def _waitlist_patch(w: World) -> None:
    await w.not_found("PATCH", f"/api/waitlist/{w.ids['entry']}", json={"status": "left"})
    await w.not_found(
        "PATCH", f"/api/waitlist/{w.own['entry']}", json={"status": "seated", "tableId": w.other.table_ids[0]}
    )


@case("/api/waitlist/<int:entry_id>", "DELETE")
async def _waitlist_delete(w: World) -> None:
    await w.not_found("DELETE", f"/api/waitlist/{w.ids['entry']}")


@case("/api/waitlist/<int:entry_id>/ready", "POST")
async def _waitlist_ready(w: World) -> None:
    await w.not_found("POST", f"/api/waitlist/{w.ids['entry']}/ready")


@case("/api/reservations/<int:reservation_id>", "GET")
async def _reservation(w: World) -> None:
    await w.not_found("GET", f"/api/reservations/{w.ids['reservation']}")


@case("/api/reservations/<int:reservation_id>/history", "GET")
async def _reservation_history(w: World) -> None:
    await w.not_found("GET", f"/api/reservations/{w.ids['reservation']}/history")
    status, body = await w.call("GET", f"/api/reservations/{w.own['reservation']}/history")
    assert status == 200 and body[0]["type"] == "reservation.created"


@case("/api/reservations/<int:reservation_id>", "PATCH")
async def _reservation_patch(w: World) -> None:
    await w.not_found("PATCH", f"/api/reservations/{w.ids['reservation']}", json={"guests": 3})
    await w.not_found("PATCH", f"/api/reservations/{w.ids['reservation']}", json={"status": "canceled"})
    await w.not_found("PATCH", f"/api/reservations/{w.own['reservation']}", json={"tableId": w.other.table_ids[0]})


@case("/api/booking/create", "POST")
async def _booking(w: World) -> None:
    body = {"date": DAY, "time": "13:00", "guests": 2}
    await w.not_found("POST", "/api/booking/create", json={**body, "guestId": w.ids["guest"]})
    await w.not_found(
        "POST", "/api/booking/create", json={**body, "guestId": w.own["guest"], "tableId": w.other.table_ids[0]}
    )
    status, made = await w.call(
        "POST", "/api/booking/create", json={**body, "guest": {"name": "Walk-in", "phone": "+447700900555"}}
    )  # the other's guest's phone
    assert status == 201 and made["restaurantId"] == w.mine.id and made["guestId"] != w.ids["guest"]
    await w.call("POST", f"/api/booking/cancel/{made['id']}")


@case("/api/booking/cancel/<int:reservation_id>", "POST")
async def _cancel(w: World) -> None:
    await w.not_found("POST", f"/api/booking/cancel/{w.ids['reservation']}")


@case("/api/booking/availability", "GET")
async def _availability(w: World) -> None:
    status, body = await w.call("GET", f"/api/booking/availability?date={DAY}&time=19:00&guests=2")
    assert status == 200
    assert not {t["id"] for option in body["options"] for t in option} & set(w.other.table_ids)


@case("/api/dashboard/stats", "GET")
async def _stats(w: World) -> None:
    status, body = await w.call("GET", "/api/dashboard/stats")
    assert status == 200 and body["confirmedReservations"] == 0, body  # only the other's is confirmed


@case("/api/dashboard/upcoming", "GET")
async def _upcoming(w: World) -> None:
    ids = {r["id"] for r in await w.only_mine("/api/dashboard/upcoming")}
    assert w.own["reservation"] in ids and w.ids["reservation"] not in ids


@case("/api/timeslots/generate", "POST")
async def _generate(w: World) -> None:
    status, body = await w.call("POST", "/api/timeslots/generate", json={"days": 1})
    assert status in (200, 201) and body["created"] >= 0


@case("/api/timeslots/stats", "GET")
async def _timeslot_stats(w: World) -> None:
    status, body = await w.call("GET", f"/api/timeslots/stats?date={DAY}")
    assert status == 200 and set(body) == {"total", "free", "pending", "occupied"}


@case("/api/events", "GET")
async def _events(w: World) -> None:
    cookie = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in w.mine.client.cookie_jar)}
    async with open_stream(w.app, headers=cookie) as stream:
        await w.app.runtime.bus.publish(DomainEvent("reservation.updated", w.other.id, {"comments": MARK}))
        await w.app.runtime.bus.publish(DomainEvent("reservation.updated", w.mine.id, {"comments": "mine"}))
        events = await stream.events_within(0.3)
        assert [e["data"]["restaurantId"] for e in events] == [w.mine.id]
    await w.not_found("GET", f"/api/events?restaurantId={w.other.id}")


# --- conversations -----------------------------------------------------------------------------------


@case("/api/conversations", "GET")
async def _conversations(w: World) -> None:
    items = await w.only_mine("/api/conversations")
    assert [item["id"] for item in items] == [w.own["conversation"]]
    assert await w.only_mine("/api/conversations?status=handoff") == []


@case("/api/conversations/<int:conversation_id>", "GET")
async def _conversation(w: World) -> None:
    await w.not_found("GET", f"/api/conversations/{w.ids['conversation']}")


@case("/api/conversations/<int:conversation_id>/messages", "POST")
async def _conversation_reply(w: World) -> None:
    await w.not_found("POST", f"/api/conversations/{w.ids['conversation']}/messages", json={"text": "hi"})


@case("/api/conversations/<int:conversation_id>/handback", "POST")
async def _conversation_handback(w: World) -> None:
    await w.not_found("POST", f"/api/conversations/{w.ids['conversation']}/handback")


# --- the guest's manage link ------------------------------------------------------------------------


def _crossed_token(w: World) -> str:
    """A token genuinely signed by this service, naming the first restaurant and the OTHER one's reservation:
    what a guest of the first would need to reach a booking of the second. Reads are scoped by both ids."""
    far = datetime(2999, 1, 1, tzinfo=UTC)
    return sign_manage_token(w.app.runtime.settings.secret_key, w.mine.id, w.ids["reservation"], far)


@case("/api/manage/<token>", "GET")
async def _manage_show(w: World) -> None:
    await w.not_found("GET", f"/api/manage/{_crossed_token(w)}")


@case("/api/manage/<token>", "PATCH")
async def _manage_change(w: World) -> None:
    await w.not_found("PATCH", f"/api/manage/{_crossed_token(w)}", json={"guests": 3})


@case("/api/manage/<token>/cancel", "POST")
async def _manage_cancel(w: World) -> None:
    await w.not_found("POST", f"/api/manage/{_crossed_token(w)}/cancel")


@case("/api/manage/<token>/times", "GET")
async def _manage_times(w: World) -> None:
    await w.not_found("GET", f"/api/manage/{_crossed_token(w)}/times?date={DAY}&guests=2")


@case("/api/manage/<token>/calendar.ics", "GET")
async def _manage_calendar(w: World) -> None:
    await w.not_found("GET", f"/api/manage/{_crossed_token(w)}/calendar.ics")


# --- the walk --------------------------------------------------------------------------------------


async def _conversation_of(restaurant_id: int, text: str, status: str) -> int:
    """A web chat conversation with one guest message (as the engine leaves it)."""
    conversation = await Conversation.create(
        restaurant_id=restaurant_id,
        channel="webchat",
        external_chat_id=f"chat-{restaurant_id}",
        state={},
        history=[],
        last_activity=datetime(2026, 6, 1, 9, 0, tzinfo=UTC),
        status=status,
    )
    await ConversationMessage.create(
        conversation=conversation, role="guest", text=text, created_at=conversation.last_activity
    )
    return conversation.id


async def _world(app: Any) -> World:
    mine = await make_restaurant(app)
    other = await make_restaurant(app, name=f"{MARK} Bistro", address=f"{MARK} street")
    for index, table_id in enumerate(other.table_ids):
        await other.client.put(f"/api/tables/{table_id}", json={"name": f"{MARK}{index}"}, headers=CSRF)
    guest = await create_guest(
        other.client, name=f"{MARK} Guest", phone="+447700900555", email="zzother@example.org", notes=MARK
    )
    reservation = await book(other.client, guestId=guest["id"], comments=f"{MARK} note", source=MARK)
    await other.client.patch(f"/api/reservations/{reservation['id']}", json={"status": "confirmed"}, headers=CSRF)
    staff = await add_staff(other.client, name=f"{MARK} Staff", email="zzother-staff@example.com")
    token = await create_token(other.client, name=f"{MARK} token")
    await other.client.post(
        "/api/integrations/telegram", json={"botToken": "123456:ZZOTHERsecret", "enabled": True}, headers=CSRF
    )
    await other.client.post("/api/integrations/openai", json={"model": MARK}, headers=CSRF)
    await AiActivity.create(
        restaurant_id=other.id,
        type="reservation_intent",
        message=f"{MARK} hello",
        response=MARK,
        metadata={"who": MARK},
    )
    await AiActivity.create(restaurant_id=mine.id, type="reservation_intent", message="AA mine")
    other_conversation = await _conversation_of(other.id, f"{MARK} guest message", "handoff")
    my_conversation = await _conversation_of(mine.id, "mine", "active")
    my_guest = await create_guest(mine.client, name="Mine", phone="+447700900111")
    my_reservation = await book(mine.client, guestId=my_guest["id"])
    other_entry = await other.client.post(
        "/api/waitlist", json={"guests": 2, "name": f"{MARK} Waiting", "phone": "+447700900556"}, headers=CSRF
    )
    my_entry = await mine.client.post("/api/waitlist", json={"guests": 2, "name": "Mine Waiting"}, headers=CSRF)
    assert other_entry.status_code == my_entry.status_code == 201
    return World(
        app=app,
        mine=mine,
        other=other,
        ids={
            "guest": guest["id"],
            "reservation": reservation["id"],
            "staff": staff["id"],
            "token": token["id"],
            "conversation": other_conversation,
            "entry": (await other_entry.get_json())["id"],
        },
        own={
            "guest": my_guest["id"],
            "reservation": my_reservation["id"],
            "table": mine.table_ids[0],
            "conversation": my_conversation,
            "entry": (await my_entry.get_json())["id"],
        },
    )


def _api_rules(app: Any) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _own_path(rule: str, w: World) -> str:
    return (
        rule.replace("<int:token_id>", "1")
        .replace("<int:user_id>", str(w.mine.owner["user"]["id"]))
        .replace("<int:table_id>", str(w.own["table"]))
        .replace("<int:guest_id>", str(w.own["guest"]))
        .replace("<int:reservation_id>", str(w.own["reservation"]))
        .replace("<type>", "telegram")
        .replace("<int:conversation_id>", str(w.own["conversation"]))
        .replace("<int:entry_id>", str(w.own["entry"]))
        .replace("<name>", "bookings")
    )


async def _snapshot(other: Restaurant) -> list[Any]:
    paths = [
        "/api/restaurants/profile",
        "/api/tables",
        "/api/guests",
        "/api/reservations",
        "/api/staff",
        "/api/auth/tokens",
        "/api/integrations",
        "/api/ai/activities",
        "/api/conversations",
        "/api/waitlist",
    ]
    answers = []
    for path in paths:
        response = await other.client.get(path)
        assert response.status_code == 200, path
        body = await response.get_json()
        if isinstance(body, dict):
            body.pop("updatedAt", None)
        answers.append(body)
    return answers


async def test_every_endpoint_keeps_the_other_restaurant_out(booking_app):
    w = await _world(booking_app)
    rules = _api_rules(booking_app)
    missing, stale = sorted(rules - set(CASES)), sorted(set(CASES) - rules)
    assert not missing, f"add an isolation case for {missing}"
    assert not stale, f"isolation cases for endpoints that no longer exist: {stale}"
    before = await _snapshot(w.other)
    for rule, method in sorted(rules):
        await CASES[(rule, method)](w)
    # the same walk naming the other restaurant outright: it does not exist for this caller
    for rule, method in sorted(rules):
        if rule in PUBLIC:
            continue
        path = _own_path(rule, w)
        path += ("&" if "?" in path else "?") + f"restaurantId={w.other.id}"
        await w.not_found(method, path, json={} if method in ("POST", "PUT", "PATCH") else None)
    after = await _snapshot(w.other)
    assert after == before, "the other restaurant's data changed"
