"""The text grammar: templates x slot fillers x models x numbers x colloquial decoration.

:class:`TextMaker` writes one item per call and returns its ground truth beside it
(sentiment, aspects, intents, spec claim, planted PII, paraphrase group).

Example:
    >>> import random
    >>> t = TextMaker(random.Random(1)).question("澜途S7")
    >>> t.intents
    ('question',)
"""
from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass

from reef.simulate import lexicon as L
from reef.simulate import phrases as P
from reef.simulate.numerals import zh_number

__all__ = ["Text", "TextMaker"]

_FORMATTER = string.Formatter()


def _compile(template: str) -> list[tuple[str, str | None]]:
    return [(lit, name) for lit, name, _, _ in _FORMATTER.parse(template)]


_CACHE: dict[str, list[tuple[str, str | None]]] = {}


@dataclass
class Text:
    """One generated item and what it truly says."""

    title: str | None
    body: str
    sentiment: int = 0
    aspects: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    claim: dict | None = None
    pii: tuple[str, ...] = ()
    group_key: str | None = None


class TextMaker:
    """Writes community text from one seeded ``random.Random`` (fast scalar draws)."""

    def __init__(self, rnd: random.Random):
        self.r = rnd

    # -- slots ------------------------------------------------------------------------------
    def num(self, x: float) -> str:
        """Arabic most of the time, Chinese numerals sometimes."""
        return zh_number(x) if self.r.random() < 0.2 else (f"{x:g}")

    def fill(self, template: str, **given) -> str:
        parts = _CACHE.get(template)
        if parts is None:
            parts = _CACHE[template] = _compile(template)
        out = []
        for lit, name in parts:
            out.append(lit)
            if name is not None:
                out.append(str(given[name]) if name in given else self._slot(name, given))
        return "".join(out)

    def _slot(self, name: str, given: dict) -> str:
        r = self.r
        if name == "model":
            return r.choice(L.MODELS)
        if name == "year":
            return r.choice(L.MODEL_YEARS)
        if name == "region":
            return r.choice(L.REGIONS)
        if name == "term":
            return r.choice(L.ASPECT_TERMS[given.get("aspect") or r.choice(L.ASPECTS)])
        if name == "pred":
            s = given.get("sentiment", 0)
            return r.choice(L.POS_PRED if s > 0 else L.NEG_PRED if s < 0 else L.NEU_PRED)
        if name == "detail":
            return self.fill(r.choice(P.DETAIL))
        if name == "ota":
            return f"OTA {r.randint(3, 6)}.{r.randint(0, 9)}"
        if name in ("km", "km2"):
            return self.num(r.randrange(50, 1500, 10) if name == "km" else r.randrange(150, 500, 5))
        if name == "months":
            return self.num(r.randint(1, 30))
        simple = {"n": (2, 9), "cold": (5, 30), "pct": (5, 9), "speed": (90, 120), "soc": (5, 30), "mins": (15, 50),
                  "yuan": (300, 1500), "commute": (10, 80), "kw": (40, 120), "month": (1, 12), "i": (1, 9)}
        if name in simple:
            return self.num(r.randint(*simple[name]))
        if name == "kwh":
            return f"{r.uniform(11, 22):.1f}"
        if name == "bar":
            return f"{r.uniform(2.3, 2.9):.1f}"
        if name == "name":
            return "楼主"
        if name == "color":
            return r.choice(("星云白", "深海蓝", "月影灰", "曜石黑", "极光绿"))
        if name == "place":
            return r.choice(("滨海公园", "湖边停车场", "城北超充站", "体育中心", "山顶观景台", "老街", "机场南路"))
        if name == "weekday":
            return r.choice(("六", "日", "五晚上"))
        if name == "circle":
            return r.choice(L.CIRCLES)
        if name == "feature":
            return r.choice(("哨兵模式", "座椅记忆", "NOA扩城", "露营模式", "CarPlay"))
        if name == "work":
            return r.choice(("作业", "帖子", "视频", "照片", "攻略"))
        if name == "action":
            return self.fill(r.choice(P.GUIDE_ACTIONS), **given)
        if name == "wechat":
            return self._pii("wechat", given)
        if name == "phone":
            return self._pii("phone", given)
        if name == "plate":
            return self._pii("plate", given)
        raise KeyError(name)

    def _pii(self, kind: str, given: dict) -> str:
        r = self.r
        given.setdefault("_pii", []).append(kind)
        if kind == "phone":
            return f"1{r.choice('3456789')}{r.randrange(10**9):09d}"
        if kind == "plate":
            sep = r.choice(("·", "", " "))
            tail = f"{r.randrange(100000):05d}" if r.random() < 0.6 else "D" + f"{r.randrange(100000):05d}"
            return f"{r.choice(L.PLATE_PREFIX)}{sep}{tail}"
        return r.choice(("wxid_", "lt", "LanTu_", "car")) + "".join(r.choice("abcdefghjkmnpqrstuvwxyz0123456789") for _ in range(r.randint(6, 9)))

    def decorate(self, body: str, *, trad: bool = False) -> str:
        """Emoji, colloquial endings and (for some members) traditional characters."""
        r = self.r
        if r.random() < 0.35:
            body += r.choice(L.EMOJI) * r.randint(1, 3)
        if r.random() < 0.1:
            body = body.replace("什么", "啥").replace("怎么", "咋")
        if trad:
            body = body.translate(L.TRAD)
        return body

    # -- items ------------------------------------------------------------------------------
    def experience(self, model: str, aspect: str, sentiment: int, quality: float) -> Text:
        r = self.r
        n = 1 + int(quality * 5) + r.randint(0, 1)
        parts = [self.fill(r.choice(P.OPENERS), model=model)]
        aspects = {aspect}
        for i in range(n):
            a = aspect if i == 0 or r.random() < 0.6 else r.choice(L.ASPECTS)
            aspects.add(a)
            parts.append(self.fill(r.choice(P.EXPERIENCE), model=model, aspect=a, sentiment=sentiment))
            if quality > 0.5 and r.random() < quality:
                parts.append(self.fill(r.choice(P.DETAIL)))
        parts.append(r.choice(P.CLOSERS))
        title = f"{model}{r.choice(L.ASPECT_TERMS[aspect])}{r.choice(('用车感受', '长测', '真实体验', '说说', '吐槽' if sentiment < 0 else '分享'))}"
        intents = ("experience", "complaint") if sentiment < 0 and r.random() < 0.5 else ("experience",)
        return Text(title, "".join(parts), sentiment, tuple(sorted(aspects)), intents)

    def question(self, model: str, group: int | None = None) -> Text:
        r = self.r
        g = r.randrange(len(P.QUESTION_BANK)) if group is None else group
        aspect, forms = P.QUESTION_BANK[g]
        q = self.fill(r.choice(forms), model=model)
        pre = r.choice(("", "", "新人求助：", "萌新提问，", "请教一下，", f"刚提{model}，"))
        body = pre + q + r.choice(("", "在线等，挺急的", "谢谢各位！", "🙏", "求老司机指点"))
        return Text(q[:30], body, 0, (aspect,), ("question",), group_key=f"q{g:02d}")

    def answer(self, model: str, aspect: str, quality: float) -> Text:
        r = self.r
        facts = [self.fill(r.choice(P.DETAIL)) for _ in range(1 + int(quality * 3))]
        body = self.fill(r.choice(P.ANSWER), model=model, fact="".join(facts))
        return Text(None, body, 0, (aspect,), ("answer",))

    def short(self, bank: tuple[str, ...], intent: str | None, *, sentiment: int = 0, aspect: str | None = None,
              name: str = "楼主", model: str | None = None) -> Text:
        r = self.r
        a = aspect or r.choice(L.ASPECTS)
        body = self.fill(r.choice(bank), aspect=a, sentiment=sentiment, name=name, model=model or r.choice(L.MODELS))
        uses_aspect = "{term}" in body or any(t in body for t in L.ASPECT_TERMS[a])
        return Text(None, body, sentiment, (a,) if uses_aspect else (), (intent,) if intent else ())

    def complaint(self, model: str, aspect: str, *, crisis: bool = False) -> Text:
        r = self.r
        body = self.fill(r.choice(P.CRISIS if crisis else P.COMPLAINT), model=model, aspect=aspect, sentiment=-1)
        title = r.choice(("求助", "吐槽", "避雷", "投诉", "大家遇到过吗")) + "：" + r.choice(L.ASPECT_TERMS[aspect]) + "问题"
        return Text(title, body, -1, (aspect,), ("complaint",))

    def spec_claim(self, model: str, attribute: str, value: float, *, rumour: bool) -> Text:
        r = self.r
        words, units = L.SPEC_WORDS[attribute]
        v = round(value, 2) if attribute in ("price", "accel_0_100") else int(round(value))
        template = r.choice(P.RUMOUR if rumour else P.CLARIFY)  # draws in the original order: template, attribute, value, unit
        attr = r.choice(words)
        # "直流快充10-80" + "22" would read as 10-8022: people write a space before the figure.
        attr = attr + " " if attr[-1].isdigit() else attr
        body = self.fill(template, model=model, attr=attr, value=self.num(v), unit=r.choice(units))
        aspect = {"range_cltc": "续航与充电", "dc_charge_10_80": "续航与充电", "battery_kwh": "续航与充电",
                  "accel_0_100": "动力", "price": "价格", "warranty": "售后与服务"}[attribute]
        claim = {"model": model, "attribute": attribute, "value": float(v), "unit": L.SPEC_UNITS[attribute],
                 "official": L.SPECS[model][attribute]}
        if rumour:
            return Text(f"{model}{words[0]}真相", body, -1, (aspect,), ("complaint",), claim)
        return Text(None, body, 0, (aspect,), ("rumour_clarification",), claim)

    def guide(self, model: str, circle: str, aspect: str, quality: float) -> Text:
        r = self.r
        title = self.fill(r.choice(P.GUIDE_TITLES), model=model, circle=circle, aspect=aspect)
        steps = [self.fill(r.choice(P.GUIDE_STEPS), i=i + 1, aspect=aspect) for i in range(3 + int(quality * 6))]
        body = "".join(steps) + self.fill(r.choice(P.DETAIL)) + r.choice(P.CLOSERS)
        return Text(title, body, 1 if r.random() < 0.4 else 0, (aspect,), ("guide",))

    def meetup(self, model: str, circle: str) -> Text:
        body = self.fill(self.r.choice(P.MEETUP), model=model, circle=circle)
        return Text(f"{circle}车友聚会", body, 1, (), ("meetup",), pii=self._last_pii(body))

    @staticmethod
    def _last_pii(body: str) -> tuple[str, ...]:
        found = []
        if re.search(r"1[3-9]\d{9}", body):
            found.append("phone")
        if re.search(r"[京沪粤浙苏川鄂渝闽陕][A-Z][·\s]?D?\d{5}", body):
            found.append("plate")
        if re.search(r"(wxid_|lt|LanTu_|car)[a-z0-9]{6,9}", body):
            found.append("wechat")
        return tuple(found)

    def media(self, model: str, circle: str, kind: str, quality: float) -> Text:
        r = self.r
        aspect = r.choice(L.CIRCLE_ASPECTS[circle])
        title = self.fill(r.choice(P.PHOTO if kind == "photo" else P.VIDEO), model=model, circle=circle, aspect=aspect)
        body = "".join(self.fill(r.choice(P.EXPERIENCE), model=model, aspect=aspect, sentiment=1) for _ in range(1 + int(quality * 2)))
        return Text(title, body, 1, (aspect,), ("experience",))
