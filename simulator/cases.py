"""Generated enterprise cases, weighted toward what staff get wrong.

Every threshold comes from the store (the classification rows, the policies' parameters), so a change of the data
moves the boundaries the cases sit on. A case's `facts` are the owner's true facts (contract §3 names, money in
yuan, industry = the classification row); a fact absent from them is one the owner does not know.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from policy_db import Store, validate
from policy_db.engine import estimate
from policy_db.model import Classification, IndustryRow, Measure, Policy

NARRATIVES = Path(__file__).with_name("narratives.yaml")
NEAR = 0.10  # "within 10% of a threshold"

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


@dataclass(frozen=True)
class Case:
    id: str
    seed: int
    facts: dict
    narrative: str
    tags: tuple[str, ...]


@lru_cache(maxsize=1)
def _narratives() -> dict:
    return yaml.safe_load(NARRATIVES.read_text(encoding="utf-8"))


def classification(store: Store) -> Classification:
    return store.classification_for(store.default_policy)


def parameters(store: Store) -> dict:
    """Every document's parameters as they stood on the cases' day (names are unique across documents)."""
    values: dict = {}
    day = as_of(store)
    for policy in store.place_policies():
        values.update(policy.parameter_values(day))
    return values


def _thresholds(row: IndustryRow, indicator: str) -> list[tuple[str, float]]:
    return [(name, limits[indicator]) for name, limits in (("sme_below", row.sme_below),
                                                         ("medium_at_least", row.medium_at_least),
                                                         ("small_at_least", row.small_at_least))
            if indicator in limits]


def _round(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def _step(threshold: float) -> float:
    """Three significant figures of the threshold: the grain owners speak figures in near it."""
    return 10 ** max(0, math.floor(math.log10(max(threshold, 1))) - 2)


def _money(rng: random.Random, low: float, high: float) -> int:
    """A log-uniform amount, rounded to two significant figures as an owner would say it."""
    value = math.exp(rng.uniform(math.log(max(low, 1)), math.log(max(high, low + 1))))
    return int(_round(value, 10 ** max(0, math.floor(math.log10(value)) - 1)))


def _near(rng: random.Random, threshold: float, is_count: bool, side: str) -> int:
    """A value within 10% of a threshold on one side: a grain below it or exactly on it, or anywhere in that half
    of the band (a count threshold too small for a whole number within 10% below gets the next number down)."""
    step = 1 if is_count else _step(threshold)
    if side == "below":
        low, high = math.ceil(threshold * (1 - NEAR) / step) * step, threshold - step
        if high < low:
            return int(threshold - step)
        value = high if rng.random() < 0.4 else _round(rng.uniform(low, high), step)
        return int(min(max(value, low), high))
    high = math.floor(threshold * (1 + NEAR) / step) * step
    value = threshold if rng.random() < 0.4 else _round(rng.uniform(threshold, high), step)
    return int(min(max(value, threshold), high))


def _inside(rng: random.Random, row: IndustryRow, indicator: str, where: str, is_count: bool) -> int:
    """A value of an indicator comfortably inside a class band, so another indicator's boundary decides."""
    floors = {"micro": 0, "small": row.small_at_least.get(indicator, 0),
              "medium": row.medium_at_least.get(indicator, 0), "large": row.sme_below.get(indicator, 0)}
    ceilings = {"micro": row.small_at_least.get(indicator), "small": row.medium_at_least.get(indicator),
                "medium": row.sme_below.get(indicator), "large": None}
    low = max(floors[where] * 1.2, 1 if is_count else 10_000)
    high = ceilings[where] * 0.8 if ceilings[where] else low * 3
    if high <= low:
        high = low * 1.5
    if is_count:
        return int(rng.uniform(low, high))
    return _money(rng, low, high)


def _indicator_values(rng: random.Random, row: IndustryRow, band: str) -> dict:
    values = {}
    for indicator in row.indicators:
        values[indicator] = _inside(rng, row, indicator, band, indicator not in row.money)
    return values


