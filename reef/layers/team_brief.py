"""The project-team brief: a TOML file listing roles, team size and deadline, validated with clear errors.

A brief names the project and lists its roles. Each role is one of ``writer`` (主笔),
``visual`` (视觉: photographer / videographer), ``structurer`` (信息架构) or ``expert``
(技术专家 on one of the 14 car aspects of the text layer), with a count. ``size`` may add open
slots (成员) filled by whoever adds most to the team; ``deadline`` is a date. Optional:
``topic`` (shown in explanations), ``aspects`` (the project's aspects: candidates who know them
get a relevance bonus), ``circle`` (a group id or name: only members who posted there) and
``exclude`` (member ids never to propose). docs/examples/team-brief.toml is a full example.

Every mistake raises :class:`reef.errors.ConfigError` naming the file, the field and what to do.

Example:
    >>> b = parse_brief({"name": "上手指南", "deadline": "2026-08-31",
    ...                  "roles": [{"role": "主笔"}, {"role": "expert", "aspect": "续航与充电", "count": 2}]})
    >>> [(s.key, s.kind) for s in b.slots]
    [('writer', 'writer'), ('expert:续航与充电', 'expert'), ('expert:续航与充电', 'expert')]
    >>> parse_brief({"name": "x", "deadline": "2026-08-31", "roles": [{"role": "poet"}]})
    Traceback (most recent call last):
    ...
    reef.errors.ConfigError: <brief>, field 'roles[0].role': Unknown role 'poet'. Use one of: writer (主笔), visual (视觉), structurer (信息架构), expert (技术专家).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reef.errors import ConfigError, Location
from reef.i18n import code_label, plural

__all__ = ["ROLE_KINDS", "ROLE_LABELS", "ASPECTS", "TeamBrief", "Slot", "load_brief", "parse_brief"]

ROLE_KINDS = ("writer", "visual", "structurer", "expert")
# Chinese names operators write in briefs, and the label each kind is shown with.
ROLE_LABELS = {"writer": ("主笔", "writer"), "visual": ("视觉", "visual"), "structurer": ("信息架构", "structurer"),
               "expert": ("技术专家", "expert"), "member": ("成员", "member")}
_ALIASES = {"主笔": "writer", "视觉": "visual", "视觉总监": "visual", "摄影": "visual", "信息架构": "structurer",
            "信息架构师": "structurer", "技术专家": "expert", "专家": "expert", "photographer": "visual",
            "videographer": "visual", "architect": "structurer"}
# The 14 car aspects of the text layer: 10 CCF aspects (model) + 4 from the seed lexicon.
ASPECTS = ("动力", "价格", "内饰", "配置", "安全性", "外观", "操控", "油耗", "空间", "舒适性",
           "续航与充电", "智能与车机", "售后与服务", "质量与故障")
_TOP_KEYS = ("name", "topic", "deadline", "size", "circle", "aspects", "exclude", "roles")
_ROLE_KEYS = ("role", "count", "aspect", "label")
MAX_SIZE = 50


@dataclass(frozen=True)
class Slot:
    """One seat of the team: ``key`` groups the seats of one role (``expert:续航与充电``)."""

    key: str
    kind: str
    aspect: str | None
    label_zh: str
    label_en: str


@dataclass
class TeamBrief:
    """A validated brief; ``slots`` has one entry per seat, open seats (kind ``member``) last. ``whole`` is every
    seat of the brief when this one holds only the seats still open on a running team (:mod:`reef.layers.team_seats`)."""

    name: str
    deadline: date
    slots: list[Slot]
    topic: str | None = None
    circle: str | None = None
    aspects: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: str = "<brief>"
    roles: list[dict[str, Any]] = field(default_factory=list)
    whole: list[Slot] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.slots)

    @property
    def role_slots(self) -> list[Slot]:
        """The brief's role seats (not open seats), of the whole brief: an open seat is scored by them."""
        return [s for s in (self.whole or self.slots) if s.kind != "member"]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "topic": self.topic, "deadline": self.deadline.isoformat(), "size": self.size,
                "circle": self.circle, "aspects": list(self.aspects), "exclude": list(self.exclude), "roles": self.roles}


def _fail(source: str, fld: str, message: str, hint: str, **facts: Any) -> ConfigError:
    return ConfigError(message, where=Location(file=source, field=fld or None), hint=hint or None, facts=facts)


def _text(raw: dict, key: str, source: str, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise _fail(source, key, f"The brief has no '{key}'.", f"Add a line such as {key} = \"新车主快速上手指南\".")
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, key, f"'{key}' must be non-empty text, got {value!r}.", "Write it in quotes.")
    return value.strip()


def _deadline(raw: dict, source: str) -> date:
    value = raw.get("deadline")
    if value is None:
        raise _fail(source, "deadline", "The brief has no 'deadline'.", "Add a line such as deadline = 2026-08-31.")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise _fail(source, "deadline", f"'deadline' must be a date, got {value!r}.", "Write it as YYYY-MM-DD, e.g. deadline = 2026-08-31.")


