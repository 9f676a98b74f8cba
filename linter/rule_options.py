"""The base class of a rule's options model (``[tool.schemalint.rules.SL305]`` in the settings)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RuleOptions(BaseModel):
    """Options of one rule, validated like the rest of the settings.

    Keys are kebab-case in the files (``test-dialects`` for ``test_dialects``), unknown keys and
    values of the wrong type are errors naming the key, and every field needs a default: a rule
    runs with the defaults when its table is absent. Field descriptions become the JSON schema's
    and the configuration reference's text.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        strict=True,
        alias_generator=lambda name: name.replace("_", "-"),
    )
