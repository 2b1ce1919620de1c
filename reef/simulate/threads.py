"""Members starting things: experience posts, questions, photos, videos, guides, meetups,
rumours, complaints - shaped by latent type and by the scenarios running that day.

Example:
    >>> import numpy as np
    >>> from reef.simulate.spec import SimulationSpec
    >>> from reef.simulate.world import World
    >>> from reef.simulate.scenarios import plan_scenarios
    >>> w = World(SimulationSpec(members=100, days=20, seed=3)); p = plan_scenarios(w)
    >>> start_threads(w, p, 5, np.array([50]), np.array([w.start_ts + 5 * 86400 + 3600]))
    >>> w.next_c
    1
"""
from __future__ import annotations

from reef.simulate import phrases as P
from reef.simulate.grammar import Text
from reef.simulate.lexicon import ASPECTS, CIRCLE_ASPECTS, CIRCLES, MODELS, SELLING_POINTS, SPECS
from reef.simulate.population import TYPE
from reef.simulate.scenarios import SELLING_SHARE
from reef.simulate.world import NEWCOMER_BOARD, PLAZA, Thread

__all__ = ["start_threads", "THREAD_MIX"]

# (kind, weight) of a new item by latent type.
THREAD_MIX = {
    TYPE["lurker"]: (("question", 4), ("experience", 5), ("photo", 1)),
    TYPE["participant"]: (("question", 3), ("experience", 5), ("photo", 2)),
    TYPE["creator"]: (("photo", 4), ("video", 1.5), ("experience", 4.5)),
    TYPE["connector"]: (("experience", 5), ("question", 1), ("guide", 2), ("photo", 2)),
    TYPE["leader"]: (("guide", 3), ("meetup", 2.5), ("experience", 3.5), ("photo", 1)),
    TYPE["troll"]: (("experience", 4), ("complaint", 6)),
    TYPE["burnout_core"]: (("experience", 5), ("photo", 2.5), ("guide", 1), ("meetup", 0.5), ("question", 1)),
    TYPE["misinformer"]: (("rumour", 6), ("complaint", 4)),
    TYPE["newcomer"]: (("question", 8), ("experience", 2)),
}
_KIND = {"experience": "thread", "question": "thread", "complaint": "thread", "rumour": "thread",
         "photo": "photo", "video": "video", "guide": "guide", "meetup": "event"}
_WRONG = {"range_cltc": (0.6, 0.8), "accel_0_100": (1.25, 1.6), "battery_kwh": (0.7, 0.85),
          "dc_charge_10_80": (1.6, 2.5), "price": (1.1, 1.25), "warranty": (0.25, 0.5)}


def _choose(r, mix):
    total = sum(w for _, w in mix)
    x = r.random() * total
    for k, w in mix:
        x -= w
        if x <= 0:
            return k
    return mix[-1][0]


