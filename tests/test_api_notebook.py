"""The Python API as an analyst's notebook uses it: results of one type whatever the read and format, arguments of the
wrong type refused by name (never a DuckDB, pathlib or numpy traceback), handles that survive a re-run cell."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import warnings

import pytest

import reef
from reef.api_frames import KINDS
from reef.errors import InvalidParameterError, NotFoundError, ReefError, StoreError
from reef.store import close_all

ZONE = "Asia/Shanghai"
# Community method -> (reef.reads function, keyword arguments giving rows on the simulated store)
LIST_READS = {"ladder": ("ladder", {}), "recognise": ("recognise", {"days": 7}), "connectors": ("connectors", {"role": "all"}),
              "kb_qa": ("qa", {}), "kb_essence": ("essence", {}), "kb_repeated": ("repeated", {"min_asked": 1}),
              "kb_topics": ("topics", {}), "kb_gaps": ("gaps", {}), "ask": ("ask", {"query": "冬天续航掉多少"}),
              "campaigns": ("campaigns", {}), "quarantine": ("quarantine", {})}
ARROW = {"str": "string", "int": "int64", "float": "double", "bool": "bool", "strs": "list<item: string>",
         "time": f"timestamp[us, tz={ZONE}]"}


@pytest.fixture(scope="module")
def c(store_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("notebook") / "community.duckdb"
    shutil.copy(store_template, path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        community = reef.open(path)
        yield community
    community.close()
    close_all()


def _types(table) -> dict[str, str]:
    return {f.name: str(f.type) for f in table.schema}


def test_list_reads_have_their_declared_types_with_rows_and_without(c, tmp_path):
    """Times were ISO text in ladder, recognise, campaigns and quarantine but timestamps in the kb reads and table();
    a column no row filled (recognised_at) was null-typed, an object column of None in pandas."""
    empty = reef.open(tmp_path / "empty.duckdb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method, (read, kwargs) in LIST_READS.items():
            want = {name: ARROW[kind] for name, kind in KINDS[read].items()}
            full = getattr(c, method)(**kwargs)
            assert _types(full) == want, method
            assert _types(getattr(empty, method)(**kwargs)) == want, f"{method} (no rows)"
            frame = getattr(c, method)(**kwargs, format="pandas")
            for name, kind in KINDS[read].items():
                if kind == "time":
                    assert str(frame[name].dtype) == f"datetime64[us, {ZONE}]", (method, name)
                elif kind != "strs":
                    assert str(frame[name].dtype) != "object", (method, name)
            polars = getattr(c, method)(**kwargs, format="polars")
            assert all(str(polars.schema[n]) == f"Datetime(time_unit='us', time_zone='{ZONE}')"
                       for n, k in KINDS[read].items() if k == "time"), method
    empty.close()
    # the same column read by name and through its read method: one type
    assert c.table("ladder_members").schema.field("stage_since").type == c.ladder().schema.field("stage_since").type
    assert c.table("campaigns").schema.field("started_at").type == c.campaigns().schema.field("started_at").type


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def _times(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _times(v, f"{path}.{k}")
    elif isinstance(node, list):
        for v in node:
            yield from _times(v, path + "[]")
    else:
        yield path, node


def test_dict_reads_give_every_time_as_iso_text_with_its_offset(c):
    """risks, groups, plaza and council gave as_of as a datetime where the others gave ISO text; ripple and helpers
    datetimes and dates inside; crisis local times without an offset ("2026-06-29 23:00")."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = {"member": c.member("m068"), "funnel": c.funnel(), "ripple": c.ripple(campaign="camp-1"),
                   "helpers": c.helpers(member="m068"), "crisis": c.crisis(), "risks": c.risks(), "groups": c.groups(),
                   "plaza": c.plaza(), "council": c.council(), "effect": c.effect(), "status": c.status(),
                   "actions": c.actions()}
    bad = []
    for name, result in results.items():
        assert isinstance(result["as_of"] if name not in ("status", "actions") else "", str), name
        for path, value in _times(result):
            if isinstance(value, (dt.date, dt.datetime)):
                bad.append(f"{name}{path}: {type(value).__name__}")
            elif isinstance(value, str) and _TIME.fullmatch(value[:16]) and not re.search(r"[+-]\d{2}:\d{2}$", value):
                bad.append(f"{name}{path}: {value!r}")
    assert not bad, bad[:20]


def test_a_table_by_name_says_its_as_of_as_the_read_methods_do(c):
    """table() put it under b"reef.as_of" and a datetime in pandas attrs; the reads under b"as_of" and ISO text."""
    from reef.api_reads import result_as_of

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_name, read = c.table("ladder_members"), c.ladder(top=3)
        frame = c.table("ladder_members", format="pandas")
    assert result_as_of(by_name) == result_as_of(read) == frame.attrs["as_of"] == c.ladder(format="pandas").attrs["as_of"]
    assert isinstance(frame.attrs["as_of"], str)


