"""``reef risks`` and ``reef alerts``: the risk radar and its deduplicated alerts (docs/risks.md).

Each brings the ``risks`` analysis up to date at ``--as-of`` (free when it already is), calls one
library function from :mod:`reef.risks` and renders the result.

Example:
    >>> import typer
    >>> app = typer.Typer(); register(app); len(app.registered_commands)
    2
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import checked, DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, emit, err, out, read, rows_table, to_second
from reef.params import check_range
from reef.cli._coverage import emit_noted
from reef.cli._errors import error_prefix, handled, options_conflict, options_one_of
from reef.cli._labels import word
from reef.i18n import plural
from reef.errors import InvalidParameterError
from reef.errors_zh import one_line
from reef.reads import ops as reads
from reef.store.coverage import cli_wording
from reef.web.messages import WEB_MESSAGES

# The delivery counts of `reef alerts --webhook` (zh, en), as the dashboard's 发送到群 card words them.
_DELIVERY = {"sent": ("已发送", "sent"), "failed": ("失败", "failed"), "resent": ("已补发", "re-sent"),
             "already_sent": ("此前已发送", "sent before"), "failed_pending": ("失败待补发", "failed, not yet re-sent")}

__all__ = ["register"]

AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Score risks as of this date or datetime (a date alone is its 00:00 local time: that day is not included; default: end of the data).")]


@handled
def risks(as_of: AsOfOpt = None,
          report: Annotated[Optional[Path], typer.Option("--report", help="Also write the weekly risk report (self-contained HTML) to this file.")] = None,
          weeks: Annotated[int, typer.Option("--weeks", callback=checked(check_range, "weeks", 2, 52), help="Weeks of score trend in the --report sparklines.")] = 8,
          evidence: Annotated[int, typer.Option("--evidence", min=0, help="Evidence rows shown per family, from its highest-scoring parts.")] = 5,
          lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """The risk radar: heat death, implosion, backlash and entropy scored 0-100, each with its parts and top evidence."""
    r = read(reads.risks, db, config, evidence=evidence, report=report, weeks=weeks, as_of=as_of, lang=lang)
    data, language = r.data, r.lang

    def render(d: dict) -> None:
        from reef.risks.surfaces import COLUMN_NAMES

        en = language == "en"

        def table(title: str, rows: list[dict], columns: list[str]) -> None:  # the radar's name is a risk's, not a nickname
            rows_table(title, rows, columns, lang=language, labels=COLUMN_NAMES)

        table(f"{'Risk radar' if en else '风险雷达'} {to_second(d['as_of'])}",
              [{**f, "level": f.get("level_name", f["level"])} for f in d["families"]], ["family", "name", "score", "level", "summary"])
        for f in d["families"]:
            table(f"{f['name']} {f['score']}", [{**p, "part": p.get("part_name", p["part"]),  # a raw measure in its unit (41.8%, 3人)
                                                     "value": p.get("value_text") or (float(f"{p['value']:.3g}") if isinstance(p.get("value"), float) else p.get("value"))}
                                                    for p in f["parts"]], ["part", "score", "value", "note"])
            if f["evidence"]:
                table(f"{f['name']} · {'evidence' if en else '证据'}", [{**e, "part": e.get("part_name", e["part"])} for e in f["evidence"]],
                      ["part", "subject", "detail"])
        if d.get("reading_note"):  # mostly non-Chinese text (reef.text.coverage): the zeros above do not mean none
            out.print(d["reading_note"])
        if d.get("report"):
            out.print(f"{'report' if en else '周报'}: {d['report']}")

    emit_noted(data, as_json, render)  # the radar's warning (as_of outside the data) on stderr, as every command prints it


@handled
def alerts(as_of: AsOfOpt = None,
           new: Annotated[bool, typer.Option("--new", help="Only alerts not yet shown here (without a webhook) or not yet sent to the webhook URL, at this severity or higher.")] = False,
           severity: Annotated[str, typer.Option("--severity", help="Lowest severity shown: medium or high.")] = "medium",
           top: Annotated[int, typer.Option("--top", min=1, help="Show at most this many alerts.")] = 50,
           webhook: Annotated[Optional[str], typer.Option("--webhook", help="Also send the new alerts to this group-robot URL (default: risks.webhook_url).")] = None,
           platform: Annotated[Optional[str], typer.Option("--platform", help="Robot format: wecom, dingtalk or feishu (default: risks.webhook_platform).")] = None,
           digest: Annotated[Optional[bool], typer.Option("--digest/--no-digest", help="Send one digest message listing the alerts / one message each (default: digest above risks.webhook_digest_over).")] = None,
           redeliver: Annotated[bool, typer.Option("--redeliver", help="First re-send the deliveries that failed earlier (logged in risk_webhook_log).")] = False,
           test: Annotated[bool, typer.Option("--test", help="Only send one test message to the robot (--webhook / --platform, default every configured robot) and report whether it arrived; no alerts are listed or sent.")] = False,
           robot: Annotated[Optional[str], typer.Option("--robot", help="Only this configured robot (the name of a [[risks.robots]] table), instead of every configured robot.")] = None,
           quiet: Annotated[bool, typer.Option("--quiet", "-q", help="For cron: print nothing when every alert was delivered; else only what was not (on stderr). Needs a robot; not with --json.")] = False,
           lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Risk alerts with severity and evidence, deduplicated; new ones delivered to a WeCom/DingTalk/Feishu robot.

    Exit codes: 0 every alert delivered (or nothing to send), 1 every delivery failed, 10 some left undelivered."""
    from reef.risks.delivery_outcome import delivery_incomplete
    from reef.risks.webhook import delivery_failure

    if severity not in ("medium", "high"):  # before the store is opened, naming the option
        raise InvalidParameterError("--severity", severity, "medium or high")
    if robot is not None and (webhook is not None or platform is not None):
        raise options_conflict("--robot", "--webhook" if webhook is not None else "--platform",
                               hint="--robot picks a configured robot; --webhook and --platform give another one.",
                               hint_zh="--robot 选择一个已配置的机器人；--webhook 和 --platform 指定的是另一个。")
    if test:
        given = [o for o, on in (("--as-of", as_of is not None), ("--new", new), ("--digest", digest is True),
                                 ("--no-digest", digest is False), ("--redeliver", redeliver)) if on]
        if given:  # a test sends no alert: an option about alerts would be ignored silently
            raise options_conflict(given, "--test", hint="--test sends one test message only; it lists and sends no alerts.",
                                   hint_zh="--test 只发送一条测试消息，不列出也不发送提醒。")
        return _test(webhook, platform, lang, db, config, as_json, robot, quiet)
    if quiet:
        _check_quiet(as_json, webhook, db, config)
    r = read(reads.alerts, db, config, new=new, severity=severity, top=top, webhook=webhook, platform=platform, digest=digest,
             redeliver=redeliver, as_of=as_of, lang=lang, robot=robot)
    data, lang = r.data, r.lang

    def render(d: dict) -> None:
        from reef.risks.surfaces import COLUMN_NAMES, FAMILY_NAMES, LEVEL_NAMES, PART_NAMES, alert_subject, display_name

        en = lang == "en"
        columns = ["severity", "family", "part", "subject", "score", "first_seen", "is_new", "message"]
        shown = {"severity": LEVEL_NAMES, "family": FAMILY_NAMES, "part": PART_NAMES}  # codes in the operator's words
        yes_no = {True: "yes" if en else "是", False: "no" if en else "否"}
        rows = [{c: (display_name(shown[c], a[c], en) if c in shown else yes_no[a[c]] if c == "is_new"
                     else alert_subject(a, en) if c == "subject" else a.get(c)) for c in columns} for a in d["alerts"]]
        if not quiet:  # --quiet: no table, no note on server.public_url; only what was left undelivered
            rows_table(f"{'Risk alerts' if en else '风险提醒'} {d['as_of'] or ''}".strip(), rows, columns, lang=lang, labels=COLUMN_NAMES)
        warning = _without_note(d.get("warning"), lang) if quiet else d.get("warning")
        if warning:
            err.print(warning)
        # One line per robot (its own counts and last failure), or the one robot's as before.
        for one in d.get("robots") or ([{**d, "label": ""}] if d["delivery"] else []):
            _delivery_lines(one, lang, en, quiet)

    failure = delivery_failure(data, lang)  # nothing reached the robot: exit 1 after showing what was tried
    if failure is not None:
        if not as_json:
            render({**data, "warning": cli_wording(data.get("warning"))})
        raise failure
    emit(data, as_json, render)
    left = delivery_incomplete(data)  # some delivered, some not: exit 10 (docs/cli.md), the answer printed as usual
    if left is not None:
        import sys

        sys.stdout.flush()  # the table and counts first, then the error line, as every error is said
        left.hint, left.hint_zh = left.cli_hint, left.cli_hint_zh  # the hint naming `reef alerts --redeliver`
        sys.stderr.write(f"{error_prefix(lang)}{one_line(left.text(lang))}\n")
        raise typer.Exit(left.exit_code)


