"""docs/cli.md documents every command, subcommand and option (datasette-style)."""
from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from reef.cli import app
from tests.cli.conftest import cli_commands

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_every_command_has_a_section():
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name, _ in cli_commands(get_command(app)) if f"## `reef {name}`" not in text]
    assert not missing, f"docs/cli.md lacks sections for: {missing}"


def test_every_option_is_documented_in_its_section():
    text = DOC.read_text(encoding="utf-8")
    problems = []
    for name, cmd in cli_commands(get_command(app)):
        start = text.index(f"## `reef {name}`")
        end = text.find("\n## ", start + 1)
        section = text[start: end if end != -1 else len(text)]
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and f"`{opt}" not in section:
                    problems.append(f"{name} {opt}")
    assert not problems, f"options missing from docs/cli.md: {problems}"
