"""The kinds of case staff get wrong, each an ordinary enterprise (simulator.enterprise) moved onto the thresholds
of the store's data: a class boundary, the 少裁员 limits, the operators' subsidy cap, the months limits, a large
enterprise, a lender, an enterprise not affected, a measure of another document. Every threshold is the store's."""

from __future__ import annotations

import math
import random
from collections import ChainMap

from policy_db import Store
from policy_db.engine import estimate
from policy_db.model import Classification, IndustryRow, Measure, Policy

from .enterprise import NEAR, bounds, known, money, near, ordinary, thresholds
from .situation import as_of, in_force

# Two seeds in every five are class-boundary cases, walking through every (row, indicator, threshold, side) in
# turn, so that consecutive seeds (generate) cover each boundary of each row on both sides. The other seeds draw a
# scenario by these weights: each a kind of case staff get wrong, then ordinary cases.
BOUNDARY_EVERY, BOUNDARY_OF = 2, 5
SCENARIOS = (("layoff_rule", 12), ("operator_subsidy", 10), ("month_limits", 8), ("large", 8), ("not_affected", 8),
             ("lender", 5), ("ordinary", 9), ("other_document", 16))
# An `other_document` case reaches one measure of a document other than the notice: it tries these bands in turn
# (the small ones in a random order first), each twice — with every yes/no fact the measure's conditions read
# true, then drawn at random — until the engine says the measure applies.
REACH_BANDS, REACH_TRIES = ("micro", "small"), 2


def boundary_slots(cls: Classification) -> list[tuple[IndustryRow, str, str, float, str]]:
    """Every class boundary of every row, on both sides: (row, indicator, threshold name, threshold, side)."""
    return [(row, indicator, name, threshold, side) for row in cls.rows.values() for indicator in row.indicators
            for name, threshold in thresholds(row, indicator) for side in ("below", "at_or_above")]


def class_boundary(rng, store, slot, params, tags):
    """The other indicators sit inside the class above the threshold, so this indicator's side decides."""
    row, indicator, name, threshold, side = slot
    band = {"sme_below": "large", "medium_at_least": "medium", "small_at_least": "small"}[name]
    facts = ordinary(rng, store, row, band, params)
    facts[indicator] = near(rng, threshold, indicator not in row.money, side)
    tags += ["class_boundary", f"row:{row.name}", f"boundary:{indicator}:{name}:{side}"]
    return facts


def _layoff_rule(rng, store, rows, params, tags):
    facts = ordinary(rng, store, rng.choice(rows), rng.choice(("micro", "small", "medium")), params)
    headcount = params["ui_small_firm_headcount"]
    if rng.random() < 0.5:
        employees = rng.randint(max(2, int(headcount * 0.5)), int(headcount * (1 + NEAR)))
    else:
        employees = rng.randint(headcount + 1, headcount * 12)
    share = params["ui_small_firm_layoff_share"] if employees <= headcount else params["ui_layoff_rate_cap"]
    limit = employees * share
    layoffs = max(1, math.floor(limit) + rng.choice((-1, 0, 0, 1)))
    facts.update(employees=employees, layoffs=min(layoffs, employees), insured=True)
    if "ui_premium_last_year" not in facts:
        facts["ui_premium_last_year"] = known(rng, store, facts, params, "ui_premium_last_year")
    tags += ["layoff_rule", "small_firm_share" if employees <= headcount else "layoff_rate_cap"]
    return facts


def _operator_subsidy(rng, store, rows, params, tags):
    """An operator waiving rent: its subsidy on the cap, or well below it (half of what would reach it at most)."""
    row = store_row(rng, preferred=("租赁和商务服务业", "其他未列明行业"), rows=rows)
    facts = ordinary(rng, store, row, rng.choice(("small", "medium")), params)
    facts["incubator_operator"] = True
    months = known(rng, store, facts, params, "rent_waived_months")
    counted = min(months, params["operator_subsidy_max_months"])
    cap, rate = params["operator_subsidy_cap"], params["operator_subsidy_rate"]
    if rng.random() < 0.5:
        monthly = near(rng, cap / (rate * counted), False, rng.choice(("below", "at_or_above")))
        tags.append("operator_cap")
    else:
        low, high = bounds(store.facts["rent_waived_monthly"], ChainMap(facts, params))
        monthly = money(rng, low, min(high, cap / (rate * counted) * 0.5))
        tags.append("operator_rate")
    facts.update(rent_waived_monthly=monthly, rent_waived_months=months)
    tags += ["operator_subsidy"] + (["months_limit:operator"] if months >= params["operator_subsidy_max_months"] else [])
    return facts


