"""The day loop: who is active, how much each does, and the flush of each chunk of days.

:func:`run` yields ``(day, Buffers)`` after every ``spec.chunk_days`` days; the sinks write
each chunk and drop it, so memory stays flat whatever the number of events.

Example:
    >>> from reef.simulate.spec import SimulationSpec
    >>> chunks = list(run(SimulationSpec(members=100, days=14, seed=1)))
    >>> chunks[-1][0]
    14
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from reef.simulate import phrases as P
from reef.simulate.backlash import BacklashVoice
from reef.simulate.conversation import answer_all, reply_all
from reef.simulate.grammar import Text
from reef.simulate.lexicon import CIRCLES, MODELS
from reef.simulate.population import RATES, TYPE
from reef.simulate.ripple import Campaign
from reef.simulate.rows import Buffers
from reef.simulate.scenarios import DECAY_DEPTH, plan_scenarios, scenario_rows, static_rows
from reef.simulate.threads import start_threads
from reef.simulate.world import OFFICIAL_BOARD, PLAZA, Thread, World

__all__ = ["run"]

# A chunk is also flushed early once it holds this many rows, so memory stays flat at any size.
_FLUSH_ROWS = 400_000
_BADGES = (("优质创作者", TYPE["creator"]), ("热心车友", TYPE["connector"]), ("社区领袖", TYPE["leader"]))


def _multiplier(world: World, plan, day: int) -> np.ndarray:
    pop, spec = world.pop, world.spec
    alive = (pop.join_day < day) & (pop.leave_day > day) & ~pop.is_staff
    mult = alive * spec.activity * (1.2 if (world.start_ts // 86400 + day + 4) % 7 in (5, 6) else 1.0)
    mult = np.where(pop.burnout_day <= day, mult * 0.04, mult)
    # The month before burnout runs hot: core members overdo it first.
    mult = np.where((pop.burnout_day > day) & (pop.burnout_day - day <= 30), mult * 1.3, mult)
    if plan.decay[0] <= day < plan.decay[1]:
        progress = (day - plan.decay[0]) / max(1, plan.decay[1] - plan.decay[0])
        mult = np.where(pop.circle == plan.decay_circle, mult * (1 - DECAY_DEPTH * progress), mult)
    return mult


def _draw(world: World, mult: np.ndarray, column: int, day: int, extra: np.ndarray | None = None):
    lam = RATES[world.pop.type, column] * mult
    if extra is not None:
        lam = lam * extra
    counts = world.rng.poisson(lam)
    actors = np.repeat(np.arange(len(lam)), counts)
    world.rng.shuffle(actors)
    return actors, np.sort(world.when(day, len(actors)))


def _light_acts(world: World, day: int, mult: np.ndarray) -> None:
    """Likes, bookmarks, shares (quality-biased), follows and check-ins, vectorised."""
    items = [x for d in range(max(0, day - 7), day + 1) for x in world.likeable.get(d, ())]
    if items:
        cidx = np.array([x[0] for x in items])
        author = np.array([x[1] for x in items])
        qual = np.array([x[2] for x in items])
        its = np.array([x[3] for x in items])
        for col, kind in ((2, "like"), (3, "bookmark"), (4, "share")):
            actors, ts = _draw(world, mult, col, day)
            if not len(actors):
                continue
            # Of two random recent items, the better one wins: quality earns engagement.
            a, b = world.rng.integers(0, len(items), size=(2, len(actors)))
            pick = np.where(qual[a] >= qual[b], a, b)
            ts = np.maximum(ts, its[pick] + world.rng.integers(60, 7200, size=len(pick)))
            ok = (author[pick] != actors) & (ts < world.end_ts)
            for actor, target, t in zip(actors[ok].tolist(), cidx[pick][ok].tolist(), ts[ok].tolist()):
                world.act(kind, actor, t, content=target)
            if kind == "like":
                fol = ok & (world.rng.random(len(pick)) < 0.03)
                for actor, target, t in zip(actors[fol].tolist(), author[pick][fol].tolist(), ts[fol].tolist()):
                    world.act("follow", actor, t, member=target)
    checkers = np.flatnonzero(world.rng.random(len(mult)) < np.minimum(1.0, RATES[world.pop.type, 5] * mult))
    for actor, t in zip(checkers.tolist(), world.when(day, len(checkers)).tolist()):
        world.act("checkin", actor, t)


def _staff(world: World, plan, day: int, polls: list) -> None:
    r, tm = world.r, world.tm
    staff = np.flatnonzero(world.pop.is_staff)
    who = int(staff[r.randrange(len(staff))])
    t0 = world.start_ts + day * 86400 + 10 * 3600 + r.randint(0, 3600)
    ann = day % 5 == 0 or day == plan.crisis[0] - 1
    if ann:
        body = tm.fill(r.choice(P.ANNOUNCE))
        if day == plan.crisis[0] - 1:
            body = tm.fill("【官方公告】{ota}版本开始推送，优化了电池热管理")
        text = Text(body[:24], body, 1, (), ())
        cidx = world.post("thread", who, t0, text, group=OFFICIAL_BOARD, quality=0.5, day=day, likeable=True)
        world.threads.setdefault(day, []).append(Thread(cidx, who, OFFICIAL_BOARD, t0, "announcement", "智能与车机", MODELS[0], 0.5, last_ts=t0))
    if day % 12 == 3:
        question, options = P.POLLS[(day // 12) % len(P.POLLS)]
        cidx = world.post("poll", who, t0 + 600, Text(question, question + " " + " / ".join(options), 0, (), ()),
                          group=OFFICIAL_BOARD, quality=0.4, attrs={"options": list(options)})
        polls.append((cidx, day, options, set()))
    # Staff answer some complaints (never the backlash members': their issues stay unresolved).
    for th in world.open_threads(day):
        if (th.complaint or th.crisis) and not th.responded and not th.backlash and r.random() < 0.15:
            t = world.after(max(th.last_ts, t0), 600, 6 * 3600)
            if t is not None:
                text = tm.short(P.OFFICIAL_REPLY, "answer", aspect=th.aspect)
                world.post("reply", who, t, text, group=th.group, parent=th.cidx, thread=th.cidx, quality=0.4)
                th.responded, th.last_ts = True, max(th.last_ts, t)


def _votes(world: World, day: int, mult: np.ndarray, polls: list) -> None:
    open_polls = [p for p in polls if day - p[1] < 7]
    if not open_polls:
        return
    voters, ts = _draw(world, mult, 6, day, extra=np.full(len(mult), 0.3))
    for v, t in zip(voters.tolist(), ts.tolist()):
        cidx, pday, options, seen = open_polls[world.r.randrange(len(open_polls))]
        if v in seen or (pday == day and t <= world.start_ts + day * 86400 + 12 * 3600):
            continue
        seen.add(v)
        opt = world.r.choice(options)
        world.post("poll_vote", v, t, Text(None, opt, 0, (), ()), group=OFFICIAL_BOARD, parent=cidx, thread=cidx, quality=0.0)


def _crisis(world: World, plan, day: int, mult: np.ndarray) -> None:
    """The PR wave: many distinct members complain about one aspect within a few days."""
    if not plan.crisis[0] <= day < plan.crisis[1]:
        return
    peak = 1.0 - abs(day - (plan.crisis[0] + plan.crisis[1] - 1) / 2) / max(1, plan.crisis[1] - plan.crisis[0])
    alive = np.flatnonzero(mult > 0)
    n = world.rng.poisson(max(3.0, len(alive) * 0.012 * (0.5 + peak)))
    authors = world.rng.choice(alive, size=min(n, len(alive)), replace=False)
    opened = world.threads.setdefault(day, [])
    for a, ts in zip(authors.tolist(), world.when(day, len(authors)).tolist()):
        model = MODELS[world.pop.model[a]]
        text = world.tm.complaint(model, plan.crisis_aspect, crisis=True)
        group = CIRCLES.index("充电与续航") if world.r.random() < 0.5 else PLAZA
        cidx = world.post("thread", a, ts, text, group=group, quality=0.3, scenario="pr_crisis", day=day, likeable=True)
        opened.append(Thread(cidx, a, group, ts, "complaint", plan.crisis_aspect, model, 0.3, crisis=True, complaint=True, last_ts=ts))


def _recognise_and_award(world: World, plan, day: int) -> None:
    pop = world.pop
    if day == plan.recognition_day:
        for m in plan.recognised:
            world.buf.add("operator_actions", action_id=f"act-{m}", kind="recognise", operator="运营-小澜", member_id=pop.ids[m],
                          created_at=world.start_ts + day * 86400 + 15 * 3600, status="done", note=f"感谢{pop.names[m]}的优质分享，已置顶推荐")
    if day % 30 == 29:
        for name, t in _BADGES:
            cands = np.flatnonzero((pop.type == t) & (pop.join_day < day) & (pop.leave_day > day))
            for m in world.rng.choice(cands, size=min(3, len(cands)), replace=False).tolist() if len(cands) else []:
                world.buf.add("awards", award_id=f"aw-{day}-{m}", member_id=pop.ids[m], name=name,
                              awarded_at=world.start_ts + day * 86400 + 20 * 3600, level=("gold", "silver", "bronze")[m % 3])


def run(spec, on_progress=None) -> Iterator[tuple[int, Buffers]]:
    """Simulate ``spec`` day by day; yield ``(days done, buffers)`` per chunk (then final truth)."""
    world = World(spec)
    plan = plan_scenarios(world)
    world.backlash = BacklashVoice(world, plan)
    for lo in range(0, len(world.pop), _FLUSH_ROWS // 2):
        static_rows(world, plan, lo, min(len(world.pop), lo + _FLUSH_ROWS // 2))
        if world.buf.total() >= _FLUSH_ROWS:
            yield 0, world.buf
            world.buf = Buffers()
    campaign = Campaign(world, plan)
    polls: list = []
    boost = np.ones(len(world.pop))
    for day in range(spec.days):
        mult = _multiplier(world, plan, day)
        if day == plan.recognition_day:
            boost = np.where(plan.recognised_mask, spec.recognition_effect, 1.0)
        if day == plan.backlash_day:
            boost[plan.backlash] *= 3.0  # members turning negative post more, and about their problems
        newcomer_q = np.where(day - world.pop.join_day <= 30, 1.5, 1.0)
        _staff(world, plan, day, polls)
        _crisis(world, plan, day, mult)
        authors, ts = _draw(world, mult, 0, day, extra=boost * newcomer_q)
        start_threads(world, plan, day, authors, ts)
        campaign.step(day)
        answer_all(world, plan, day, *_draw(world, mult, 7, day))
        reply_all(world, plan, day, *_draw(world, mult, 1, day))
        world.backlash.extra_replies(world, day, mult)
        _light_acts(world, day, mult)
        _votes(world, day, mult, polls)
        _recognise_and_award(world, plan, day)
        world.forget(day)
        if on_progress:
            on_progress("simulate", day + 1, spec.days)
        if (day + 1) % spec.chunk_days == 0 or day + 1 == spec.days or world.buf.total() >= _FLUSH_ROWS:
            if day + 1 == spec.days:
                campaign.finish()
                scenario_rows(world, plan, campaign.campaign_id)
            yield day + 1, world.buf
            world.buf = Buffers()
