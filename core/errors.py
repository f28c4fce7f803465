"""Domain errors raised by the core and mapped to HTTP status codes once, in ``api/``.

Every error carries a ``message`` a person can act on and an optional ``code``
(a short machine-readable reason) plus ``details`` (extra JSON-safe data such as
alternative times). Channels and the conversation engine show ``message`` to
guests; the API turns the class into a status code.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base class of every error the core raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, details: Mapping[str, object] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, object] = dict(details or {})


class ValidationError(DomainError):
    """Input that can never be accepted as given (bad date, unknown field value...). HTTP 400."""

    code = "validation_error"


class NotFound(DomainError):
    """The object does not exist, or not for this caller's restaurant. HTTP 404."""

    code = "not_found"


class Conflict(DomainError):
    """The request clashes with stored state (duplicate email, ...). HTTP 409."""

    code = "conflict"


class BookingRefused(ValidationError):
    """A booking request that breaks a booking rule: in the past, outside hours,
    outside the booking window, party too large. ``code`` says which rule. HTTP 400."""

    code = "booking_refused"


class SlotUnavailable(Conflict):
    """Nothing is free for the asked time. ``details["alternatives"]`` lists
    nearby free ``{"date", "time"}`` pairs. HTTP 409."""

    code = "slot_unavailable"

    @property
    def alternatives(self) -> list[dict[str, str]]:
        """The nearby free ``{"date", "time"}`` pairs of ``details`` (those well formed)."""
        found = self.details.get("alternatives")
        pairs = found if isinstance(found, list) else []
        return [
            {"date": str(p["date"]), "time": str(p["time"])}
            for p in pairs
            if isinstance(p, dict) and "date" in p and "time" in p
        ]


class InvalidTransition(Conflict):
    """A reservation status change the state machine does not allow. HTTP 409."""

    code = "invalid_transition"


class PermissionDenied(DomainError):
    """The caller is known but may not do this. HTTP 403."""

    code = "forbidden"


class RateLimited(DomainError):
    """Too many attempts; ``details["retryAfter"]`` gives seconds. HTTP 429."""

    code = "rate_limited"

    @property
    def retry_after(self) -> int | None:
        """Seconds to wait before trying again (``details["retryAfter"]``), when given."""
        value = self.details.get("retryAfter")
        return int(value) if isinstance(value, int | float) else None


class ConfigurationError(DomainError):
    """Settings (environment or plugins.toml) that stop startup."""

    code = "configuration_error"


class ChannelError(DomainError):
    """An outside service (a channel's API, a gateway) refused or failed a call.
    ``retryable`` says whether trying again later may succeed."""

    code = "channel_error"

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        code: str | None = None,
        details: Mapping[str, object] | None = None,
    ):
        super().__init__(message, code=code, details=details)
        self.retryable = retryable