def _base(rng: random.Random, store: Store, row: IndustryRow, band: str, need: frozenset[str] = frozenset()) -> dict:
    """An ordinary enterprise of this row in this class band, with every yes/no fact decided; the figures in
    ``need`` are always known (a measure's amount reads them)."""
    facts = {"industry": row.name}
    facts.update(_indicator_values(rng, row, band))
    employees = facts.get("employees") or int(rng.choice((3, 6, 12, 25, 40, 80, 150)) * rng.uniform(0.8, 1.3)) + 1
    facts["employees"] = employees
    revenue = facts.get("revenue") or _money(rng, employees * 80_000, employees * 400_000)
    facts["revenue"] = revenue
    if "total_assets" not in facts and rng.random() < 0.6:
        facts["total_assets"] = _money(rng, revenue * 0.3, revenue * 1.5)
    facts["affected"] = True
    facts["severe_difficulty"] = rng.random() < 0.35
    facts["insured"] = rng.random() < 0.8
    if facts["insured"] and rng.random() < 0.85 or "ui_premium_last_year" in need:
        facts["ui_premium_last_year"] = _money(rng, employees * 300, employees * 1200)
    facts["layoffs"] = 0 if rng.random() < 0.65 else rng.randint(1, max(1, employees // 8))
    facts["si_difficulty"] = rng.random() < 0.3
    if rng.random() < 0.8 or "monthly_si_premium" in need:
        facts["monthly_si_premium"] = _money(rng, employees * 700, employees * 1500)
    if rng.random() < 0.7 or "monthly_employer_si" in need:
        facts["monthly_employer_si"] = _money(rng, employees * 500, employees * 1100)
    facts["filing_difficulty"] = rng.random() < 0.2
    facts["tax_payment_difficulty"] = rng.random() < 0.25
    facts["major_loss"] = rng.random() < 0.2
    facts["legal_form"] = rng.choices(store.facts["legal_form"].choices, weights=(60, 12, 8, 18, 2))[0]
    facts["epidemic_donation"] = rng.random() < 0.25
    facts["rents_soe_property"] = rng.random() < 0.2
    facts["in_supported_park"] = rng.random() < 0.1
    facts["in_tech_incubator"] = rng.random() < 0.1
    if rng.random() < 0.85 or "monthly_rent" in need:
        facts["monthly_rent"] = _money(rng, 1500, 20_000 + employees * 800)
    facts["incubator_operator"] = False
    facts["needs_testing"] = rng.random() < 0.15
    facts["has_loan"] = rng.random() < 0.4
    if facts["has_loan"] and rng.random() < 0.85 or "loan_principal" in need:
        facts["loan_principal"] = _money(rng, 100_000, max(200_000, revenue))
    facts["loan_renewal_due"] = facts["has_loan"] and rng.random() < 0.4
    facts["owed_by_public"] = rng.random() < 0.15
    facts["contract_dispute"] = rng.random() < 0.15
    facts["epidemic_transport"] = rng.random() < 0.1
    facts["budgeted_project"] = rng.random() < 0.1
    facts["hiring_difficulty"] = rng.random() < 0.3
    facts["is_small_scale_taxpayer"] = revenue < 5_000_000 and rng.random() < 0.8
    if facts["is_small_scale_taxpayer"] and rng.random() < 0.8 or "monthly_sales_at_3pct" in need:
        facts["monthly_sales_at_3pct"] = _money(rng, revenue / 24, revenue / 10)
    facts["prepays_vat_at_3pct"] = facts["is_small_scale_taxpayer"] and rng.random() < 0.1
    facts["is_financial_institution"] = False
    return facts


def boundary_slots(cls: Classification) -> list[tuple[IndustryRow, str, str, float, str]]:
    """Every class boundary of every row, on both sides: (row, indicator, threshold name, threshold, side)."""
    return [(row, indicator, name, threshold, side) for row in cls.rows.values() for indicator in row.indicators
            for name, threshold in _thresholds(row, indicator) for side in ("below", "at_or_above")]


def _class_boundary(rng, store, slot, tags):
    """The other indicators sit inside the class above the threshold, so this indicator's side decides."""
    row, indicator, name, threshold, side = slot
    band = {"sme_below": "large", "medium_at_least": "medium", "small_at_least": "small"}[name]
    facts = _base(rng, store, row, band)
    facts[indicator] = _near(rng, threshold, indicator not in row.money, side)
    tags += ["class_boundary", f"row:{row.name}", f"boundary:{indicator}:{name}:{side}"]
    return facts


def _layoff_rule(rng, store, rows, params, tags):
    facts = _base(rng, store, rng.choice(rows), rng.choice(("micro", "small", "medium")))
    headcount = params["ui_small_firm_headcount"]
    if rng.random() < 0.5:
        employees = rng.randint(max(2, int(headcount * 0.5)), int(headcount * (1 + NEAR)))
    else:
        employees = rng.randint(headcount + 1, headcount * 12)
    share = params["ui_small_firm_layoff_share"] if employees <= headcount else params["ui_layoff_rate_cap"]
    limit = employees * share
    layoffs = max(1, math.floor(limit) + rng.choice((-1, 0, 0, 1)))
    facts.update(employees=employees, layoffs=min(layoffs, employees), insured=True)
    facts.setdefault("ui_premium_last_year", _money(rng, employees * 300, employees * 1200))
    tags += ["layoff_rule", "small_firm_share" if employees <= headcount else "layoff_rate_cap"]
    return facts


def _operator_subsidy(rng, store, rows, params, tags):
    row = store_row(store, rng, preferred=("租赁和商务服务业", "其他未列明行业"), rows=rows)
    facts = _base(rng, store, row, rng.choice(("small", "medium")))
    months = rng.choice((1, 2, 3, 3, 4, 6))
    counted = min(months, params["operator_subsidy_max_months"])
    cap, rate = params["operator_subsidy_cap"], params["operator_subsidy_rate"]
    if rng.random() < 0.5:
        monthly = _near(rng, cap / (rate * counted), False, rng.choice(("below", "at_or_above")))
        tags.append("operator_cap")
    else:
        monthly = _money(rng, 5_000, cap / (rate * counted) * 0.5)
        tags.append("operator_rate")
    facts.update(incubator_operator=True, rent_waived_monthly=monthly, rent_waived_months=months)
    tags += ["operator_subsidy"] + (["months_limit:operator"] if months >= params["operator_subsidy_max_months"] else [])
    return facts


def _month_limits(rng, store, rows, params, tags):
    facts = _base(rng, store, rng.choice(rows), rng.choice(("micro", "small", "medium")))
    which = rng.choice(("si", "tax", "rent"))
    if which == "si":
        facts["si_difficulty"] = True
        facts["monthly_si_premium"] = facts.get("monthly_si_premium") or _money(rng, 5_000, 80_000)
    elif which == "tax":
        facts["tax_payment_difficulty"] = True
    else:
        facts["rents_soe_property"] = True
        facts["monthly_rent"] = facts.get("monthly_rent") or _money(rng, 2_000, 40_000)
    tags += ["month_limits", f"months_limit:{which}"]
    return facts


def _enterprise(rng, store, row, band, need=frozenset()):
    """An enterprise of a class band; a large one is over every limit of its row (any indicator may decide)."""
    facts = _base(rng, store, row, band, need)
    if band == "large":
        for indicator, limit in row.sme_below.items():
            is_count = indicator not in row.money
            facts[indicator] = (int(limit * rng.uniform(1.02, 2.5)) if is_count
                                else _money(rng, limit * 1.02, limit * 2.5))
    return facts


def _large(rng, store, rows, params, tags):
    row = rng.choice(rows)
    facts = _enterprise(rng, store, row, "large")
    tags += ["large", f"row:{row.name}"]
    return facts


def reachable(store: Store) -> list[tuple[Policy, Measure]]:
    """The measures of the place's documents other than its own notice, in force on the cases' day, whose
    conditions or amount depend on the enterprise: what `other_document` cases reach, read from the store."""
    day = as_of(store)
    return [(p, m) for p in store.place_policies()[1:] if in_force(p, day) for m in store.measures_here(p)
            if m.audience == "enterprise" and (m.conditions or m.amount)]


def _read_facts(store: Store, measure: Measure) -> tuple[list[str], frozenset[str]]:
    """The yes/no facts a measure's conditions read, and the facts its amount reads."""
    conditions = [n for c in measure.conditions for n in c.test.names if n in store.facts]
    yes_no = [n for n in dict.fromkeys(conditions) if store.facts[n].is_yes_no]
    amount = frozenset(n for n in (measure.amount.formula.names if measure.amount else ()) if n in store.facts)
    return yes_no, amount


def _other_document(rng, store, rows, params, tags):
    policy, measure = rng.choice(reachable(store))
    yes_no, need = _read_facts(store, measure)
    day = as_of(store)
    small = list(REACH_BANDS)
    rng.shuffle(small)
    facts = {}
    for band in (*small, "medium", "large"):
        for attempt in range(REACH_TRIES):
            facts = _enterprise(rng, store, rng.choice(rows), band, need)
            facts.update({n: True if attempt == 0 else rng.random() < 0.5 for n in yes_no})
            for n in yes_no:
                facts.update(store.facts[n].implies if facts[n] else {})
            _cap_layoffs(facts)
            if estimate(facts, measure.id, day, store=store, policy=policy.id).status == "eligible":
                tags += ["other_document", f"document:{policy.id}", f"reaches:{measure.id}"]
                return facts
    tags += ["other_document", f"document:{policy.id}"]
    return facts


def _not_affected(rng, store, rows, params, tags):
    facts = _base(rng, store, rng.choice(rows), rng.choice(("micro", "small", "medium")))
    facts.update(affected=False, severe_difficulty=False, si_difficulty=False, filing_difficulty=False,
                 tax_payment_difficulty=False, major_loss=False)
    tags.append("not_affected")
    return facts


def _lender(rng, store, rows, params, tags):
    tags.append("lender")
    return {"is_financial_institution": True}


def _ordinary(rng, store, rows, params, tags):
    tags.append("ordinary")
    return _base(rng, store, rng.choice(rows), rng.choice(("micro", "micro", "small", "small", "medium")))


def store_row(store: Store, rng: random.Random, preferred: tuple[str, ...], rows: list[IndustryRow]) -> IndustryRow:
    named = [r for r in rows if r.name in preferred]
    return rng.choice(named or rows)


def _cap_layoffs(facts: dict) -> None:
    """Layoffs may not exceed headcount (facts.yaml at_most); a changed headcount keeps that true."""
    facts["layoffs"] = min(facts["layoffs"], facts["employees"])


BUILDERS = {"layoff_rule": _layoff_rule, "operator_subsidy": _operator_subsidy,
            "month_limits": _month_limits, "large": _large, "not_affected": _not_affected, "lender": _lender,
            "ordinary": _ordinary, "other_document": _other_document}


def _forget(rng: random.Random, facts: dict, tags: list[str], keep: tuple[str, ...]) -> None:
    """Now and then the owner does not know a figure (the accountant does): it leaves the facts (never one of
    ``keep``, the indicators whose boundary the case is about)."""
    for name in ("total_assets", "ui_premium_last_year", "monthly_si_premium", "monthly_employer_si",
                 "monthly_sales_at_3pct", "loan_principal"):
        if name in facts and name not in keep and rng.random() < 0.06:
            del facts[name]
            tags.append(f"unknown:{name}")


_TRADE_WORDS: dict[tuple[int, str], tuple[Classification, list[str]]] = {}


def trade_words(cls: Classification, row: str) -> list[str]:
    """trade_words_of, kept per classification object and row (reading every synonym is slow; the object is kept
    with its words, so its id is not reused while cached)."""
    key = (id(cls), row)
    if key not in _TRADE_WORDS:
        _TRADE_WORDS[key] = (cls, trade_words_of(cls, row))
    return list(_TRADE_WORDS[key][1])


def trade_words_of(cls: Classification, row: str) -> list[str]:
    """Words an owner would use for the trade, from the classification's own synonyms: nouns of two characters or
    more that name this row (not verb phrases like 做外贸, which the templates' 做…的 already say), none stating
    another fact (narratives.yaml trade_words_left_out)."""
    left_out = _narratives()["trade_words_left_out"]
    return [w for w, r in cls.synonyms.items() if r == row and len(w) >= 2 and cls.industry_for(w) == row
            and not w.startswith(("做", "是", "搞", "跑", "干", "送", "卖")) and not w.isascii()
            and not any(part in w for part in left_out)]


def _industry_word(rng: random.Random, cls: Classification, row: str) -> str:
    words = trade_words(cls, row)
    return rng.choice(words) if words else row


def _narrative(rng: random.Random, cls: Classification, facts: dict, scenario: str, tags: list[str]) -> str:
    texts = _narratives()
    if scenario == "lender":
        tags.append("states:is_financial_institution")
        return rng.choice(texts["lender"])
    if facts.get("incubator_operator"):
        tags.append("states:incubator_operator")
        return rng.choice(texts["operator"])
    key = "affected" if facts.get("affected") else "not_affected"
    tags.append("states:affected")
    if rng.random() < 0.75:
        word = _industry_word(rng, cls, facts["industry"])
        tags += ["states:industry", f"word:{word}"]
        return rng.choice(texts[key]["with_trade"]).format(word=word)
    return rng.choice(texts[key]["plain"])


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
        facts = _class_boundary(rng, store, slot, tags)
        keep = slot[0].indicators
    else:
        scenario = rng.choices([s for s, _ in SCENARIOS], weights=[w for _, w in SCENARIOS])[0]
        facts = BUILDERS[scenario](rng, store, rows, params, tags)
        keep = tuple(n for t in tags if t.startswith("reaches:")
                     for n in _read_facts(store, store.find(t.split(":", 1)[1])[1])[1])
    if scenario != "lender":
        _cap_layoffs(facts)
        _forget(rng, facts, tags, keep)
    narrative = _narrative(rng, cls, facts, scenario, tags)
    facts = validate(facts, store.facts, cls)
    tags += [f"near:{n}" for n in near_thresholds(store, facts)]
    return Case(id=f"case-{seed}", seed=seed, facts=facts, narrative=narrative, tags=tuple(t for t in tags if t))


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
        for name, threshold in _thresholds(row, indicator):
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


def in_force(policy: Policy, day: dt.date) -> bool:
    return policy.in_force_from <= day <= policy.in_force_until


def as_of(store: Store) -> dt.date:
    """The day the cases' situations are set: the first day of the place's own notice on which the most documents
    of the place are in force (each starts on one of their first days), so a trainee is graded on every document
    the store holds that was in force with the notice, whatever documents the store holds."""
    home = store.default_policy
    days = sorted({min(max(p.in_force_from, home.in_force_from), home.in_force_until) for p in store.place_policies()})
    return max(days, key=lambda day: (sum(in_force(p, day) for p in store.place_policies()), -day.toordinal()))
