"""Fixtures of the API tests: ``clock`` (Monday 1 June 2026 09:00 UTC), ``booking_app``, ``place``
and ``private_redis``, defined in :mod:`tests.api.bookkit`."""

from tests.api.bookkit import booking_app_fixture, clock_fixture, place_fixture, private_redis_fixture

__all__ = ["booking_app_fixture", "clock_fixture", "place_fixture", "private_redis_fixture"]
