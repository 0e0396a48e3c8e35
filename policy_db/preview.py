"""What publishing would change: every profile judged by the store as served and by the candidate (the store with
the draft), compared measure by measure.

A profile is an enterprise's facts with where they come from: an expert case, a simulated owner, a stored call
record. For each measure, the profiles that become eligible, that lose eligibility, whose amount changes, and those
the measure would now have to ask (a new fact the owner was never asked about), each with a few examples; and the
profiles whose total changes. Facts a store does not define are left out for it (the new document's facts, for the
store before it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .assessment import Assessment, MeasureResult
from .engine import evaluate
from .facts import FactError
from .store import Store

CHANGES = ("newly_eligible", "no_longer_eligible", "amount_changed", "to_ask")


@dataclass(frozen=True)
class Profile:
    """An enterprise to preview: ``source`` (case, simulated, record), its key there, what staff call it, its facts
    and, for an expert case, its own day."""

    source: str
    key: str
    label: str
    facts: dict
    as_of: dt.date | None = None


def _judge(store: Store, profile: Profile, as_of: dt.date | None) -> Assessment | None:
    facts = {k: v for k, v in profile.facts.items() if k in store.facts}
    try:
        return evaluate(facts, profile.as_of or as_of, store=store)
    except FactError:
        return None


def _state(r) -> dict:
    return {"status": r.status if r else None, "amount_yuan": r.amount_yuan if r else None}


def _change(old, new) -> str | None:
    """How one measure's result moved for one profile, if it did."""
    was, now = (old.status if old else None), (new.status if new else None)
    if now == "eligible" and was != "eligible":
        return "newly_eligible"
    if was == "eligible" and now != "eligible":
        return "no_longer_eligible"
    if was == now == "eligible" and old.amount_yuan != new.amount_yuan:
        return "amount_changed"
    if now == "unknown" and was != "unknown":
        return "to_ask"
    return None


def compare(before: Store, after: Store, profiles: Iterable[Profile], as_of: dt.date | None = None,
            examples: int = 3) -> dict:
    """The preview as the page shows it (docs/contract.md, the workbench): counts per source, the measures that
    change with their counts and examples, the profiles whose total changes."""
    counted: dict[str, int] = {}
    measures: dict[str, dict] = {}
    held = {m.id for p in before.policies.values() for m in p.measures}
    totals = {"count": 0, "examples": []}
    refused = 0
    for profile in profiles:
        counted[profile.source] = counted.get(profile.source, 0) + 1
        old, new = _judge(before, profile, as_of), _judge(after, profile, as_of)
        if new is None:
            refused += 1
            continue
        old_results = {r.measure.id: r for r in old.results} if old else {}
        for r in new.results:
            change = _change(old_results.get(r.measure.id), r)
            if change:
                _note(measures, held, r, change, profile, old_results.get(r.measure.id), examples)
        kept = {n.measure.id for n in new.results}
        for mid, r in old_results.items():
            if mid not in kept and r.status == "eligible":  # a measure the new version no longer holds
                _note(measures, held, r, "no_longer_eligible", profile, r, examples, gone=True)
        was, now = _total(old), _total(new)
        if was != now:
            totals["count"] += 1
            if len(totals["examples"]) < examples:
                totals["examples"].append({**_who(profile), "before": was, "after": now})
    ordered = sorted(measures.values(), key=lambda m: (not m["new"], m["position"]))
    return {"profiles": counted, "refused": refused, "measures": ordered, "totals": totals}


def _total(a: Assessment | None) -> float | None:
    if a is None:
        return None
    total = a.total_payload()
    return total["amount_yuan"] if total else None


def _who(profile: Profile) -> dict:
    return {"source": profile.source, "key": profile.key, "label": profile.label}


def _note(measures: dict, held: set[str], r, change: str, profile: Profile, old, examples: int,
          gone: bool = False) -> None:
    m = r.measure
    entry = measures.get(m.id)
    if entry is None:
        entry = measures[m.id] = {
            "id": m.id, "name": m.name, "policy": r.policy.id if r.policy else m.policy,
            "document": r.policy.cited if r.policy else "", "new": m.id not in held,
            "position": len(measures), **{c: {"count": 0, "examples": []} for c in CHANGES}}
    bucket = entry[change]
    bucket["count"] += 1
    if len(bucket["examples"]) < examples:
        bucket["examples"].append({**_who(profile), "before": _state(old),
                                   "after": {**_state(None if gone else r), "why": "" if gone else r.why}})


def newly_eligible(before: Store, after: Store, profiles: Iterable[Profile], as_of: dt.date | None = None,
                   kinds: frozenset[str] | None = None) -> list[tuple[Profile, MeasureResult, Assessment]]:
    """Each profile's measures that apply under ``after`` and did not under ``before`` (of ``kinds``, by default
    every kind), with the assessment they come from: who a publish newly helps (政策找企业)."""
    found = []
    for profile in profiles:
        old, new = _judge(before, profile, as_of), _judge(after, profile, as_of)
        if new is None:
            continue
        old_results = {r.measure.id: r for r in old.results} if old else {}
        found += [(profile, r, new) for r in new.results
                  if _change(old_results.get(r.measure.id), r) == "newly_eligible"
                  and (kinds is None or r.measure.kind in kinds)]
    return found
