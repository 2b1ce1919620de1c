"""Plain-language evidence for a member's stage, in Chinese with an English switch.

Built as Polars expressions over the window measures (``acts``, ``helped_nc`` …) and the lifetime
ones (``life_*``), so a million members get their sentences without a Python loop.

Example:
    >>> import polars as pl
    >>> df = pl.DataFrame({m: [0] for m in MEASURES} | {f"life_{m}": [0] for m in MEASURES} | {c: [0] for c in HELP_COLUMNS})
    >>> df = df.with_columns(helped_nc=pl.lit(12), helped_nc_rec=pl.lit(9))
    >>> df.select(evidence_expr("zh", 90)).item()
    '近90天回答新人提问12次，其中9次被采纳、致谢或点赞'
"""
from __future__ import annotations

import polars as pl

from reef.i18n import plural
from reef.ladder.windows import MEASURES

__all__ = ["evidence_expr", "rising_expr", "status_expr", "MEASURES", "HELP_COLUMNS"]

# Help credit from the mutual-help ledger (network_help_acts); not part of the checkpoint replay,
# so timeline reasons (lifetime=False) leave it out.
HELP_COLUMNS = ("help_credit", "people_helped", "life_help_credit")

# (measure, zh template, en template); {n} is the window count, {w} the window in days ({w:day}: "1 day",
# "90 days"), {m} a second count.
_PHRASES = {
    "zh": [("proactive", "近{w}天主动创造价值{n}次（自发聚会{meetup}、攻略{guide}、辟谣{clar}、有据维护{defence}）"),
           ("helped_nc", "近{w}天回答新人提问{n}次，其中{m}次被采纳、致谢或点赞"),
           ("orig_ok", "近{w}天发布合格原创{n}篇"),
           ("help_credit", "近{w}天互助积分{n}（帮助{people}人）"),
           ("praise", "称赞鼓励他人{n}次"), ("disagree", "理性表达不同意见{n}次"),
           ("small_group", "参与小组讨论{n}次"), ("acts", "近{w}天互动{n}次"),
           ("hostile", "⚠ 人身攻击或不文明言论{n}次"), ("life_orig_ok", "累计合格原创{n}篇"),
           ("life_help_rec", "累计回答获认可{n}次"), ("life_proactive", "累计主动行为{n}次")],
    # {n|one|many} is the word for count n: "1 time", "2 times".
    "en": [("proactive", "{n} {n|proactive act|proactive acts} in {w:day} (meetups {meetup}, guides {guide}, "
                         "clarifications {clar}, defences {defence})"),
           ("helped_nc", "answered newcomers {n} {n|time|times} in {w:day}, {m} accepted, thanked or liked"),
           ("orig_ok", "{n} {n|original post|original posts} of adequate quality in {w:day}"),
           ("help_credit", "help credit {n} in {w:day} ({people} {people|person|people} helped)"),
           ("praise", "praised others {n} {n|time|times}"), ("disagree", "disagreed civilly {n} {n|time|times}"),
           ("small_group", "{n} {n|small-group post|small-group posts}"),
           ("acts", "{n} {n|interaction|interactions} in {w:day}"),
           ("hostile", "⚠ {n} {n|personal attack or uncivil post|personal attacks or uncivil posts}"),
           ("life_orig_ok", "{n} {n|original post|original posts} in all"),
           ("life_help_rec", "{n} {n|recognised answer|recognised answers} in all"),
           ("life_proactive", "{n} {n|proactive act|proactive acts} in all")],
}


def evidence_expr(lang: str, window_days: int, lifetime: bool = True) -> pl.Expr:
    """One evidence string per row (phrases with a non-zero count, most telling first)."""
    pieces = [pl.when(pl.col(measure) > 0).then(_fill_measure(template, measure, window_days))
              for measure, template in _PHRASES["en" if lang == "en" else "zh"]
              if lifetime or not (measure.startswith("life_") or measure in HELP_COLUMNS)]
    sep = "; " if lang == "en" else "；"
    return pl.concat_str(pieces, separator=sep, ignore_nulls=True).fill_null("").alias(f"evidence_{lang}")


