"""Choosing a team: the combined objective, the greedy top-skill baseline and greedy + swap local search.

A :class:`TeamProblem` holds, for ``P`` candidates and ``S`` seats, the fitness matrix ``fit``
(P x S), the symmetric tie strengths ``tie`` (P x P, 0-1, zero diagonal) and a penalty per
candidate (active teams, cooling, care list). The objective of a team ``t`` (one candidate per
seat, nobody twice) is::

    J(t) = fitness_weight * sum_s fit[t_s, s]
         + cohesion_weight * 2 / (S - 1) * sum_{i<j} tie[t_i, t_j]     # mean tie of each member to the others, summed
         - sum_s penalty[t_s]

:func:`greedy_top_skill` fills each seat with the highest-fitness free candidate (the baseline).
:func:`optimise` starts from the baseline, a marginal-gain greedy and ``restarts`` randomised
greedy runs (seeded), improves each by best-improvement moves — replace a member by an outside
candidate, or swap two members' seats — and keeps the best. Starting from the baseline, it
never does worse than it.

Example:
    >>> import numpy as np
    >>> fit = np.array([[1.0, 0.0], [0.9, 0.0], [0.0, 1.0], [0.0, 0.9]])
    >>> tie = np.zeros((4, 4)); tie[1, 3] = tie[3, 1] = 1.0
    >>> p = TeamProblem(fit, tie, np.zeros(4), fitness_weight=1.0, cohesion_weight=0.5)
    >>> greedy_top_skill(p).tolist(), optimise(p, seed=1).tolist()
    ([0, 2], [1, 3])
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reef.i18n import plural

__all__ = ["TeamProblem", "objective", "greedy_top_skill", "optimise", "replace_gains"]

_EPS = 1e-9


@dataclass
class TeamProblem:
    """Fitness (P x S), ties (P x P) and penalties (P) of one brief's candidates."""

    fit: np.ndarray
    tie: np.ndarray
    penalty: np.ndarray
    fitness_weight: float = 1.0
    cohesion_weight: float = 0.5

    @property
    def seats(self) -> int:
        return self.fit.shape[1]

    @property
    def pair_scale(self) -> float:
        """Weight of one pair's tie: 2 / (S - 1), so cohesion is each member's mean tie, summed."""
        return 2.0 / (self.seats - 1) if self.seats > 1 else 0.0


def objective(p: TeamProblem, team: np.ndarray) -> dict[str, float]:
    """The objective of ``team`` and its parts (fitness, cohesion, penalty, total)."""
    team = np.asarray(team, dtype=np.int64)
    fit = float(p.fit[team, np.arange(len(team))].sum())
    sub = p.tie[np.ix_(team, team)]
    cohesion = float(np.triu(sub, 1).sum() * p.pair_scale)
    penalty = float(p.penalty[team].sum())
    total = p.fitness_weight * fit + p.cohesion_weight * cohesion - penalty
    return {"total": total, "fitness": fit, "cohesion": cohesion, "penalty": penalty}


def greedy_top_skill(p: TeamProblem) -> np.ndarray:
    """Baseline: seat by seat, the free candidate with the highest fitness (ties: lowest index)."""
    used = np.zeros(p.fit.shape[0], dtype=bool)
    team = np.empty(p.seats, dtype=np.int64)
    for s in range(p.seats):
        score = np.where(used, -np.inf, p.fit[:, s])
        team[s] = int(np.argmax(score))
        used[team[s]] = True
    return team


def _marginal_greedy(p: TeamProblem, order: np.ndarray, rng: np.random.Generator | None, top: int = 3) -> np.ndarray:
    """Fill seats in ``order``, each with the candidate adding most to J given the seats already filled."""
    n = p.fit.shape[0]
    used = np.zeros(n, dtype=bool)
    tie_sum = np.zeros(n)
    team = np.full(p.seats, -1, dtype=np.int64)
    for s in order:
        gain = p.fitness_weight * p.fit[:, s] + p.cohesion_weight * p.pair_scale * tie_sum - p.penalty
        gain[used] = -np.inf
        if rng is None:
            pick = int(np.argmax(gain))
        else:
            best = np.argsort(-gain, kind="stable")[:top]
            best = best[np.isfinite(gain[best])]
            pick = int(rng.choice(best))
        team[s] = pick
        used[pick] = True
        tie_sum += p.tie[:, pick]
    return team


def replace_gains(p: TeamProblem, team: np.ndarray) -> np.ndarray:
    """Change of J (P x S) when the member of seat ``s`` is replaced by candidate ``c``; -inf for members."""
    team = np.asarray(team, dtype=np.int64)
    seats = np.arange(p.seats)
    tie_sum = p.tie[:, team].sum(axis=1)                                   # each candidate's ties to the team
    d_fit = p.fit - p.fit[team, seats][None, :]
    d_coh = (tie_sum[:, None] - p.tie[:, team]) - tie_sum[team][None, :]   # drop the leaver's ties, add the newcomer's
    d_pen = p.penalty[:, None] - p.penalty[team][None, :]
    gain = p.fitness_weight * d_fit + p.cohesion_weight * p.pair_scale * d_coh - d_pen
    gain[team, :] = -np.inf
    return gain


def _local_search(p: TeamProblem, team: np.ndarray, max_moves: int) -> np.ndarray:
    team = team.copy()
    seats = np.arange(p.seats)
    for _ in range(max_moves):
        gain = replace_gains(p, team)
        c, s = np.unravel_index(int(np.argmax(gain)), gain.shape)
        best_replace = gain[c, s]
        own = p.fit[team][:, seats]                                        # own[i, j]: member of seat i in seat j
        swap = p.fitness_weight * (own + own.T - np.diag(own)[:, None] - np.diag(own)[None, :])
        i, j = np.unravel_index(int(np.argmax(swap)), swap.shape)
        if max(best_replace, swap[i, j]) <= _EPS:
            break
        if best_replace >= swap[i, j]:
            team[s] = c
        else:
            team[i], team[j] = team[j], team[i]
    return team


def optimise(p: TeamProblem, *, restarts: int = 8, max_moves: int = 200, seed: int = 7) -> np.ndarray:
    """The best team found from the baseline, a marginal greedy and ``restarts`` seeded random greedy starts."""
    if p.fit.shape[0] < p.seats:
        raise ValueError(f"{plural(p.fit.shape[0], 'candidate')} cannot fill {plural(p.seats, 'seat')}")
    rng = np.random.default_rng(seed)
    # Scarce seats first: those with the fewest good candidates.
    scarcity = np.argsort((p.fit > np.quantile(p.fit, 0.9, axis=0)).sum(axis=0), kind="stable")
    starts = [greedy_top_skill(p), _marginal_greedy(p, scarcity, None)]
    starts += [_marginal_greedy(p, rng.permutation(p.seats), rng) for _ in range(restarts)]
    best, best_j = None, -np.inf
    for start in starts:
        team = _local_search(p, start, max_moves)
        j = objective(p, team)["total"]
        if j > best_j + _EPS:
            best, best_j = team, j
    return best
