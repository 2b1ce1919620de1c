"""Result tables hold the moment of the analysis run that wrote them; a read command with --as-of rewrites them.
Exports and notebooks say which moment each table holds and warn when the moments differ or precede the data's end."""
from __future__ import annotations

import warnings

import pytest

openpyxl = pytest.importorskip("openpyxl")


def _ladder_as_of_2026_06_10(db_path):
    """What `reef ladder --as-of 2026-06-10` does to the shared tables."""
    import reef

    c = reef.open(db_path)
    c.analyze(as_of="2026-06-10", only=["ladder"])
    return c


def test_an_export_of_one_moment_has_no_warning_and_lists_each_sheets_as_of(db_path, tmp_path):
    from reef.export import export_tables
    from reef.store import open_store

    store = open_store(db_path)
    result = export_tables(store, tmp_path / "x.xlsx")
    assert result["warning"] is None
    tables = {t["table"]: t for t in result["tables"]}
    assert tables["members"]["as_of"] is None and tables["members"]["analysis"] is None
    assert tables["ladder_members"]["analysis"] == "ladder" and tables["ladder_members"]["as_of"]
    book = openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True)
    assert book.sheetnames[0] == "说明"
    about = list(book["说明"].iter_rows(values_only=True))
    # operator words first (the as_of's zone named), the stored table and analysis (with its version) as technical columns
    assert about[0][:2] == ("工作表", "行数") and about[0][2].startswith("评估时点（") and about[0][4:] == ("技术信息：数据表", "技术信息：分析（版本）")
    assert any(r[0] == "阶梯" and r[5].startswith("ladder (") and r[2] for r in about[1:])


def test_sheets_from_an_earlier_as_of_are_named_and_warned_about_everywhere(db_path, tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app
    from reef.store import close_all

    _ladder_as_of_2026_06_10(db_path)
    close_all()
    r = CliRunner().invoke(app, ["export", "--out", str(tmp_path / "x.xlsx"), "--db", str(db_path), "--json"])
    assert r.exit_code == 0, r.output
    import json

    result = json.loads(r.stdout)
    tables = {t["table"]: t for t in result["tables"]}
    assert tables["ladder_members"]["as_of"].startswith("2026-06-10T00:00:00")
    assert not tables["network_connectors"]["as_of"].startswith("2026-06-10")
    assert "阶梯" in result["warning"] and "--as-of" in result["warning"]
    assert "".join(result["warning"].split()) in "".join(r.stderr.split())  # on stderr too (wrapped)
    about = list(openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True)["说明"].iter_rows(values_only=True))
    assert any(r[0] == "阶梯" and r[2] == "2026-06-10 00:00" and r[3] == "早于数据截止时点" for r in about)
    assert any(r[0] == result["warning"] for r in about)
    r = CliRunner().invoke(app, ["export", "--format", "csv", "--lang", "en", "--out", str(tmp_path / "csv"),
                                                 "--db", str(db_path)])
    assert r.exit_code == 0 and "Warning:" in r.stderr
    readme = (tmp_path / "csv" / "README.txt").read_text(encoding="utf-8")
    assert "Warning:" in readme and "Ladder\tladder_members.csv" in readme and "2026-06-10 00:00" in readme


def test_a_notebook_learns_a_result_tables_as_of_and_is_warned(db_path):
    from reef.analyses.provenance import ResultAsOfWarning

    c = _ladder_as_of_2026_06_10(db_path)
    moment = c.result_as_of("ladder_members")
    assert moment.isoformat().startswith("2026-06-10T00:00:00") and c.result_as_of("members") is None
    with pytest.warns(ResultAsOfWarning, match="ladder_members"):
        table = c.table("ladder_members")
    # under the key the read methods use (reef.api_frames.with_as_of), so result_as_of reads both alike
    assert table.schema.metadata[b"as_of"] == moment.isoformat().encode()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResultAsOfWarning)
        c.table("network_connectors")  # computed at the end of the data: no warning
        c.table("members")
