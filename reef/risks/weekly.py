"""The weekly risk report: one self-contained HTML page (风险周报), offline and printable.

It shows the four scores with their change over the week and an inline SVG sparkline of the last
``weeks`` weekly scores, each family's parts, the top evidence, the alerts new this week and
the care list; every alert, evidence and care-list row names its subject (a member by name and id, 晴天明212（m1453）,
as the operations report does; a post by its id). On a store of mostly non-Chinese text it says, above the scores, what
Reef does not read there (:func:`reef.text.coverage.reading_note`). The file is in one language, ``lang``: it is
forwarded and pasted into e-mails, where styles are stripped and a CSS switch would show both languages interleaved.
Member text is masked like every export.

Weekly scores come from ``risk_score_log`` (every ``risks`` run appends its scores; a week end takes the run
logged in the day up to it); week ends the log does not cover are computed on the spot with
:func:`reef.risks.analysis.compute_risks` (nothing is written), using the current core list and
network scores (stated in the footer). At most :data:`MAX_WEEKS` weeks (``reef risks --weeks`` takes 2 to 52): each
week the log does not cover costs a whole radar run, and any viewer may ask for the report (``GET /api/v1/risks/report``).

Example:
    >>> sparkline_svg([10, 40, 30]).startswith("<svg")
    True
"""
from __future__ import annotations

from contextvars import ContextVar
from datetime import timedelta
from html import escape
from pathlib import Path

from reef.actions.privacy import mask_text
from reef.errors import InvalidParameterError, with_api_hint, with_cli_hint
from reef.risks.alert_log import new_alerts_between
from reef.risks.wording import part_value
from reef.risks.surfaces import FAMILY_NAMES, PART_NAMES, SUBJECT_NAMES, coverage_warning, display_name, top_evidence
from reef.text.coverage import reading_note

__all__ = ["weekly_report", "write_weekly_report", "sparkline_svg", "score_history", "alert_subjects", "subject_names",
           "MAX_WEEKS"]

MAX_WEEKS = 52  # weeks of sparkline a report may ask for (a year)

_T = {
    "title": ("风险周报", "Weekly risk report"), "as_of": ("截至", "As of"), "family": ("风险", "Risk"), "score": ("分数", "Score"),
    "level": ("级别", "Level"), "change": ("较上周", "vs last week"), "trend": ("近几周走势", "Recent weeks"), "summary": ("主要原因", "Main reason"),
    "parts": ("组成部分", "Parts"), "part": ("部分", "Part"), "value": ("数值", "Value"), "note": ("说明", "Note"),
    "evidence": ("主要证据", "Top evidence"), "subject": ("对象", "Subject"), "detail": ("详情", "Detail"),
    "alerts": ("本周新提醒", "Alerts raised this week"), "severity": ("严重度", "Severity"), "raised": ("本周提醒于", "Raised this week"),
    "post": ("帖子", "post"), "member": ("成员", "member"),
    "message": ("内容", "Message"), "none": ("无", "None"), "care": ("关怀名单", "Care list"), "rank": ("序", "#"),
    "series": ("每周指标", "Weekly measures"), "footer": ("由 Reef 生成；历史周分数缺失时以当前核心名单补算。",
                                                       "Made by Reef; weekly scores missing from the log were recomputed with the current core list."),
    "high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low"),
}
_CSS = """body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:980px;margin:1.5em auto;padding:0 1em;color:#222}
h1{border-bottom:2px solid #b23a1f}h2{color:#b23a1f;margin-top:1.6em}table{border-collapse:collapse;width:100%;font-size:.9em;margin:.6em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#f7ece9}td.n{text-align:right}
.high{color:#b00;font-weight:bold}.medium{color:#c60}.low{color:#286}
.warn{color:#9a6700;font-weight:600}
@media print{table{page-break-inside:avoid}@page{size:A4;margin:12mm}}"""


