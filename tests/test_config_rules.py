"""[server] keys, the robot URL and the risk score thresholds are checked when merged, and keys that must stay in order
(risks.alert_score <= risks.high_score, a ramp's *_ok / *_bad ends) once every source is merged, each naming the key
and the file; `reef serve --port` is refused the same way before anything starts."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reef.cli import app
from reef.config import load_config
from reef.errors import ConfigError, InvalidParameterError

BAD = [
    ("[server]\nport = 70000", "server.port", "1 to 65535"), ("[server]\nport = 0", "server.port", "1 to 65535"),
    ('[server]\nhost = "http://0.0.0.0"', "server.host", "host name or IP address"),
    ('[server]\nhost = ""', "server.host", "host name or IP address"),
    ('[server]\npublic_url = "reef.example.com"', "server.public_url", "http:// or https://"),
    ('[server]\npublic_url = "https://"', "server.public_url", "http:// or https://"),
    ("[server]\npage_size = 0", "server.page_size", "at least 1"), ("[server]\njob_workers = 0", "server.job_workers", "at least 1"),
    ("[server]\nread_cache_seconds = -1", "server.read_cache_seconds", "at least 0"),
    ('[risks]\nwebhook_url = "127.0.0.1:18777/send"', "risks.webhook_url", "http:// or https:// robot URL"),
    ('[risks]\nwebhook_url = "ftp://robot.example/send"', "risks.webhook_url", "http:// or https:// robot URL"),
    ("[risks]\nalert_score = 150.0", "risks.alert_score", "a score from 0 to 100"),
    ("[risks]\nhigh_score = -5.0", "risks.high_score", "a score from 0 to 100"),
    # ordered pairs: the key the file set is named, against the other key's value
    ("[risks]\nhigh_score = 50.0", "risks.high_score", "at least risks.alert_score (60.0)"),
    ("[risks]\nalert_score = 90.0", "risks.alert_score", "at most risks.high_score (80.0)"),
    ("[risks]\nunanswered_bad = 0.1", "risks.unanswered_bad", "above risks.unanswered_ok (0.15)"),
    ("[risks]\nabsence_share_ok = 0.03", "risks.absence_share_ok", "above risks.absence_share_bad (0.03)"),
    ("[risks]\ninactive_min_days = 40", "risks.inactive_min_days", "at most risks.inactive_max_days (28)"),
    ("[layers]\ntone_ok = -0.5", "layers.tone_ok", "above layers.tone_bad (-0.15)"),
    ("[server]\npage_size = 1000", "server.page_size", "at most server.max_page_size (500)"),
]


@pytest.mark.parametrize("text, key, expected", BAD)
def test_config_show_refuses_the_value_naming_key_and_file(tmp_path, text, key, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["config", "show", "--config", str(path), "--json"])
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert error["where"] == {"file": str(path), "line": None, "field": key}
    assert error["message"].startswith(f"Invalid value for '{key}': ") and expected in error["message"]


def test_both_ends_set_in_one_file_name_the_one_set_last(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[risks]\nalert_score = 90.0\nhigh_score = 70.0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.where.field == "risks.high_score" and "risks.alert_score (90.0)" in str(info.value)


def test_a_later_file_can_repair_an_earlier_one_and_overrides_are_checked(tmp_path, monkeypatch):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text("[risks]\nalert_score = 90.0\n", encoding="utf-8")
    second.write_text("[risks]\nhigh_score = 95.0\n", encoding="utf-8")
    monkeypatch.setenv("REEF_CONFIG", str(first))
    cfg = load_config(second)  # 90 <= 95 once both are merged
    assert (cfg.get("risks.alert_score"), cfg.get("risks.high_score")) == (90.0, 95.0)
    with pytest.raises(ConfigError) as info:
        cfg.with_overrides({"risks": {"high_score": 85.0}})
    assert info.value.where.field == "risks.high_score" and info.value.where.file == "<override>"


def test_the_robot_key_is_not_echoed(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[risks]\nwebhook_url = "127.0.0.1:18777/send?key=SECRET123"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "SECRET123" not in str(info.value) and "127.0.0.1:18777/send" in str(info.value)


@pytest.mark.parametrize("text", ['[server]\nhost = "0.0.0.0"\nport = 65535', '[server]\npublic_url = "https://reef.example.com/"',
                                  '[server]\nhost = "::"', '[risks]\nwebhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"',
                                  '[risks]\nwebhook_url = ""', "[risks]\nalert_score = 80.0\nhigh_score = 80.0",
                                  "[server]\npage_size = 500"])
def test_good_values_pass(tmp_path, text):
    path = tmp_path / "ok.toml"
    path.write_text(text + "\n", encoding="utf-8")
    load_config(path)


@pytest.mark.parametrize("args, option", [(["--port", "70001"], "--port"), (["--port", "0"], "--port"),
                                          (["--host", "http://x"], "--host")])
def test_serve_refuses_a_bad_port_or_host_before_opening_the_store(tmp_path, monkeypatch, args, option):
    uvicorn = pytest.importorskip("uvicorn")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)  # never listen, whatever happens
    db = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["serve", "--db", str(db), *args])
    assert result.exit_code == 2 and f"'{option}'" in result.stderr and not db.exists()


def test_the_library_serve_refuses_a_port_out_of_range(tmp_path, monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)  # never listen, whatever happens
    from reef.server import serve

    with pytest.raises(InvalidParameterError, match="1 to 65535"):
        serve(tmp_path / "s.duckdb", port=70000)
    assert not (tmp_path / "s.duckdb").exists()
