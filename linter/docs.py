"""Rule documentation generated from the rule classes (docstring sections and examples) into docs/rules/."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from schemalint.rule import Example, Rule, all_rules

INDEX_NAME = "index.md"
LEADING_SECTIONS = ("What it does", "Why is this bad?")

_FENCE_LANGUAGES = {
    ".sql": "sql",
    ".py": "python",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".js": "javascript",
    ".mjs": "javascript",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
}

# `expect: SL101` markers drive the example tests; readers of the docs need not see them.
_EXPECT_COMMENT = re.compile(r"\s*(?:--|#|//)\s*expect:\s*SL\d+(?:[,\s]+SL\d+)*[,\s]*$")
_EXPECT_MARKER = re.compile(r"\s*expect:\s*SL\d+(?:[,\s]+SL\d+)*,?")


def rule_doc_sections(rule: type[Rule]) -> list[tuple[str, str]]:
    """(heading, markdown body) in documentation order.

    Ruff's order: What it does, Why is this bad?, Example, Use instead, then any other docstring
    sections (Fix, Options, ...) as written. Example and Use instead come from the docstring when
    it has them, else from the rule's ``invalid`` and ``valid`` examples.
    """
    written = rule.sections()
    out = [(heading, written[heading]) for heading in LEADING_SECTIONS if heading in written]
    generated = {"Example": rule.invalid, "Use instead": rule.valid}
    for heading, examples in generated.items():
        if heading in written:
            out.append((heading, written[heading]))
        elif examples:
            out.append((heading, render_examples(examples)))
    placed = {heading for heading, _ in out}
    out += [(heading, body) for heading, body in written.items() if heading not in placed]
    if rule.options_model is not None and "Options" not in written:
        out.append(("Options", render_options(rule)))
    return out


def render_options(rule: type[Rule]) -> str:
    """The rule's options model as a table: key, type, default, description."""
    model = rule.options_model
    assert model is not None
    rows = [
        f"Set in `[tool.schemalint.rules.{rule.code}]` (or `.{rule.name()}`), validated like every key.",
        "",
        "| key | default | meaning |",
        "|---|---|---|",
    ]
    for name, info in model.model_fields.items():
        default = "unset" if info.default is None else f"`{info.default!r}`"
        description = (info.description or "").replace("|", "\\|")
        rows.append(f"| `{info.alias or name}` | {default} | {description} |")
    return "\n".join(rows)


def render_rule_doc(rule: type[Rule]) -> str:
    """The markdown page ``docs/rules/<name>.md`` for one rule."""
    default = "yes" if rule.enabled_by_default else "no"
    parts = [
        f"# {rule.name()} ({rule.code})",
        rule.summary(),
        f"Severity: {rule.severity} · Enabled by default: {default}",
    ]
    parts += [f"## {heading}\n\n{body}" for heading, body in rule_doc_sections(rule)]
    return "\n\n".join(part for part in parts if part) + "\n"


def render_examples(examples: Sequence[Example]) -> str:
    """Each example's files as fenced blocks, captioned with their path (and dialect if not PostgreSQL)."""
    blocks: list[str] = []
    for example in examples:
        if example.title:
            blocks.append(f"*{example.title}*")
        for path, text in example.files.items():
            dialect = f" ({example.dialect})" if example.dialect != "postgresql" else ""
            blocks.append(f"`{path}`{dialect}:\n\n{_fenced(path, _strip_expect_markers(text))}")
    return "\n\n".join(blocks)


def _fenced(path: str, text: str) -> str:
    language = _FENCE_LANGUAGES.get(PurePosixPath(path).suffix.lower(), "text")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.strip(chr(10))}\n{fence}"


def _strip_expect_markers(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        stripped = _EXPECT_COMMENT.sub("", line)
        if stripped == line:
            stripped = _EXPECT_MARKER.sub("", line).rstrip()
        lines.append(stripped)
    return "\n".join(lines)


def render_index(rules: Sequence[type[Rule]]) -> str:
    """The rule table (``docs/rules/index.md``), one row per rule, sorted by code."""
    rows = [
        "# Rules",
        "",
        "| Code | Name | Severity | Enabled by default | Summary |",
        "|---|---|---|---|---|",
    ]
    for rule in sorted(rules, key=lambda r: r.code):
        default = "yes" if rule.enabled_by_default else "no"
        summary = rule.summary().replace("|", "\\|")
        rows.append(
            f"| {rule.code} | [{rule.name()}]({rule.name()}.md) | {rule.severity} | {default} | {summary} |"
        )
    return "\n".join(rows) + "\n"


def expected_docs(rules: Sequence[type[Rule]] | None = None) -> dict[str, str]:
    """File name → content of every generated page."""
    rules = all_rules() if rules is None else rules
    pages = {f"{rule.name()}.md": render_rule_doc(rule) for rule in rules}
    pages[INDEX_NAME] = render_index(rules)
    return pages


def write_docs(out_dir: Path, rules: Sequence[type[Rule]] | None = None) -> list[Path]:
    """Write every page into ``out_dir`` and delete stale ``.md`` files there; returns the pages written.

    ``out_dir`` belongs to the generator: a hand-written page there would drift from the rule code.
    """
    pages = expected_docs(rules)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    written = []
    for name, text in sorted(pages.items()):
        path = out_dir / name
        # Bytes, so the files have "\n" line endings on every platform and the check stays stable.
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def check_docs(out_dir: Path, rules: Sequence[type[Rule]] | None = None) -> list[str]:
    """Names of the pages in ``out_dir`` that are stale, missing, or not generated (sorted)."""
    pages = expected_docs(rules)
    existing = {path.name for path in out_dir.glob("*.md")} if out_dir.is_dir() else set()
    problems = {name for name in existing if name not in pages}
    for name, text in pages.items():
        path = out_dir / name
        if name not in existing or path.read_bytes() != text.encode("utf-8"):
            problems.add(name)
    return sorted(problems)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m schemalint.docs [--check] [--out DIR]``; exit 1 when ``--check`` finds drift."""
    parser = argparse.ArgumentParser(prog="python -m schemalint.docs", description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the docs are not up to date")
    parser.add_argument("--out", type=Path, default=Path("docs/rules"), help="default: docs/rules")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_docs(args.out)
        for name in problems:
            print(f"{args.out / name} is out of date", file=sys.stderr)
        if problems:
            print("run `python -m schemalint.docs` to regenerate", file=sys.stderr)
            return 1
        return 0
    for path in write_docs(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
