"""The service's log handler writes to the stderr of the moment, not the one it was installed with."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from core.logs import configure_logging


@pytest.fixture
def restored_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_records_follow_a_swapped_stderr_rather_than_the_closed_one(
    monkeypatch: pytest.MonkeyPatch, restored_root: logging.Logger
) -> None:
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure_logging("INFO", "text")
    logging.getLogger("tobeout.test").info("to the first stderr")
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    first.close()  # what a test runner does with the capture it swapped in
    logging.getLogger("tobeout.test").info("to the second stderr")
    written = second.getvalue()
    assert "to the second stderr" in written
    assert "Logging error" not in written  # what a write to the closed first one reports instead


def test_an_explicit_stream_stays_that_stream(monkeypatch: pytest.MonkeyPatch, restored_root: logging.Logger) -> None:
    mine = io.StringIO()
    configure_logging("INFO", "text", stream=mine)
    elsewhere = io.StringIO()
    monkeypatch.setattr(sys, "stderr", elsewhere)
    logging.getLogger("tobeout.test").info("kept here")
    assert "kept here" in mine.getvalue()
    assert "kept here" not in elsewhere.getvalue()


def test_the_pools_own_retry_warning_keeps_its_reason_without_a_traceback(restored_root: logging.Logger) -> None:
    out = io.StringIO()
    configure_logging("INFO", "text", stream=out)
    try:
        raise ConnectionRefusedError("the database system is shutting down")
    except ConnectionRefusedError:
        logging.getLogger("asyncpg.pool").warning(
            "Failed to restore the pool connection floor; retrying", exc_info=True
        )
        logging.getLogger("core.outbox").warning("a warning of ours keeps its traceback", exc_info=True)
    written = out.getvalue()
    first, ours = written.split("a warning of ours")
    assert "Failed to restore the pool connection floor; retrying" in first
    assert "ConnectionRefusedError: the database system is shutting down" in first
    assert "Traceback" not in first
    assert "Traceback" in ours
