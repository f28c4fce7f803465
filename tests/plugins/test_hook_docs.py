"""Every hook in core/hookspecs.py is documented (docstring and docs/plugins.md, with its arguments)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from core import hookspecs

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text()


def _hooks():
    return [(name, fn) for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("tobeout_")]


def test_there_are_hooks():
    assert len(_hooks()) >= 8


def test_every_hook_has_a_docstring():
    for name, fn in _hooks():
        assert fn.__doc__ and len(fn.__doc__.split()) >= 12, f"{name} needs a docstring saying when and what"


def test_every_hook_is_in_the_docs_with_its_arguments():
    for name, fn in _hooks():
        row = next((line for line in DOCS.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"docs/plugins.md has no table row for {name}"
        documented = set(re.findall(r"`(\w+)`", row.split("|")[2]))
        assert documented == set(inspect.signature(fn).parameters), f"{name}: arguments in docs differ"
