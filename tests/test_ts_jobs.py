"""Medusa scheduled jobs: what the extractor reads from a job file, and SL501 on those facts."""

from __future__ import annotations

import pytest

from schemalint.extract.ts_jobs import extract_ts_job
from schemalint.facts import Span
from schemalint.graph import build_database_graph
from schemalint.medusa import scheduled_job_path
from schemalint.model_graph import build_model_graph
from schemalint.rule import RuleSettings
from schemalint.rules.medusa_job_missing_config import MedusaJobMissingConfig
from schemalint.runner import RuleContext
from schemalint.tsfacts import JobFacts, TsModuleFacts

JOB = """import type { MedusaContainer } from "@medusajs/framework/types"

export default async function cleanup(container: MedusaContainer) {}

export const config = { name: "cleanup", schedule: "0 2 * * *" }
"""


def job(text: str, path: str = "src/jobs/x.ts") -> JobFacts:
    facts = extract_ts_job(text, path)
    assert facts.job is not None
    return facts.job


@pytest.mark.parametrize(
    ("rel", "inner"),
    [
        ("src/jobs/cleanup.ts", "cleanup.ts"),
        ("src/jobs/render-engine/queue-config.ts", "render-engine/queue-config.ts"),
        ("apps/server/src/jobs/a/b/c.js", "a/b/c.js"),
        ("src/jobs/index.ts", None),
        ("src/jobs/nested/index.js", None),
        ("src/jobs/types.d.ts", None),
        ("src/jobs/_helpers.ts", None),
        ("src/jobs/cleanup.spec.ts", None),
        ("src/jobs/cleanup.test.js", None),
        ("src/jobs/__tests__/cleanup.ts", None),
        ("src/jobs/README.md", None),
        ("src/jobs/page.tsx", None),
        ("src/lib/jobs/x.ts", None),
        ("src/subscribers/x.ts", None),
    ],
)
def test_scheduled_job_path_follows_the_loader_exclusions(rel: str, inner: str | None) -> None:
    assert scheduled_job_path(rel) == inner


def test_default_async_function_and_config_object_are_read() -> None:
    facts = extract_ts_job(JOB, "src/jobs/x.ts")
    assert facts.job == JobFacts(
        default_export="function",
        config_keys=("name", "schedule"),
        config_span=Span("src/jobs/x.ts", 5, 14, 5, 65),
        default_span=Span("src/jobs/x.ts", 3, 1, 3, 69),
    )
    assert ("default", "cleanup") in facts.exported and ("config", "config") in facts.exported
    assert facts.imports[0].specifier == "@medusajs/framework/types"
    assert facts.diagnostics == ()


@pytest.mark.parametrize(
    "text",
    [
        "export default async () => {}\n",
        "export default function () {}\n",
        "const run = async function () {}\nexport default run\n",
        "async function run() {}\nexport { run as default }\n",
        "const run = (async () => {}) satisfies Handler\nexport default run\n",
    ],
)
def test_default_export_forms_that_are_functions(text: str) -> None:
    assert job(text).default_export == "function"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("export default { run() {} }\n", "other"),
        ("export default class Job {}\n", "other"),
        ('const x = "a"\nexport default x\n', "other"),
        ('import run from "./run"\nexport default run\n', "unknown"),
        ("export default withRetry(run)\n", "unknown"),
        ('export { default } from "./impl"\n', "unknown"),
        ("export const x = 1\n", None),
    ],
)
def test_default_exports_that_are_not_known_functions(text: str, kind: str | None) -> None:
    assert job(text).default_export == kind


@pytest.mark.parametrize(
    "text",
    [
        'export const config = { name: "a", schedule: "* * * * *" }\n',
        'export const config: ScheduledJobConfig = { name: "a", schedule: "* * * * *" }\n',
        'export const config = { name: "a", schedule: "* * * * *" } satisfies ScheduledJobConfig\n',
        'export const config = { "name": "a", schedule: { cron: "* * * * *" } } as const\n',
        'const config = { name: "a", schedule: "* * * * *" }\nexport { config }\n',
        'const jobConfig = { name: "a", schedule: "* * * * *" }\nexport { jobConfig as config }\n',
        'const name = "a"\nconst base = { schedule: "* * * * *" }\nexport const config = { ...base, name }\n',
    ],
)
def test_config_forms_with_name_and_schedule(text: str) -> None:
    facts = job(text)
    assert facts.config_resolved
    assert set(facts.config_keys or ()) >= {"name", "schedule"}


def test_config_key_with_a_falsy_literal_counts_as_absent() -> None:
    # The loader tests `!config.schedule`: an empty string is no schedule.
    assert job('export const config = { name: "a", schedule: "" }\n').config_keys == ("name",)


@pytest.mark.parametrize(
    "text",
    [
        "export const config = buildConfig()\n",
        'import { shared } from "./shared"\nexport const config = { ...shared, name: "a" }\n',
        'export { config } from "./shared"\n',
        'export * from "./shared"\n',
        "module.exports = require('./impl')\n",
    ],
)
def test_config_that_cannot_be_read_is_unresolved_and_reported(text: str) -> None:
    facts = extract_ts_job(text, "src/jobs/x.ts")
    assert facts.job is not None and not facts.job.config_resolved
    assert [d.code for d in facts.diagnostics] == ["SL004"]