def _quiet_json() -> InvalidParameterError:
    """``--quiet`` with ``--json``: one prints the answer, the other nothing."""
    return options_conflict("--quiet", "--json", hint="--json prints the answer; --quiet prints nothing.",
                            hint_zh="--json 打印结果；--quiet 什么都不打印。")


def _check_quiet(as_json: bool, webhook: str | None, db: Path, config: Path | None) -> None:
    """``--quiet`` is for a scheduled run that sends: refused with ``--json`` (its answer is the output) and without a
    robot (the alerts would be recorded as shown on the console with nothing shown)."""
    if as_json:
        raise _quiet_json()
    if webhook is not None:
        return
    from reef.config import load_config
    from reef.robot_config import configured_robots

    if not configured_robots(load_config(config, store_path=db)):
        raise options_one_of(["--webhook URL", "risks.webhook_url", "[[risks.robots]]"], [], needed_by="--quiet",
                             hint="Without a robot the alerts are only listed (and recorded as shown), and --quiet would list nothing.",
                             hint_zh="没有机器人时提醒只会列出（并记为已显示），--quiet 什么也不会列出。")


def _without_note(warning: str | None, lang: str) -> str | None:
    """``warning`` without the note on ``server.public_url`` (said every run: a cron mail a day about nothing new)."""
    from reef.risks.sending import PUBLIC_URL_NOTE

    for note in PUBLIC_URL_NOTE.values():
        warning = (warning or "").replace(note, "")
    return " ".join(warning.split()) or None


