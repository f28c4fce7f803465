"""The storage seam holds what differs between the databases and what reaches into Tortoise's private parts.

Private Tortoise names are used in one module, core/storage/orm.py, so an upgrade of the ORM is checked
there; which database runs is asked in core/storage/ only (the rest of the code calls ``storage()``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "api", "channels", "plugins")
ADAPTER = ROOT / "core" / "storage" / "orm.py"
SEAM = ROOT / "core" / "storage"
PRIVATE = {"_init_from_db", "_saved_in_db", "_parent", "EXECUTOR_CACHE", "_current_context", "_expire_connections"}


def _sources() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


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


def dialect_checks(path: Path) -> list[int]:
    """Lines of ``path`` that ask which database runs: ``….capabilities.dialect`` (as an attribute or through
    ``getattr``) or a name ``is_postgres`` / ``is_pg``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "dialect":
            inner = node.value
            if isinstance(inner, ast.Attribute) and inner.attr == "capabilities":
                lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and node.value == "dialect":
            lines.append(node.lineno)
        elif isinstance(node, ast.Name | ast.FunctionDef) and getattr(node, "id", getattr(node, "name", "")) in {
            "is_postgres",
            "_is_pg",
        }:
            lines.append(node.lineno)
    return sorted(lines)


def test_private_orm_names_only_in_the_adapter():
    users = {str(path.relative_to(ROOT)): sorted(private_uses(path)) for path in _sources() if path != ADAPTER}
    assert {path: names for path, names in users.items() if names} == {}
    assert private_uses(ADAPTER) == PRIVATE  # the check looks for what the adapter really uses


def test_which_database_runs_is_asked_in_the_storage_seam_only():
    askers = {str(path.relative_to(ROOT)): dialect_checks(path) for path in _sources() if SEAM not in path.parents}
    assert {path: lines for path, lines in askers.items() if lines} == {}
    # the check sees what the seam really does: it chooses by the default connection's dialect
    assert dialect_checks(SEAM / "__init__.py")


def test_the_checks_see_the_forms_they_look_for(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def is_postgres():\n"
        "    return conn.capabilities.dialect == 'postgres'\n"
        "x = getattr(conn.capabilities, 'dialect')\n"
        "y = instance._saved_in_db\n"
    )
    assert dialect_checks(sample) == [1, 2, 3]
    assert private_uses(sample) == {"_saved_in_db"}
