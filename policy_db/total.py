"""The total of a result (contract §2 `total`): money the enterprise receives or does not pay, each base counted
once, deferrals never, nothing of a document not yet in force on the day, across every document assessed. What may be
added is the policy's data (a measure's `amount.total`: two documents' measures on one base count once); this is the
rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .words import Words


@dataclass(frozen=True)
class Total:
    amount_yuan: float
    parts: tuple  # MeasureResult, in the policy's order
    left_out: tuple[tuple[object, str], ...]  # (MeasureResult, why it is not added)


def not_yet_in_force(r, as_of: dt.date | None) -> bool:
    """A measure of a document that takes effect after the day asked about (the VAT cut before 2020-03-01)."""
    return as_of is not None and r.policy is not None and as_of < r.policy.in_force_from


def total_of(results: Iterable, words: Words, as_of: dt.date | None = None) -> Total | None:
    """None while no eligible measure has an amount yet. A measure not yet in force on ``as_of`` is left out, saying
    its period: it is no money the enterprise has."""
    counted: dict[str, object] = {}
    parts, left_out = [], []
    for r in results:
        if r.status != "eligible" or r.amount_yuan is None:
            continue
        amount = r.measure.amount
        if not_yet_in_force(r, as_of):
            left_out.append((r, words.total["not_yet"].format(period=r.policy.period)))
        elif r.measure.kind != "benefit" or amount.total_excluded or not amount.total_base:
            left_out.append((r, amount.total_excluded or words.kinds[r.measure.kind].heading))
        elif amount.total_base in counted:
            other = counted[amount.total_base].measure.number or counted[amount.total_base].measure.title
            left_out.append((r, words.total["same_base"].format(other=other, base=amount.total_base)))
        else:
            counted[amount.total_base] = r
            parts.append(r)
    if not parts and not left_out:
        return None
    return Total(round(sum(r.amount_yuan for r in parts), 2), tuple(parts), tuple(left_out))