def test_commonjs_exports_are_read() -> None:
    facts = job(
        'exports.default = async function () {}\nexports.config = { name: "a", schedule: "x" }\n', "x.js"
    )
    assert facts.default_export == "function"
    assert facts.config_keys == ("name", "schedule")


@pytest.mark.parametrize(
    ("text", "skip"),
    [
        (
            'import { defineFileConfig } from "@medusajs/framework/utils"\ndefineFileConfig({ isDisabled: () => true })\n',
            "always",
        ),
        ("defineFileConfig({ isDisabled() { return true } })\n", "always"),
        ("defineFileConfig({ isDisabled: () => false })\n", None),
        ('defineFileConfig({ isDisabled: () => !FeatureFlag.isFeatureEnabled("x") })\n', "conditional"),
        (
            'import { MEDUSA_SKIP_FILE } from "@medusajs/framework/utils"\n'
            "Object.defineProperty(exports, MEDUSA_SKIP_FILE, { value: true, enumerable: false })\n",
            "always",
        ),
        (
            'import { MEDUSA_SKIP_FILE } from "@medusajs/framework/utils"\n'
            'Object.defineProperty(exports, MEDUSA_SKIP_FILE, { value: process.env.X !== "true" })\n',
            "conditional",
        ),
        ('exports[Symbol.for("__MEDUSA_SKIP_FILE__")] = true\n', "always"),
        ('const SKIP = Symbol.for("__MEDUSA_SKIP_FILE__")\nmodule.exports[SKIP] = true\n', "always"),
        ('exports[Symbol.for("something-else")] = true\n', None),
    ],
)
def test_loader_skip_markers(text: str, skip: str | None) -> None:
    assert job(text).skip == skip


def test_a_file_that_does_not_parse_is_reported_and_left_unchecked() -> None:
    facts = extract_ts_job("export default async function (\n", "src/jobs/x.ts")
    assert facts.job is not None and not facts.job.config_resolved
    assert [d.code for d in facts.diagnostics] == ["SL002"]


# ---------------------------------------------------------------------------------------------
# SL501 on extracted facts (the runner feeds it the same way once job files are discovered)
# ---------------------------------------------------------------------------------------------


def context(modules: list[TsModuleFacts], frameworks: frozenset[str] = frozenset({"medusa"})) -> RuleContext:
    return RuleContext(
        dialect="postgresql",
        database=build_database_graph((), "postgresql"),
        models=build_model_graph((), "postgresql"),
        migrations=(),
        modules=(),
        settings=RuleSettings(),
        ts_modules=tuple(modules),
        frameworks=frameworks,
    )


def sl501(files: dict[str, str], frameworks: frozenset[str] = frozenset({"medusa"})) -> list[tuple[int, str]]:
    modules = [extract_ts_job(text, path) for path, text in files.items()]
    findings = MedusaJobMissingConfig().check(context(modules, frameworks))
    return [(f.span.line, f.message) for f in findings]


def test_helper_without_config_or_default_is_reported_at_the_file() -> None:
    got = sl501(
        {"apps/server/src/jobs/render-engine/queue-config.ts": "export const QUEUE = { concurrency: 2 }\n"}
    )
    assert got == [
        (
            1,
            "`apps/server/src/jobs/render-engine/queue-config.ts` is loaded as a scheduled job but exports "
            "no `config` (needs `name` and `schedule`) and no default function: the server fails to start "
            "with `Config is required for scheduled jobs.`",
        )
    ]


def test_config_without_schedule_is_reported_at_the_config() -> None:
    got = sl501(
        {"src/jobs/x.ts": 'export default async function () {}\n\nexport const config = { name: "x" }\n'}
    )
    assert got == [
        (
            3,
            "`src/jobs/x.ts` is loaded as a scheduled job but its `config` has no `schedule`: the server "
            "fails to start with `Cron schedule definition is required for scheduled jobs.`",
        )
    ]


def test_missing_default_function_is_a_runtime_failure_not_a_startup_failure() -> None:
    [(line, message)] = sl501(
        {"src/jobs/x.ts": 'export const config = { name: "x", schedule: "* * * * *" }\n'}
    )
    assert line == 1
    assert "exports no default function: the server starts, but every run" in message


def test_a_valid_job_and_skipped_files_are_not_reported() -> None:
    helper = "export const QUEUE = 1\n"
    files = {
        "src/jobs/cleanup.ts": JOB,
        "src/jobs/_queue.ts": helper,
        "src/jobs/index.ts": helper,
        "src/jobs/__tests__/cleanup.ts": helper,
        "src/lib/queue.ts": helper,
        "src/jobs/disabled.ts": "defineFileConfig({ isDisabled: () => true })\n",
        "src/jobs/dynamic.ts": "export default async () => {}\nexport const config = build()\n",
    }
    assert sl501(files) == []


def test_conditionally_disabled_job_is_still_checked() -> None:
    [(_, message)] = sl501(
        {"src/jobs/x.ts": "export default async () => {}\ndefineFileConfig({ isDisabled: () => flag() })\n"}
    )
    assert message.endswith("(whenever the file is not disabled)")


def test_sl501_applies_only_to_medusa_projects() -> None:
    assert sl501({"src/jobs/helpers.ts": "export const X = 1\n"}, frameworks=frozenset()) == []
