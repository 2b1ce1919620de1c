"""English counts read as English: "1 member", "2 members", never "member(s)".

Operator-facing English (word tables, messages, f-strings, dashboard templates and scripts) counts its nouns with
:func:`reef.i18n.plural` / :func:`reef.i18n.counted`; a "(s)" plural in any string of ``reef/`` other than a docstring
or a comment fails here, as do a few rendered sentences for one and for several.
"""
from __future__ import annotations

import ast
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

REEF = Path(__file__).resolve().parents[1] / "reef"
# "member(s)", "analysis(es)", "dependant(s)"; a URL scheme's "http(s)" is no plural
_S_PLURAL = re.compile(r"[A-Za-z](?<!http)\((?:s|es)\)")

_JS_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring constants of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def _python_strings() -> list[tuple[str, int, str]]:
    hits = []
    for path in sorted(REEF.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                    and _S_PLURAL.search(node.value):
                hits.append((str(path.relative_to(REEF)), node.lineno, node.value))
    return hits


def _template_strings() -> list[tuple[str, int, str]]:
    hits = []
    for path in sorted([*REEF.rglob("*.html"), *REEF.rglob("*.js"), *REEF.rglob("*.j2")]):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # Jinja comments
        for number, line in enumerate(text.splitlines(), 1):
            # a script's words are its string literals (``plain(s)`` is a call)
            words = _JS_STRINGS.findall(line) if path.suffix == ".js" else [line]
            if any(_S_PLURAL.search(w) for w in words):
                hits.append((str(path.relative_to(REEF)), number, line.strip()))
    return hits


def test_the_scan_sees_python_strings_and_templates():
    assert len(list(REEF.rglob("*.py"))) > 100 and list(REEF.rglob("*.html"))
    assert _S_PLURAL.search("3 member(s)") and _S_PLURAL.search("2 analysis(es)") and not _S_PLURAL.search("an http(s) URL")


def test_no_operator_text_writes_a_plural_as_s():
    hits = _python_strings() + _template_strings()
    assert hits == [], "\n".join(f"reef/{p}:{n}: {text!r}" for p, n, text in hits)


def test_dashboard_messages_count_their_nouns():
    from reef.web.messages import tr

    assert tr("org.team_adopted", "en", team="T", n=1) == "Adopted team “T”: 1 member recorded."
    assert tr("org.team_adopted", "en", team="T", n=2) == "Adopted team “T”: 2 members recorded."
    assert tr("org.team_adopted", "zh", team="T", n=1) == "已采用团队“T”：记录了1位成员。"  # Chinese unchanged
    assert tr("alert.crisis", "en", n=1) == "Crisis room: a negative wave on 1 aspect:"
    assert tr("alert.crisis", "en", n=3) == "Crisis room: a negative wave on 3 aspects:"


def test_report_messages_count_their_nouns():
    from reef.i18n import t

    assert t("report.quarantine_some", "en", n=1) == "1 row is quarantined; the main reasons:"
    assert t("report.quarantine_some", "en", n=3) == "3 rows are quarantined; the main reasons:"
    assert t("report.imports", "en", n=1, at="x") == "1 import done, the latest at x."
    assert t("report.table_rows", "en", table="a", rows=1, shown=1) == "Result table a: 1 row (first 1 shown)"
    assert t("report.quarantine_some", "zh", n=1) == "共有 1 行被隔离，主要原因如下："


def test_layer_notes_count_their_nouns():
    from reef.layers.standing import record_note, roles_text

    assert record_note(1, 2, "en") == "1 hostile act on record (the standard allows up to 2)"
    assert record_note(2, 2, "en") == "2 hostile acts on record (the standard allows up to 2)"
    assert record_note(1, 2, "zh") == "有1次不当言论记录（标准为不超过2次）"
    one, two = [{"label_en": "council seat 1", "label_zh": "核心顾问团第1席"}], [{"label_en": "a", "label_zh": "甲"}] * 2
    assert roles_text(one, "en") == "holds 1 role: council seat 1" and roles_text(two, "en") == "holds 2 roles: a, a"
    assert roles_text(one, "zh") == "已担任1个角色：核心顾问团第1席"


def test_delivery_failure_counts_its_alerts():
    from reef.risks.webhook import delivery_failure

    def text(n):
        d = {"sent": 0, "failed": n, "last_failure": {"reason": "HTTPError: HTTP Error 500", "kind": "http"}}
        return str(delivery_failure({"delivery": d, "target": "https://robot.example/send"}, lang="en"))

    assert "(1 alert to https://robot.example/send" in text(1) and "(2 alerts to https://robot.example/send" in text(2)


# "{n} rows", "{n} negative posts", "{v:.0f} threads": a count placeholder without a noun spec, then (up to two words that are no function
# word, then) an English plural noun; "{n:row}" counts it, and "{x} is", "{p} of core replies", "{s} with stale
# answers" or "{min} or more likes" are no such count.
_COUNT_PLURAL = re.compile(r"\{(\w+)(?::\.0f)?\} ((?:[a-z-]+ ){0,2}?)([a-z]+s)\b")
_NOT_NOUNS = {"is", "was", "has", "its", "this", "as", "vs", "yes", "does", "equals", "always", "across", "plus", "less"}
_FUNCTION_WORDS = {"with", "of", "or", "and", "more", "than", "in", "on", "to", "for", "by", "the", "a", "an", "nor", "are",
                   "is", "were", "was", "not", "no", "at", "from"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Not counts of things: {pp} is percentage points with a decimal ("1.0 points").
_KNOWN = {("risks/wording.py", "{pp} points")}


def _uncounted_plurals() -> list[tuple[str, int, str]]:
    hits = []
    for path in sorted(REEF.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree) | {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        keys = {id(v): k.value for n in ast.walk(tree) if isinstance(n, ast.Dict)
                for k, v in zip(n.keys, n.values) if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        keys.update({id(e): keys[id(n)] for n in ast.walk(tree) if isinstance(n, ast.Tuple) and id(n) in keys for e in n.elts})
        rel = str(path.relative_to(REEF))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip \
                    or _CJK.search(node.value):
                continue
            for m in _COUNT_PLURAL.finditer(node.value):
                between = m.group(2).split()
                if m.group(3) in _NOT_NOUNS or any(w in _FUNCTION_WORDS for w in between):
                    continue
                found = f"{{{m.group(1)}}} {m.group(2)}{m.group(3)}"
                if (rel, found) in _KNOWN or (rel, str(keys.get(id(node), "")).split(".")[0] + ".") in _KNOWN:
                    continue
                hits.append((rel, node.lineno, found))
    return hits


def test_the_count_scan_sees_uncounted_plurals():
    def scan(text):
        return [m.group(0) for m in _COUNT_PLURAL.finditer(text)
                if m.group(3) not in _NOT_NOUNS and not set(m.group(2).split()) & _FUNCTION_WORDS]

    assert scan("{n} rows are quarantined") == ["{n} rows"] and scan("by {a} negative posts") == ["{a} negative posts"]
    assert scan("{v:.0f} threads, {v:.1f} h") == ["{v:.0f} threads"]
    assert scan("{n:row is|rows are} quarantined; {field} is long; {s} with stale answers; {min} or more likes") == []


def test_no_english_table_counts_a_noun_without_its_plural():
    hits = _uncounted_plurals()
    assert hits == [], "\n".join(f"reef/{p}:{n}: {text!r}" for p, n, text in hits)


def test_more_messages_count_their_nouns():
    from reef.web.messages import tr

    assert tr("alert.quarantine", "en", n=1) == "1 row is quarantined; please check."
    assert tr("alert.quarantine", "en", n=4) == "4 rows are quarantined; please check."
    assert tr("alert.open_tasks", "en", n=1) == "1 task is open." and tr("alert.open_tasks", "en", n=2) == "2 tasks are open."
    assert tr("page.of", "en", page=1, pages=1, total=1) == "Page 1 of 1, 1 row"
    assert tr("page.past", "en", page=3, pages=2, total=30) == "Page 3 is past the end (2 pages, 30 rows)"
    assert tr("webhook.pending", "en", n=1) == "1 failed delivery is not yet re-sent."
    assert tr("org.team_days", "en", days=1) == "1 day to go" and tr("org.team_days", "en", days=5) == "5 days to go"
    assert tr("alert.quarantine", "zh", n=1) == "有 1 行数据被隔离，请检查。"  # Chinese unchanged


def test_report_sections_count_their_nouns():
    from reef.i18n import counted
    from reef.layers.team_form import _msg
    from reef.report.capability_text import _labels
    from reef.risks.wording import part_value

    en = _labels("en")
    assert counted(en["graph"], members=1, ties=1, kinds="reply 1").startswith("The interaction graph links 1 member by 1 tie (")
    assert counted(en["graph"], members=2, ties=3, kinds="x").startswith("The interaction graph links 2 members by 3 ties (")
    assert counted(en["care"], n=1, top=1) == "Care list: 1 member, the 1 to follow up first"
    assert counted(en["essence"], n=1, top=1).startswith("1 post scored") and "the top 1 is worth" in counted(en["essence"], n=1, top=1)
    assert _msg("few", "en", have=1, seats=2).startswith("Only 1 member can be proposed for 2 seats:")
    assert part_value("conflict", 1.0, "en") == "1 thread" and part_value("conflict", 3.0, "en") == "3 threads"
    assert part_value("conflict", 1.0, "zh") == "1个帖子"


# The same scan over f-strings (f"{n} days" prints "1 days"): each formatted value is read as a placeholder named
# after its expression ({p_window_days}); count with reef.i18n.plural (f"{plural(n, 'day')}"). Settings count too: an
# operator may set 1. An f-string that only looks like a count (a verb, a range such as "0-1 years") is split so
# that no placeholder stands before the word. Format specs of a whole number ({n:,} rows, {v:.0f} days, {d:g} days)
# count; any other ({x:.1f} likes on average, {s:.0%}) is no count of things: a decimal reads in the plural ("1.0 days").
_COUNT_SPECS = {"", ",", "d", ",d", "g", ".0f", ",.0f"}


def _fstring_text(node: ast.JoinedStr) -> str:
    out = []
    for v in node.values:
        if isinstance(v, ast.Constant):
            out.append(str(v.value))
        else:
            spec = "".join(str(p.value) for p in getattr(v.format_spec, "values", ()) if isinstance(p, ast.Constant))
            name = re.sub(r"\W+", "_", ast.unparse(v.value)).strip("_") or "x"
            out.append("{" + name + ("" if spec in _COUNT_SPECS else ":" + spec) + "}")
    return "".join(out)


def _uncounted_fstring_plurals() -> set[tuple[str, str]]:
    hits = set()
    for path in sorted(REEF.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            text = _fstring_text(node)
            if _CJK.search(text):
                continue
            for m in _COUNT_PLURAL.finditer(text):
                if m.group(3) not in _NOT_NOUNS and not set(m.group(2).split()) & _FUNCTION_WORDS:
                    hits.add((str(path.relative_to(REEF)), m.group(0)))
    return hits


def test_the_fstring_scan_sees_counts_in_fstrings():
    tree = ast.parse('f"over {p.window_days} days, {plural(n, \'day\')}, {n:,} rows, {v:.0f} days, {m:.1f} likes on average"')
    text = _fstring_text(next(n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)))
    assert text == "over {p_window_days} days, {plural_n_day}, {n} rows, {v} days, {m:.1f} likes on average"
    assert [m.group(0) for m in _COUNT_PLURAL.finditer(text)] == ["{p_window_days} days", "{n} rows", "{v} days"]


def test_no_fstring_counts_a_noun_without_its_plural():
    hits = sorted(_uncounted_fstring_plurals())
    assert hits == [], "count these with reef.i18n.plural:\n" + "\n".join(f"reef/{p}: {t!r}" for p, t in hits)


def test_counts_fixed_in_fstrings_read_as_english():
    from reef.risks.webhook import _below_top_warning, _pending_warning
    from reef.store.coverage import _days
    from reef.web.messages import tr

    assert _days(1) == "1 day" and _days(31) == "31 days" and _days(1.0) == "1 day" and _days(1.5) == "1.5 days"
    assert _pending_warning(1, "en").startswith("1 failed delivery is of alerts no longer current, so no run retries it:")
    assert _pending_warning(2, "en").startswith("2 failed deliveries are of alerts")
    assert _below_top_warning(1, 5, "en").startswith("1 failed delivery of current alerts was not retried: it ranks")
    assert tr("crisis.wave_summary", "en", n=1, start="s", authors=1, core=0, unanswered=1, first="f").startswith(
        "1 negative post since s by 1 author (core")
    assert tr("crisis.past_wave", "en", aspect="a", first="f", last="l", days=1, recent=7).endswith(
        "1 day ago (older than 7 days is no current wave).")
    assert tr("crisis.partial_window", "en", hours=24, start="a", until="b") == "last 24 hours: a to b"


def test_fstring_counts_of_the_ladder_and_the_kb_render_for_one_and_two():
    import polars as pl

    from reef.kb.essence import explain_en
    from reef.kb.pin import _reason
    from reef.ladder.evidence import MEASURES, HELP_COLUMNS, evidence_expr, rising_expr, status_expr
    from reef.ladder.params import LadderParams

    new = pl.DataFrame({"rising": [True], "pace_ratio": [None]}, schema={"rising": pl.Boolean, "pace_ratio": pl.Float64})
    assert new.select(rising_expr("en", 1)).item() == "newly active in the last 1 day"
    assert new.select(rising_expr("en", 2)).item() == "newly active in the last 2 days"
    df = pl.DataFrame({m: [0] for m in MEASURES} | {f"life_{m}": [0] for m in MEASURES} | {c: [0] for c in HELP_COLUMNS})
    assert df.with_columns(acts=pl.lit(1)).select(evidence_expr("en", 1)).item() == "1 interaction in 1 day"
    assert df.with_columns(acts=pl.lit(2)).select(evidence_expr("en", 2)).item() == "2 interactions in 2 days"
    below = pl.DataFrame({"stage": [0], "acts": [1], "_grace_k": [None]}, schema_overrides={"_grace_k": pl.Int64})  # active, stage 0
    as_of = datetime(2026, 7, 1, tzinfo=timezone.utc)
    for n, words in ((1, "1 interaction in 1 day"), (2, "2 interactions in 2 days")):
        p = LadderParams(participant_min_acts=n, window_days=n, checkpoint_days=1)
        assert below.select(status_expr("en", p, as_of, "UTC")).item() == f"below the participant threshold ({words})"
    assert explain_en(1, 0.5, 0, 0, 1, days=1).startswith("1 interaction after its first 1 day (50% of all")
    assert explain_en(2, 0.5, 0, 0, 1, days=2).startswith("2 interactions after its first 2 days (")
    post = {"author_best_answers": 1, "claims": 0}
    assert _reason([], post, "en") == "credible factual post on the aspect; author has 1 best answer"
    assert _reason([], post | {"author_best_answers": 2}, "en").endswith("author has 2 best answers")


def test_the_ladder_headcounts_count_their_nouns():
    import reef.ladder.surfaces  # noqa: F401 - registers the ladder's page messages
    from reef.web.messages import tr

    assert tr("ladder.headcount", "en", ordinary=1, total=2, left=0, staff=1, later="") == (
        "Counted: 1 ordinary member now in the community = 2 ever joined − 0 who left − 1 staff or brand account.")
    assert tr("ladder.headcount", "en", ordinary=2, total=5, left=1, staff=2, later="").startswith(
        "Counted: 2 ordinary members now in the community = 5 ever joined − 1 who left − 2 staff or brand accounts.")
    one = tr("members.headcount", "en", present=1, total=1, left=0, staff=1, ordinary=1, later="")
    assert one.startswith("The list holds 1 person = 1 ever joined") and "; 1 of them is a staff or brand account (" in one
    assert one.endswith("(the ladder and the report count no staff accounts: 1 member).")
    two = tr("members.headcount", "en", present=2, total=2, left=0, staff=2, ordinary=2, later="")
    assert "The list holds 2 people" in two and "2 of them are staff or brand accounts" in two and two.endswith(": 2 members).")


def test_fstring_counts_of_actions_risks_layers_and_the_cli_render_for_one_and_two():
    from reef.actions.access import RateLimitedError
    from reef.actions.effect import _left_out_note
    from reef.actions.users import LoginLimiter
    from reef.cli.kb import _partial_words
    from reef.cli.text import _warning_en
    from reef.layers.team_explain import role_evidence
    from reef.layers.wording import tenure_label
    from reef.risks.backlash import _care_text

    left = {"left_out": {"cancelled": 1}, "measurable_from": "2026-06-19", "n_recorded": 1}
    assert _left_out_note(left, "en") == "1 of 1 recorded action not counted: 1 cancelled."
    assert _left_out_note(left | {"n_recorded": 2}, "en") == "1 of 2 recorded actions not counted: 1 cancelled."
    for n, hint in ((1, "At most 1 attempt per 1 second."), (2, "At most 2 attempts per 2 seconds.")):
        limiter = LoginLimiter(n, n)
        for _ in range(n):
            limiter.attempt("k")
        with pytest.raises(RateLimitedError) as caught:
            limiter.check("k")
        assert caught.value.hint == hint

    as_of = datetime(2026, 7, 1, tzinfo=timezone.utc)

    def care(n):
        r = {"unresolved": n, "unresolved_items": [{"id": "c1", "at": as_of - timedelta(days=n)}],
             "recent_complaints": n, "recent_after_sales": 0}
        return _care_text(r, 0.2, 0.0, False, as_of, {"ud": n, "recent": n})[1]

    assert "core member: 1 complaint (0 on after-sales/quality) in 1 day," in care(1)
    assert "1 complaint unanswered by staff after 1 day (oldest 1 day: c1)" in care(1)
    assert "2 complaints unanswered by staff after 2 days (oldest 2 days: c1)" in care(2)

    row = {"long_posts": 1, "long_likes": 1.0}
    assert role_evidence(row, "writer", None, {}, 1, "en") == "1 long original post in 1 day, 1.0 likes on average"
    assert role_evidence(row | {"long_posts": 2}, "writer", None, {}, 2, "en").startswith("2 long original posts in 2 days,")
    assert tenure_label("<1d", "en") == "under 1 day" and tenure_label("<2d", "en") == "under 2 days"
    assert tenure_label("<365d", "en") == "under 1 year" and tenure_label("0-365d", "en") == "0-1 years"

    window = {"partial": True, "window_start": "2026-07-01 10:00", "until": "07-01 11:00"}
    assert _partial_words(window | {"window_hours": 1}, True) == " (last 1 hour: 07-01 10:00 to 07-01 11:00)"
    assert _partial_words(window | {"window_hours": 2}, True).startswith(" (last 2 hours:")
    assert _warning_en("short_rows", 1, [3], False, Path("a.csv"), "text").startswith(
        "Warning: 1 row of a.csv has fewer fields than the header (line 3); its missing fields")
    assert _warning_en("short_rows", 2, [3, 4], False, Path("a.csv"), "text").startswith(
        "Warning: 2 rows of a.csv have fewer fields than the header (lines 3, 4); their missing fields")


def test_fstring_counts_of_settings_and_errors_render_for_one_and_two():
    from reef.actions.kinds import _check
    from reef.errors import InvalidParameterError
    from reef.text.datasets import intent_texts

    with pytest.raises(InvalidParameterError) as caught:
        _check(None, None, "x" * 2001)
    assert "2001 characters" in str(caught.value) and "at most 2000 characters" in str(caught.value)
    with pytest.raises(KeyError, match="1 intent-set key not found"):
        intent_texts("/nowhere", ["x"])  # a key of no source: nothing is read
    with pytest.raises(KeyError, match="2 intent-set keys not found"):
        intent_texts("/nowhere", ["x", "y"])
