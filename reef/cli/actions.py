"""``reef action add|list|done|cancel|withdraw`` and ``reef effect``: the operator workflow from the shell.

Each parses its options, calls one library function from :mod:`reef.actions` and renders the
result (a rich table or ``--json``). Actions recorded here are audited as the shell user
(``--by`` to name someone else), with role ``cli``.

Example:
    >>> import typer
    >>> app = typer.Typer(); register(app); [g.name for g in app.registered_groups], len(app.registered_commands)
    (['action'], 1)
"""
from __future__ import annotations

import getpass
from typing import Annotated, Optional

import typer

from reef.actions.effect import EFFECT_COUNTS
from reef.i18n import code_label
from reef.cli._common import checked, DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, as_of_given, emit, kv_table, open_community, out, read, resolve_lang, rows_table
from reef.params import check_range
from reef.cli._coverage import emit_noted
from reef.cli._errors import handled
from reef.cli._labels import WORDS, due_text, word
from reef.web.messages import WEB_MESSAGES

__all__ = ["action_app", "effect", "register"]

action_app = typer.Typer(no_args_is_help=True, help="Record, list, complete, cancel and withdraw operator actions (the Tasks page's list).")
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="Replace the note, e.g. with the outcome or the reason.")]
ByOpt = Annotated[Optional[str], typer.Option("--by", help="Operator recorded in the audit log (default: the shell user).")]
_LIST_COLUMNS = ["action_id", "created_at", "kind", "member_id", "status", "details", "operator"]


def _row(a: dict, lang: str = "zh") -> dict:
    """An action as the list shows it: its details in one column, the task layer and the due date in ``lang``."""
    layer = a.get("layer")
    if layer and lang != "en":  # a task's layer (plaza, group ...) as the dashboard names it; English keeps the code
        layer = WEB_MESSAGES.get(f"layer.{layer}", (layer,))[0]
    parts = [a.get("group_id"), a.get("content_id"), a.get("campaign_name") or a.get("campaign_id"),
             (("topic " if lang == "en" else "话题 ") + a["topic"]) if a.get("topic") else None, a.get("team"), a.get("role"), layer,
             a.get("brief") or a.get("text") or a.get("note"), due_text(a["due"], bool(a.get("overdue")), lang) if a.get("due") else None]
    return {**a, "created_at": (a.get("created_at") or "")[:16], "details": " · ".join(str(p) for p in parts if p)}


# The confirmation line of each write, {what: (Chinese, English)}; {id} is the action's id.
_DONE_TITLES = {"recorded": ("已记录行动 {id}", "Recorded action {id}"), "done": ("行动 {id} 已完成", "Action {id} done"),
                "cancelled": ("行动 {id} 已取消", "Action {id} cancelled"), "withdrawn": ("行动 {id} 已撤回", "Action {id} withdrawn")}


def _show(a: dict, what: str, lang: str) -> None:
    """The action a write returned, as a table in ``lang``: the confirmation as its title, the keys named as the list
    names them (:func:`reef.cli._common.heading`), kind, status and layer in the operator's words; an action recorded
    today already (a boost or seed clicked twice) says that nothing new was written."""
    zh = lang != "en"
    title = (WEB_MESSAGES["notice.already"][not zh].format(id=a["action_id"]) if a.get("already_recorded")
             else _DONE_TITLES[what][not zh].format(id=a["action_id"]))
    if a.get("reopened_task"):  # a withdrawn completion reopened its task (docs/actions.md)
        title += f"；任务 {a['reopened_task']} 已重新打开" if zh else f"; task {a['reopened_task']} reopened"
    shown: dict[str, object] = {}
    for k, v in a.items():
        if v in (None, "") or k == "already_recorded" or (k == "overdue" and not v):  # overdue only when it is
            continue
        if k in ("kind", "status"):
            v = code_label(v, lang)
        elif k == "layer" and zh:
            v = WEB_MESSAGES.get(f"layer.{v}", (v,))[0]
        shown[k] = v
    kv_table(title, shown, lang=lang, labels={k: WORDS[f"action.{k}"] for k in shown if f"action.{k}" in WORDS})


def _store_and_language(lang: str | None, db, config):
    """The store a write goes to and the language of its confirmation; a bad --lang fails before the store is opened,
    so before anything is written."""
    if lang is not None:
        resolve_lang(lang)
    store = open_community(db, config).store
    return store, resolve_lang(lang, store.config)


