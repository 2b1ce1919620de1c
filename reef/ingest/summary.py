"""What an import did: rows read, imported, updated, duplicate and quarantined, per entity.

Example:
    >>> s = ImportSummary(); s.add("members", read=2, imported=1, duplicate=1)
    >>> (s.read, s.imported, s.duplicate)
    (2, 1, 1)
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ImportSummary", "COUNTS"]

COUNTS = ("read", "imported", "updated", "duplicate", "quarantined")


@dataclass
class ImportSummary:
    import_id: int | None = None
    files: list[str] = field(default_factory=list)
    by_entity: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: Counter = field(default_factory=Counter)
    # file-level notes that are not errors (see reef.ingest.columns): each a dict with code, file, message, message_zh
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # columns read under a Chinese header (reef.ingest.aliases): file, entity, columns {header: field}, message(_zh)
    mapped_columns: list[dict[str, Any]] = field(default_factory=list)

    def add(self, entity: str, **counts: int) -> None:
        row = self.by_entity.setdefault(entity, dict.fromkeys(COUNTS, 0))
        for key, value in counts.items():
            row[key] += int(value)

    def add_reason(self, reason: str, n: int = 1) -> None:
        self.reasons[reason] += n

    def add_mapping(self, file: str, entity: str, columns: dict[str, str]) -> None:
        """Record that ``file``'s headers ``columns`` were read as the fields they map to."""
        pairs = [f"{c} → {f}" for c, f in columns.items()]
        self.mapped_columns.append({"file": file, "entity": entity, "columns": dict(columns),
                                    "message": "Chinese headers read as fields: " + ", ".join(pairs),
                                    "message_zh": "已按中文列名导入：" + "、".join(pairs)})

    def _total(self, key: str) -> int:
        return sum(row[key] for row in self.by_entity.values())

    read = property(lambda self: self._total("read"))
    imported = property(lambda self: self._total("imported"))
    updated = property(lambda self: self._total("updated"))
    duplicate = property(lambda self: self._total("duplicate"))
    quarantined = property(lambda self: self._total("quarantined"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "files": self.files,
            **{key: self._total(key) for key in COUNTS},
            "by_entity": self.by_entity,
            "quarantine_reasons": dict(self.reasons.most_common()),
            "warnings": self.warnings,
            "mapped_columns": self.mapped_columns,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def merge(self, other: "ImportSummary") -> None:
        for entity, counts in other.by_entity.items():
            self.add(entity, **counts)
        self.reasons.update(other.reasons)
        self.warnings += other.warnings
        self.mapped_columns += other.mapped_columns
        self.files += other.files
