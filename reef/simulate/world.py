"""Shared state of a running simulation: members, open threads, ties, id counters, emitters.

The day loop (:mod:`reef.simulate.engine`) and the behaviour modules act through
:class:`World`; only a window of recent threads is kept, so memory does not grow with events.

Example:
    >>> import numpy as np
    >>> from reef.simulate.spec import SimulationSpec
    >>> w = World(SimulationSpec(members=100, days=20, seed=3))
    >>> w.group_ids[7]
    'g-newcomer'
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

import numpy as np

from reef.simulate.grammar import Text, TextMaker
from reef.simulate.lexicon import CIRCLES
from reef.simulate.population import make_population
from reef.simulate.rows import Buffers

__all__ = ["World", "Thread", "NEWCOMER_BOARD", "OFFICIAL_BOARD", "PLAZA", "WINDOW_DAYS"]

NEWCOMER_BOARD, OFFICIAL_BOARD, PLAZA = len(CIRCLES), len(CIRCLES) + 1, len(CIRCLES) + 2
WINDOW_DAYS = 10  # threads older than this get no new replies
_TIES = 8  # recent interaction partners remembered per member
# Share of the day's acts per hour (evening peak), Asia/Shanghai.
_HOURS = np.array([2, 1, 0.5, 0.3, 0.3, 0.5, 1.5, 3, 4, 4, 4, 4.5, 5, 4.5, 4, 4, 4, 4.5, 5, 6, 7, 7.5, 6, 4])
_HOURS = _HOURS / _HOURS.sum()


@dataclass(slots=True)
class Thread:
    cidx: int
    author: int
    group: int
    ts: int
    kind: str
    aspect: str
    model: str
    quality: float
    qgroup: int = -1  # paraphrase group of a question
    claim: dict | None = None  # a wrong spec claim (rumour)
    conflict: bool = False
    crisis: bool = False
    complaint: bool = False
    troll: bool = False
    backlash: bool = False
    answers: int = 0
    accepted: bool = False
    responded: bool = False
    corrected: bool = False
    ignored: bool = False  # a rumour nobody will correct
    last_reply: int = -1
    last_ts: int = 0
    replies: int = 0
    bodies: list = field(default_factory=list)


class World:
    """Everything the behaviour modules read and write while simulating."""

    def __init__(self, spec):
        self.spec = spec
        seq = np.random.SeedSequence(spec.seed)
        pop_seed, act_seed, text_seed = seq.spawn(3)
        self.pop = make_population(spec, np.random.default_rng(pop_seed))
        self.rng = np.random.default_rng(act_seed)
        # Scalar draws (text, picks) use random.Random for speed; seeded from the spec's seed.
        self.r = random.Random(int(np.random.default_rng(text_seed).integers(2**62)))
        self.tm = TextMaker(self.r)
        self.buf = Buffers()
        n = len(self.pop)
        self.ties = np.full((n, _TIES), -1, dtype=np.int32)
        self.tie_pos = np.zeros(n, dtype=np.int64)
        self.group_ids = [f"g-{i}" for i in range(len(CIRCLES))] + ["g-newcomer", "g-official", "g-plaza"]
        self.threads: dict[int, list[Thread]] = {}  # day -> threads opened that day
        self.likeable: dict[int, list[tuple[int, int, float, int]]] = {}  # day -> (cidx, author, quality, ts)
        self.next_c = 0
        self.next_i = 0
        self.start_ts, self.end_ts = spec.start_ts, spec.end_ts
        self.counts: dict[str, int] = {}
        self.backlash = None  # the backlash plant's voice (reef.simulate.backlash), set by the day loop

    # -- time -------------------------------------------------------------------------------
    def when(self, day: int, n: int) -> np.ndarray:
        """``n`` timestamps on ``day`` following the daily rhythm."""
        hours = self.rng.choice(24, size=n, p=_HOURS)
        return self.start_ts + day * 86400 + hours * 3600 + self.rng.integers(0, 3600, size=n)

    def after(self, ts: int, lo: int = 60, hi: int = 6 * 3600) -> int | None:
        """A moment after ``ts``; None if it would fall on or after the end of the span."""
        t = ts + self.r.randint(lo, hi)
        return t if t < self.end_ts else None

    # -- window ------------------------------------------------------------------------------
    def open_threads(self, day: int) -> list[Thread]:
        out: list[Thread] = []
        for d in range(max(0, day - WINDOW_DAYS), day + 1):
            out.extend(self.threads.get(d, ()))
        return out

    def forget(self, day: int) -> None:
        for store in (self.threads, self.likeable):
            for d in [d for d in store if d < day - WINDOW_DAYS]:
                del store[d]

    def tie(self, a: int, b: int) -> None:
        if a == b:
            return
        for x, y in ((a, b), (b, a)):
            self.ties[x, self.tie_pos[x] % _TIES] = y
            self.tie_pos[x] += 1

    # -- emitters ----------------------------------------------------------------------------
    def post(self, kind: str, author: int, ts: int, text: Text, *, group: int, parent: int | None = None,
             thread: int | None = None, campaign: str | None = None, quality: float = 0.5, scenario: str | None = None,
             duplicate_of: int | None = None, selling: str | None = None, tags: list[str] | None = None,
             attrs: dict | None = None, day: int | None = None, likeable: bool = False,
             cid: str | None = None, maker: TextMaker | None = None) -> int:
        """Write one content item and its ground truth; returns its index (-1 for an item given its own ``cid``).

        ``cid`` and ``maker`` serve planted additions drawn from a random stream of their own: they take no
        index from the main sequence and no draw from the main text generator, so nothing else moves.
        """
        if cid is None:
            cidx = self.next_c
            self.next_c += 1
            cid = f"c{cidx}"
        else:
            cidx = -1
        # A copy-paste keeps the original's decoration: it was copied as published.
        body = text.body if duplicate_of is not None else (maker or self.tm).decorate(text.body, trad=bool(self.pop.trad[author]))
        self.last_body = body
        self.buf.add("content", content_id=cid, kind=kind, author_id=self.pop.ids[author], created_at=ts,
                     parent_id=None if parent is None else f"c{parent}", thread_id=f"c{thread}" if thread is not None else (None if parent is not None else cid),
                     group_id=self.group_ids[group], campaign_id=campaign, title=text.title, body=body, tags=tags,
                     attrs=json.dumps(attrs, ensure_ascii=False) if attrs else None)
        self.buf.add("truth_content", content_id=cid, quality=round(float(quality), 3), sentiment=text.sentiment,
                     aspects=list(text.aspects), intents=list(text.intents), scenario=scenario,
                     claim=json.dumps(text.claim, ensure_ascii=False) if text.claim else None, group_key=text.group_key,
                     pii=list(text.pii) or None, duplicate_of=None if duplicate_of is None else f"c{duplicate_of}",
                     selling_point=selling)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if likeable and day is not None and cidx >= 0:
            self.likeable.setdefault(day, []).append((cidx, author, float(quality), ts))
        return cidx

    def act(self, kind: str, actor: int, ts: int, *, content: int | None = None, member: int | None = None,
            related: int | None = None, value: float | None = None) -> None:
        """Write one interaction."""
        self.buf.add("interactions", interaction_id=f"i{self.next_i}", kind=kind, actor_id=self.pop.ids[actor],
                     target_content_id=None if content is None else f"c{content}",
                     target_member_id=None if member is None else self.pop.ids[member],
                     related_content_id=None if related is None else f"c{related}", created_at=ts, value=value)
        self.next_i += 1
        self.counts[kind] = self.counts.get(kind, 0) + 1
