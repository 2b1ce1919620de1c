"""Members answering each other: replies, 盖楼 chains, answers, thanks, accepts, praise,
disagreement, attacks, rumour clarification, mentions, quotes and reports.

Example:
    >>> import numpy as np
    >>> from reef.simulate.spec import SimulationSpec
    >>> from reef.simulate.world import World
    >>> from reef.simulate.scenarios import plan_scenarios
    >>> w = World(SimulationSpec(members=100, days=20, seed=3)); p = plan_scenarios(w)
    >>> reply_all(w, p, 5, np.array([], dtype=int), np.array([], dtype=int))
"""
from __future__ import annotations

from reef.simulate import phrases as P
from reef.simulate.lexicon import SPECS
from reef.simulate.population import TYPE
from reef.simulate.world import NEWCOMER_BOARD, PLAZA, Thread

__all__ = ["reply_all", "answer_all"]

_HELPERS = (TYPE["connector"], TYPE["leader"], TYPE["burnout_core"])


def _pick_thread(world, r, actor: int, by_group: dict[int, list[Thread]], pool: list[Thread]) -> Thread | None:
    t = int(world.pop.type[actor])
    x = r.random()
    if t in _HELPERS and x < 0.3:
        group = NEWCOMER_BOARD
    elif x < 0.65:
        group = int(world.pop.circle[actor])
    elif x < 0.8:
        group = PLAZA
    else:
        group = -1
    cands = by_group.get(group) if group >= 0 else pool
    if not cands:
        cands = pool
    if not cands:
        return None
    # Recent threads draw more replies: bias the index towards the end (newest).
    return cands[int(len(cands) * (1 - r.random() ** 2)) - 1 if len(cands) > 1 else 0]


def reply_all(world, plan, day: int, actors, times) -> None:
    """One reply per actor, each in a thread from the open window."""
    pool = world.open_threads(day)
    by_group: dict[int, list[Thread]] = {}
    for th in pool:
        by_group.setdefault(th.group, []).append(th)
    conflicts = [th for th in pool if th.conflict]
    rumours = [th for th in pool if th.claim and not th.corrected and not th.ignored]
    r, pop, tm = world.r, world.pop, world.tm
    for a, ts in zip(actors.tolist(), times.tolist()):
        t = int(pop.type[a])
        if pop.faction[a] and conflicts and r.random() < 0.15:
            th = r.choice(conflicts)
        elif t in (TYPE["leader"], TYPE["connector"]) and rumours and r.random() < 0.15:
            th = r.choice(rumours)
        else:
            th = _pick_thread(world, r, a, by_group, pool)
        if th is None or th.author == a:
            continue
        ts = max(ts, th.last_ts + r.randint(30, 1800))
        if ts >= world.end_ts:
            continue
        _reply(world, plan, a, t, th, ts)


