"""What a plugin subclasses to declare an integration's settings, and how a submitted value is read.

A leaf module: :class:`IntegrationSettings` and :func:`submitted` name nothing of the runtime. The
integration type itself (:class:`core.runtime.IntegrationType`) and the storage functions
(:mod:`core.integrations`) build on it.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

#: how a stored secret is shown (``••••wxyz``), and what a save sends back for "unchanged"
MASK_PREFIX = "••••"


class IntegrationSettings(BaseModel):
    """Base of an integration type's settings model: camelCase on the wire, unknown keys refused.

    Every field is optional in a save (a key left out keeps the stored value). Declare a
    secret as ``SecretStr | None``: it is stored encrypted and answered masked (``••••wxyz``).
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


def submitted(values: Mapping[str, object], key: str, stored: str | None) -> str | None:
    """The value a save request gives for ``key``: the stored one when it is left out or masked, None when blank."""
    value = values.get(key)
    if value is None or (isinstance(value, str) and value.startswith(MASK_PREFIX)):
        return stored
    return str(value) or None
