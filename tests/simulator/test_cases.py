"""The case generator: reproducible, valid, and weighted toward the boundaries staff get wrong."""

from __future__ import annotations

import random
import re
from collections import ChainMap
from dataclasses import replace

import pytest

import policy_db
from policy_db import evaluate, validate
from policy_db.model import FactSpec
from simulator.cases import as_of, case, classification, generate, parameters
from simulator.enterprise import bounds, ordinary
from simulator.scenarios import boundary_slots, reachable

N = 500


@pytest.fixture(scope="module")
def store():
    return policy_db.load()


@pytest.fixture(scope="module")
def cases(store):
    return generate(store, N, seed=3)


def test_generation_is_deterministic_by_seed(store, cases):
    assert generate(store, N, seed=3) == cases
    assert case(store, 300_017) == cases[17]
    assert [c.facts for c in generate(store, 20, seed=4)] != [c.facts for c in cases[:20]]


def test_generated_facts_always_validate_against_facts_yaml(store, cases):
    for c in [*cases, *generate(store, 1500, seed=11)]:
        assert validate(c.facts, store.facts, classification(store)) == c.facts, c.id
        assert all(isinstance(v, bool) for k, v in c.facts.items() if store.facts[k].type == "bool")


def _within_ten_percent(store, facts) -> bool:
    """Written from the store's data here, apart from the generator's own bookkeeping."""
    params = parameters(store)
    row = classification(store).rows.get(facts.get("industry"))
    if row is not None:
        for limits in (row.sme_below, row.medium_at_least, row.small_at_least):
            for indicator, limit in limits.items():
                if facts.get(indicator) is not None and abs(facts[indicator] - limit) <= 0.1 * limit:
                    return True
    employees, layoffs = facts.get("employees"), facts.get("layoffs")
    if employees and layoffs:
        small = employees <= params["ui_small_firm_headcount"]
        limit = employees * params["ui_small_firm_layoff_share" if small else "ui_layoff_rate_cap"]
        if abs(layoffs - limit) <= max(1, 0.1 * limit):
            return True
    if facts.get("rent_waived_monthly") and facts.get("rent_waived_months"):
        months = min(facts["rent_waived_months"], params["operator_subsidy_max_months"])
        subsidy = facts["rent_waived_monthly"] * months * params["operator_subsidy_rate"]
        return abs(subsidy - params["operator_subsidy_cap"]) <= 0.1 * params["operator_subsidy_cap"]
    return False


def test_at_least_a_third_of_cases_lie_within_ten_percent_of_a_threshold(store, cases):
    near = sum(_within_ten_percent(store, c.facts) for c in cases)
    assert near >= N / 3, near


def test_every_class_boundary_of_every_row_is_met_on_both_sides(store, cases):
    for row, indicator, _, threshold, side in boundary_slots(classification(store)):
        values = [c.facts[indicator] for c in cases if c.facts.get("industry") == row.name and indicator in c.facts]
        if side == "below":
            assert any(threshold * 0.8 <= v < threshold for v in values), (row.name, indicator, threshold, side)
        else:
            assert any(threshold <= v <= threshold * 1.1 for v in values), (row.name, indicator, threshold, side)


def test_thresholds_come_from_the_store(store):
    """Move one row's threshold in the data: the boundary cases move with it."""
    cls = classification(store)
    row = cls.rows["餐饮业"]
    moved = replace(row, small_at_least={**row.small_at_least, "employees": 40})
    other = replace(store, classifications={cls.id: replace(cls, rows={**cls.rows, "餐饮业": moved}),
                                            **{k: v for k, v in store.classifications.items() if k != cls.id}})
    boundary = [c for c in generate(other, N, seed=3)
                if "row:餐饮业" in c.tags and any(t.startswith("boundary:employees:small_at_least") for t in c.tags)]
    assert boundary and all(36 <= c.facts["employees"] <= 44 for c in boundary)


def test_the_situations_staff_get_wrong_are_all_there_and_mean_what_they_say(store, cases):
    day = as_of(store)
    tagged = {t: [c for c in cases if t in c.tags] for t in
              ("large", "not_affected", "lender", "layoff_rule", "operator_cap", "months_limit:si", "months_limit:tax",
               "months_limit:rent", "months_limit:operator")}
    assert all(tagged.values()), {t: len(v) for t, v in tagged.items()}
    assert all(evaluate(c.facts, day, store=store).sme_class == "large" for c in tagged["large"])
    assert all(c.facts["affected"] is False for c in tagged["not_affected"])
    assert all(evaluate(c.facts, day, store=store).for_lender for c in tagged["lender"])
    layoff_outcomes = {evaluate(c.facts, day, store=store).result("1.1").status for c in tagged["layoff_rule"]}
    assert {"eligible", "ineligible"} <= layoff_outcomes
    cap = parameters(store)["operator_subsidy_cap"]
    subsidies = [evaluate(c.facts, day, store=store).result("5.4").amount_yuan for c in tagged["operator_cap"]]
    assert any(a == cap for a in subsidies) and any(a < cap for a in subsidies)
    months = {c.facts["rent_waived_months"] for c in tagged["months_limit:operator"]}
    assert any(m > parameters(store)["operator_subsidy_max_months"] for m in months)


