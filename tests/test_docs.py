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
