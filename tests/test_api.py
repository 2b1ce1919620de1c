"""The notebook API: tables as Arrow/Polars/pandas, as_of reads, parity with the CLI functions."""
from __future__ import annotations

import builtins

import pytest

import reef
from analyses.handmade import write_community
from reef.errors import InvalidParameterError, MissingDependencyError, NotFoundError


@pytest.fixture
def community(tmp_path):
    c = reef.open(tmp_path / "c.duckdb")
    summary = c.import_files(write_community(tmp_path / "data"))
    assert summary.imported == 14
    yield c
    c.close()


def test_tables_in_three_formats(community):
    assert community.table("members").num_rows == 4
    assert community.table("posts", format="polars").height == 5  # alias of content
    pd = pytest.importorskip("pandas")
    assert isinstance(community.table("interactions", format="pandas"), pd.DataFrame)


def test_table_as_of_hides_later_rows(community):
    assert community.table("content", as_of="2026-01-03").num_rows == 3
    assert community.table("members", as_of="2026-01-01T08:30").column("member_id").to_pylist() == ["s1"]
    with pytest.raises(InvalidParameterError):
        community.table("activity_daily", as_of="2026-01-03")


def test_unknown_table_and_format(community):
    with pytest.raises(NotFoundError):
        community.table("no_such_table")
    with pytest.raises(InvalidParameterError):
        community.table("members", format="excel")


def test_sql_with_bound_parameters(community):
    t = community.sql("SELECT content_id FROM content WHERE author_id = ? ORDER BY 1", ["m2"])
    assert t.column("content_id").to_pylist() == ["c2", "c4"]


def test_analyze_status_report_roundtrip(community, tmp_path):
    run = community.analyze()
    from reef.analyses import registered

    assert {r.name for r in run.results} == {a.name for a in registered()}
    assert {r.status for r in run.results} == {"ok"}
    assert community.table("member_summary", format="polars").filter(is_staff=False).height == 3
    status = community.status()
    assert {r["name"] for r in status["analysis_runs"]} == {a.name for a in registered()}
    path = community.report(tmp_path / "rep", lang="en")
    assert path.exists() and "Community operations report" in path.read_text(encoding="utf-8")


def test_missing_polars_is_a_clear_error(community, monkeypatch):
    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "polars":
            raise ImportError("no polars")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(MissingDependencyError, match="reef\\[polars\\]"):
        community.table("members", format="polars")


def test_simulate_parameters_are_checked(community):
    from reef.api import simulate_community

    with pytest.raises(InvalidParameterError):
        simulate_community(community.store, members=0)
    with pytest.raises(InvalidParameterError):
        simulate_community()


def test_two_handles_to_one_store_share_it_safely(community, tmp_path):
    from reef.config import load_config
    from reef.errors import StoreError

    again = reef.open(community.path)
    again.close()  # closes the process's one connection to the file ...
    assert community.table("members").num_rows == 4  # ... and the first handle opens it again
    other = load_config().with_overrides({"ladder.participant_min_acts": 1})
    with pytest.raises(StoreError, match="another configuration"):
        reef.open(community.path, config=other)
    with pytest.raises(StoreError, match="already open read-write"):
        reef.open(community.path, read_only=True)


def test_notebook_conveniences_and_errors(community, tmp_path):
    extra = tmp_path / "data" / "members-more.jsonl"
    extra.write_text('{"member_id": "x9", "joined_at": "2026-01-05T08:00:00+08:00"}\n', encoding="utf-8")
    assert community.import_files(str(extra)).imported == 1  # one path, not the letters of its name
    assert [r.name for r in community.analyze(only="activity_daily").results] == ["activity_daily"]
    with pytest.raises(InvalidParameterError, match="query"):
        community.sql("selec 1")
    with pytest.raises(InvalidParameterError, match="store"):
        community.simulate(members=60, days=14, seed=1)  # would overwrite rows with the simulator's ids


def test_library_readers_check_their_arguments(community):
    from reef.ladder.queries import ladder_list
    from reef.risks.api import risk_alerts, risk_radar

    with pytest.raises(InvalidParameterError, match="top"):
        ladder_list(community.store, top=-1)
    with pytest.raises(InvalidParameterError, match="min_severity"):
        risk_alerts(community.store, min_severity="huge")
    with pytest.raises(InvalidParameterError):
        risk_radar(community.store, lang="fr")


