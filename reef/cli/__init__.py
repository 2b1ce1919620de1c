"""The ``reef`` command line (typer). See docs/cli.md.

Example:
    >>> from typer.testing import CliRunner
    >>> "simulate" in CliRunner().invoke(app, ["--help"]).output
    True
"""
from reef.cli.commands import app

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``reef`` script. An option that fails the parser's own checks (``--top 0``, an unknown
    option) is printed in the JSON error shape when ``--json`` was given, like every other error, and exits 2."""
    import sys

    import typer
    from typer.main import get_command

    try:  # typer vendors click from 0.2x on; its UsageError is not exported
        from typer._click.exceptions import UsageError
    except ImportError:  # pragma: no cover
        from click.exceptions import UsageError

    from reef.cli._errors import EXIT_INTERRUPTED, _said

    args = sys.argv[1:] if argv is None else list(argv)
    _said["interrupted"] = False
    try:
        code = get_command(app).main(args=args, prog_name="reef", standalone_mode=False)
    except UsageError as exc:
        if "--json" not in args:
            exc.show()
            raise SystemExit(exc.exit_code) from None
        from reef.cli._common import to_json

        param = getattr(exc, "param", None)
        field = param.opts[0] if param is not None and getattr(param, "opts", None) else None
        command = exc.ctx.command_path if exc.ctx is not None else "reef"
        sys.stdout.write(to_json({"error": {"code": "invalid_parameter", "message": exc.format_message(),
                                            "where": {"file": None, "line": None, "field": field} if field else None,
                                            "hint": f"See `{command} --help`."}}) + "\n")
        raise SystemExit(2) from None
    except typer.Abort as exc:
        if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):  # Ctrl-C outside a command's own handling
            sys.stderr.write("\nInterrupted.\n")
            raise SystemExit(EXIT_INTERRUPTED) from None
        sys.stderr.write("Aborted!\n")
        raise SystemExit(1) from None
    if code == EXIT_INTERRUPTED and not _said["interrupted"]:  # typer turns Ctrl-C outside a command into a silent 130
        sys.stderr.write("\nInterrupted.\n")
    raise SystemExit(code if isinstance(code, int) else 0)
