"""Shared helpers for the CLI tests."""
from __future__ import annotations


def cli_commands(group, prefix=""):
    """Every leaf command of a click group as (full name, command), sub-groups walked ("action list")."""
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if getattr(cmd, "commands", None):
            yield from cli_commands(cmd, full + " ")
        else:
            yield full, cmd
