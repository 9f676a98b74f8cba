"""SL501: a file Medusa loads as a scheduled job lacks its `config` or its default function."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemalint.facts import Span
from schemalint.findings import Finding, FindingData
from schemalint.medusa import scheduled_job_path
from schemalint.rule import Example, Rule
from schemalint.tsfacts import JobFacts

if TYPE_CHECKING:
    from schemalint.runner import RuleContext

# What the loader's `validateConfig` throws, in the order it checks (job-loader.ts).
_CONFIG_ERRORS = (
    ("config", "Config is required for scheduled jobs."),
    ("schedule", "Cron schedule definition is required for scheduled jobs."),
    ("name", "Job name is required for scheduled jobs."),
)

_HELP = (
    "move helpers out of `src/jobs/` (for example to `src/lib/`) or prefix their file name with `_`; "
    "a real job needs `export default async function` and `export const config = { name, schedule }`"
)

_PACKAGE_JSON = '{\n  "name": "shop-server",\n  "dependencies": { "@medusajs/framework": "2.8.0" }\n}\n'

_CLEANUP_JOB = """import type { MedusaContainer } from "@medusajs/framework/types"

export default async function cleanupCarts(container: MedusaContainer) {
  const logger = container.resolve("logger")
  logger.info("removing abandoned carts")
}

export const config = {
  name: "cleanup-abandoned-carts",
  schedule: "0 3 * * *",
}
"""

_HELPERS = """export const CART_TTL_DAYS = 30  // expect: SL501

export function isAbandoned(updatedAt: Date, now: Date): boolean {
  return now.getTime() - updatedAt.getTime() > CART_TTL_DAYS * 86_400_000
}
"""


class MedusaJobMissingConfig(Rule):
    """A file Medusa loads as a scheduled job lacks its `config` or its default function.

    ## What it does
    In a Medusa project (a package.json depending on `@medusajs/medusa` or
    `@medusajs/framework`), checks every file the scheduled-job loader will import from
    `src/jobs/` for `export const config` with `name` and `schedule`, and for an
    `export default` that is a function. Files the loader skips are not checked: `index`
    files, `*.d.ts`, `*.test.*`, `*.spec.*`, anything under `__tests__/`, names starting
    with `_`, and files that disable themselves with `defineFileConfig({ isDisabled: () => true })`
    or by exporting `Symbol.for("__MEDUSA_SKIP_FILE__")` as `true`.

    ## Why is this bad?
    Medusa's job loader (`packages/core/framework/src/jobs/job-loader.ts`) reads `src/jobs/`
    **recursively**, imports every `.ts`/`.js` file it finds except those listed above, and
    calls `validateConfig(module.config)` on each one. A helper module placed there (shared
    constants, a queue configuration, a utility used by two jobs) has no `config`, so
    `validateConfig` throws `Config is required for scheduled jobs.` and the whole server
    fails to start, not just the job. A `config` without `schedule` or `name` throws
    `Cron schedule definition is required...` or `Job name is required...` the same way.
    A missing default export does not stop the start, but the loader registers `undefined`
    as the handler and every scheduled run fails with `handler is not a function`.
    Nesting does not help: `src/jobs/render-engine/queue-config.ts` is loaded like
    `src/jobs/queue-config.ts`.

    ## Use instead
    Keep only jobs in `src/jobs/`. Move helpers to another folder (`src/lib/`,
    `src/utils/`) or start their file name with `_` (`_queue-config.ts`), which the loader
    skips. A job exports both parts:

    ```typescript
    export default async function cleanup(container: MedusaContainer) { ... }
    export const config = { name: "cleanup-temp-files", schedule: "0 2 * * *" }
    ```
    """

    code = "SL501"
    severity = "error"
    tags = ("medusa", "startup")
    invalid = (
        Example(
            {
                "package.json": _PACKAGE_JSON,
                "src/jobs/cleanup.ts": _CLEANUP_JOB,
                "src/jobs/helpers.ts": _HELPERS,
            },
            title="a helper module in `src/jobs/`",
        ),
        Example(
            {
                "package.json": _PACKAGE_JSON,
                "src/jobs/sync/nightly-sync.ts": (
                    "export default async function nightlySync() {}\n\n"
                    'export const config = {  // expect: SL501\n  name: "nightly-sync",\n}\n'
                ),
            },
            title="a nested job whose `config` has no `schedule`",
        ),
    )
    valid = (
        Example(
            {
                "package.json": _PACKAGE_JSON,
                "src/jobs/cleanup.ts": _CLEANUP_JOB,
                "src/jobs/_helpers.ts": _HELPERS.replace("  // expect: SL501", ""),
                "src/lib/cart-ttl.ts": _HELPERS.replace("  // expect: SL501", ""),
            },
            title="helpers prefixed with `_` or kept outside `src/jobs/`",
        ),
    )

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        if "medusa" not in ctx.frameworks:
            return
        for module in ctx.ts_modules:
            job = module.job
            if job is None or job.skip == "always" or scheduled_job_path(module.path) is None:
                continue
            finding = self._check_job(module.path, job)
            if finding is not None:
                yield finding

    def _check_job(self, path: str, job: JobFacts) -> Finding | None:
        config_missing = job.config_resolved and job.config_keys is None
        lacking = tuple(
            key
            for key in ("name", "schedule")
            if job.config_resolved and job.config_keys is not None and key not in job.config_keys
        )
        if not (config_missing or lacking or job.default_export in (None, "other")):
            return None

        config_problem = (
            "exports no `config` (needs `name` and `schedule`)"
            if config_missing
            else f"its `config` has no {' and no '.join(f'`{key}`' for key in lacking)}"
            if lacking
            else ""
        )
        default_problem = {
            None: "no default function" if config_missing else "exports no default function",
            "other": "its default export is not a function",
        }.get(job.default_export, "")
        joiner = " and " if config_missing else ", and "
        problems = joiner.join(p for p in (config_problem, default_problem) if p)

        error = next(
            (text for key, text in _CONFIG_ERRORS if (key == "config" and config_missing) or key in lacking),
            None,
        )
        consequence = (
            f"the server fails to start with `{error}`"
            if error is not None
            else "the server starts, but every run of the job fails with `handler is not a function`"
        )
        if job.skip == "conditional":
            consequence += " (whenever the file is not disabled)"

        # At the part that is there but incomplete; a file-level finding when a part is absent.
        span = Span.file(path)
        if lacking and job.config_span is not None:
            span = job.config_span
        elif not config_missing and job.default_export == "other" and job.default_span is not None:
            span = job.default_span
        missing_parts = ["config"] if config_missing else [f"config.{key}" for key in lacking]
        if default_problem:
            missing_parts.append("default")
        return self.finding(
            span,
            f"`{path}` is loaded as a scheduled job but {problems}: {consequence}",
            help=_HELP,
            data=FindingData(values=lacking or None, rule_data=(("missing_parts", ",".join(missing_parts)),)),
        )