def _reply(world, plan, a: int, t: int, th: Thread, ts: int) -> None:
    r, pop, tm = world.r, world.pop, world.tm
    author_name = "@" + pop.names[th.author]
    parent, kind, scenario, quality = th.cidx, "reply", None, 0.2
    mention = None
    opposite = pop.faction[a] and pop.faction[th.author] and pop.faction[a] != pop.faction[th.author]
    if th.conflict and opposite:
        if r.random() < (0.6 if t == TYPE["troll"] else 0.3):
            text = tm.short(P.ATTACK, "personal_attack", sentiment=-1)
        else:
            text = tm.short(P.DISAGREE, "disagreement", sentiment=-1, aspect=th.aspect)
        scenario = "faction_conflict"
    elif th.claim and not th.corrected and not th.ignored and t in (TYPE["leader"], TYPE["connector"], TYPE["burnout_core"]) and r.random() < 0.7:
        c = th.claim
        text = tm.spec_claim(c["model"], c["attribute"], SPECS[c["model"]][c["attribute"]], rumour=False)
        scenario, quality, th.corrected = "misinformation_correction", 0.8, True
    elif t == TYPE["troll"]:
        text = tm.short(P.ATTACK, "personal_attack", sentiment=-1) if r.random() < 0.5 else tm.short(P.DISAGREE, "disagreement", sentiment=-1, aspect=th.aspect)
    elif th.crisis and t in _HELPERS and r.random() < 0.6:
        text = tm.short(P.ASK_SPECIFICS, "rumour_clarification") if r.random() < 0.5 else tm.experience(th.model, th.aspect, r.choice((0, 1)), 0.6)
        text.title = None
        scenario, quality = "pr_crisis_buffer", 0.6
    elif th.crisis or th.complaint:
        text = tm.short(P.AGREE, None, sentiment=-1, aspect=th.aspect)
        text.intents = ("complaint",)
        scenario = "pr_crisis" if th.crisis else None
    elif th.kind in ("photo", "video", "guide") and t in (*_HELPERS, TYPE["creator"], TYPE["participant"]) and r.random() < 0.7:
        text = tm.short(P.PRAISE, "praise", sentiment=1, name=author_name)
        kind, mention = "comment", th.author if "@" in text.body else None
    elif t == TYPE["participant"] or r.random() < 0.3:
        text = tm.short(P.ONE_LINERS, None, model=th.model)
        if th.last_reply >= 0 and r.random() < 0.5:
            parent = th.last_reply  # 盖楼: a chain of one-liners
    elif r.random() < 0.5:
        text = tm.short(P.AGREE, None, sentiment=1, aspect=th.aspect)
    else:
        text = tm.experience(th.model, th.aspect, r.choice((1, 0, -1)), pop.quality[a] * 0.6)
        text.title = None
        quality = pop.quality[a] * 0.6
    if mention is None and r.random() < 0.08:
        text.body = f"{author_name} {text.body}"
        mention = th.author
    shown = text
    voice = getattr(world, "backlash", None)
    if scenario is None and voice is not None:
        # A core member turning negative complains instead (drawn from the backlash plant's own stream).
        turned = voice.turn(a, (ts - world.start_ts) // 86400)
        if turned is not None:
            shown, scenario = turned, "backlash"
            if mention is not None:
                shown.body = f"{author_name} {shown.body}"
    cidx = world.post(kind, a, ts, shown, group=th.group, parent=parent, thread=th.cidx, quality=quality, scenario=scenario)
    if scenario == "misinformation_correction":
        plan.corrections.append({"rumour": f"c{th.cidx}", "correction": f"c{cidx}"})
    if mention is not None:
        world.act("mention", a, ts, member=mention, related=cidx)
    if "disagreement" in text.intents and r.random() < 0.3:
        world.act("quote", a, ts, content=parent, related=cidx)
    if "personal_attack" in text.intents and r.random() < 0.5:
        reporter = world.r.randrange(len(pop))
        t2 = world.after(ts, 300, 8 * 3600)
        if t2 is not None and not pop.is_staff[reporter] and pop.join_day[reporter] < 0:
            world.act("report", reporter, t2, content=cidx)
    world.tie(a, th.author)
    th.replies += 1
    th.last_reply, th.last_ts = cidx, ts


def answer_all(world, plan, day: int, actors, times) -> None:
    """Helpers answer open questions (unanswered first); askers accept and thank good answers."""
    from reef.simulate.phrases import GAP_QUESTIONS

    qs = [th for th in world.open_threads(day) if th.qgroup >= 0 and th.qgroup not in GAP_QUESTIONS]
    if not qs:
        return
    r, pop, tm = world.r, world.pop, world.tm
    open_qs = [q for q in qs if q.answers == 0]
    for a, ts in zip(actors.tolist(), times.tolist()):
        if open_qs and r.random() < 0.8:
            k = r.randrange(len(open_qs))
            th = open_qs[k]
            if th.author == a:
                continue
            open_qs[k] = open_qs[-1]  # swap-remove: it is answered now
            open_qs.pop()
        else:
            th = r.choice(qs)
        if th.author == a:
            continue
        ts = max(ts, th.last_ts + r.randint(120, 4 * 3600))
        if ts >= world.end_ts:
            continue
        quality = min(1.0, max(0.0, pop.quality[a] + r.gauss(0, 0.1)))
        text = tm.answer(th.model, th.aspect, quality)
        cidx = world.post("answer", a, ts, text, group=th.group, parent=th.cidx, thread=th.cidx, quality=quality,
                          day=day, likeable=True)
        world.tie(a, th.author)
        th.answers += 1
        th.last_ts = max(th.last_ts, ts)
        asker_new = day - int(pop.join_day[th.author]) <= 30
        if not th.accepted and r.random() < 0.25 + 0.5 * quality:
            t2 = world.after(ts, 600, 20 * 3600)
            if t2 is not None:
                world.act("accept", th.author, t2, content=cidx)
                th.accepted = True
        if r.random() < (0.5 if asker_new else 0.25) * (0.5 + quality):
            t2 = world.after(ts, 300, 12 * 3600)
            if t2 is not None:
                name = "@" + pop.names[a]
                thanks = tm.short(P.THANKS, "thanks", sentiment=1, name=name)
                tid = world.post("reply", th.author, t2, thanks, group=th.group, parent=cidx, thread=th.cidx, quality=0.2)
                if name in thanks.body:
                    world.act("mention", th.author, t2, member=a, related=tid)