def start_threads(world, plan, day: int, authors, times) -> None:
    """Write one root item per author (with its time) and open it for replies."""
    pop, r, tm = world.pop, world.r, world.tm
    span = max(1, plan.decay[1] - plan.decay[0])
    decay_progress = (day - plan.decay[0]) / span if plan.decay[0] <= day < plan.decay[1] else -1.0
    in_faction = plan.faction[0] <= day < plan.faction[1]
    # Narrative dilution: the brand's selling points fade from 12% to 3% of experience posts.
    hi, lo = SELLING_SHARE
    selling_share = hi - (hi - lo) * day / max(1, world.spec.days) if world.spec.planted else hi
    opened = world.threads.setdefault(day, [])
    # Earlier posts that can be copied, by group (computed once: the window is large at scale).
    copyable: dict[int, list] = {}
    for th in world.open_threads(day):
        if th.bodies:
            copyable.setdefault(th.group, []).append(th)
    everything = [th for group in copyable.values() for th in group]
    for a, ts in zip(authors.tolist(), times.tolist()):
        t = int(pop.type[a])
        circle = int(pop.circle[a])
        model = MODELS[pop.model[a]]
        newcomer = day - int(pop.join_day[a]) <= 30
        kind = "question" if newcomer and r.random() < 0.6 else _choose(r, THREAD_MIX[t])
        if a in plan.backlash and day >= plan.backlash_day and r.random() < 0.8:
            kind = "backlash"
        group = NEWCOMER_BOARD if kind == "question" and newcomer and r.random() < 0.7 else (circle if r.random() < 0.75 else PLAZA)
        aspect = r.choice(CIRCLE_ASPECTS[CIRCLES[circle]]) if r.random() < 0.7 else r.choice(ASPECTS)
        quality = min(1.0, max(0.0, pop.quality[a] + r.gauss(0, 0.12)))
        sentiment = -1 if t == TYPE["troll"] and r.random() < 0.7 else r.choice((1, 1, 1, 0, 0, 0, -1))
        scenario, dup, selling, qgroup, claim = None, None, None, -1, None
        if kind == "experience":
            text = tm.experience(model, aspect, sentiment, quality)
            if r.random() < 0.08:  # cites the official spec correctly
                attr = r.choice(tuple(SPECS[model]))
                fact = tm.spec_claim(model, attr, SPECS[model][attr], rumour=False)
                text = Text(text.title, text.body + "官方数据：" + fact.body.split("，", 1)[-1] + "。", text.sentiment,
                            text.aspects, text.intents, fact.claim)
            if r.random() < selling_share:
                sp = r.randrange(len(SELLING_POINTS))
                selling = SELLING_POINTS[sp][0]
                text.body += P.SELLING[sp] + "。"
        elif kind == "question":
            g = r.randrange(len(P.QUESTION_BANK))
            text, qgroup = tm.question(model, g), g
            aspect = text.aspects[0]
            quality = min(quality, 0.5)
        elif kind == "complaint":
            text = tm.complaint(model, aspect)
            if r.random() < 0.1:
                text.body += f"，有同样问题的加我微信{tm._pii('wechat', {})}一起维权"
                text.pii = ("wechat",)
        elif kind == "backlash":
            aspect = r.choice(("售后与服务", "质量与故障"))
            text, scenario = tm.complaint(model, aspect), "backlash"
            text.intents = ("complaint", "experience")
        elif kind == "rumour":
            attr = r.choice(tuple(_WRONG))
            lo, hi = _WRONG[attr]
            text = tm.spec_claim(model, attr, SPECS[model][attr] * r.uniform(lo, hi), rumour=True)
            claim, scenario, aspect = text.claim, "misinformation", text.aspects[0]
            quality = 0.1
        elif kind == "guide":
            text = tm.guide(model, CIRCLES[circle], aspect, quality)
        elif kind == "meetup":
            text = tm.meetup(model, CIRCLES[circle])
        else:
            text = tm.media(model, CIRCLES[circle], kind, quality)
            aspect = text.aspects[0]
        if decay_progress >= 0 and circle == plan.decay_circle and r.random() < 0.2 + 0.7 * decay_progress:
            # Heat death: the circle's posts turn into bland copies of each other.
            prev = copyable.get(circle)
            if prev and r.random() < 0.6:
                src = r.choice(prev)
                text = Text(src.bodies[0][0], src.bodies[0][1] + r.choice(("", "。", "～", "!")), 0, (), ())
                dup = src.cidx
            else:
                text = Text("打卡", tm.fill(r.choice(P.BLAND)), 0, (), ())
            kind, scenario, quality, group, claim = "experience", "heat_death", 0.05, circle, None
        elif r.random() < 0.015:
            prev = everything
            if prev:  # copy-paste (搬运) of a recent post
                src = r.choice(prev)
                text = Text(src.bodies[0][0], src.bodies[0][1], 0, (), ("experience",))
                dup, quality, kind, scenario, claim = src.cidx, 0.1, "experience", None, None
        conflict = in_faction and pop.faction[a] > 0 and aspect in ("智能与车机", "价格", "配置") and r.random() < 0.5
        tags = [CIRCLES[circle]] if r.random() < 0.5 else None
        attrs = {"photos": 3 + int(quality * 9)} if kind == "photo" else ({"duration_s": 60 + int(quality * 600)} if kind == "video" else None)
        cidx = world.post(_KIND.get(kind, "thread"), a, ts, text, group=group, quality=quality, scenario=scenario,
                          duplicate_of=dup, selling=selling, tags=tags, attrs=attrs, day=day, likeable=True)
        th = Thread(cidx, a, group, ts, kind, aspect, model, quality, qgroup=qgroup, claim=claim, conflict=conflict,
                    complaint=kind in ("complaint", "backlash"), troll=t == TYPE["troll"], backlash=kind == "backlash",
                    last_ts=ts, ignored=claim is not None and r.random() < 0.4)
        th.bodies.append((text.title, world.last_body))
        opened.append(th)
        if scenario == "misinformation":
            plan.rumours.append(f"c{cidx}")
        if a in plan.like_ring:
            for m in plan.like_ring:
                t2 = world.after(ts, 30, 3600)
                if m != a and t2 is not None:
                    world.act("like", m, t2, content=cidx)