@action_app.command("add")
@handled
def action_add(
    member_id: Annotated[str, typer.Argument(help="Member the action is about.")],
    kind: Annotated[str, typer.Option("--kind", help="recognise, invite, appoint_leader, add_to_team, seat_council, "
                                                     "assign_task, complete_task, seed, boost, respond or note.")],
    text: Annotated[Optional[str], typer.Option("--text", help="recognise: the recognition text used (default: the note).")] = None,
    group: Annotated[Optional[str], typer.Option("--group", help="invite, appoint_leader (required), seat_council, assign_task: group id.")] = None,
    content: Annotated[Optional[str], typer.Option("--content", help="respond: the complaint answered (then resolved on the risk radar); "
                                                                      "recognise, boost: the post.")] = None,
    campaign: Annotated[Optional[str], typer.Option("--campaign", help="boost: the campaign id it carried; seed: the campaign "
                                                                        "the member starts (both once a day per member, campaign and content).")] = None,
    team: Annotated[Optional[str], typer.Option("--team", help="add_to_team (required), assign_task: the project team.")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="add_to_team: the member's role in the team (writer, visual ...).")] = None,
    layer: Annotated[Optional[str], typer.Option("--layer", help="assign_task: plaza, group, team or council.")] = None,
    brief: Annotated[Optional[str], typer.Option("--brief", help="assign_task (required, or the note): what to do.")] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="assign_task: due date, e.g. 2026-07-31.")] = None,
    task: Annotated[Optional[str], typer.Option("--task", help="complete_task: id of the assign_task it completes (marked done too).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="seed: the topic the member is asked to start (terms).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Free text.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="open or done (default: done for recognise, respond "
                                                                  "and complete_task, recorded after the fact; open for the rest).")] = None,
    by: ByOpt = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record an action on a member with the details its kind takes; audited."""
    from reef.actions import record_action

    details = {"text": text, "group": group, "content": content, "campaign": campaign, "team": team, "role": role, "layer": layer,
               "brief": brief, "due": due, "task": task, "topic": topic}
    store, language = _store_and_language(lang, db, config)
    a = record_action(store, member_id, kind, note=note, status=status,
                      details={k: v for k, v in details.items() if v is not None}, source="cli",
                      by=by or getpass.getuser(), role="cli", client="cli")
    emit(a, as_json, lambda r: _show(r, "recorded", language))


@action_app.command("list")
@handled
def action_list(
    member: Annotated[Optional[str], typer.Option("--member", help="Only this member's actions.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="Only this kind.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="open, done or cancelled.")] = None,
    group: Annotated[Optional[str], typer.Option("--group", help="Only actions about this group id.")] = None,
    team: Annotated[Optional[str], typer.Option("--team", help="Only actions about this team (e.g. its members).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="Only seed actions of this topic (as recorded).")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Created on or after this date (from its 00:00 in general.timezone).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Created on or before this date (the whole day, in general.timezone).")] = None,
    page: Annotated[int, typer.Option("--page", min=1, help="Page number.")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", callback=checked(check_range, "per_page", 1, 1000), help="Actions per page.")] = 50,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Actions newest first with their details (team, role, layer, due, overdue ...), filtered."""
    from reef.reads import actions

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before the store is read
    store = open_community(db, config, read_only=True).store
    language = resolve_lang(lang, store.config)
    data = actions(store, member=member, kind=kind, status=status, group=group, team=team, topic=topic, since=since, until=until,
                   page=page, per_page=per_page).data
    emit(data, as_json, lambda d: rows_table(f"行动（第 {d['page']}/{d['pages']} 页，共 {d['total']} 条）" if language == "zh" else
                                             f"Actions (page {d['page']} of {d['pages']}, {d['total']} in all)",
                                             [{**_row(a, language), "kind": code_label(a["kind"], language), "status": code_label(a["status"], language)}
                                              for a in d["items"]], _LIST_COLUMNS, lang=language))


