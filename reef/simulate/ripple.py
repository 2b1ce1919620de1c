"""The seeded campaign: staff launch a topic through a few core members and it spreads ring
by ring along the members' existing interaction ties; truth records each adopter's ring.

Example:
    >>> from reef.simulate.spec import SimulationSpec
    >>> from reef.simulate.world import World
    >>> from reef.simulate.scenarios import plan_scenarios
    >>> w = World(SimulationSpec(members=200, days=30, seed=3)); c = Campaign(w, plan_scenarios(w))
    >>> c.campaign_id
    'camp-1'
"""
from __future__ import annotations

import numpy as np

from reef.simulate import phrases as P
from reef.simulate.grammar import Text
from reef.simulate.lexicon import MODELS
from reef.simulate.world import PLAZA

__all__ = ["Campaign", "ADOPT_P", "MAX_RING"]

ADOPT_P = 0.25  # chance that a tie of a fresh adopter takes the topic up
MAX_RING = 6
_TOPIC = "我和澜途的周末"


class Campaign:
    """State of the one planted campaign: adopters by ring and pending adoptions."""

    def __init__(self, world, plan):
        self.world, self.plan = world, plan
        self.campaign_id = "camp-1"
        self.adopted: dict[int, tuple[int, int, int]] = {}  # member -> (ring, day, content)
        self.pending: dict[int, tuple[int, int, int]] = {}  # member -> (day, ring, via)
        start, end = plan.campaign
        w = world
        w.buf.add("campaigns", campaign_id=self.campaign_id, name=f"#{_TOPIC}#主题征集", topic=f"{_TOPIC} 周末 自驾 露营",
                  started_at=w.start_ts + start * 86400 + 9 * 3600, ended_at=w.start_ts + end * 86400 - 3600,
                  group_id=w.group_ids[PLAZA], seed_member_ids=[w.pop.ids[m] for m in plan.campaign_seeds],
                  description="分享你和爱车的周末故事，优秀作品送周边")
        for m in plan.campaign_seeds:
            self.pending[m] = (start, 0, -1)

    def step(self, day: int) -> None:
        start, end = self.plan.campaign
        if not start <= day < end:
            return
        w, r = self.world, self.world.r
        due = sorted(m for m, (d, _, _) in self.pending.items() if d == day)
        times = np.sort(w.when(day, len(due))).tolist()
        for m, ts in zip(due, times):
            _, ring, via = self.pending.pop(m)
            if w.pop.leave_day[m] <= day or w.pop.burnout_day[m] <= day:
                continue
            via_content = self.adopted[via][2] if via >= 0 else None
            name = w.pop.names[via] if via >= 0 else "官方"
            detail = w.tm.fill(r.choice(P.DETAIL))
            body = w.tm.fill(r.choice(P.CAMPAIGN_POST), topic=_TOPIC, name="@" + name, detail=detail, sentiment=1,
                             model=MODELS[w.pop.model[m]])
            if via >= 0 and "@" not in body:
                body = f"@{name} " + body
            text = Text(f"#{_TOPIC}#", body, 1, (), ("experience",))
            quality = min(1.0, max(0.0, float(w.pop.quality[m]) + r.gauss(0, 0.1)))
            cidx = w.post("photo" if r.random() < 0.5 else "thread", m, ts, text, group=PLAZA, campaign=self.campaign_id,
                          quality=quality, scenario="campaign_ripple", tags=[_TOPIC], day=day, likeable=True)
            if via >= 0:
                w.act("quote", m, ts, content=via_content, related=cidx)
                w.act("mention", m, ts, member=via, related=cidx)
            self.adopted[m] = (ring, day, cidx)
            w.buf.add("truth_campaign_rings", campaign_id=self.campaign_id, member_id=w.pop.ids[m], ring=ring,
                      via_member_id=w.pop.ids[via] if via >= 0 else None, adopted_at=ts, content_id=f"c{cidx}")
            if ring >= MAX_RING:
                continue
            for p in dict.fromkeys(w.ties[m].tolist()):
                if p < 0 or p in self.adopted or p in self.pending or w.pop.is_staff[p]:
                    continue
                if r.random() < ADOPT_P:
                    self.pending[p] = (day + r.randint(1, 3), ring + 1, m)

    def finish(self) -> None:
        self.pending.clear()
