"""The version of the installed ToBeOut, from the package metadata (``pyproject.toml``'s ``version``)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version


def version() -> str:
    """``0.2.0``, or ``unknown`` when the package is not installed (run from a bare checkout)."""
    try:
        return package_version("tobeout")
    except PackageNotFoundError:
        return "unknown"