def sparkline_svg(values: list[float], width: int = 140, height: int = 30, top: float = 100.0) -> str:
    """An inline SVG polyline of ``values`` on a 0..``top`` scale, the last point marked."""
    vals = [float(v) for v in values if v is not None]
    if not vals:
        return ""
    hi = max(top, max(vals)) or 1.0
    step = (width - 6) / max(len(vals) - 1, 1)
    pts = [(3 + i * step, height - 3 - (height - 6) * v / hi) for i, v in enumerate(vals)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    x, y = pts[-1]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
            f'<line x1="0" y1="{height - 3 - (height - 6) * 60 / hi:.1f}" x2="{width}" y2="{height - 3 - (height - 6) * 60 / hi:.1f}" '
            f'stroke="#e5b3a8" stroke-dasharray="3,3"/><polyline fill="none" stroke="#b23a1f" stroke-width="1.6" points="{line}"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#b23a1f"/></svg>')


def score_history(store, as_of, weeks: int = 8, config=None) -> dict[str, list[tuple[str, float]]]:
    """``{family: [(week end, score), ...]}`` for the ``weeks`` week ends up to ``as_of``, oldest first."""
    from reef.risks.analysis import compute_risks

    config = config or store.config
    logged: dict[tuple[str, int], float] = {}
    if store.table_exists("risk_score_log"):
        # A week end takes the latest run logged in the day before it (a daily run at midnight, or that day's own);
        # an older run would carry another week's score under this week's date.
        for fam, at, score in store.fetch_all("SELECT family, as_of, score FROM risk_score_log WHERE as_of > $lo AND as_of <= $hi "
                                              "ORDER BY as_of", {"lo": as_of - timedelta(days=7 * weeks), "hi": as_of}):
            k, rest = divmod(as_of - at, timedelta(days=7))
            if rest < timedelta(days=1):  # ascending, so the day's latest run wins
                logged[(fam, k)] = float(score)
    out: dict[str, list[tuple[str, float]]] = {}
    for k in range(weeks - 1, -1, -1):
        ts = as_of - timedelta(days=7 * k)
        have = {fam: s for (fam, kk), s in logged.items() if kk == k}
        if len(have) < 4:
            have = {r["family"]: r["score"] for r in compute_risks(store, ts, config)["risk_scores"]}
        for fam, s in have.items():
            out.setdefault(fam, []).append((str(ts.date()), s))
    return out


_EN: ContextVar[bool] = ContextVar("risk_report_en", default=False)  # the language of the report being rendered


def _both(key: str) -> str:
    """A fixed word of the report in its language."""
    return escape(_T[key][_EN.get()])


def _bi(zh, en) -> str:
    """Of a (zh, en) pair, the report's language, masked and escaped."""
    return escape(mask_text(str((en if _EN.get() else zh) or "")))


