"""The JSON schema of the settings (docs/schemalint.schema.json), generated from the pydantic models.

``python -m schemalint.config_schema`` writes it; ``--check`` fails when it is stale (``make
test`` runs that, like the rule docs check). Editors that map a JSON schema onto TOML (Even
Better TOML, taplo) then complete and check ``schemalint.toml`` and ``[tool.schemalint]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from schemalint.config import DIALECT_ALIASES, Config
from schemalint.rule import all_rules

SCHEMA_PATH = Path("docs/schemalint.schema.json")
SCHEMA_ID = "https://github.com/schemalint/schemalint/blob/main/docs/schemalint.schema.json"
_SEVERITIES = ["error", "warning", "info"]


_DIALECTS = ["postgresql", "mysql", "sqlite"]


def _for_toml(node: Any) -> Any:
    """Adapt pydantic's schema to what the TOML files accept.

    TOML has no null: ``anyOf: [X, {"type": "null"}]`` becomes X, and null defaults go. Dialect
    names accept their aliases (``postgres``, ``mariadb``), which validation normalises.
    Field titles (``Test-Dialects``) only repeat the key and go too.
    """
    if isinstance(node, list):
        return [_for_toml(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _for_toml(value) for key, value in node.items()}
    if out.get("enum") == _DIALECTS:
        out["enum"] = sorted(DIALECT_ALIASES)
    if isinstance(out.get("properties"), dict):
        for value in out["properties"].values():
            if isinstance(value, dict):
                value.pop("title", None)
    variants = out.get("anyOf")
    if isinstance(variants, list):
        kept = [v for v in variants if v != {"type": "null"}]
        if len(kept) == 1 and len(kept) < len(variants):
            del out["anyOf"]
            out = {**kept[0], **out}
    if "default" in out and out["default"] is None:
        del out["default"]
    return out


def config_json_schema() -> dict[str, Any]:
    """The schema of ``schemalint.toml`` (= ``[tool.schemalint]``), rule options included.

    ``severity`` and ``rules`` list every rule by code and by kebab name, so editors complete
    them; ``rules`` lists only the rules that have options, each with its options' schema.
    """
    schema: dict[str, Any] = Config.model_json_schema(by_alias=True, mode="validation")
    definitions: dict[str, Any] = schema.setdefault("$defs", {})
    properties = schema["properties"]
    rule_options: dict[str, Any] = {}
    severity_keys: dict[str, Any] = {}
    for rule in all_rules():
        for key in (rule.code, rule.name()):
            severity_keys[key] = {"enum": _SEVERITIES, "description": f"{rule.code} [{rule.name()}]"}
        if rule.options_model is None:
            continue
        options = rule.options_model.model_json_schema(by_alias=True, mode="validation")
        definitions.update(options.pop("$defs", {}))
        name = f"{rule.code}Options"
        definitions[name] = {
            **options,
            "title": f"{rule.code} [{rule.name()}] options",
            "description": f"Options of {rule.code} [{rule.name()}]: {rule.summary()}",
        }
        for key in (rule.code, rule.name()):
            rule_options[key] = {"$ref": f"#/$defs/{name}"}
    properties["severity"] = {
        **properties["severity"],
        "properties": severity_keys,
        "additionalProperties": False,
    }
    properties["rules"] = {
        "description": properties["rules"]["description"],
        "type": "object",
        "properties": rule_options,
        "additionalProperties": False,
    }
    schema = _for_toml(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "schemalint settings",
        "description": "The keys of schemalint.toml / .schemalint.toml, or of [tool.schemalint] in "
        "pyproject.toml. Reference: docs/configuration.md.",
    }


def render_schema() -> str:
    return json.dumps(config_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m schemalint.config_schema [--check] [--out FILE]``; exit 1 when ``--check`` finds drift."""
    parser = argparse.ArgumentParser(prog="python -m schemalint.config_schema", description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the schema file is not up to date")
    parser.add_argument("--out", type=Path, default=SCHEMA_PATH, help=f"default: {SCHEMA_PATH}")
    args = parser.parse_args(argv)
    text = render_schema().encode("utf-8")
    if args.check:
        if not args.out.is_file() or args.out.read_bytes() != text:
            print(f"{args.out} is out of date", file=sys.stderr)
            print("run `python -m schemalint.config_schema` to regenerate", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(text)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
