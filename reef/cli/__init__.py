"""The ``reef`` command line (typer). See docs/cli.md.

Example:
    >>> from typer.testing import CliRunner
    >>> "simulate" in CliRunner().invoke(app, ["--help"]).output
    True
"""
from reef.cli.commands import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``reef`` script."""
    app()