def _table(head: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return f"<p>{_both('none')}</p>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return "<table><tr>" + "".join(f"<th>{_both(h)}</th>" for h in head) + f"</tr>{body}</table>"


def _part(code: str) -> str:
    """A part's operator name (the raw key when it has none)."""
    return _bi(display_name(PART_NAMES, code, False), display_name(PART_NAMES, code, True))


def weekly_report(store, as_of=None, lang: str = "zh", weeks: int = 8, evidence: int = 5) -> str:
    """The weekly risk report as one HTML string in ``lang`` (run the ``risks`` analysis first)."""
    from reef.i18n import check_lang

    token = _EN.set(check_lang(lang) == "en")
    try:
        return _weekly_report(store, as_of, lang, weeks, evidence)
    finally:
        _EN.reset(token)


def _weekly_report(store, as_of, lang: str, weeks: int, evidence: int) -> str:
    if not store.table_exists("risk_scores"):
        from reef.errors import NotFoundError

        exc = NotFoundError("The store has no risk radar yet (table risk_scores is missing).",
                            hint="Run the radar first (risks() or analyze()).")
        with_api_hint(exc, "Run the radar first: POST /api/v1/jobs/analyze (an operator).")
        raise with_cli_hint(exc, "Run `reef risks` (or `reef analyze`) first.")
    from reef.params import check_positive, check_range
    from reef.store.asof import as_of_timestamp

    check_range("weeks", check_positive("weeks", weeks), 1, MAX_WEEKS)
    fams = store.fetch_dicts("SELECT * FROM risk_scores")
    run_as_of = fams[0]["as_of"]
    asked = as_of_timestamp(as_of, store.config.get("general.timezone"))
    if asked is not None and abs((asked - run_as_of).total_seconds()) >= 1:
        # The report reads the last run's scores: labelling them with another date would mislead.
        exc = InvalidParameterError("as_of", as_of, f"the as-of of the last risks run ({run_as_of.isoformat(timespec='minutes')})",  # "CST" read as US Central
                                    hint="Run the radar at that date first: risks(as_of=DATE, report=FILE).")
        with_cli_hint(exc, "Run the radar at that date first: reef risks --as-of DATE --report FILE.")
        with_api_hint(exc, 'Run the radar at that date first (POST /api/v1/jobs/analyze with {"as_of": DATE, "only": ["risks"]}), '
                           "then ask again; or leave as_of empty for the last run's report.")
        raise exc
    as_of = run_as_of
    hist = score_history(store, as_of, weeks)
    rows = []
    for f in fams:
        h = [s for _, s in hist.get(f["family"], [])]
        delta = round(f["score"] - h[-2]) if len(h) >= 2 else None
        change = "—" if delta is None else f"{delta:+d}" if delta else "0"  # never "-0"
        rows.append([_bi(f["name_zh"], f["name_en"]), f'<span class="{f["level"]}">{f["score"]:.0f}</span>', _both(f["level"]), change,
                     sparkline_svg(h), _bi(f["summary_zh"], f["summary_en"])])
    html = [f"<h2>{_both('family')}</h2>", _table(["family", "score", "level", "change", "trend", "summary"], rows)]
    note = reading_note(store, "en" if _EN.get() else "zh", as_of)
    if note:  # mostly non-Chinese text: zeros below do not mean none (the radar's page and the report say it too)
        html.insert(0, f'<p class="warn" id="reading-note">{escape(note)}</p>')
    # worded for a reader, as the operations report words it: a date to pick, the limit in days (no parameter, no setting)
    warning = {lang: coverage_warning(store, as_of, store.config, lang, reader=True) for lang in ("zh", "en")}
    if warning["zh"]:  # as_of outside the data: the scores above do not mean what they seem to
        html.insert(0, f'<p class="warn">{_bi(warning["zh"], warning["en"])}</p>')
    for f in fams:
        parts = store.fetch_dicts("SELECT * FROM risk_parts WHERE family = $f ORDER BY score DESC", {"f": f["family"]})
        ev = top_evidence(store, f["family"], evidence)
        named = subject_names(store, [str(e["subject"]) for e in ev if e["subject"]])
        html += [f"<h2>{_bi(f['name_zh'], f['name_en'])} · {f['score']:.0f}</h2>",
                 _table(["part", "score", "value", "note"], [[_part(p["part"]), f"{p['score']:.0f}", _bi(part_value(p["part"], p["value"]), part_value(p["part"], p["value"], "en")),
                                                      _bi(p["note_zh"], p["note_en"])] for p in parts]),
                 f"<h3>{_both('evidence')}</h3>",
                 _table(["part", "subject", "detail"], [[_part(e["part"]), _bi(*named.get(e["subject"], (e["subject"], e["subject"]))),
                                                         _bi(e["detail_zh"], e["detail_en"])] for e in ev])]
    alerts = new_alerts_between(store, as_of - timedelta(days=7), as_of, int(store.config.get("risks.dedupe_days")))
    who = alert_subjects(store, alerts)
    html += [f"<h2>{_both('alerts')}</h2>", _table(["severity", "family", "subject", "raised", "message"],
             [[f'<span class="{a["severity"]}">{_both(a["severity"]) if a["severity"] in _T else escape(a["severity"])}</span>',
               _bi(display_name(FAMILY_NAMES, a["family"], False), display_name(FAMILY_NAMES, a["family"], True)),
               _bi(*who[a["alert_key"]]), escape(str(a["raised_at"])[:16]), _bi(a["message_zh"], a["message_en"])] for a in alerts])]
    care = store.fetch_dicts("SELECT * FROM risk_evidence WHERE part = 'care' ORDER BY rank LIMIT 10")
    cared = subject_names(store, [str(c["subject"]) for c in care])
    html += [f"<h2>{_both('care')}</h2>", _table(["rank", "subject", "detail"],
             [[str(c["rank"]), _bi(*cared.get(str(c["subject"]), (c["subject"], c["subject"]))), _bi(c["detail_zh"], c["detail_en"])]
              for c in care])]
    from reef.report.build import zone_stamp

    stamp = zone_stamp(as_of, str(store.config.get("general.timezone")), "en" if _EN.get() else "zh")  # 16:00 of which zone?
    return (f'<!DOCTYPE html><html lang="{"en" if _EN.get() else "zh-CN"}"><head><meta charset="utf-8">'
            f"<title>{_both('title')}</title><style>{_CSS}</style></head><body><main>"
            f"<h1>{_both('title')}</h1><p>{_both('as_of')} {escape(stamp)}</p>{''.join(html)}"
            f"<footer><p>{_both('footer')}</p></footer></main></body></html>")


def alert_subjects(store, alerts: list[dict]) -> dict[str, tuple[str, str]]:
    """``{alert_key: (zh, en)}``: what each alert is about, read from its key (``family:part:subject``): a member by
    display name and id (老张（m0279）), a post by its id (帖子 c29062), a community-wide subject by its name (核心成员),
    anything else (a group, a week) as it is. Unmasked: the report masks what it shows.

    >>> from reef.store import open_store
    >>> alert_subjects(open_store(":memory:"), [{"alert_key": "backlash:drift:core"}, {"alert_key": "x:y:g-1"}])
    {'backlash:drift:core': ('核心成员', 'core members'), 'x:y:g-1': ('g-1', 'g-1')}
    """
    subject = {a["alert_key"]: a["alert_key"].split(":", 2)[-1] for a in alerts}
    named = subject_names(store, list(subject.values()))
    return {key: named[sub] for key, sub in subject.items()}


def subject_names(store, subjects: list[str]) -> dict[str, tuple[str, str]]:
    """``{subject: (zh, en)}`` for alert, evidence and care-list subjects: a member by display name and id, a post
    by its id, a community-wide subject by its name, anything else as it is (see :func:`alert_subjects`)."""
    from reef.actions.views import member_names

    ids = sorted(set(subjects))
    names = member_names(store, ids)
    members = set(names) | ({m for (m,) in store.fetch_all("SELECT DISTINCT member_id FROM members WHERE list_contains($i, member_id)",
                                                            {"i": ids})} if ids and store.table_exists("members") else set())
    posts = {c for (c,) in store.fetch_all("SELECT DISTINCT content_id FROM content WHERE list_contains($i, content_id)",
                                           {"i": ids})} if ids and store.table_exists("content") else set()
    out = {}
    for sub in ids:
        key = sub
        if sub in names:
            out[key] = (f"{names[sub]}（{sub}）", f"{names[sub]} ({sub})")
        elif sub in members:
            out[key] = (f"{_T['member'][0]} {sub}", f"{_T['member'][1]} {sub}")
        elif sub in posts:
            out[key] = (f"{_T['post'][0]} {sub}", f"{_T['post'][1]} {sub}")
        else:
            out[key] = SUBJECT_NAMES.get(sub) or FAMILY_NAMES.get(sub) or (sub, sub)
    return out


def write_weekly_report(store, path, as_of=None, lang: str = "zh", weeks: int = 8) -> Path:
    """Write :func:`weekly_report` to ``path`` (UTF-8) and return the path; a path that cannot be written (a file
    where its folder should be, no permission) is an OutputPathError saying what stands in the way."""
    from reef.output_paths import output_errors

    path = Path(path)
    report = weekly_report(store, as_of, lang, weeks)
    with output_errors():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report, encoding="utf-8")
    return path
