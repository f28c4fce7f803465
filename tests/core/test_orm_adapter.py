"""Tortoise's private parts are used in one module, core/orm.py, so an upgrade of the ORM is checked there."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRIVATE = {"_init_from_db", "_saved_in_db", "_parent", "EXECUTOR_CACHE", "_current_context", "_expire_connections"}


def private_uses(path: Path) -> set[str]:
    """The private Tortoise names ``path`` uses: as an attribute, a keyword argument, an imported or plain name,
    or a string (``getattr(conn, "_parent")``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            found.add(node.arg)
        elif isinstance(node, ast.alias):
            found.add(node.name)
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return found & PRIVATE


def test_private_orm_names_only_in_the_adapter():
    users = {
        str(path.relative_to(ROOT)): sorted(private_uses(path))
        for package in ("core", "api", "channels", "plugins")
        for path in (ROOT / package).rglob("*.py")
        if path != ROOT / "core" / "orm.py" and private_uses(path)
    }
    assert users == {}
    assert private_uses(ROOT / "core" / "orm.py") == PRIVATE  # the check looks for what the adapter really uses
