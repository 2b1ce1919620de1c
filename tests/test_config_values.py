"""A bad configuration value names its file and dotted key, from any file (--config, reef.toml beside the store),
and `reef config show` checks a file; overrides may be nested by section."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import reef
from reef.cli import app
from reef.config import load_config
from reef.errors import ConfigError

BAD = [("ladder", "alert_hours = -5", "ladder.alert_hours"), ("general", 'language = "fr"', "general.language"),
       ("general", 'timezone = "Mars/Base"', "general.timezone"), ("store", 'memory_limit = "lots"', "store.memory_limit"),
       ("simulate", "members = 0", "simulate.members"), ("effect", "confidence = 2.0", "effect.confidence")]


@pytest.mark.parametrize("section,line,key", BAD)
def test_config_show_names_the_file_and_the_key(tmp_path, section, line, key):
    path = tmp_path / "bad.toml"
    path.write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "show", "--config", str(path), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["where"] == {"file": str(path), "line": None, "field": key}
    assert error["message"].startswith(f"Invalid value for '{key}': ")


@pytest.mark.parametrize("section,line,key", BAD)
def test_the_reef_toml_beside_the_store_is_named(tmp_path, section, line, key):
    (tmp_path / "reef.toml").write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        reef.open(tmp_path / "c.duckdb")
    assert str(tmp_path / "reef.toml") in str(exc.value) and f"'{key}'" in str(exc.value)


def test_config_show_checks_rules_that_tie_keys_together(tmp_path):
    path = tmp_path / "late.toml"
    path.write_text('[simulate]\nend_date = "2001-01-01"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "show", "--config", str(path)])
    assert result.exit_code == 2 and str(path) in result.stderr and "'simulate.end_date'" in result.stderr


def test_good_values_pass():
    cfg = load_config().with_overrides({"general.timezone": "Europe/Berlin", "store.memory_limit": "512MB",
                                        "ladder.alert_hours": 3, "simulate.members": 60})
    assert cfg.get("general.timezone") == "Europe/Berlin"


def test_nested_and_flat_overrides(tmp_path):
    community = reef.open(tmp_path / "c.duckdb", config={"ladder": {"alert_hours": 3}, "general.language": "en"})
    assert community.config.get("ladder.alert_hours") == 3 and community.config.get("general.language") == "en"
    community.close()
    with pytest.raises(ConfigError, match=r"Unknown key 'alert_hourz' in section \[ladder\]"):
        load_config().with_overrides({"ladder": {"alert_hourz": 3}})
    with pytest.raises(ConfigError, match="must be a dict"):
        load_config().with_overrides({"ladder": 3})
    with pytest.raises(ConfigError, match=r"Unknown section \[ladderz\]"):
        load_config().with_overrides({"ladderz": {"alert_hours": 3}})
    with pytest.raises(ConfigError, match="ladder.alert_hours"):
        load_config().with_overrides({"ladder": {"alert_hours": -5}})
