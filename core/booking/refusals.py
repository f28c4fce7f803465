"""The booking rules' refusal as an error: :class:`Refused` carries the :class:`Refusal` (a reason and its
values); its ``message`` is the English sentence (:mod:`core.booking.refusal_text`), its ``code`` the reason
and its ``details`` the refusal's JSON (:func:`~core.booking.refusal_reasons.refusal_details`). A full slot is
:class:`Taken`, carrying its :class:`Unavailable` the same way."""

from __future__ import annotations

from core.booking.refusal_reasons import Reason, Refusal, Unavailable, refusal_details, unavailable_details
from core.booking.refusal_text import english, unavailable_english
from core.errors import BookingRefused, SlotUnavailable

__all__ = ["Reason", "Refusal", "Refused", "Taken", "Unavailable"]


class Refused(BookingRefused):
    """A request a booking rule refuses (HTTP 400), read by reason: ``exc.refusal.reason``."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(english(refusal), code=refusal.reason.value, details=refusal_details(refusal))
        self.refusal = refusal


class Taken(SlotUnavailable):
    """Nothing is free at the asked slot (HTTP 409), read as data: ``exc.unavailable``."""

    def __init__(self, unavailable: Unavailable) -> None:
        super().__init__(unavailable_english(unavailable), details=unavailable_details(unavailable))
        self.unavailable = unavailable
