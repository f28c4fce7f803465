"""The booking rules' refusal as an error: :class:`Refused` carries the :class:`Refusal` (a reason and its
values); its ``message`` is the English sentence (:mod:`core.booking.refusal_text`), its ``code`` the reason
and its ``details`` the refusal's JSON (:func:`~core.booking.refusal_reasons.refusal_details`)."""

from __future__ import annotations

from core.booking.refusal_reasons import Reason, Refusal, refusal_details
from core.booking.refusal_text import english
from core.errors import BookingRefused

__all__ = ["Reason", "Refusal", "Refused"]


class Refused(BookingRefused):
    """A request a booking rule refuses (HTTP 400), read by reason: ``exc.refusal.reason``."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(english(refusal), code=refusal.reason.value, details=refusal_details(refusal))
        self.refusal = refusal
