"""Every module the documentation names exists (a reader sent to a module that is not there was one of
the wrong claims issue 22 found)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: a dotted module of ours in backquotes (`core.booking.service`, `core.runtime.Runtime`)
DOTTED = re.compile(r"`((?:core|api|channels|plugins)(?:\.\w+)+)")
#: a source file of ours by path (core/booking/service.py)
FILE = re.compile(r"\b((?:core|api|channels|plugins|bench|tests)/[\w/]+\.py)\b")


#: file names written with a dot (`plugins.toml`), not modules
NOT_MODULES = ("toml", "md", "py", "js", "po")


def _exists(dotted: str) -> bool:
    """True when ``dotted`` is a module or package of ours, or a name in one (the longest prefix that
    is a module holds the rest; a package's own names are in its ``__init__.py``)."""
    parts = dotted.split(".")
    for i in range(len(parts), 1, -1):
        path = ROOT / "/".join(parts[:i])
        if path.with_suffix(".py").is_file():
            return True
        if path.is_dir():
            init = path / "__init__.py"
            return i == len(parts) or (init.is_file() and re.search(rf"\b{parts[i]}\b", init.read_text()) is not None)
    return False


def test_every_module_the_docs_name_exists():
    missing = []
    for document in DOCUMENTS:
        text = document.read_text()
        named = [name for name in DOTTED.findall(text) if name.rpartition(".")[2] not in NOT_MODULES]
        missing += [f"{document.name}: {name}" for name in named if not _exists(name)]
        missing += [f"{document.name}: {path}" for path in FILE.findall(text) if not (ROOT / path).is_file()]
    assert missing == []


def test_the_check_sees_a_missing_module():
    assert _exists("core.booking.service.BookingService")
    assert _exists("core.models.Guest")
    assert not _exists("core.booking.nowhere")
    assert FILE.findall("see core/booking/nowhere.py") == ["core/booking/nowhere.py"]