@action_app.command("done")
@handled
def action_done(
    action_id: Annotated[str, typer.Argument(help="Id of the action (task) to mark done.")],
    note: NoteOpt = None,
    by: ByOpt = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark an action done (a task completed); audited."""
    _finish(action_id, "done", note, by, lang, db, config, as_json)


@action_app.command("cancel")
@handled
def action_cancel(
    action_id: Annotated[str, typer.Argument(help="Id of the action to cancel.")],
    note: NoteOpt = None,
    by: ByOpt = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cancel an open action (a task dropped, a team seat ended); audited."""
    _finish(action_id, "cancelled", note, by, lang, db, config, as_json)


@action_app.command("withdraw")
@handled
def action_withdraw(
    action_id: Annotated[str, typer.Argument(help="Id of the done action recorded by mistake.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is withdrawn (required), e.g. wrong member.")],
    by: ByOpt = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Withdraw a done action recorded by mistake: cancelled with the reason, note kept; audited."""
    from reef.actions import withdraw_action

    store, language = _store_and_language(lang, db, config)
    a = withdraw_action(store, action_id, reason, by=by or getpass.getuser(), role="cli", client="cli")
    emit(a, as_json, lambda r: _show(r, "withdrawn", language))


def _finish(action_id: str, status: str, note: str | None, by: str | None, lang: str | None, db, config, as_json: bool) -> None:
    # done and cancel are one library call with a different status: same output, same errors.
    from reef.actions import update_action

    store, language = _store_and_language(lang, db, config)
    a = update_action(store, action_id, status=status, note=note, by=by or getpass.getuser(), role="cli", client="cli")
    emit(a, as_json, lambda r: _show(r, status, language))


@handled
def effect(
    action: Annotated[str, typer.Option("--action", help="Kind of action to evaluate (recognise, invite, add_to_team ...).")] = "recognise",
    window: Annotated[Optional[int], typer.Option("--window", min=1, help="Days after the action (default: effect.window_days).")] = None,
    outcome: Annotated[Optional[str], typer.Option("--outcome", help="Headline outcome: threads, replies or content (default: effect.outcome).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Seed for matching ties and the bootstrap (default: effect.seed).")] = None,
    no_ladder: Annotated[bool, typer.Option("--no-ladder", help="Do not bring the ladder up to date first (match on stage only if it ran).")] = False,
    as_of: Annotated[Optional[str], typer.Option("--as-of", callback=as_of_given, help="Evaluate as of this date (a date alone is its 00:00 local time: that day is not included; default: end of the data).")] = None,
    topic: Annotated[Optional[str], typer.Option("--topic", help="With --action seed: only the seed actions of this topic (as reef action list --topic).")] = None,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What actions did: activity and stage movement after the action vs matched members who got none."""
    from reef.reads.ops import effect as read_effect

    r = read(read_effect, db, config, action=action, window=window, outcome=outcome, seed=seed, ladder=not no_ladder,
             as_of=as_of, lang=lang, topic=topic, read_only=no_ladder)
    data, language = r.data, r.lang
    zh = language == "zh"

    def render(d: dict) -> None:
        out.print(d["summary"], style="bold")
        kv_table("", {EFFECT_COUNTS[k][not zh]: EFFECT_COUNTS.get(d[k], (d[k], d[k]))[not zh] if k == "stage_source" else d[k]
                      for k in ("topic",) * bool(d.get("topic")) + ("n_actions", "n_treated", "n_controls", "n_unmatched",
                                                                    "n_too_recent", "stage_source")}, lang=language)
        fmt = lambda v: "" if v is None else f"{v:.3f}" if isinstance(v, float) else v  # noqa: E731
        rows_table("效果（双重差分，对照为匹配的未行动成员）" if zh else "Outcomes (difference in differences vs matched controls)",
                   [{**{k: fmt(v) for k, v in o.items()}, "outcome": word(f"outcome.{o['outcome']}", language, o["outcome"]),
                     "unit": word(f"unit.{o['unit']}", language, o["unit"])} for o in d["outcomes"]],
                   ["outcome", "unit", "treated_pre", "treated_post", "control_pre", "control_post", "estimate", "ci_low", "ci_high", "p_value"],
                   lang=language)
        if d.get("balance"):
            rows_table("匹配平衡（标准化均值差）" if zh else "Balance (standardised mean difference)",
                       [{**{k: fmt(v) for k, v in b.items()}, "covariate": word(f"covariate.{b['covariate']}", language, b["covariate"])}
                        for b in d["balance"]], ["covariate", "smd_before", "smd_after"], lang=language)
        if d.get("left_out_note"):  # the actions recorded but not counted, and when the too recent ones can be
            out.print(d["left_out_note"])

    emit_noted(data, as_json, render)  # action_effect's warning: as_of outside the data


def register(app: typer.Typer) -> None:
    """Add ``reef action ...`` and ``reef effect`` to the main app."""
    app.add_typer(action_app, name="action")
    app.command("effect")(effect)

