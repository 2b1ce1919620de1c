"""What to simulate: size, span, seed and the planted scenarios' knobs.

Example:
    >>> spec = SimulationSpec(members=200, days=30, seed=1)
    >>> spec.start_date.isoformat(), spec.end_date
    ('2026-05-31', '2026-06-30')
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reef.config import Config, load_config
from reef.errors import InvalidParameterError
from reef.simulate.lexicon import ASPECTS, CIRCLES

__all__ = ["SimulationSpec", "TZ"]

TZ = ZoneInfo("Asia/Shanghai")
_DEFAULTS = load_config().section("simulate")


@dataclass(frozen=True)
class SimulationSpec:
    """Size and shape of a simulated community; defaults come from ``[simulate]``.

    Days run from ``end_date - days`` to the day before ``end_date``: every event happens
    before ``end_date`` 00:00 Asia/Shanghai.
    """

    members: int = _DEFAULTS["members"]
    days: int = _DEFAULTS["days"]
    seed: int = _DEFAULTS["seed"]
    end_date: str = _DEFAULTS["end_date"]
    staff_share: float = _DEFAULTS["staff_share"]
    chunk_days: int = _DEFAULTS["chunk_days"]
    part_rows: int = _DEFAULTS["part_rows"]
    activity: float = _DEFAULTS["activity"]
    crisis_aspect: str = _DEFAULTS["crisis_aspect"]
    decay_circle: str = _DEFAULTS["decay_circle"]
    planted: bool = _DEFAULTS["planted"]
    recognition_effect: float = _DEFAULTS["recognition_effect"]

    def __post_init__(self) -> None:
        if not isinstance(self.members, int) or self.members < 50:
            raise InvalidParameterError("members", self.members, "an integer of at least 50")
        if not isinstance(self.days, int) or not 14 <= self.days <= 3650:
            raise InvalidParameterError("days", self.days, "an integer between 14 and 3650")
        if not isinstance(self.seed, int) or self.seed < 0:
            raise InvalidParameterError("seed", self.seed, "a non-negative integer")
        try:
            end = date.fromisoformat(str(self.end_date))
        except ValueError:
            raise InvalidParameterError("end_date", self.end_date, "a date like 2026-06-30") from None
        if end - timedelta(days=self.days + 800) < date(2000, 1, 2):
            raise InvalidParameterError("end_date", self.end_date, "a date leaving room for members' history after 2000")
        if not 0 <= self.staff_share < 0.2:
            raise InvalidParameterError("staff_share", self.staff_share, "a share between 0 and 0.2")
        if self.chunk_days < 1 or self.part_rows < 1000 or self.activity <= 0:
            raise InvalidParameterError("chunk_days/part_rows/activity", (self.chunk_days, self.part_rows, self.activity), "positive sizes")
        if self.crisis_aspect not in ASPECTS:
            raise InvalidParameterError("crisis_aspect", self.crisis_aspect, "one of " + " ".join(ASPECTS))
        if not isinstance(self.planted, bool):
            raise InvalidParameterError("planted", self.planted, "true or false")
        if not isinstance(self.recognition_effect, (int, float)) or not 0.2 <= self.recognition_effect <= 5:
            raise InvalidParameterError("recognition_effect", self.recognition_effect, "a multiplier between 0.2 and 5 (1.0 = no effect)")
        if self.decay_circle not in CIRCLES:
            raise InvalidParameterError("decay_circle", self.decay_circle, "one of " + " ".join(CIRCLES))

    @classmethod
    def from_config(cls, config: Config | None = None, **overrides) -> "SimulationSpec":
        """Spec from a configuration's ``[simulate]`` section, with keyword overrides."""
        section = (config or load_config()).section("simulate")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in section.items() if k in known}
        unknown = set(overrides) - known
        if unknown:
            raise InvalidParameterError("override", sorted(unknown)[0], "one of " + ", ".join(sorted(known)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def start_date(self) -> date:
        return date.fromisoformat(str(self.end_date)) - timedelta(days=self.days)

    @property
    def start_ts(self) -> int:
        """Epoch seconds of the first simulated day's midnight (Asia/Shanghai)."""
        d = self.start_date
        return int(datetime(d.year, d.month, d.day, tzinfo=TZ).timestamp())

    @property
    def end_ts(self) -> int:
        """Epoch seconds of ``end_date`` 00:00 Asia/Shanghai; every event is before it."""
        return self.start_ts + self.days * 86400

    def as_dict(self) -> dict:
        return asdict(self)
