"""The simulated members as numpy state arrays: latent type, interests, tenure, fate.

Example:
    >>> import numpy as np
    >>> from reef.simulate.spec import SimulationSpec
    >>> pop = make_population(SimulationSpec(members=200, days=30, seed=1), np.random.default_rng(1))
    >>> len(pop.type) == 200 and bool(pop.is_staff.sum() >= 2)
    True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reef.simulate.lexicon import CIRCLES, LATENT_TYPES, MODELS, NAME_HEAD, NAME_TAIL, REGIONS

__all__ = ["Population", "make_population", "TYPE", "RATES", "RATE_COLUMNS"]

TYPE = {name: i for i, name in enumerate(LATENT_TYPES)}
STAFF = len(LATENT_TYPES)  # type code of staff and brand accounts
# Share of each latent type among non-staff members.
_SHARES = {"lurker": 0.36, "participant": 0.22, "creator": 0.08, "connector": 0.05, "leader": 0.02,
           "troll": 0.015, "burnout_core": 0.02, "misinformer": 0.01, "newcomer": 0.215}
RATE_COLUMNS = ("thread", "reply", "like", "bookmark", "share", "checkin", "vote", "answer")
# Expected acts per active day, by latent type (rows in LATENT_TYPES order, then staff).
RATES = np.array([
    # thread reply  like  bookm share chkin  vote answer
    [0.002, 0.010, 0.06, 0.020, 0.003, 0.01, 0.10, 0.000],  # lurker
    [0.010, 0.200, 0.40, 0.030, 0.010, 0.15, 0.50, 0.010],  # participant
    [0.120, 0.150, 0.50, 0.050, 0.030, 0.10, 0.30, 0.020],  # creator
    [0.030, 0.300, 0.60, 0.050, 0.020, 0.10, 0.30, 0.150],  # connector
    [0.060, 0.250, 0.50, 0.060, 0.030, 0.10, 0.30, 0.120],  # leader
    [0.030, 0.300, 0.10, 0.000, 0.000, 0.00, 0.10, 0.000],  # troll
    [0.100, 0.400, 0.80, 0.060, 0.030, 0.20, 0.40, 0.120],  # burnout_core
    [0.060, 0.100, 0.20, 0.010, 0.040, 0.00, 0.10, 0.000],  # misinformer
    [0.050, 0.080, 0.25, 0.030, 0.010, 0.10, 0.30, 0.000],  # newcomer
    [0.050, 0.000, 0.00, 0.000, 0.000, 0.00, 0.00, 0.000],  # staff / brand
])
_CIRCLE_WEIGHT = np.array([0.16, 0.12, 0.16, 0.18, 0.16, 0.14, 0.08])


@dataclass
class Population:
    ids: list[str]
    names: list[str]
    type: np.ndarray  # int8 code into LATENT_TYPES, STAFF for staff/brand
    is_staff: np.ndarray
    join_day: np.ndarray  # day index of joining (negative = before the simulated span)
    join_offset: np.ndarray  # seconds after that day's midnight
    leave_day: np.ndarray  # first day no longer a member (large = never)
    burnout_day: np.ndarray  # first day of collapsed activity (large = never)
    circle: np.ndarray  # primary interest circle
    interests: np.ndarray  # bitmask over CIRCLES
    model: np.ndarray
    region: np.ndarray
    quality: np.ndarray  # mean quality of the member's own work, 0..1
    faction: np.ndarray  # 0 none, 1 old (long tenure), 2 new
    trad: np.ndarray  # writes traditional characters

    def __len__(self) -> int:
        return len(self.ids)


NEVER = 10**6


def make_population(spec, rng: np.random.Generator) -> Population:
    """Draw every member's latent state for ``spec``; deterministic in ``rng``."""
    n, days = spec.members, spec.days
    n_staff = max(2, int(round(n * spec.staff_share)))
    names_t = list(_SHARES)
    probs = np.array([_SHARES[t] for t in names_t])
    kinds = rng.choice(len(names_t), size=n, p=probs / probs.sum())
    types = np.array([TYPE[names_t[k]] for k in range(len(names_t))], dtype=np.int8)[kinds]
    types[:n_staff] = STAFF
    is_staff = types == STAFF
    # Core types are old hands; others join over two years, a third of them during the span.
    join = rng.uniform(-720, 0, size=n)
    growth = rng.random(n) < 0.3
    join = np.where(growth, rng.uniform(0, days - 7, size=n), join)
    core = np.isin(types, [TYPE["creator"], TYPE["connector"], TYPE["leader"], TYPE["burnout_core"]])
    join = np.where(core, rng.uniform(-720, -60, size=n), join)
    join = np.where(types == TYPE["newcomer"], rng.uniform(0, days - 7, size=n), join)
    join = np.where(is_staff, -800.0, join)
    join_day = np.floor(join).astype(np.int32)
    burnout = np.full(n, NEVER, dtype=np.int32)
    bo = types == TYPE["burnout_core"]
    burnout[bo] = rng.integers(int(days * 0.35), int(days * 0.75), size=int(bo.sum()))
    leave = np.full(n, NEVER, dtype=np.int32)
    after_burnout = bo & (rng.random(n) < 0.5)
    leave[after_burnout] = burnout[after_burnout] + rng.integers(20, 60, size=int(after_burnout.sum()))
    # Newcomers nobody integrates, and some lurkers, drift away.
    drift = ((types == TYPE["newcomer"]) & (rng.random(n) < 0.25)) | ((types == TYPE["lurker"]) & (rng.random(n) < 0.05))
    leave[drift] = np.maximum(join_day[drift], 0) + rng.integers(10, 90, size=int(drift.sum()))
    leave[leave >= days] = NEVER
    if not spec.planted:
        # A clean control community: nobody burns out or spreads wrong specs. Overridden after
        # the draws so every other member matches the planted run with the same seed.
        leave[after_burnout & ~drift] = NEVER
        burnout[:] = NEVER
        types = np.where(types == TYPE["misinformer"], TYPE["participant"], types).astype(np.int8)
    circle = rng.choice(len(CIRCLES), size=n, p=_CIRCLE_WEIGHT / _CIRCLE_WEIGHT.sum())
    extra = rng.random((n, len(CIRCLES))) < 0.15
    interests = (1 << circle) | (extra * (1 << np.arange(len(CIRCLES)))).sum(axis=1)
    qa = np.select([types == TYPE["creator"], types == TYPE["leader"], types == TYPE["burnout_core"], types == TYPE["troll"]],
                   [6.0, 6.0, 5.0, 1.0], 2.0)
    quality = rng.beta(qa, np.where(types == TYPE["troll"], 5.0, 2.5))
    faction = np.where(join_day <= -240, 1, np.where(join_day >= -30, 2, 0)).astype(np.int8)
    faction[is_staff] = 0
    heads = rng.integers(0, len(NAME_HEAD), size=n)
    tails = rng.integers(0, len(NAME_TAIL), size=n)
    nums = rng.integers(0, 1000, size=n)
    models = rng.choice(len(MODELS), size=n, p=[0.4, 0.2, 0.25, 0.15])
    names = [f"{NAME_HEAD[h]}{NAME_TAIL[t]}{k if k % 3 else ''}" for h, t, k in zip(heads, tails, nums)]
    names[0] = "澜途官方"
    for i in range(1, n_staff):
        names[i] = f"澜途社区运营-{i:02d}"
    width = len(str(n))
    return Population(
        ids=[f"m{i:0{width}d}" for i in range(n)], names=names, type=types, is_staff=is_staff,
        join_day=join_day, join_offset=rng.integers(6 * 3600, 23 * 3600, size=n), leave_day=leave,
        burnout_day=burnout, circle=circle.astype(np.int8), interests=interests.astype(np.int16),
        model=models.astype(np.int8), region=rng.integers(0, len(REGIONS), size=n).astype(np.int8),
        quality=quality, faction=faction, trad=rng.random(n) < 0.04,
    )