def test_the_narrative_is_short_chinese_without_figures(cases):
    for c in cases:
        assert 10 <= len(c.narrative) <= 80 and not re.search(r"\d|[一二三四五六七八九十百千万]{2,}", c.narrative), c.narrative
    assert len({c.narrative for c in cases}) > 30


def test_the_cases_day_has_every_document_of_the_place_in_force(store):
    day = as_of(store)
    assert all(p.in_force_from <= day <= p.in_force_until for p in store.place_policies())
    assert store.default_policy.in_force_from <= day


def test_cases_reach_every_measure_of_the_other_documents(store, cases):
    """Small-scale taxpayers (the VAT cut, prepaying at 1%), large firms (Shandong's halving), severe difficulty (the
    national deferral): each measure of a document other than the notice that depends on the enterprise is reached
    by cases that say so, the engine agrees it applies, and the owner knows every figure its amount reads."""
    day = as_of(store)
    wanted = {m.id for _, m in reachable(store)}
    assert {"vat13-1", "vat13-2", "sd-si-2", "rsb11-1.2", "rsb11-3"} <= wanted
    for measure in wanted:
        tagged = [c for c in cases if f"reaches:{measure}" in c.tags]
        assert tagged, measure
        for c in tagged:
            r = evaluate(c.facts, day, store=store).result(measure)
            assert r.status == "eligible", (c.id, measure, r.why)
            assert all(n in c.facts for n in (r.measure.amount.formula.names if r.measure.amount else ())
                       if n in store.facts), (c.id, measure)


def test_every_fact_but_the_industry_says_how_generated_enterprises_have_it(store):
    assert [n for n, spec in store.facts.items() if not spec.simulator] == [store.industry_fact]


def test_ordinary_enterprises_follow_facts_yaml(store):
    """Shares of yes, shares of owners who know a figure, and every figure within its `between`, over 2,000 draws
    (the class indicators are put inside the class band instead)."""
    rng, params = random.Random(5), parameters(store)
    rows = list(classification(store).rows.values())
    indicators = {i for row in rows for i in row.indicators}
    drawn = [ordinary(rng, store, rng.choice(rows), rng.choice(("micro", "small", "medium")), params)
             for _ in range(2000)]
    for name, spec in [(n, s) for n, s in store.facts.items() if n not in indicators]:
        sim, values = spec.simulator, [f[name] for f in drawn if name in f]
        if spec.is_yes_no and "only_if" not in sim:
            assert abs(sum(values) / len(drawn) - sim["chance"]) < 0.04, name
        if not spec.is_yes_no and "between" in sim:
            for facts in drawn:
                if name in facts and facts[name] != 0:
                    low, high = bounds(spec, ChainMap(facts, params))
                    assert low * 0.95 <= facts[name] <= max(high, low + 1) * 1.05, (name, facts[name], low, high)
        if "known" in sim and "only_if" not in sim:
            assert abs(len(values) / len(drawn) - sim["known"]) < 0.04, name
    loans = [f for f in drawn if f["has_loan"]]
    assert not any(f["loan_renewal_due"] for f in drawn if not f["has_loan"]) and any(f["loan_renewal_due"] for f in loans)


def test_a_fact_added_to_the_store_is_drawn_with_no_code(store):
    exports = FactSpec(name="exports_goods", type="bool", label="有出口业务", ask="企业有出口业务吗？",
                       simulator={"chance": 0.5, "only_if": "has_loan"})
    wider = replace(store, facts={**store.facts, "exports_goods": exports})
    drawn = [c.facts for c in generate(wider, 300, seed=3) if "has_loan" in c.facts]
    assert all(f["exports_goods"] is False for f in drawn if not f["has_loan"])
    with_loan = [f["exports_goods"] for f in drawn if f["has_loan"]]
    assert 0.35 < sum(with_loan) / len(with_loan) < 0.65


def test_the_small_scale_taxpayers_threshold_is_the_stores_parameter(store):
    """财税〔2018〕33号's 500万 (a parameter of the VAT document): moved in the data, the taxpayers move with it."""
    policy = next(p for p in store.policies.values() if "vat_small_scale_sales_limit" in p.parameters)
    limit = policy.parameters["vat_small_scale_sales_limit"]
    assert limit.reference == "财税〔2018〕33号" and parameters(store)["vat_small_scale_sales_limit"] == 5_000_000
    lowered = replace(store, policies={**store.policies, policy.id: replace(policy, parameters={
        **policy.parameters, limit.name: replace(limit, values=((limit.values[0][0], 1_000_000),))})})
    for cases_of, ceiling in ((generate(store, 400, seed=3), 5_000_000), (generate(lowered, 400, seed=3), 1_000_000)):
        small = [c.facts["revenue"] for c in cases_of if c.facts.get("is_small_scale_taxpayer") and "ordinary" in c.tags]
        assert small and max(small) <= ceiling