def _delivery_lines(d: dict, lang: str, en: bool, quiet: bool = False) -> None:
    """A robot's delivery counts in the operator's words (never a Python dict), and why its last delivery failed: on
    stderr when it left something undelivered (a failure, one waiting, an error that stopped it), else on stdout
    (``quiet``: not at all)."""
    from reef.risks.delivery_state import failure_reason

    if d.get("error"):
        err.print(f"{'Webhook' if en else '群机器人'} {d['label']} {d['target']}{': ' if en else '：'}{d['error']}")
    if not d.get("delivery"):
        return
    failing = bool(d["delivery"].get("failed") or d["delivery"].get("failed_pending"))
    if quiet and not failing:
        return
    console = err if failing else out
    counts = ("，" if not en else ", ").join(f"{_DELIVERY[k][en]} {v}" for k, v in d["delivery"].items() if k in _DELIVERY)
    platform = WEB_MESSAGES.get(f"platform.{d['platform']}", (d["platform"],) * 2)[en]
    name = f"{d['label']} " if d.get("name") else ""  # the unnamed robot of risks.webhook_url: no name
    console.print(f"{'Webhook' if en else '群机器人'} {name}{platform} {d['target']}{': ' if en else '：'}{counts}")
    last = d["delivery"].get("last_failure")
    if last:  # why it failed (HTTP 500, a timeout, the robot's errmsg), not only how often
        at, kind = (last["at"] or "")[:16].replace("T", " "), word(f"failure.{last['kind']}", lang)
        why = failure_reason(last["reason"], lang)  # the robot's errcode/errmsg, the HTTP status: no exception class
        console.print(f"{word('last_failure', lang)} ({at}, {kind}){': ' + why if why else ''}" if en else
                  f"{word('last_failure', lang)}（{at}，{kind}）{'：' + why if why else ''}")