def _month_limits(rng, store, rows, params, tags):
    """A deferral or waiver whose months are capped: its figure is always known."""
    facts = ordinary(rng, store, rng.choice(rows), rng.choice(("micro", "small", "medium")), params)
    which = rng.choice(("si", "tax", "rent"))
    said, figure = {"si": ("si_difficulty", "monthly_si_premium"), "tax": ("tax_payment_difficulty", None),
                    "rent": ("rents_soe_property", "monthly_rent")}[which]
    facts[said] = True
    if figure and figure not in facts:
        facts[figure] = known(rng, store, facts, params, figure)
    tags += ["month_limits", f"months_limit:{which}"]
    return facts


def enterprise(rng, store, row, band, params, need=frozenset()):
    """An enterprise of a class band; a large one is over every limit of its row (any indicator may decide)."""
    facts = ordinary(rng, store, row, band, params, need)
    if band == "large":
        for indicator, limit in row.sme_below.items():
            is_count = indicator not in row.money
            facts[indicator] = (int(limit * rng.uniform(1.02, 2.5)) if is_count
                                else money(rng, limit * 1.02, limit * 2.5))
    return facts


def _large(rng, store, rows, params, tags):
    row = rng.choice(rows)
    facts = enterprise(rng, store, row, "large", params)
    tags += ["large", f"row:{row.name}"]
    return facts


def reachable(store: Store) -> list[tuple[Policy, Measure]]:
    """The measures of the place's documents other than its own notice, in force on the cases' day, whose
    conditions or amount depend on the enterprise: what `other_document` cases reach, read from the store."""
    day = as_of(store)
    return [(p, m) for p in store.place_policies()[1:] if in_force(p, day) for m in store.measures_here(p)
            if m.audience == "enterprise" and (m.conditions or m.amount)]


def read_facts(store: Store, measure: Measure) -> tuple[list[str], frozenset[str]]:
    """The yes/no facts a measure's conditions read, and the facts its amount reads."""
    conditions = [n for c in measure.conditions for n in c.test.names if n in store.facts]
    yes_no = [n for n in dict.fromkeys(conditions) if store.facts[n].is_yes_no]
    amount = frozenset(n for n in (measure.amount.formula.names if measure.amount else ()) if n in store.facts)
    return yes_no, amount


def _other_document(rng, store, rows, params, tags):
    policy, measure = rng.choice(reachable(store))
    yes_no, need = read_facts(store, measure)
    day = as_of(store)
    small = list(REACH_BANDS)
    rng.shuffle(small)
    facts = {}
    for band in (*small, "medium", "large"):
        for attempt in range(REACH_TRIES):
            facts = enterprise(rng, store, rng.choice(rows), band, params, need)
            facts.update({n: True if attempt == 0 else rng.random() < 0.5 for n in yes_no})
            for n in yes_no:
                facts.update(store.facts[n].implies if facts[n] else {})
            cap_layoffs(facts)
            if estimate(facts, measure.id, day, store=store, policy=policy.id).status == "eligible":
                tags += ["other_document", f"document:{policy.id}", f"reaches:{measure.id}"]
                return facts
    tags += ["other_document", f"document:{policy.id}"]
    return facts


def _not_affected(rng, store, rows, params, tags):
    facts = ordinary(rng, store, rng.choice(rows), rng.choice(("micro", "small", "medium")), params)
    facts.update(affected=False, severe_difficulty=False, si_difficulty=False, filing_difficulty=False,
                 tax_payment_difficulty=False, major_loss=False)
    tags.append("not_affected")
    return facts


def _lender(rng, store, rows, params, tags):
    tags.append("lender")
    return {name: True for name in store.facts_with_role("lender")}


def _ordinary(rng, store, rows, params, tags):
    tags.append("ordinary")
    return ordinary(rng, store, rng.choice(rows), rng.choice(("micro", "micro", "small", "small", "medium")), params)


def store_row(rng: random.Random, preferred: tuple[str, ...], rows: list[IndustryRow]) -> IndustryRow:
    named = [r for r in rows if r.name in preferred]
    return rng.choice(named or rows)


def cap_layoffs(facts: dict) -> None:
    """Layoffs may not exceed headcount (facts.yaml at_most); a changed headcount keeps that true."""
    facts["layoffs"] = min(facts["layoffs"], facts["employees"])


BUILDERS = {"layoff_rule": _layoff_rule, "operator_subsidy": _operator_subsidy,
            "month_limits": _month_limits, "large": _large, "not_affected": _not_affected, "lender": _lender,
            "ordinary": _ordinary, "other_document": _other_document}
