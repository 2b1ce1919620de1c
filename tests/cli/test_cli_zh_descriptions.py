"""`reef analyses` describes every analysis in the operator's language (Chinese by default, English with --lang en),
its --json carrying both descriptions whatever --lang is."""
from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from reef.analyses import registered
from reef.cli import app

_HAN = re.compile(r"[\u4e00-\u9fff]")
wide = CliRunner(env={"COLUMNS": "400"})


def test_every_registered_analysis_has_a_chinese_and_an_english_description():
    for a in registered():
        assert _HAN.search(a.description_zh), a.name
        assert a.description and not _HAN.search(a.description.replace("今日", "")), a.name
        assert a.description_in("zh") == a.description_zh and a.description_in("en") == a.description
        assert a.description.rstrip().endswith("."), a.name  # a whole sentence, not a docstring's cut first line


def test_analyses_table_shows_the_description_in_its_language():
    zh, en = (wide.invoke(app, ["analyses", *extra]).stdout for extra in ((), ("--lang", "en")))
    ladder = next(a for a in registered() if a.name == "ladder")
    assert ladder.description_zh in zh and ladder.description not in zh
    assert ladder.description in en and ladder.description_zh not in en
    assert "Per day: active members" not in zh and "每日的活跃成员" in zh


def test_analyses_json_has_both_descriptions_in_either_language():
    zh, en = (json.loads(wide.invoke(app, ["analyses", "--json", *extra]).stdout) for extra in ((), ("--lang", "en")))
    assert zh == en
    for a in zh["analyses"]:
        assert _HAN.search(a["description_zh"]) and not _HAN.search(a["description"].replace("今日", ""))
