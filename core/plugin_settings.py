"""What a plugin's settings are: the base model plugins subclass, and the check of a ``plugins.toml`` table.

A leaf module (it imports nothing of the plugin machinery), so the runtime can check a plugin's
settings when first asked for them without importing the plugin manager.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict

from core.errors import ConfigurationError

M = TypeVar("M", bound=BaseModel)


class PluginSettings(BaseModel):
    """Base of a plugin's settings model: unknown keys are refused, values are read-only.

    Declare the fields with their defaults and limits (``Field(30, ge=1)``); a secret is a
    ``pydantic.SecretStr`` (printed masked by ``tobeout plugins``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_line(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_settings(plugin: str, model: type[M], table: Mapping[str, object], source: str = "plugins.toml") -> M:
    """``table`` (a plugins.toml table, without ``enabled``) checked against ``model``.

    Raises :class:`ConfigurationError` with one line naming the file, the plugin and the
    first wrong key: an unknown key (with the known ones), or a value the model refuses.
    """
    known = {name for name in model.model_fields} | {
        f.alias for f in model.model_fields.values() if f.alias is not None
    }
    where = f'{source}: [plugins."{plugin}"]'
    for key in table:
        if key not in known:
            hint = f"known settings: {', '.join(sorted(model.model_fields))}" if model.model_fields else "it takes none"
            raise ConfigurationError(f"{where} has an unknown setting {key!r} ({hint})")
    try:
        return model.model_validate(table)
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"]) or "?"
        given = f" (got {_one_line(error['input'])})" if "input" in error and error["loc"] else ""
        raise ConfigurationError(f"{where} {key}: {error['msg']}{given}") from None
