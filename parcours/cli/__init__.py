"""The ``parcours`` command line: thin commands over the library.

Each area registers its commands from its own module (``journeys``, ``render``,
``analytics``) so that they stay small and independent.
"""

from __future__ import annotations

import typer

from parcours import __version__

app = typer.Typer(
    name="parcours",
    help="Build, share, measure and keep current customer journey maps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"parcours {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Build, share, measure and keep current customer journey maps."""


def _register() -> None:
    import importlib

    for name in (
        "journeys",
        "render",
        "exports",
        "analytics",
        "insights",
        "admin",
        "serve",
        "voice",
        "datamaps",
    ):
        importlib.import_module(f"parcours.cli.{name}").register(app)


_register()


def main() -> None:
    """Run the CLI: expected errors are one sentence; a bug says how to see its traceback."""
    from parcours.cli.common import run

    run(app)
