"""The docs cover the model and the configuration: every field, kind and key is documented."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from reef.config import default_config_text
from reef.model.schema import ENTITIES, SCHEMA_VERSION

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    nxt = text.find("\n### ", start + len(heading))
    return text[start: nxt if nxt != -1 else len(text)]


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_every_field_documented_under_its_entity(entity):
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    section = _section(text, f"### `{entity}`")
    missing = [f.name for f in ENTITIES[entity].fields if f"| `{f.name}` |" not in section]
    assert not missing, f"docs/data-model.md lacks fields of {entity}: {missing}"


def test_every_kind_documented():
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    kinds = {k for e in ENTITIES.values() for k in e.kinds}
    missing = sorted(k for k in kinds if f"`{k}`" not in text)
    assert not missing, f"docs/data-model.md lacks kinds: {missing}"
    assert f"Schema version {SCHEMA_VERSION}" in text


def test_every_config_key_documented_and_no_stale_keys():
    defaults = tomllib.loads(default_config_text())
    keys = {f"{s}.{k}" for s, values in defaults.items() for k in values}
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+\.[a-z_0-9]+)` \|", text, flags=re.M))
    assert keys - documented == set(), f"undocumented config keys: {sorted(keys - documented)}"
    assert documented - keys == set(), f"documented keys that do not exist: {sorted(documented - keys)}"


def test_every_default_has_a_comment():
    lines = default_config_text().splitlines()
    for i, line in enumerate(lines):
        if not re.match(r"^[a-z_0-9]+\s*=", line):
            continue
        j = i - 1  # a comment may cover a block of related keys
        while j >= 0 and re.match(r"^[a-z_0-9]+\s*=", lines[j]):
            j -= 1
        assert j >= 0 and lines[j].lstrip().startswith("#"), f"defaults.toml line {i + 1} ({line!r}) has no comment above it"


def test_every_spec_attribute_name_and_alias_is_documented():
    from reef.text.spec_facts import ATTRIBUTE_ALIASES, SPEC_NAME_ALIASES

    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    section = text[text.index("#### Spec attribute names"):text.index("### `awards`")]
    rows = {line.split("|")[1].strip(" `"): line.split("|")[4] for line in section.splitlines() if line.startswith("| `")}
    assert set(rows) == set(ATTRIBUTE_ALIASES)
    missing = [a for a, name in SPEC_NAME_ALIASES.items() if a not in [x.strip().lower() for x in rows[name].split(",")]]
    assert not missing, f"docs/data-model.md, Spec attribute names, lacks aliases: {missing}"


# --- What the docs name must exist: config keys, Python objects, files, commands and options (every page + README) ---

ROOT = DOCS.parent
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
NOT_PYTHON = {"reef.duckdb", "reef.toml", "reef.js"}  # a store file, a config file, the dashboard's script


def _mentions(pattern: str):
    """(page:line, match) for every match of ``pattern`` in the README and docs/*.md."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(pattern, text):
            yield f"{page.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}", m


def test_every_config_key_named_anywhere_in_the_docs_exists():
    """docs/surfaces.md named `layers.council_max_hostile`, retired for `layers.conduct_max_hostile`."""
    defaults = tomllib.loads(default_config_text())
    stale = [f"{where} `{m[1]}.{m[2]}`" for where, m in _mentions(r"`([a-z_]+)\.([a-z_0-9]+)(?:\s*=[^`]*)?`")
             if m[1] in defaults and m[2] not in defaults[m[1]]
             and "audit" not in m.string[max(0, m.start() - 40):m.start()]]  # audited (`report.download`): an audit action
    assert not stale, f"config keys named in the docs that reef/defaults.toml lacks: {stale}"


def test_every_python_name_in_the_docs_resolves():
    """docs/risks.md named `reef.risks.webhook._back_dated`, since moved to reef.risks.freshness.back_dated_run."""
    import importlib

    def resolves(dotted: str) -> bool:
        parts = dotted.split(".")
        for i in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ModuleNotFoundError:
                continue
            for part in parts[i:]:
                if not hasattr(obj, part):
                    return False
                obj = getattr(obj, part)
            return True
        return False

    names = {m[1]: where for where, m in _mentions(r"(?<![\w./])(reef(?:\.[A-Za-z_]\w*)+)")}
    missing = sorted(f"{where} {name}" for name, where in names.items() if name not in NOT_PYTHON and not resolves(name))
    assert not missing, f"Python names in the docs that do not import: {missing}"


def test_every_repository_path_in_the_docs_exists():
    """docs/analyses.md headed its example `# reef/ladder/analyses.py`; the module is reef/ladder/analysis.py."""
    missing = [f"{where} {m[1]}" for where, m in _mentions(r"(?<![\w./-])((?:reef|tests|scripts|benchmarks|docs)/[\w./-]*\w)(?![\w*<])")
               if not (ROOT / m[1]).exists()]
    assert not missing, f"paths in the docs that are not in the repository: {missing}"


def _cli_mentions():
    """(where, words) of every `reef …` command line: in code blocks (``.venv/bin/reef`` and ``$ `` prompts too) and inline code."""
    for page in PAGES:
        block = False
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("```"):
                block = not block
                continue
            found = [re.sub(r"^(?:\$ )?(?:\S*/)?(?=reef )", "", part.strip()) for part in re.split(r"&&|\|\||;", line)] if block \
                else re.findall(r"`(reef [^`]+)`", line)
            for text in found:
                if text.startswith("reef "):
                    yield f"{page.relative_to(ROOT)}:{n}", text.split("#")[0].split()[1:]


def test_every_command_and_option_the_docs_use_exists():
    """docs/layers.md said `reef action --kind add_to_team …`: the command is `reef action add MEMBER --kind …`."""
    from typer.main import get_command

    from reef.cli import app

    typos = {("status", "--jsno")}  # docs/cli.md shows the error for a mistyped option on purpose
    problems = []
    for where, words in _cli_mentions():
        cmd, path, rest = get_command(app), [], list(words)
        while getattr(cmd, "commands", None) and rest and not rest[0].startswith("-") and "|" not in rest[0] and "…" not in rest[0]:
            name = rest.pop(0)
            if name not in cmd.commands:
                problems.append(f"{where} unknown command: reef {' '.join(path + [name])}")
                break
            cmd, path = cmd.commands[name], path + [name]
        else:
            if getattr(cmd, "commands", None):
                if rest:  # a group given options straight away ("reef action --kind"), not "reef kb" or "reef kb qa|gaps"
                    if rest[0].startswith("-"):
                        problems.append(f"{where} reef {' '.join(path)} needs a subcommand before {rest[0]}")
                continue
            opts = {o for p in cmd.params for o in (*getattr(p, "opts", ()), *getattr(p, "secondary_opts", ()))} | {"--help"}
            problems += [f"{where} reef {' '.join(path)}: no option {w.split('=')[0]}" for w in rest
                         if w.startswith("--") and w.split("=")[0] not in opts and (" ".join(path), w) not in typos]
    assert not problems, f"command lines in the docs that the CLI does not take: {problems}"
