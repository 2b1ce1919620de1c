"""Every command that runs or reads analyses at --as-of warns on stderr when the data does not cover that moment
(reef/cli/_coverage.py): object JSON carries it under `warning`, list JSON keeps its shape."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from reef.cli import app
from tests.ladder.conftest import AS_OF, T0, handmade_path  # noqa: F401 - module fixture reused

runner = CliRunner()
COVERED = (T0 + timedelta(days=49)).isoformat()  # the hand-made community's last content is on day 48.6
BEFORE_ZH, BEFORE_EN, AFTER_EN = "早于最早的内容", "before the first content", "after the last content"


def _run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_ladder_before_the_data_warns_on_stderr_in_chinese_by_default(handmade_path):
    result = _run("ladder", "--as-of", "2000-01-01", "--db", handmade_path)
    assert BEFORE_ZH in result.stderr and "评估时点2000-01-01" in result.stderr
    assert "成长阶梯" in result.stdout and BEFORE_ZH not in result.stdout


def test_the_english_switch_words_the_warning_in_english(handmade_path):
    result = _run("ladder", "--as-of", "2000-01-01", "--lang", "en", "--db", handmade_path)
    assert BEFORE_EN in result.stderr and "注意" not in result.stderr


def test_an_as_of_inside_the_data_prints_no_warning(handmade_path):
    assert _run("ladder", "--as-of", COVERED, "--db", handmade_path).stderr == ""
    funnel = _run("funnel", "--as-of", COVERED, "--json", "--db", handmade_path)
    assert json.loads(funnel.stdout)["warning"] is None and funnel.stderr == ""


def test_list_json_keeps_its_shape_and_warns_on_stderr(handmade_path):
    result = _run("ladder", "--as-of", "2000-01-01", "--json", "--lang", "en", "--db", handmade_path)
    assert json.loads(result.stdout) == [] and BEFORE_EN in result.stderr


def test_object_json_carries_the_warning_and_stderr_stays_quiet(handmade_path):
    result = _run("member", "conn", "--as-of", AS_OF.isoformat(), "--json", "--lang", "en", "--db", handmade_path)
    data = json.loads(result.stdout)
    assert AFTER_EN in data["warning"] and "11 days" in data["warning"] and result.stderr == ""
    assert data["timeline"]  # the member's own data is still there


@pytest.mark.parametrize("args, shape", [
    (["connectors"], list), (["helpers"], dict), (["kb", "gaps"], list), (["ask", "续航"], list), (["crisis"], dict),
    (["plaza"], dict), (["seed-plan", "--k", "2"], dict), (["effect"], dict), (["analyze"], dict), (["risks"], dict),
])
def test_each_kind_of_command_warns_before_the_data(db_path, args, shape):
    result = _run(*args, "--as-of", "2000-01-01", "--json", "--lang", "en", "--db", db_path)
    data = json.loads(result.stdout)
    assert isinstance(data, shape)
    said = data["warning"] if shape is dict else result.stderr
    assert BEFORE_EN in said and "注意" not in said


def test_analyze_words_the_warning_in_its_lang_not_general_language(db_path):
    """`reef analyze --lang en` headed its table in English but said the warning in Chinese (general.language)."""
    english = _run("analyze", "--as-of", "2000-01-01", "--lang", "en", "--db", db_path)
    assert BEFORE_EN in english.stderr and "注意" not in english.stderr
    assert BEFORE_ZH in _run("analyze", "--as-of", "2000-01-01", "--db", db_path).stderr  # general.language: zh


def test_seed_plans_own_reason_and_the_coverage_warning_are_both_kept(db_path):
    data = json.loads(_run("seed-plan", "--as-of", "2000-01-01", "--json", "--lang", "en", "--db", db_path).stdout)
    assert data["warning"].splitlines()[0] == "No interactions between members yet at as_of." and BEFORE_EN in data["warning"]


def test_tables_of_risks_and_report_warn_on_stderr(db_path, tmp_path):
    risks = _run("risks", "--as-of", "2000-01-01", "--db", db_path)
    assert BEFORE_ZH in risks.stderr and BEFORE_ZH not in risks.stdout and "风险雷达" in risks.stdout
    report = _run("report", "--as-of", "2000-01-01", "--lang", "en", "--out", tmp_path / "rep", "--db", db_path)
    assert BEFORE_EN in report.stderr
    html = (tmp_path / "rep" / "reef-report-2000-01-01.html").read_text(encoding="utf-8")  # the as-of day names the file
    assert "Data coverage" in html and BEFORE_EN in html  # the report itself says it too


def test_the_cli_names_its_option_and_the_python_api_its_parameter(handmade_path):
    """The advice closing the warning speaks the caller's words: --as-of on the command line (stderr and --json),
    as_of in the Python API (the ReefWarning and a dict's warning)."""
    import warnings

    import reef

    late = (T0 + timedelta(days=90)).date().isoformat()
    ladder = _run("ladder", "--as-of", "2000-01-01", "--db", handmade_path)
    assert "请换一个更晚的 --as-of。" in ladder.stderr and "as_of 参数" not in ladder.stderr
    funnel = json.loads(_run("funnel", "--as-of", late, "--json", "--lang", "en", "--db", handmade_path).stdout)
    assert funnel["warning"].endswith("pass an earlier --as-of.")
    community = reef.open(handmade_path)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            community.ladder(as_of="2000-01-01")
            dict_result = community.funnel(as_of=late, lang="en")
    finally:
        community.close()
    said = [str(w.message) for w in caught if issubclass(w.category, reef.ReefWarning)]
    assert any(s.endswith("请换一个更晚的 as_of 参数。") for s in said) and not any("--as-of" in s for s in said), said
    assert dict_result["warning"].endswith("pass an earlier as_of.")