def test_reef_warning_filter_silences_the_result_table_warning(c):
    from reef.analyses.provenance import ResultAsOfWarning

    assert issubclass(ResultAsOfWarning, reef.ReefWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c.ladder(as_of="2026-06-20")  # the ladder's tables now describe an earlier moment
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", reef.ReefWarning)
        c.table("ladder_members")
    assert not seen, [str(w.message) for w in seen]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c.analyze()  # back at the end of the data for the other tests


def test_an_as_of_in_any_form_reads_the_same_moment(c):
    import pandas as pd

    from reef.api_reads import result_as_of

    forms = ["2026-06-20T12:00", dt.datetime(2026, 6, 20, 12), pd.Timestamp("2026-06-20 12:00"),
             dt.datetime(2026, 6, 20, 4, tzinfo=dt.timezone.utc), pd.Timestamp("2026-06-20 04:00", tz="UTC")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        seen = {result_as_of(c.kb_qa(top=1, as_of=f)) for f in forms}
        assert seen == {"2026-06-20T12:00:00+08:00"}
        assert result_as_of(c.kb_qa(top=1, as_of=dt.date(2026, 6, 20))) == "2026-06-20T00:00:00+08:00"


WRONG_TYPES = [  # (call, the parameter the error must name); each raised a DuckDB, pathlib, numpy or attribute error
    (lambda c: c.quarantine(reason=5.5), "reason"), (lambda c: c.actions(member=[1]), "member"),
    (lambda c: c.actions(page="2"), "page"), (lambda c: c.contest(["camp-1"]), "campaign"),
    (lambda c: c.ripple(topic=1.5, seeds=["m068"], since="2026-06-20"), "topic"),
    (lambda c: c.ripple(topic="续航", seeds=5.5, since="2026-06-20"), "seeds"),
    (lambda c: c.seed_plan(k=2, runs=20, seed=-1), "seed"), (lambda c: c.seed_plan(k=2, runs=20, exclude={"a": 1}), "exclude"),
    (lambda c: c.effect(seed="x"), "seed"), (lambda c: c.kb_qa(unanswered="no"), "unanswered"),
    (lambda c: c.ask("续航", answered="no"), "answered"), (lambda c: c.alerts(new="no"), "new"),
    (lambda c: c.effect(ladder="no"), "ladder"), (lambda c: c.guide(out=5), "out"), (lambda c: c.risks(report=5), "report"),
    (lambda c: c.team(5), "brief"), (lambda c: c.team(None), "brief"), (lambda c: c.import_files(5), "paths"),
    (lambda c: c.import_files([5]), "paths"), (lambda c: c.analyze(only=5), "only"), (lambda c: c.enrich(force="x"), "force"),
    (lambda c: c.report(out_dir=5), "out_dir"), (lambda c: c.table(None), "name"), (lambda c: c.table(5), "name"),
    (lambda c: c.table("members", unmask="no"), "unmask"), (lambda c: c.sql(None), "query"),
    (lambda c: c.sql("SELECT 1", 5), "params"), (lambda c: c.member(1.5), "member_id"),
    (lambda c: reef.open(None), "path"), (lambda c: reef.open(5), "path"), (lambda c: reef.open(":memory:", config=5), "config"),
    (lambda c: reef.open(":memory:", read_only="no"), "read_only"),
]


@pytest.mark.parametrize("n", range(len(WRONG_TYPES)))
def test_a_wrong_type_is_an_invalid_parameter_naming_it(c, n):
    call, name = WRONG_TYPES[n]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InvalidParameterError) as info:
            call(c)
    assert info.value.name == name and isinstance(info.value, ValueError)
    assert f"'{name}'" in str(info.value) and f"'{name}'" in info.value.text("zh")


def test_ids_given_as_numbers_are_their_text(c):
    """A member id or circle id from an integer column was a DuckDB ConversionException; now the id's text, as the
    CLI reads ``reef member 5``: an unknown id is a NotFoundError naming it."""
    import numpy as np

    for call in (lambda: c.member(5), lambda: c.helpers(member=np.int64(5)), lambda: c.contest(5), lambda: c.groups(circle=5),
                 lambda: c.ripple(campaign=5), lambda: c.seed_plan(k=2, runs=20, circle=5)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(NotFoundError, match="'5'"):
                call()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert c.actions(member=5)["total"] == 0 and c.kb_qa(top=2, unanswered=np.True_).num_rows <= 2


def test_a_lost_handle_is_explained_and_close_all_frees_the_store(tmp_path):
    """A re-run cell rebinds ``c``: the first handle is out of reach, so the hint names reef.store.close_all()."""
    path = tmp_path / "s.duckdb"
    first = reef.open(path)
    with pytest.raises(StoreError, match=r"close_all\(\)"):
        reef.open(path, read_only=True)
    with pytest.raises(StoreError, match=r"close_all\(\)"):
        reef.open(path, config={"ladder.alert_hours": 3})
    close_all()
    second = reef.open(path, read_only=True)
    assert second.status()["tables"]["members"] == 0
    second.close()
    assert first.status()["tables"]["members"] == 0  # the old handle reopens on its next call
    first.close()


def test_a_home_folder_path_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    with reef.open("~/community.duckdb") as community:
        assert community.path == str(tmp_path / "community.duckdb")
    assert (tmp_path / "community.duckdb").exists()


def test_errors_stay_in_the_reef_tree_after_close(c, tmp_path):
    scratch = reef.open(tmp_path / "x.duckdb")
    scratch.close()
    for call in (scratch.tables, scratch.ladder, lambda: scratch.table("members"), lambda: scratch.config):
        with pytest.raises(StoreError):
            call()
    assert issubclass(StoreError, ReefError)
