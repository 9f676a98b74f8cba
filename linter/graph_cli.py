"""The ``schemalint graph`` command; the graphs are built and rendered by ``schemalint.graphview``."""

from __future__ import annotations

from pathlib import Path

import click

GRAPH_FORMATS = ("text", "json", "mermaid")


class GraphUsageError(click.ClickException):
    """A usage, configuration or internal error: exit code 2, as for ``check``."""

    exit_code = 2


@click.command("graph")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "output_format", type=click.Choice(GRAPH_FORMATS), default="text", show_default=True
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to FILE.")
@click.option("--dialect", type=click.Choice(["postgresql", "mysql", "sqlite"]), help="Database dialect.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), help="Config file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the fact cache.")
def graph_command(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    dialect: str | None,
    config_file: Path | None,
    no_cache: bool,
) -> None:
    """Print what schemalint believes: the database the migrations build, what the models
    write, and their differences (PATH: any path in the project; default: .)."""
    from schemalint.config import ConfigError
    from schemalint.graphview import build_context, graph_document, render_graph

    resolved = [p.resolve() for p in paths or (Path("."),)]
    for path in resolved:
        if not path.exists():
            raise GraphUsageError(f"path does not exist: {path}")
    try:
        ctx = build_context(resolved, dialect, config_file, not no_cache)
        text = render_graph(output_format, graph_document(ctx))
    except ConfigError as exc:
        raise GraphUsageError(str(exc)) from exc
    except Exception as exc:  # a bug: say so and exit 2
        raise GraphUsageError(f"internal error: {type(exc).__name__}: {exc}") from exc
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
