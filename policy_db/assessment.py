"""What the engine answers, and its one serialisation: the `result` payload of contract §2."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .model import Measure, Policy

@dataclass(frozen=True)
class MeasureResult:
    measure: Measure
    status: str
    why: str
    months: int | None = None
    amount_yuan: float | None = None
    formula: str | None = None
    missing: tuple[str, ...] = ()
    missing_labels: tuple[str, ...] = ()

    def to_payload(self, policy: Policy) -> dict[str, Any]:
        m = self.measure
        return {
            "id": m.id, "title": m.title, "status": self.status, "amount_yuan": self.amount_yuan,
            "months": self.months, "formula": self.formula, "departments": list(m.departments),
            "clause": policy.clauses[m.clause].label, "why": self.why, "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Assessment:
    policy: Policy
    as_of: dt.date
    expired: bool
    facts: dict[str, Any]
    sme_class: str | None
    sme_label: str
    sme_reason: str
    results: tuple[MeasureResult, ...]
    scope_missing: tuple[str, ...] = ()

    @property
    def not_yet_in_force(self) -> bool:
        """Asked about a day before the notice took effect: the measures did not exist yet."""
        return self.as_of < self.policy.in_force_from

    def result(self, measure_id: str) -> MeasureResult:
        return next(r for r in self.results if r.measure.id == measure_id)

    def by_status(self, status: str) -> list[MeasureResult]:
        return [r for r in self.results if r.status == status]

    def to_payload(self) -> dict[str, Any]:
        """The contract's `result` payload (plus `valid_from`, `valid_until` and each measure's `missing`, see
        docs/contract.md)."""
        return {
            "type": "result",
            "policy": self.policy.id,
            "as_of": self.as_of.isoformat(),
            "expired": self.expired,
            "valid_from": self.policy.in_force_from.isoformat(),
            "valid_until": self.policy.in_force_until.isoformat(),
            "enterprise": {"sme_class": self.sme_class, "facts": dict(self.facts)},
            "measures": [r.to_payload(self.policy) for r in self.results],
        }
