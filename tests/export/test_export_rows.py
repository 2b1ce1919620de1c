"""The workbook's rows (reef.export.sheet_rows): each column's converter gives what cell_value gives, and a sheet
longer than Excel holds is cut at the limit with a warning (result, CLI, 说明 sheet) instead of failing or being cut
silently (the loop broke at 1,048,576 rows, kept fetching the rest, and nothing said so)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from reef.export.sheet_rows import converter
from reef.export.workbook import Column, cell_value

openpyxl = pytest.importorskip("openpyxl")

VALUES = [None, 0, 1, -7, 2 ** 53, -(2 ** 53), 2 ** 63, 0.0, 0.1234567, 12345.678, float("nan"), float("inf"), True, False,
          Decimal("1.23456"), "", "文本", "x" * 40_000, datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc),
          datetime(1800, 1, 1, tzinfo=timezone(timedelta(hours=8))), datetime(2024, 3, 1, 9, 30), date(2024, 3, 1),
          ["a", None, 1.23456], ("x",), "done"]


@pytest.mark.parametrize("kind", ["number", "text", "id", "datetime", "date", "list", "code", "bool", "files"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_converter_gives_cell_value(kind, lang):
    zone = ZoneInfo("Asia/Shanghai")
    column = Column("col", "Col", kind)
    convert = converter(column, lang, zone)
    for value in VALUES:
        want, got = cell_value(value, column, lang, zone), convert(value)
        assert type(got) is type(want) and (got == want or got != got and want != want), (kind, value, got, want)


def test_a_sheet_past_the_row_limit_is_cut_and_says_so(db_path, tmp_path, monkeypatch):
    import reef.export.sheet_rows as rows
    from reef.export import export_tables
    from reef.store import open_store

    monkeypatch.setattr(rows, "EXCEL_MAX_ROWS", 6)  # the header and 5 rows
    for lang, said in (("zh", "工作表 成员 有 121 行，Excel 每表最多容纳表头下 5 行"),
                       ("en", "Sheet Members has 121 rows: Excel holds 5 rows under the header")):
        out = tmp_path / f"cut-{lang}.xlsx"
        result = export_tables(open_store(db_path), out, lang=lang)
        assert said in result["warning"] and "--format csv" in result["warning"]
        assert next(s for s in result["sheets"] if s["table"] == "members")["rows"] == 5
        assert all("total" not in t for t in result["tables"])
        book = openpyxl.load_workbook(out, read_only=True)
        members = book["成员" if lang == "zh" else "Members"]
        assert len(list(members.iter_rows(values_only=True))) == 6
        about = [c for r in book["说明" if lang == "zh" else "About"].iter_rows(values_only=True) for c in r if c]
        assert any(said in str(c) for c in about)
