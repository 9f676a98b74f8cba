"""The rule base class, rule examples, and discovery of every rule module in ``schemalint.rules``."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TypeVar

from schemalint.facts import Dialect, Severity, Span
from schemalint.findings import Finding, FindingData, Related

if TYPE_CHECKING:
    from pydantic import BaseModel

    from schemalint.runner import RuleContext

OptionsT = TypeVar("OptionsT")

REQUIRED_SECTIONS = ("What it does", "Why is this bad?")


@dataclass(frozen=True, slots=True)
class Example:
    """A small project (path → text) used as a test and in the rule's documentation.

    Lines that must be reported carry an ``expect: SLnnn`` marker in a comment. A single string
    is a one-file SQL migration at ``migrations/V1__example.sql``.
    """

    files: Mapping[str, str]
    dialect: Dialect = "postgresql"
    title: str = ""

    @staticmethod
    def sql(text: str, dialect: Dialect = "postgresql", title: str = "") -> Example:
        return Example({"migrations/V1__example.sql": text}, dialect, title)


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Per-run settings a rule may read (severity comes from the rule class).

    ``options`` holds project-wide settings by name (``test-dialects``) and each configured
    rule's validated options model under its code (``[tool.schemalint.rules.SL305]``).
    """

    dialect: Dialect = "postgresql"
    options: Mapping[str, object] = field(default_factory=dict)


class Rule:
    """Base class. Subclasses set ``code`` and ``severity`` and implement ``check``.

    The kebab-case name is derived from the class name; the summary is the docstring's first line;
    the documentation sections are the docstring's ``## `` headings.
    """

    code: ClassVar[str] = ""
    severity: ClassVar[Severity] = "error"
    enabled_by_default: ClassVar[bool] = True
    tags: ClassVar[tuple[str, ...]] = ()
    valid: ClassVar[tuple[Example, ...]] = ()
    invalid: ClassVar[tuple[Example, ...]] = ()
    # The pydantic model of the rule's options (``[tool.schemalint.rules.<code or name>]``);
    # subclass ``schemalint.rule_options.RuleOptions`` so keys are kebab-case and typos errors.
    options_model: ClassVar[type[BaseModel] | None] = None

    @classmethod
    def name(cls) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()

    @classmethod
    def summary(cls) -> str:
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0].strip() if doc else ""

    @classmethod
    def sections(cls) -> dict[str, str]:
        """The docstring's ``## Heading`` sections, heading → dedented body."""
        doc = _dedent_doc(cls.__doc__ or "")
        out: dict[str, str] = {}
        current: str | None = None
        lines: list[str] = []
        for line in doc.splitlines()[1:]:
            if line.startswith("## "):
                if current is not None:
                    out[current] = "\n".join(lines).strip()
                current, lines = line[3:].strip(), []
            elif current is not None:
                lines.append(line)
        if current is not None:
            out[current] = "\n".join(lines).strip()
        return out

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def options(self, ctx: RuleContext, model: type[OptionsT]) -> OptionsT:
        """This rule's configured options, or the model's defaults when none are configured."""
        value = ctx.settings.options.get(self.code)
        return value if isinstance(value, model) else model()

    def finding(
        self,
        span: Span,
        message: str,
        *,
        help: str = "",
        related: Iterable[Related] = (),
        data: FindingData | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            rule=self.name(),
            severity=self.severity,
            message=message,
            span=span,
            help=help,
            related=tuple(related),
            data=data or FindingData(),
        )


def _dedent_doc(doc: str) -> str:
    lines = doc.expandtabs().splitlines()
    if not lines:
        return ""
    rest = [line for line in lines[1:] if line.strip()]
    indent = min((len(line) - len(line.lstrip()) for line in rest), default=0)
    return "\n".join([lines[0].strip()] + [line[indent:] for line in lines[1:]])


def _iter_rule_classes() -> Iterator[type[Rule]]:
    package = importlib.import_module("schemalint.rules")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        # An import error must fail loudly: a typo must never silently disable a rule.
        module = importlib.import_module(f"schemalint.rules.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                yield value


_RULES: tuple[type[Rule], ...] | None = None


def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code. Duplicate codes or names are a programming error."""
    global _RULES
    if _RULES is None:
        rules = sorted(_iter_rule_classes(), key=lambda r: r.code)
        codes = [r.code for r in rules]
        names = [r.name() for r in rules]
        if len(set(codes)) != len(codes) or len(set(names)) != len(names):
            raise RuntimeError(f"duplicate rule codes or names: {codes} {names}")
        _RULES = tuple(rules)
    return _RULES


def rule_by_key(key: str) -> type[Rule] | None:
    """A rule by code (``SL102``) or kebab name (``enum-stores-names-not-values``)."""
    for rule in all_rules():
        if key.upper() == rule.code or key.lower() == rule.name():
            return rule
    return None


def rules_matching(key: str) -> set[type[Rule]]:
    """The rules a key names: a code, a code prefix (``SL1``), a kebab name, or ``ALL``.

    Raises ``KeyError`` when it names no rule.
    """
    rules = all_rules()
    key = key.strip()
    found = {r for r in rules if r.code == key.upper() or r.name() == key.lower() or key.upper() == "ALL"}
    if not found and re.fullmatch(r"SL\d{0,3}", key.upper()):
        found = {r for r in rules if r.code.startswith(key.upper())}
    if not found:
        raise KeyError(key)
    return found


def select_rules(
    select: Iterable[str] | None, ignore: Iterable[str], extend_select: Iterable[str] = ()
) -> tuple[type[Rule], ...]:
    """Resolve ``--select`` / ``--ignore`` keys (codes, code prefixes like ``SL1``, names).

    ``extend_select`` adds rules to the selection (to the defaults when ``select`` is None), so
    a rule that is off by default can be turned on without restating the rest; ``ignore`` wins
    over both. Raises ``KeyError`` naming the first key that matches no rule.
    """
    if select is None:
        chosen = {r for r in all_rules() if r.enabled_by_default}
    else:
        chosen = set()
        for key in select:
            chosen |= rules_matching(key)
    for key in extend_select:
        chosen |= rules_matching(key)
    for key in ignore:
        chosen -= rules_matching(key)
    return tuple(sorted(chosen, key=lambda r: r.code))