def _count(value: Any, fld: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIZE:
        raise _fail(source, fld, f"'{fld}' must be a whole number from 1 to {MAX_SIZE}, got {value!r}.", "For example count = 1.")
    return value


def _aspect(value: Any, fld: str, source: str) -> str:
    if value not in ASPECTS:
        raise _fail(source, fld, f"Unknown aspect {value!r}.", f"Use one of the 14 car aspects: {', '.join(ASPECTS)}.", value=value)
    return value


def _role(raw: Any, i: int, source: str) -> tuple[list[Slot], dict[str, Any]]:
    at = f"roles[{i}]"
    if not isinstance(raw, dict):
        raise _fail(source, at, "Each role must be a table.", "Write roles as [[roles]] blocks with role = \"writer\" and count = 1.")
    unknown = sorted(set(raw) - set(_ROLE_KEYS))
    if unknown:
        raise _fail(source, f"{at}.{unknown[0]}", f"Unknown key '{unknown[0]}' in a role.", f"Known keys: {', '.join(_ROLE_KEYS)}.")
    name = raw.get("role")
    kind = _ALIASES.get(name, name) if isinstance(name, str) else None
    if kind not in ROLE_KINDS:
        raise _fail(source, f"{at}.role", f"Unknown role {name!r}." if name is not None else "A role has no 'role'.",
                    "Use one of: " + ", ".join(f"{k} ({ROLE_LABELS[k][0]})" for k in ROLE_KINDS) + ".")
    count = _count(raw.get("count", 1), f"{at}.count", source)
    aspect = None
    if kind == "expert":
        if raw.get("aspect") is None:
            raise _fail(source, f"{at}.aspect", "An expert role needs the aspect it is expert on.",
                        "Add aspect = \"续航与充电\" (one of the 14 car aspects).")
        aspect = _aspect(raw["aspect"], f"{at}.aspect", source)
    elif raw.get("aspect") is not None:
        raise _fail(source, f"{at}.aspect", f"Only expert roles take an aspect (this role is '{kind}').",
                    "Remove the aspect, or make the role an expert.")
    label = raw.get("label")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise _fail(source, f"{at}.label", "'label' must be non-empty text.", "Write it in quotes, or leave it out.")
    zh, en = ROLE_LABELS[kind]
    if aspect:
        zh, en = f"{aspect}{zh}", f"{en} ({code_label(aspect, 'en')})"
    key = f"expert:{aspect}" if aspect else kind
    slot = Slot(key, kind, aspect, (label or zh).strip(), (label or en).strip())
    return [slot] * count, {"key": key, "role": kind, "aspect": aspect, "count": count, "label_zh": slot.label_zh, "label_en": slot.label_en}


def parse_brief(raw: dict[str, Any], source: str = "<brief>") -> TeamBrief:
    """Validate a brief already read into a dict (``source`` names it in errors)."""
    if not isinstance(raw, dict):
        raise _fail(source, "", "A brief must be a TOML table.", "See docs/examples/team-brief.toml.")
    unknown = sorted(set(raw) - set(_TOP_KEYS))
    if unknown:
        raise _fail(source, unknown[0], f"Unknown key '{unknown[0]}' in the brief.", f"Known keys: {', '.join(_TOP_KEYS)}.")
    name = _text(raw, "name", source, required=True)
    roles = raw.get("roles")
    if not isinstance(roles, list) or not roles:
        raise _fail(source, "roles", "The brief lists no roles.",
                    "Add at least one [[roles]] block, e.g. [[roles]] role = \"writer\" count = 1.")
    slots: list[Slot] = []
    summary: list[dict[str, Any]] = []
    for i, r in enumerate(roles):
        seats, row = _role(r, i, source)
        if any(s["key"] == row["key"] for s in summary):
            raise _fail(source, f"roles[{i}].role", f"Role '{row['key']}' is listed twice.", "Give it once with a larger count.")
        slots += seats
        summary.append(row)
    size = raw.get("size")
    if size is not None:
        size = _count(size, "size", source)
        if size < len(slots):
            raise _fail(source, "size", f"'size' is {size} but the roles need {plural(len(slots), 'member')}.",
                        f"Raise size to at least {len(slots)}, or lower the role counts.", size=size, need=len(slots))
        if size > len(slots):
            zh, en = ROLE_LABELS["member"]
            extra = size - len(slots)
            slots += [Slot("member", "member", None, zh, en)] * extra
            summary.append({"key": "member", "role": "member", "aspect": None, "count": extra, "label_zh": zh, "label_en": en})
    if len(slots) > MAX_SIZE:
        raise _fail(source, "roles", f"The roles add up to {plural(len(slots), 'member')}, more than {MAX_SIZE}.", "Split the project into smaller teams.",
                    seats=len(slots), most=MAX_SIZE)
    aspects = raw.get("aspects", [])
    if not isinstance(aspects, list):
        raise _fail(source, "aspects", "'aspects' must be a list.", "Write aspects = [\"续航与充电\", \"智能与车机\"].")
    aspects = tuple(dict.fromkeys(_aspect(a, f"aspects[{i}]", source) for i, a in enumerate(aspects)))
    exclude = raw.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) and x for x in exclude):
        raise _fail(source, "exclude", "'exclude' must be a list of member ids.", "Write exclude = [\"m0012\", \"m0345\"].")
    return TeamBrief(name=name, deadline=_deadline(raw, source), slots=slots, topic=_text(raw, "topic", source),
                     circle=_text(raw, "circle", source), aspects=aspects, exclude=tuple(exclude), source=source, roles=summary)


def load_brief(path: str | Path) -> TeamBrief:
    """Read and validate a brief file (TOML)."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError("Brief file not found.", where=Location(file=str(p)),
                          hint="Check the path; docs/examples/team-brief.toml is an example to copy.") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read the brief: {exc.strerror}.", where=Location(file=str(p))) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The brief is not valid TOML: {exc}.", where=Location(file=str(p)),
                          hint="Save it as UTF-8 TOML; see docs/examples/team-brief.toml.") from exc
    return parse_brief(raw, str(p))
