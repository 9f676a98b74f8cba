"""Medusa v2 conventions as data: which files its scheduled-job loader imports.

Shared by discovery (which files to extract as jobs) and SL501 (which checks the path again,
since facts may come from elsewhere). Read from ``packages/core/framework/src/utils/
resource-loader.ts`` and ``jobs/job-loader.ts`` in medusajs/medusa (see
shared/research/medusa-patterns.md §1.4).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

JOBS_DIR = ("src", "jobs")

# The loader imports only these extensions (ResourceLoader: `[".js", ".ts"].includes(ext)`);
# the oldest loader imported every file but `.map`, `.md` and `.d.ts`, a superset of these.
JOB_EXTENSIONS = frozenset({".ts", ".js"})

# ResourceLoader `#excludes`, tested on the file's base name: a leading underscore, spec and
# test files.
_EXCLUDED_BASENAMES = (
    re.compile(r"^_[^/\\]*(\.[^/\\]+)?$"),
    re.compile(r"\.spec\.[jt]s$"),
    re.compile(r"\.test\.[jt]s$"),
)


def scheduled_job_path(rel: str) -> str | None:
    """The path inside ``src/jobs/`` if Medusa's job loader imports the file ``rel``, else None.

    ``rel`` is a project-relative POSIX path; the ``src/jobs`` folder may sit below a workspace
    folder (``apps/server/src/jobs/x.ts``). The loader reads ``src/jobs`` recursively, so nested
    folders count. It skips ``index`` files, ``*.d.ts``, paths containing ``__tests__``, files
    whose name starts with ``_`` and ``*.spec.*`` / ``*.test.*`` files.
    """
    parts = PurePosixPath(rel).parts
    for i in range(len(parts) - 2):
        if parts[i : i + 2] == JOBS_DIR:
            inner = parts[i + 2 :]
            break
    else:
        return None
    name = inner[-1]
    suffix = PurePosixPath(name).suffix
    stem = name[: -len(suffix)] if suffix else name
    if suffix not in JOB_EXTENSIONS or stem == "index" or name.endswith(".d.ts"):
        return None
    # The loader tests `entry.path.includes("__tests__")`: a substring of the folder path.
    if any("__tests__" in folder for folder in inner[:-1]):
        return None
    if any(pattern.search(name) for pattern in _EXCLUDED_BASENAMES):
        return None
    return "/".join(inner)