def _fill_measure(template: str, measure: str, window: int) -> pl.Expr:
    names = {"n": measure, "m": "helped_nc_rec", "meetup": "pro_meetup", "guide": "pro_guide",
             "clar": "pro_clarification", "defence": "pro_defence", "people": "people_helped"}
    parts: list[pl.Expr] = []
    rest = template.replace("{w:day}", plural(window, "day")).replace("{w}", str(window))
    while "{" in rest:
        head, _, tail = rest.partition("{")
        key, _, rest = tail.partition("}")
        key, _, forms = key.partition("|")
        count = pl.col(names[key]).round(0).cast(pl.Int64)
        if forms:  # the word, singular for a count of one
            one, _, many = forms.partition("|")
            parts += [pl.lit(head), pl.when(count == 1).then(pl.lit(one)).otherwise(pl.lit(many))]
        else:
            parts += [pl.lit(head), count.cast(pl.Utf8)]
    parts.append(pl.lit(rest))
    return pl.concat_str(parts)


def rising_expr(lang: str, recent_days: int) -> pl.Expr:
    """The "rising" phrase where column ``rising`` is true; ``pace_ratio`` is null for members new to activity."""
    ratio = pl.col("pace_ratio").round(1).cast(pl.Utf8)
    if lang == "en":
        text = pl.when(pl.col("pace_ratio").is_null()).then(pl.lit(f"newly active in the last {plural(recent_days, 'day')}")) \
            .otherwise(pl.concat_str([pl.lit(f"rising: pace in the last {plural(recent_days, 'day')} "), ratio, pl.lit("x the earlier one")]))
    else:
        text = pl.when(pl.col("pace_ratio").is_null()).then(pl.lit(f"近{recent_days}天新近活跃")) \
            .otherwise(pl.concat_str([pl.lit(f"近{recent_days}天活跃度升至此前的"), ratio, pl.lit("倍")]))
    return pl.when(pl.col("rising")).then(text).otherwise(None)


# What a member at each stage must keep doing (the stage's measure), for the grace-period hint.
_KEEP = {"zh": {1: "互动", 2: "合格原创", 3: "被认可的新人解答", 4: "主动创造价值的行为"},
         "en": {1: "interactions", 2: "original posts", 3: "recognised answers to newcomers", 4: "proactive acts"}}


def status_expr(lang: str, p, as_of, zone: str) -> pl.Expr:
    """What the stage alone does not say. A stage-0 member with activity: what threshold it has not reached
    (``未达参与者门槛（近90天互动15次）``; stage 0 is "below participant", not "reads at most"). A member held at its
    stage by the demotion grace period (column ``_grace_k``: the checkpoint at which it is demoted with no new act,
    counted back from ``as_of``): ``保级期内：若无新的…，约 YYYY-MM-DD 降级``. Null otherwise.

    >>> from datetime import datetime, timezone
    >>> from reef.ladder.params import LadderParams
    >>> df = pl.DataFrame({"stage": [0, 4, 2], "acts": [5, 9, 30], "_grace_k": [None, -1, None]})
    >>> df.select(status_expr("zh", LadderParams(), datetime(2026, 7, 1, tzinfo=timezone.utc), "UTC")).to_series().to_list()
    ['未达参与者门槛（近90天互动15次）', '保级期内：若无新的主动创造价值的行为，约 2026-07-08 降级', None]
    """
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    need = round(float(p.participant_min_acts), 1)
    need = int(need) if need.is_integer() else need
    below = (f"未达参与者门槛（近{p.window_days}天互动{need}次）" if lang != "en"
             else f"below the participant threshold ({plural(need, 'interaction')} in {plural(p.window_days, 'day')})")
    local = as_of.astimezone(ZoneInfo(zone))
    due = pl.lit(local.replace(tzinfo=None)) + pl.duration(days=-pl.col("_grace_k").clip(upper_bound=0) * int(p.checkpoint_days))
    day = due.dt.strftime("%Y-%m-%d")
    words = _KEEP["en" if lang == "en" else "zh"]
    word = pl.col("stage").replace_strict(words, default="", return_dtype=pl.Utf8)
    held = (pl.concat_str([pl.lit("保级期内：若无新的"), word, pl.lit("，约 "), day, pl.lit(" 降级")]) if lang != "en"
            else pl.concat_str([pl.lit("grace period: with no new "), word, pl.lit(", demoted around "), day]))
    return (pl.when((pl.col("stage") == 0) & (pl.col("acts") > 0)).then(pl.lit(below))
            .when((pl.col("stage") > 0) & pl.col("_grace_k").is_not_null()).then(held)
            .otherwise(None))
