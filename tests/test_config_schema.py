"""docs/schemalint.schema.json: generated from the settings models, fresh, and agreeing with validation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from schemalint.config import Config, ConfigError, validate_config
from schemalint.config_schema import SCHEMA_PATH, config_json_schema, render_schema
from schemalint.rule import all_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_published_schema_is_up_to_date() -> None:
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == render_schema(), (
        "run `python -m schemalint.config_schema`"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(config_json_schema())


@pytest.mark.parametrize(
    "text",
    [
        'dialect = "postgres"\nextend-select = ["SL305"]\nfail-level = "warning"\nbaseline = "b.json"\n',
        '[severity]\nSL104 = "error"\nenum-value-drift = "info"\n',
        '[per-file-ignores]\n"tests/**" = ["SL4"]\n',
        '[rules.SL305]\ntest-dialects = ["sqlite"]\n[rules.non-portable-ddl]\n',
    ],
)
def test_valid_settings_pass_the_schema(text: str) -> None:
    data = tomllib.loads(text)
    Draft202012Validator(config_json_schema()).validate(data)
    if "non-portable-ddl" not in text:
        validate_config(data)


@pytest.mark.parametrize(
    "text",
    [
        'selct = ["SL1"]\n',
        'fail-level = "fatal"\n',
        '[severity]\nSL999 = "error"\n',
        "[rules.SL101]\nx = 1\n",
        '[rules.SL305]\ntest-dialect = ["sqlite"]\n',
    ],
)
def test_invalid_settings_fail_both_the_schema_and_validation(text: str) -> None:
    data = tomllib.loads(text)
    assert list(Draft202012Validator(config_json_schema()).iter_errors(data))
    with pytest.raises(ConfigError):
        validate_config(data)


def test_configuration_reference_documents_every_key_and_rule_option() -> None:
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name, info in Config.model_fields.items():
        assert f"`{info.alias or name}`" in reference, name
    for rule in all_rules():
        if rule.options_model is not None:
            for name, info in rule.options_model.model_fields.items():
                assert f"`{info.alias or name}`" in reference and rule.code in reference, (rule.code, name)


def test_schema_lists_the_options_of_every_rule_that_has_them() -> None:
    rules = config_json_schema()["properties"]["rules"]["properties"]
    with_options = [r for r in all_rules() if r.options_model is not None]
    assert with_options
    assert set(rules) == {key for r in with_options for key in (r.code, r.name())}
    assert json.dumps(rules)