def _test(webhook: str | None, platform: str | None, lang: str | None, db: Path, config: Path | None, as_json: bool,
          robot: str | None = None, quiet: bool = False) -> None:
    """``reef alerts --test``: one test message to the robot (:func:`reef.risks.robot_check.send_test`); exits 1 when
    it did not arrive, naming why. ``quiet``: nothing printed when every test arrived, else the robots it did not reach
    and the error (stderr)."""
    from reef.cli._common import open_community, resolve_lang
    from reef.risks.robot_check import send_test
    from reef.risks.webhook import DeliveryError

    if quiet and as_json:
        raise _quiet_json()
    if lang is not None:
        resolve_lang(lang)
    community = open_community(db, config)
    r = send_test(community.store, community.config, url=webhook, platform=platform, lang=lang, robot=robot)
    en = r["lang"] == "en"
    from reef.risks.sending import public_url_note

    note = public_url_note(community.config, r["lang"])
    if note and not quiet:  # once, on stderr: the alerts will name the page, with no address to click
        err.print(note)
    platform_name = WEB_MESSAGES.get(f"platform.{r['platform']}", (r["platform"],) * 2)[en]
    several = len(r.get("robots") or []) > 1
    if several and not as_json:  # one line per robot, then the first failure (if any) as the error
        for a in r["robots"]:
            if quiet and a["sent"]:
                continue
            name = WEB_MESSAGES.get(f"platform.{a['platform']}", (a["platform"],) * 2)[en]
            state = ("arrived" if a["sent"] else "did not arrive") if en else ("已送达" if a["sent"] else "未送达")
            (err if quiet else out).print(f"{a['label']} · {name} {a['target']}: {state}" if en else f"{a['label']} · {name} {a['target']}：{state}")
    if not r["sent"]:
        from reef.risks.delivery_state import failure_label, failure_reason

        def why(code: str) -> str:
            reason = failure_reason(r["error"], code)
            return f"{failure_label(r['kind'], code)}{(': ' if code == 'en' else '：') + reason if reason else ''}"

        names = [WEB_MESSAGES.get(f"platform.{r['platform']}", (r["platform"],) * 2)[i] for i in (0, 1)]
        named = (f" {r['name']}", f"「{r['name']}」") if r.get("name") else ("", "")
        raise DeliveryError(f"The test message did not reach the {names[1]} robot{named[0]} {r['target']}: {why('en')}.",
                            message_zh=f"测试消息未送达{names[0]}机器人{named[1]} {r['target']}：{why('zh')}。",
                            hint="Check the URL, the platform and the robot's security settings (keyword, IP list, signing: "
                                 "risks.webhook_secret); the delivery log (risk_webhook_log) keeps the reason.",
                            hint_zh="请检查网址、平台和机器人的安全设置（关键词、IP 白名单、加签：risks.webhook_secret）；"
                                    "发送记录（risk_webhook_log）保存了原因。")
    if quiet:
        return
    if several:
        emit(r, as_json, lambda d: out.print(f"Test messages sent to all {plural(len(d['robots']), 'robot')}." if en else
                                             f"测试消息已发送到全部 {len(d['robots'])} 个机器人。"))
        return
    emit(r, as_json, lambda d: out.print(f"Test message sent to the {platform_name} robot {d['target']}." if en else
                                         f"测试消息已发送到{platform_name}机器人 {d['target']}。"))


def register(app: typer.Typer) -> None:
    """Add ``risks`` and ``alerts`` to the ``reef`` app."""
    for fn in (risks, alerts):
        app.command(fn.__name__)(fn)
