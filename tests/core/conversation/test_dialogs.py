"""The dialog benchmark's regression gate: every dialog of ``bench/dialogs`` not marked ``known_failure``
reaches its outcome on the guided path, with nothing asked twice and no wrong booking (the whole
benchmark, with figures, is ``python -m bench dialogs``)."""

from __future__ import annotations

import pytest

from bench.dialog_runner import NOW, Replay, load
from tests.clock import NOW as TEST_NOW

LANGUAGES = sorted({d.language for d in load()})


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_dialogs_marked_passing_pass_on_the_guided_path(pg_db, engine_factory, language):
    assert NOW == TEST_NOW  # the dialogs' "today" is the tests' clock
    engine = engine_factory()
    dialogs = [d for d in load([language]) if not d.known_failure]
    assert dialogs, f"no passing dialogs in {language}"
    failed = []
    for dialog in dialogs:
        outcome = await Replay(engine, dialog, "guided").run()
        if not outcome.passed:
            failed.append(f"{dialog.id}: {outcome.problems} re-asked {outcome.reasked} {outcome.transcript}")
    assert not failed, "\n".join(failed)


def test_every_dialog_says_what_it_must_reach():
    dialogs = load()
    assert len({d.id for d in dialogs}) == len(dialogs), "dialog ids are unique"
    for d in dialogs:
        assert d.turns and d.expect, d.id
        assert set(d.expect) <= {"booking", "change", "cancel", "handoff", "answer"}, d.id
        assert d.category in {"book", "correction", "special", "change", "cancel", "handoff", "question"}, d.id
        assert bool(d.existing) == bool({"change", "cancel"} & set(d.expect)), d.id
