"""The planted scenarios: when they happen, who is in them, and the fixed rows they need.

:func:`plan_scenarios` decides every scenario's days and members up front (so truth is
known before the first event); :func:`static_rows` writes groups, the spec sheet, members
and their truth.

Example:
    >>> from reef.simulate.spec import SimulationSpec
    >>> from reef.simulate.world import World
    >>> plan = plan_scenarios(World(SimulationSpec(members=300, days=60, seed=2)))
    >>> plan.crisis[0] < plan.crisis[1] <= 60
    True
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from reef.simulate.lexicon import CIRCLES, LATENT_TYPES, MODELS, REGIONS, SELLING_POINTS, SPEC_UNITS, SPECS
from reef.simulate.phrases import GAP_QUESTIONS
from reef.simulate.population import NEVER, STAFF, TYPE

__all__ = ["Plan", "plan_scenarios", "static_rows", "scenario_rows", "gradual_onsets", "DETECTABLE_DROP"]

_CORE = [TYPE["leader"], TYPE["connector"], TYPE["burnout_core"]]
# A gradual plant (circle decay, dilution) has no single onset: truth records the ramp's first day and the day the
# planted decline reaches this share of the unplanted level ("detectable from"): a quarter fewer posts in the circle,
# a selling-point share a quarter below the target. Chosen as the smallest weekly change a circle of a few dozen posts a
# week can show beyond its usual swing (Poisson noise alone is ~15 % at 40 posts), not from the radar's thresholds.
DETECTABLE_DROP = 0.25
DECAY_DEPTH = 0.85  # the decaying circle loses this share of its activity by the end of the ramp (engine._multiplier)
SELLING_SHARE = (0.12, 0.03)  # selling-point share of experience posts at the first and the last day (threads.start_threads)
# The plant's reference level, in its own terms (share of experience posts): "below target" is the day the planted share
# crosses it. Experience posts are ~38 % of members' original posts, so a radar measuring the share of all original posts
# sees the same day with a target of ~3 % (risks.dilution_target_share).
DILUTION_REFERENCE = 0.08
# Scenarios that are not risks, so a control run (``planted = false``) keeps them.
_UNPLANTED = ("campaign_ripple", "recognition_effect", "knowledge_gaps")


@dataclass
class Plan:
    crisis: tuple[int, int]
    crisis_aspect: str
    faction: tuple[int, int]
    decay: tuple[int, int]
    decay_circle: int
    campaign: tuple[int, int]
    campaign_seeds: list[int]
    backlash_day: int
    backlash: list[int]
    recognition_day: int
    recognised: list[int]
    control: list[int]
    like_ring: list[int]
    rumours: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    recognised_mask: np.ndarray | None = None


def _pick(rng, candidates: np.ndarray, k: int) -> list[int]:
    if len(candidates) == 0:
        return []
    return sorted(int(x) for x in rng.choice(candidates, size=min(k, len(candidates)), replace=False))


def plan_scenarios(world) -> Plan:
    """Days and members of every planted scenario, from the world's seed."""
    spec, pop, rng = world.spec, world.pop, world.rng
    d = spec.days
    old = pop.join_day < 0
    steady = (pop.burnout_day >= NEVER) & (pop.leave_day >= NEVER) & old
    core = np.isin(pop.type, _CORE) & steady
    seeds = _pick(rng, np.flatnonzero(core & np.isin(pop.type, [TYPE["leader"], TYPE["connector"]])), max(5, min(10, len(pop) // 250)))
    backlash = _pick(rng, np.setdiff1d(np.flatnonzero(core), seeds), max(2, min(6, len(pop) // 800)))
    makers = np.flatnonzero(np.isin(pop.type, [TYPE["creator"], TYPE["participant"]]) & steady)
    chosen = _pick(rng, makers, max(10, min(200, len(pop) // 75)))
    rng.shuffle(chosen)
    half = len(chosen) // 2
    ring = _pick(rng, np.flatnonzero((pop.type == TYPE["participant"]) & steady), 6)
    mask = np.zeros(len(pop), dtype=bool)
    mask[sorted(chosen[:half])] = True
    cs = int(d * 0.72)
    if not spec.planted:
        never = (d + 10, d + 10)  # an empty window past the end: the scenario never runs
        return Plan(
            crisis=never, crisis_aspect=spec.crisis_aspect, faction=never, decay=never, decay_circle=CIRCLES.index(spec.decay_circle),
            campaign=(int(d * 0.5), min(d, int(d * 0.5) + 21)), campaign_seeds=seeds, backlash_day=d + 10, backlash=[],
            recognition_day=int(d * 0.4), recognised=sorted(chosen[:half]), control=sorted(chosen[half:]), like_ring=[],
            recognised_mask=mask,
        )
    return Plan(
        crisis=(cs, min(d, cs + 5)), crisis_aspect=spec.crisis_aspect,
        faction=(int(d * 0.3), int(d * 0.6)), decay=(max(0, d - 60), d), decay_circle=CIRCLES.index(spec.decay_circle),
        campaign=(int(d * 0.5), min(d, int(d * 0.5) + 21)), campaign_seeds=seeds,
        backlash_day=int(d * 0.6), backlash=backlash, recognition_day=int(d * 0.4),
        recognised=sorted(chosen[:half]), control=sorted(chosen[half:]), like_ring=ring, recognised_mask=mask,
    )


def static_rows(world, plan: Plan, lo: int = 0, hi: int | None = None) -> None:
    """Groups, the official spec sheet and selling points (with the first slice), then
    members ``lo:hi`` and their truth."""
    pop, buf = world.pop, world.buf
    hi = len(pop) if hi is None else hi
    t0 = world.start_ts - 800 * 86400
    if lo == 0:
        _fixed_rows(world, t0)
    _member_rows(world, plan, lo, hi)


def _fixed_rows(world, t0: int) -> None:
    pop, buf = world.pop, world.buf
    names = [f"{c}圈" for c in CIRCLES] + ["新人报到", "官方公告", "车友广场"]
    kinds = ["circle"] * len(CIRCLES) + ["board", "board", "plaza"]
    for gid, name, kind in zip(world.group_ids, names, kinds):
        buf.add("groups", group_id=gid, name=name, kind=kind, created_at=t0, owner_id=pop.ids[0] if kind == "board" else None,
                description=f"{name}：澜途车主社区")
    for model in MODELS:
        for attr, value in SPECS[model].items():
            buf.add("official_facts", fact_id=f"spec-{model}-{attr}", kind="spec", model=model, attribute=attr, value=value,
                    unit=SPEC_UNITS[attr], valid_from=t0, source="澜途官网配置表")
    for i, (title, text) in enumerate(SELLING_POINTS):
        buf.add("official_facts", fact_id=f"sp-{i}", kind="selling_point", attribute=title, value_text=text,
                valid_from=t0, source="澜途品牌手册")


def _member_rows(world, plan: Plan, lo: int, hi: int) -> None:
    pop, buf = world.pop, world.buf
    day = lambda x: None if x >= NEVER else world.start_ts + int(x) * 86400 + 12 * 3600  # noqa: E731
    roles = {m: "campaign_seed" for m in plan.campaign_seeds} | {m: "backlash" for m in plan.backlash} | {m: "like_ring" for m in plan.like_ring}
    backlash_at = _iso(world, plan.backlash_day)
    for i in range(lo, hi):
        staff = pop.type[i] == STAFF
        joined = world.start_ts + int(pop.join_day[i]) * 86400 + int(pop.join_offset[i])
        contact = None
        if not staff and i % 17 == 0:
            contact = f"1{3 + i % 7}{(i * 7919) % 10**9:09d}"
        buf.add("members", member_id=pop.ids[i], name=pop.names[i], joined_at=joined,
                account_type=("brand" if i == 0 else "staff") if staff else "member", region=REGIONS[pop.region[i]],
                car_model=MODELS[pop.model[i]], owner_since=None if staff else joined - 86400 * int(10 + i % 200),
                contact=contact, left_at=day(pop.leave_day[i]))
        interests = [c for b, c in enumerate(CIRCLES) if pop.interests[i] >> b & 1]
        attrs = {"circle": CIRCLES[pop.circle[i]], "quality": round(float(pop.quality[i]), 3)}
        if i in roles:
            attrs["role"] = roles[i]
            if roles[i] == "backlash":
                attrs["backlash_at"] = backlash_at  # onset: from this midnight their threads and replies turn negative
        if plan.recognised_mask is not None and plan.recognised_mask[i]:
            attrs["recognised"] = True
        buf.add("truth_members", member_id=pop.ids[i], latent_type="staff" if staff else LATENT_TYPES[pop.type[i]],
                interests=interests, faction={1: "old", 2: "new"}.get(int(pop.faction[i])),
                burnout_at=day(pop.burnout_day[i]), leaves_at=day(pop.leave_day[i]),
                attrs=json.dumps(attrs, ensure_ascii=False))


def _iso(world, day: float) -> str:
    from datetime import datetime

    from reef.simulate.spec import TZ

    return datetime.fromtimestamp(world.start_ts + round(day * 86400), TZ).isoformat()


def gradual_onsets(plan: Plan, days: int, target_share: float = 0.08) -> dict:
    """Ramp start and "detectable from" day (``DETECTABLE_DROP`` of the decline reached) of circle decay and dilution.

    >>> from types import SimpleNamespace
    >>> o = gradual_onsets(SimpleNamespace(decay=(120, 180)), 180)
    >>> o["heat_death"]["detectable_from_day"], o["dilution"]["below_target_day"], o["dilution"]["detectable_from_day"]
    (137.6, 80.0, 120.0)
    """
    a, b = plan.decay
    decay_day = a + (b - a) * DETECTABLE_DROP / DECAY_DEPTH
    hi, lo = SELLING_SHARE
    at = lambda share: days * (hi - share) / (hi - lo)  # noqa: E731  (the share falls linearly over the run)
    return {"heat_death": {"ramp_start_day": float(a), "detectable_from_day": round(decay_day, 1), "detectable_drop": DETECTABLE_DROP},
            "dilution": {"ramp_start_day": 0.0, "below_target_day": round(at(target_share), 1),
                         "detectable_from_day": round(at(target_share * (1 - DETECTABLE_DROP)), 1), "target_share": target_share,
                         "detectable_drop": DETECTABLE_DROP}}


def scenario_rows(world, plan: Plan, campaign_id: str | None) -> None:
    """One truth_scenarios row per planted scenario (written at the end, with what happened)."""
    ids, ts = world.pop.ids, lambda d: world.start_ts + int(d) * 86400  # noqa: E731
    onsets = gradual_onsets(plan, world.spec.days, DILUTION_REFERENCE)
    for o in onsets.values():
        o.update({k.replace("_day", "_at"): _iso(world, v) for k, v in list(o.items()) if k.endswith("_day")})
    rows = [
        ("pr_crisis", plan.crisis, {"aspect": plan.crisis_aspect, "trigger": "OTA"}),
        ("misinformation", (0, world.spec.days), {"rumours": plan.rumours, "corrections": plan.corrections}),
        ("faction_conflict", plan.faction, {"factions": {"old": "joined >= 240 days before start", "new": "joined <= 30 days before start or later"}}),
        ("heat_death", plan.decay, {"circle": CIRCLES[plan.decay_circle], "group_id": world.group_ids[plan.decay_circle],
                                    "activity_drop_end": DECAY_DEPTH, **onsets["heat_death"]}),
        ("burnout", (0, world.spec.days), {"members": [ids[i] for i in np.flatnonzero(world.pop.burnout_day < NEVER)]}),
        ("campaign_ripple", plan.campaign, {"campaign_id": campaign_id, "seeds": [ids[i] for i in plan.campaign_seeds]}),
        ("backlash", (plan.backlash_day, world.spec.days), {"members": [ids[i] for i in plan.backlash], "backlash_at": _iso(world, plan.backlash_day)}),
        ("recognition_effect", (plan.recognition_day, world.spec.days),
         {"treated": [ids[i] for i in plan.recognised], "control": [ids[i] for i in plan.control],
          "thread_rate_multiplier": world.spec.recognition_effect}),
        ("like_ring", (0, world.spec.days), {"members": [ids[i] for i in plan.like_ring]}),
        ("dilution", (0, world.spec.days), {"selling_point_share_start": SELLING_SHARE[0], "selling_point_share_end": SELLING_SHARE[1],
                                            **onsets["dilution"]}),
        ("knowledge_gaps", (0, world.spec.days), {"unanswered_groups": [f"q{g:02d}" for g in GAP_QUESTIONS]}),
    ]
    if not world.spec.planted:
        rows = [r for r in rows if r[0] in _UNPLANTED]
    for name, (a, b), params in rows:
        world.buf.add("truth_scenarios", scenario=name, started_at=ts(a), ended_at=ts(b),
                      params=json.dumps(params, ensure_ascii=False))
