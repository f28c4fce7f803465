"""What a guest may do with their own booking from its manage link: see it, find free times, change it,
cancel it, through the same booking engine and rules as everyone else.

Every call starts from the link's token (:mod:`core.booking.manage_link`): it is checked first, and the
reservation is then read scoped by the restaurant *and* the reservation the token names, so a link never
reaches another booking. A token whose booking no longer exists reads as invalid, like a forged one.

A guest changes or cancels only a booking that is still ahead (created or confirmed, not started);
otherwise :class:`BookingStarted` (HTTP 409) asks them to contact the restaurant. Changes are
``Actor.GUEST`` changes in the reservation's history, exactly as from a chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from core.booking import availability
from core.booking.assignment import largest_party
from core.booking.hours import to_local
from core.booking.manage_link import InvalidManageLink, LinkProblem, ManageToken, read_manage_token
from core.booking.service import BookingService, ReservationChanges
from core.errors import Conflict, NotFound
from core.events import Actor
from core.models import Reservation, ReservationStatus, Restaurant

S = ReservationStatus
#: Statuses a guest may still change or cancel from the link.
OPEN_STATUSES = frozenset({S.CREATED, S.CONFIRMED})


class BookingStarted(Conflict):
    """The booking has started, ended or was cancelled: the link only shows it now. HTTP 409."""

    code = "booking_closed"


@dataclass(frozen=True)
class ManagedBooking:
    """A reservation as its manage link shows it, with what the guest may still do."""

    reservation: Reservation  # with guest and table fetched
    restaurant: Restaurant
    grant: ManageToken
    open: bool  # may be changed and cancelled from the link
    max_guests: int  # the largest party the restaurant takes online (0: none)
    first_day: date  # the days a change may move it to (the restaurant's local dates)
    last_day: date


class GuestSelfService:
    """The manage link's actions, on ``service`` (the one booking engine) with the service's ``secret_key``."""

    def __init__(self, service: BookingService, secret_key: str) -> None:
        self.service = service
        self.secret_key = secret_key

    def grant(self, token: str) -> ManageToken:
        """The token checked at the engine's clock (:class:`InvalidManageLink` when it is not usable)."""
        return read_manage_token(self.secret_key, token, self.service.clock())

    async def open(self, token: str) -> ManagedBooking:
        """The booking ``token`` grants, with what may be done to it."""
        grant = self.grant(token)
        try:
            reservation = await self.service.get(grant.restaurant_id, grant.reservation_id)
        except NotFound:
            raise InvalidManageLink(LinkProblem.FORGED) from None
        return await self._managed(reservation, grant)

    async def _managed(self, reservation: Reservation, grant: ManageToken) -> ManagedBooking:
        setting = await availability.load_setting(grant.restaurant_id)
        now = self.service.clock()
        rules = setting.rules
        today, _ = to_local(now, rules.tz)
        ahead = S(reservation.status) in OPEN_STATUSES and reservation.starts_at > now
        most = largest_party(setting.tables)
        return ManagedBooking(
            reservation=reservation,
            restaurant=setting.restaurant,
            grant=grant,
            open=ahead,
            max_guests=most if rules.pacing_max_covers is None else min(most, rules.pacing_max_covers),
            first_day=today,
            last_day=today + timedelta(days=rules.max_advance_days),
        )

    async def _open_for_change(self, token: str) -> ManagedBooking:
        managed = await self.open(token)
        if not managed.open:
            raise BookingStarted(
                "This booking can no longer be changed or cancelled online; please contact the restaurant.",
                details={"reservationStatus": str(managed.reservation.status)},
            )
        return managed

    async def times(self, token: str, day: date, guests: int) -> list[time]:
        """The free start times (local) on ``day`` for ``guests``, counting this booking's own tables
        as free (it would leave them). ``BookingRefused`` for a party the restaurant cannot seat."""
        managed = await self.open(token)
        current = managed.reservation
        duration = current.duration if guests == current.guests else None
        return await availability.day_view(
            managed.restaurant.id,
            day,
            guests,
            duration=duration,
            now=self.service.clock(),
            exclude_reservation_id=current.id,
        )

    async def change(
        self, token: str, *, day: date | None = None, at: time | None = None, guests: int | None = None
    ) -> ManagedBooking:
        """Move the booking to ``day``/``at`` and/or a party of ``guests`` (None keeps each), as a guest's
        change through :meth:`BookingService.modify`: the same rules, ``SlotUnavailable`` with alternatives
        when the new time is taken, ``BookingRefused`` for a time the restaurant does not take."""
        managed = await self._open_for_change(token)
        current = managed.reservation
        changed = await self.service.modify(
            managed.restaurant.id,
            current.id,
            ReservationChanges(date=day, time=at, guests=guests),
            guest_id=current.guest_id,
            actor=Actor.GUEST,
        )
        return await self._managed(changed, managed.grant)

    async def cancel(self, token: str) -> ManagedBooking:
        """Cancel the booking as its guest (a cancelled booking stays viewable through its link)."""
        managed = await self._open_for_change(token)
        current = managed.reservation
        await self.service.cancel(managed.restaurant.id, current.id, guest_id=current.guest_id, actor=Actor.GUEST)
        canceled = await self.service.get(managed.restaurant.id, current.id)
        return await self._managed(canceled, managed.grant)
