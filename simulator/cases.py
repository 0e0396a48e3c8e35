"""Generated enterprise cases, weighted toward what staff get wrong.

Every threshold comes from the store (the classification rows, the policies' parameters) and every realistic range
from facts.yaml's `simulator` keys, so a change of the data moves the cases with it. A case's `facts` are the
owner's true facts (contract §3 names, money in yuan, industry = the classification row); a fact absent from them
is one the owner does not know.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from policy_db import Store, validate

from .enterprise import NEAR, forget, thresholds
from .narrative import narrative
from .scenarios import BOUNDARY_EVERY, BOUNDARY_OF, BUILDERS, SCENARIOS, boundary_slots, cap_layoffs, \
    class_boundary, read_facts
from .situation import as_of, classification, in_force, parameters

__all__ = ["Case", "as_of", "case", "classification", "generate", "in_force", "near_thresholds", "parameters"]


@dataclass(frozen=True)
class Case:
    id: str
    seed: int
    facts: dict
    narrative: str
    tags: tuple[str, ...]


def case(store: Store, seed: int) -> Case:
    """One case, the same for the same seed and store."""
    rng = random.Random(f"simulator-case-{seed}")
    cls = classification(store)
    rows = list(cls.rows.values())
    params = parameters(store)
    tags: list[str] = []
    if seed % BOUNDARY_OF < BOUNDARY_EVERY:
        scenario = "class_boundary"
        slots = boundary_slots(cls)
        slot = slots[(seed // BOUNDARY_OF * BOUNDARY_EVERY + seed % BOUNDARY_OF) % len(slots)]
        facts = class_boundary(rng, store, slot, params, tags)
        keep = slot[0].indicators
    else:
        scenario = rng.choices([s for s, _ in SCENARIOS], weights=[w for _, w in SCENARIOS])[0]
        facts = BUILDERS[scenario](rng, store, rows, params, tags)
        reached = [store.find(t.split(":", 1)[1])[1] for t in tags if t.startswith("reaches:")]
        keep = tuple(n for m in reached  # what the measure's amount reads, and what decides the class
                     for n in (*read_facts(store, m)[1], *cls.rows[facts[store.industry_fact]].indicators))
    if scenario != "lender":
        cap_layoffs(facts)
        forget(rng, store, facts, tags, keep)
    said = narrative(rng, cls, facts, scenario, tags)
    facts = validate(facts, store.facts, cls)
    tags += [f"near:{n}" for n in near_thresholds(store, facts)]
    return Case(id=f"case-{seed}", seed=seed, facts=facts, narrative=said, tags=tuple(t for t in tags if t))


def generate(store: Store, n: int, seed: int = 0) -> list[Case]:
    """``n`` cases from one seed: case i has the seed ``seed * 100_000 + i`` (consecutive seeds, so that
    ``len(boundary_slots) * 5 / 2`` cases cover every class boundary on both sides)."""
    return [case(store, seed * 100_000 + i) for i in range(n)]


def near_thresholds(store: Store, facts: dict) -> list[str]:
    """The thresholds a case's facts lie within 10% of: class limits of its row, the 少裁员 limits, the 5.4 cap."""
    found = []
    cls, params = classification(store), parameters(store)
    row = cls.rows.get(facts.get("industry"))
    for indicator in row.indicators if row else ():
        for name, threshold in thresholds(row, indicator):
            value = facts.get(indicator)
            if value is not None and abs(value - threshold) <= NEAR * threshold:
                found.append(f"{indicator}:{name}")
    employees, layoffs = facts.get("employees"), facts.get("layoffs")
    headcount = params["ui_small_firm_headcount"]
    if employees is not None and abs(employees - headcount) <= NEAR * headcount:
        found.append("employees:ui_small_firm_headcount")
    if employees and layoffs:
        share = params["ui_small_firm_layoff_share"] if employees <= headcount else params["ui_layoff_rate_cap"]
        limit = employees * share
        if abs(layoffs - limit) <= max(1, NEAR * limit):
            found.append("layoffs:少裁员")
    if facts.get("rent_waived_monthly") and facts.get("rent_waived_months"):
        counted = min(facts["rent_waived_months"], params["operator_subsidy_max_months"])
        subsidy = facts["rent_waived_monthly"] * counted * params["operator_subsidy_rate"]
        if abs(subsidy - params["operator_subsidy_cap"]) <= NEAR * params["operator_subsidy_cap"]:
            found.append("operator_subsidy_cap")
    return found
