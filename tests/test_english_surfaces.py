"""The English switch reaches every surface an overseas analyst reads: ``--help``, CLI tables and errors, evidence
strings, the compiled chronicle and the dashboard's forms say their own words in English (no Chinese outside what
members wrote: names, titles, quotes, tags), count their nouns ("1 newcomer") and never show a stored key
(``car_model``, ``charging_time``) where a word belongs.
"""
from __future__ import annotations

import re
import shutil

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from reef.cli import app as cli_app
from tests.cli.conftest import cli_commands

runner = CliRunner(env={"COLUMNS": "400"})
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_help_page_is_english():
    """--help is English only: a Chinese term an English reader cannot read is glossed away (the one Chinese left
    is ``reef ask``'s example question, which is asked in the members' language, and is translated beside it)."""
    root = get_command(cli_app)
    pages = {"": runner.invoke(cli_app, ["--help"]).output}
    for name, _ in cli_commands(root):
        pages[name] = runner.invoke(cli_app, [*name.split(), "--help"]).output
    chinese = {name: [line.strip() for line in text.splitlines() if CJK.search(line)] for name, text in pages.items()}
    chinese["ask"] = [line for line in chinese["ask"] if "冬天续航掉多少 (range lost in winter)" not in line]
    assert len(pages) > 40 and {k: v for k, v in chinese.items() if v} == {}


def test_plaza_evidence_counts_its_nouns():
    from reef.layers.plaza import _evidence

    row = {"threads": 1, "mean_repliers": 3.0, "repliers": 3, "newcomer_repliers": 1, "circles": 1, "diversity_part": 0.5,
           "sentiment": 0.1, "hostile_share": 0.0}
    _, en = _evidence(row, 1)
    assert en.startswith("started 1 topic in 1 day,") and "(3 in all, 1 newcomer)" in en and "from 1 interest circle " in en
    _, en = _evidence({**row, "threads": 2, "newcomer_repliers": 2, "circles": 3}, 90)
    assert en.startswith("started 2 topics in 90 days,") and "2 newcomers" in en and "from 3 interest circles " in en
    assert "0% of replies hostile" in en


def test_aspect_errors_name_the_aspects_in_the_error_language(db_path):
    from reef.errors import InvalidParameterError
    from reef.kb.views import check_aspect

    with pytest.raises(InvalidParameterError) as caught:
        check_aspect("xx")
    assert "range and charging" in caught.value.text("en") and not CJK.search(caught.value.text("en"))
    assert "续航与充电" in caught.value.text("zh") and "range and charging" not in caught.value.text("zh")
    check_aspect("续航与充电")  # a known one passes
    r = runner.invoke(cli_app, ["kb", "qa", "--aspect", "xx", "--db", str(db_path), "--lang", "en"])
    assert r.exit_code == 2 and "range and charging" in r.output and not CJK.search(r.output)


def test_council_coverage_is_worded_in_english(db_path):
    r = runner.invoke(cli_app, ["council", "--db", str(db_path), "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "Proposed council:" in r.output and "car model" in r.output
    assert not re.search(r"\b(car_model|tenure_days)\b", r.output)  # no stored key where a word belongs


def test_chronicle_names_reported_numbers_in_english(db_path):
    from reef.config import load_config
    from reef.kb.chronicle import chronicle
    from reef.store import open_store

    store = open_store(db_path)
    as_of = store.fetch_value("SELECT max(created_at) FROM content")
    doc = chronicle(store, as_of, load_config(), lang="en")
    bodies = [e.body for s in doc.sections for e in s.entries if "Numbers owners reported" in (e.body or "")]
    assert bodies, "the surface store has no OTA posts with numbers"
    numbers = " ".join(b.split("Numbers owners reported:")[1] for b in bodies)
    assert not re.search(r"\b[a-z]+_[a-z_0-9]+\b", numbers), numbers  # charging_time, consumption_electric
    assert not CJK.search(" ".join(bodies)) and not re.search(r"\b1 (posts|members|reports)\b", " ".join(bodies))
    assert re.match(r"Compiled from \d+ owner posts? mentioning", doc.subtitle)


def test_member_page_offers_circles_in_the_page_language(store_template, tmp_path):
    """The group field's list on a member's page names each interest circle as the rest of the English page does."""
    from reef.actions.listing import group_choices
    from reef.store import open_store
    from surface_fixtures import client_on, login

    db = tmp_path / "reef.duckdb"
    shutil.copy(store_template, db)
    store = open_store(db)
    store.execute("CREATE OR REPLACE TABLE layers_circles AS SELECT 'c01' AS circle_id, '充电与续航·价格·电耗' AS name")
    assert group_choices(store, lang="en")[0]["name"] == "range and charging·price·电耗"
    assert group_choices(store)[0]["name"] == "充电与续航·价格·电耗"
    member = store.fetch_value("SELECT member_id FROM members WHERE account_type = 'member' ORDER BY member_id LIMIT 1")
    store.checkpoint()
    store.close()
    with client_on(db) as client:
        login(client, "operator")
        en = client.get(f"/members/{member}?lang=en").text
        zh = client.get(f"/members/{member}?lang=zh").text
    assert '<option value="c01">c01 · range and charging·price·电耗</option>' in en
    assert '<option value="c01">c01 · 充电与续航·价格·电耗</option>' in zh
