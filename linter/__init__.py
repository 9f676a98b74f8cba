"""schemalint: static checks between the database your migrations build and what your models write.

``import schemalint`` stays light: ``check`` imports the engine when it is called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemalint.api import Report
    from schemalint.config import Config

__version__ = "0.1.0"
__all__ = ["__version__", "check"]


def check(
    paths: str | Path | Sequence[str | Path] = ".",
    config: str | Path | Mapping[str, Any] | Config | None = None,
    **options: Any,
) -> Report:
    """Check the project holding ``paths``; see ``schemalint.api.check`` and docs/api.md."""
    from schemalint.api import check as run

    return run(paths, config, **options)