def test_page_view_finds_capability_views_in_a_fresh_process(tmp_path):
    import subprocess
    import sys

    code = ("import reef; from reef.actions import page_view; "
            f"c = reef.open({str(tmp_path / 'f.duckdb')!r}); print(page_view(c.store, 'ladder_members')['available'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr


def test_nested_config_tables_are_checked():
    from reef.config import load_config
    from reef.errors import ConfigError

    with pytest.raises(ConfigError, match="activity"):
        load_config().with_overrides({"layers.health_weights": {"activty": 0.4, "replies": 0.3, "tone": 0.3}})


def test_sizes_of_the_wrong_type_are_parameter_errors(community):
    with pytest.raises(InvalidParameterError, match="members"):
        reef.api.simulate_community(community.store, members="10")
    with pytest.raises(InvalidParameterError, match="limit"):
        community.quarantine(limit="x")


def test_open_refuses_a_missing_folder_but_creates_a_new_file(tmp_path):
    import reef
    from reef.errors import NotFoundError

    with pytest.raises(NotFoundError, match="folder of the store does not exist"):
        reef.open(tmp_path / "typo" / "c.duckdb")
    assert not (tmp_path / "typo").exists()
    reef.open(tmp_path / "c.duckdb").close()
    assert (tmp_path / "c.duckdb").exists()


def test_a_closed_community_stays_closed(tmp_path):
    import reef
    from reef.errors import StoreError
    from reef.store import open_store

    community = reef.open(tmp_path / "c.duckdb")
    community.close()
    with pytest.raises(StoreError, match="was closed"):
        community.table("members")
    community.close()  # twice is harmless
    open_store(tmp_path / "c.duckdb", read_only=True).close()  # the file is free: no writer holds it


def test_import_help_lists_every_format():
    from typer.testing import CliRunner

    from reef.cli import app
    from reef.ingest import FORMATS

    text = " ".join(CliRunner().invoke(app, ["import", "--help"]).output.split())
    assert all(f in text for f in FORMATS)


def test_unknown_table_lists_the_tables_and_suggests_the_close_one(community):
    community.analyze(only="ladder")
    with pytest.raises(NotFoundError) as info:
        community.table("ladder")
    hint = info.value.hint
    assert "Did you mean" in hint and "'ladder_members'" in hint.split("Known tables")[0]
    assert "members" in hint.split("Known tables:")[1]  # every table is listed


def test_table_masks_personal_data_unless_unmask_is_audited(community):
    with community.store.transaction():
        community.store.execute("UPDATE members SET contact = '13812345678', region = '上海 13987654321' WHERE member_id = 'm1'")
    row = [r for r in community.table("members").to_pylist() if r["member_id"] == "m1"][0]
    assert row["contact"] == "138****5678" and "13987654321" not in row["region"]
    audited = lambda: community.sql("SELECT count(*) FROM audit_log WHERE action = 'table'").column(0)[0].as_py()  # noqa: E731
    assert audited() == 0
    raw = [r for r in community.table("members", unmask=True).to_pylist() if r["member_id"] == "m1"][0]
    assert raw["contact"] == "13812345678"
    entry = community.sql("SELECT target, details, client FROM audit_log WHERE action = 'table'").to_pylist()
    assert audited() == 1 and entry[0]["target"] == "members" and '"unmask": true' in entry[0]["details"] and entry[0]["client"] == "api"
    as_of = [r for r in community.table("members", as_of="2026-01-06").to_pylist() if r["member_id"] == "m1"][0]
    assert as_of["contact"] == "138****5678"  # as_of reads are masked too


def test_unmask_needs_a_writable_handle(tmp_path):
    reef.open(tmp_path / "ro.duckdb").close()
    ro = reef.open(tmp_path / "ro.duckdb", read_only=True)
    with pytest.raises(InvalidParameterError, match="unmask"):
        ro.table("members", unmask=True)


def test_analyze_matches_the_cli_shape_and_warns(community):
    with pytest.warns(reef.ReefWarning, match="2000-01-01"):
        run = community.analyze(as_of="2000-01-01", only="activity_daily")
    data = run.as_dict()
    assert data["as_of"] == "2000-01-01T00:00:00+08:00"  # in the store's zone, as `reef analyze --json` prints it
    assert "2000-01-01" in data["warning"]


def test_api_errors_name_no_cli_flag_but_the_cli_keeps_its_hint(tmp_path):
    from typer.testing import CliRunner

    from reef.cli import app
    from reef.errors import StoreError

    bad = tmp_path / "members.csv"
    bad.write_text("member_id,name\nm1,a\n", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        reef.open(bad)
    assert "--db" not in str(info.value) and "REEF_DB" not in str(info.value)
    result = CliRunner().invoke(app, ["status", "--db", str(bad)])
    assert result.exit_code == 4 and "--db（REEF_DB）指" in result.stderr  # the CLI's hint, in Chinese by default
    result = CliRunner().invoke(app, ["status", "--db", str(bad), "--lang", "en"])
    assert result.exit_code == 4 and "--db (REEF_DB)" in result.stderr


def test_api_alerts_never_post_to_the_configured_robot(tmp_path):
    from analyses.handmade import write_community

    c = reef.open(tmp_path / "w.duckdb", config={"risks.webhook_url": "http://127.0.0.1:9/robot"})
    c.import_files(write_community(tmp_path / "data"))
    data = c.alerts()
    assert data["delivery"] is None and data["platform"] is None and "127.0.0.1" not in data["target"]


def test_users_is_the_accounts_table_and_credentials_never_come_back(community):
    from reef.actions.users import add_user, create_session, issue_token

    add_user(community.store, "ann", "admin", password="correct horse battery")
    sid, csrf = create_session(community.store, "ann", 1)
    token = issue_token(community.store, "ann")
    assert "users" in community.tables()
    for unmask in (False, True):
        users = community.table("users", unmask=unmask)
        assert users.column_names == ["username", "role", "created_at", "disabled"]  # not members, and no password hash
        assert users.column("username").to_pylist() == ["ann"]
        sessions = community.table("sessions", unmask=unmask)
        assert sessions.num_rows == 1 and "csrf_token" not in sessions.column_names and "session_hash" not in sessions.column_names
        tokens = community.table("api_tokens", unmask=unmask)
        assert tokens.num_rows == 1 and tokens.column_names == ["username", "created_at", "last_used_at"]
        text = str([t.to_pylist() for t in (users, sessions, tokens)])
        assert csrf not in text and sid not in text and token not in text and "argon2" not in text
    assert community.table("members").num_rows == 4 and community.table("user").num_rows == 4  # aliases still work


def test_robot_webhook_keys_are_cut_from_tables(community):
    with community.store.transaction():
        community.store.execute("INSERT INTO risk_webhook_log (alert_key, url) VALUES "
                                "('k', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET')")
    assert community.table("risk_webhook_log").column("url").to_pylist() == ["https://qyapi.weixin.qq.com/cgi-bin/webhook/send"]


def test_a_read_only_handle_says_an_as_of_has_no_stored_run(tmp_path):
    """A read-only handle reads the stored run; an as_of with none is said as such, with how to get one, not as a
    refused write ("open it without read_only to write")."""
    import shutil

    from reef.errors import StoreError
    from tests.ladder.conftest import AS_OF, handmade_rows
    from tests.conftest import import_rows

    from reef.analyses import run_analyses

    store = import_rows(tmp_path, handmade_rows())
    run_analyses(store, as_of=AS_OF, only=["ladder"])
    store.close()
    path = tmp_path / "ro.duckdb"
    shutil.copy(tmp_path / "reef.duckdb", path)
    ro = reef.open(path, read_only=True)
    try:
        assert ro.ladder(as_of=AS_OF.isoformat()).num_rows > 0  # the stored run: read without writing
        with pytest.raises(StoreError) as info:
            ro.ladder(as_of="2018-07-01")
        text = f"{info.value} {info.value.hint}"
        assert "2018-07-01" in text and "no stored analysis run of ladder" in text and "read-only" in text
        assert "reef analyze --as-of 2018-07-01" in info.value.hint and "without read_only" in info.value.hint
        assert "Open it without read_only to write" not in text
    finally:
        ro.close()


@pytest.mark.parametrize("method, kwargs, name", [
    ("ladder", {"top": -1}, "top"), ("recognise", {"days": 0}, "days"), ("contest", {"campaign": "c", "top": 0}, "top"),
    ("connectors", {"top": 0}, "top"), ("helpers", {"top": -5}, "top"), ("seed_plan", {"k": 0}, "k"),
    ("kb_qa", {"top": 0}, "top"), ("kb_gaps", {"top": 0}, "top"), ("groups", {"offset": -1}, "offset"),
    ("plaza", {"top": 0}, "top"), ("council", {"seats": 0}, "seats"), ("risks", {"evidence": -1}, "evidence"),
    ("effect", {"window": 0}, "window"), ("effect", {"window": 0, "ladder": False}, "window"),
    ("team", {"brief": {"name": "x", "deadline": "2026-08-31", "roles": [{"role": "writer"}]}, "alternatives": -1}, "alternatives"),
])
def test_a_bad_count_is_said_before_the_stored_run_is_looked_up(tmp_path, method, kwargs, name):
    """On a read-only handle with no stored run, a bad top/offset/k ... is the invalid_parameter naming it, not
    'no stored analysis run' (reef.reads.prepare checks the counts first; a writable handle runs no analysis for it)."""
    from reef.errors import InvalidParameterError

    path = tmp_path / "empty.duckdb"
    reef.open(path).close()
    ro = reef.open(path, read_only=True)
    try:
        with pytest.raises(InvalidParameterError) as info:
            getattr(ro, method)(**kwargs)
        assert info.value.name == name
    finally:
        ro.close()


@pytest.mark.parametrize("method, kwargs", [("effect", {"window": 0}), ("team", {"alternatives": -1, "brief": {
    "name": "x", "deadline": "2026-08-31", "roles": [{"role": "writer"}]}})])
def test_a_writable_handle_runs_no_analysis_for_a_bad_window_or_alternatives(tmp_path, method, kwargs):
    """effect(window=) and team(alternatives=) are checked by reef.reads.prepare before the ladder or the talent pool
    is brought up to date (they used to run it first, then refuse the count)."""
    from reef.errors import InvalidParameterError

    with reef.open(tmp_path / "s.duckdb") as community:
        community.simulate(members=50, days=14, seed=1)
        with pytest.raises(InvalidParameterError):
            getattr(community, method)(**kwargs)
        assert community.store.fetch_value("SELECT count(*) FROM analysis_runs") == 0


def test_counts_may_be_any_whole_number_type_but_not_a_float_or_bool(community):
    """A notebook often holds numpy integers (``df["n"].max()``): they are counts like any int; 3.0 and True are not."""
    import numpy as np

    from reef.errors import InvalidParameterError
    from reef.params import check_positive

    assert check_positive("top", np.int64(3)) == 3 and type(check_positive("top", np.int64(3))) is int
    assert community.ladder(top=np.int64(2)).num_rows == community.ladder(top=2).num_rows == 2
    for bad in (3.0, True):
        with pytest.raises(InvalidParameterError, match="'top'"):
            community.ladder(top=bad)


def test_an_id_is_taken_as_given_on_every_surface(store_template, tmp_path):
    """Ids are trimmed when imported, never when looked up: `reef member " m050 "`, GET /api/v1/members/%20m050%20 and
    member(" m050 ") all answer not_found quoting the spaces, so the Python API neither trims where the others do not
    nor finds what they refuse (docs/cli.md, The Python API)."""
    import json
    import shutil

    from typer.testing import CliRunner

    from reef.cli import app

    path = tmp_path / "s.duckdb"
    shutil.copy(store_template, path)
    with reef.open(path, read_only=True) as c:
        assert c.member("m050")["member_id"] == "m050"
        with pytest.raises(NotFoundError) as err:
            c.member(" m050 ")
    cli = CliRunner().invoke(app, ["member", " m050 ", "--db", str(path), "--json"])
    shown = json.loads(cli.stdout)["error"]
    assert cli.exit_code == 5 and shown["code"] == "not_found" and shown["message"] == err.value.message == "No member ' m050 ' in the store."


@pytest.mark.parametrize("given", [" m050 ", "M050", "\tm050\n", "\u3000m050"])
def test_a_near_miss_id_names_the_member_it_likely_means_on_every_surface(store_template, tmp_path, given):
    """Spaces pasted around an id, another letter case a full-width space (leading zeros likewise): the refusal names the
    one member the id folds to (never picked silently), in the library's, the CLI's and the HTTP API's hint, zh too."""
    import json
    import shutil

    from typer.testing import CliRunner

    from reef.cli import app

    path = tmp_path / "s.duckdb"
    shutil.copy(store_template, path)
    with reef.open(path, read_only=True) as c:
        with pytest.raises(NotFoundError) as err:
            c.member(given)
    assert err.value.facts["did_you_mean"] == "m050" and "Did you mean 'm050'?" in err.value.hint
    assert "是不是 'm050'？" in err.value.hint_zh
    cli = CliRunner().invoke(app, ["member", given, "--db", str(path), "--json", "--lang", "en"])
    assert cli.exit_code == 5 and "Did you mean 'm050'?" in json.loads(cli.stdout)["error"]["hint"]
    with reef.open(path, read_only=True) as c:  # an id that folds to no member, or a real id, gets no suggestion
        with pytest.raises(NotFoundError) as none:
            c.member("m999x")
    assert none.value.facts["did_you_mean"] is None and "Did you mean" not in none.value.hint
