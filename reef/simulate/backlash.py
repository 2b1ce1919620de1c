"""The backlash plant: core members turning negative from ``plan.backlash_day`` on.

Their new threads turn into complaints in :mod:`reef.simulate.threads`. Here, from the same day,
most of their replies turn negative as well (after-sales trouble, long-standing defects: the seed
article's 被辜负 core member), and they reply more than before (``EXTRA_REPLY_RATE`` extra replies
per expected reply). Every draw here comes from a generator of its own, seeded from
``[seed, STREAM]``, the extra replies take ids of their own (``cb0``, ``cb1`` …) and update no thread
or tie, so the main random stream, every other scenario and every other row stay exactly as in a run
without this plant; a control run (no backlash members) never touches it.

Example:
    >>> from reef.simulate.spec import SimulationSpec
    >>> from reef.simulate.world import World
    >>> from reef.simulate.scenarios import plan_scenarios
    >>> w = World(SimulationSpec(members=300, days=60, seed=2)); p = plan_scenarios(w)
    >>> v = BacklashVoice(w, p)
    >>> v.active(p.backlash[0], p.backlash_day), v.active(p.backlash[0], p.backlash_day - 1)
    (True, False)
"""
from __future__ import annotations

import random

import numpy as np

from reef.simulate import phrases as P
from reef.simulate.grammar import Text, TextMaker
from reef.simulate.population import RATES
from reef.simulate.world import _HOURS, PLAZA

__all__ = ["BacklashVoice", "STREAM", "REPLY_SHARE", "EXTRA_REPLY_RATE"]

STREAM = 80_08  # second seed word of the backlash generator (any constant other plants do not use)
REPLY_SHARE = 0.8  # share of a backlash member's ordinary replies that turn into complaints (as for their threads)
EXTRA_REPLY_RATE = 1.0  # extra complaint replies per expected ordinary reply: they speak up twice as often
_ASPECTS = ("售后与服务", "质量与故障")
_MAINTENANCE = 5  # index of the 保养维修 circle, where after-sales trouble is discussed


class BacklashVoice:
    """Turns the backlash members' replies negative and adds their extra replies."""

    def __init__(self, world, plan):
        self.members = set(int(m) for m in plan.backlash)
        self.day = int(plan.backlash_day)
        self.rng = np.random.default_rng([int(world.spec.seed), STREAM])
        self.tm = TextMaker(random.Random(int(self.rng.integers(2**62))))
        self.next_id = 0

    def active(self, member: int, day: int) -> bool:
        return bool(self.members) and day >= self.day and int(member) in self.members

    def _text(self) -> Text:
        r = self.tm.r
        aspect = r.choice(_ASPECTS)
        body = self.tm.fill(r.choice(P.BACKLASH_REPLY), aspect=aspect, sentiment=-1)
        return Text(None, body, -1, (aspect,), ("complaint",))

    def turn(self, member: int, day: int) -> Text | None:
        """The complaint a backlash member writes instead of an ordinary reply (None: the reply stays as it was)."""
        if not self.active(member, day) or self.rng.random() >= REPLY_SHARE:
            return None
        return self._text()

    def extra_replies(self, world, day: int, mult: np.ndarray) -> None:
        """Each active backlash member's extra complaint replies of ``day`` in open threads (not their own)."""
        if not self.members or day < self.day:
            return
        pool = [th for th in world.open_threads(day) if not th.crisis]
        if not pool:
            return
        for m in sorted(self.members):
            lam = RATES[world.pop.type[m], 1] * mult[m] * EXTRA_REPLY_RATE
            for _ in range(int(self.rng.poisson(lam)) if lam > 0 else 0):
                # Where after-sales trouble is discussed: their own circle, 保养维修 or the plaza, else anywhere.
                groups = (int(world.pop.circle[m]), _MAINTENANCE, PLAZA)
                near = [th for th in pool if th.group in groups and th.author != m]
                cands = near or [th for th in pool if th.author != m]
                if not cands:
                    continue
                th = cands[int(self.rng.integers(len(cands)))]
                hour = int(self.rng.choice(24, p=_HOURS))
                ts = max(world.start_ts + day * 86400 + hour * 3600 + int(self.rng.integers(3600)), th.last_ts + int(self.rng.integers(30, 1800)))
                if ts >= world.end_ts:
                    continue
                text = self._text()
                world.post("reply", m, ts, text, group=th.group, parent=th.cidx, thread=th.cidx, quality=0.3,
                           scenario="backlash", cid=f"cb{self.next_id}", maker=self.tm)
                self.next_id += 1
