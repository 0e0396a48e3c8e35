"""Engine behaviour beyond single cases: monotonic knowledge, question ranking, the payload, refusals."""

import datetime as dt
import json
import random

import pytest

from bench.profiles import random_profile
from policy_db import FactError, evaluate, next_questions
from policy_db.report import render
from policy_db.expressions import ExpressionError, compile_expression

CONTRACT_MEASURE_KEYS = {"id", "title", "status", "amount_yuan", "months", "formula", "departments", "clause", "why"}


def test_adding_a_fact_never_turns_a_decided_measure_back_into_unknown(policy_store):
    rng = random.Random(7)
    for _ in range(400):
        full = random_profile(policy_store, rng, keep=1.0)
        names = list(full)
        rng.shuffle(names)
        known: dict = {}
        before = {r.measure.id: r.status for r in evaluate(known, store=policy_store).results}
        for name in names:
            known[name] = full[name]
            if name == "layoffs" and "employees" not in known:
                known["employees"] = full["employees"]
            after = {r.measure.id: r.status for r in evaluate(known, store=policy_store).results}
            for mid, status in before.items():
                if status != "unknown":
                    assert after[mid] == status, (mid, known)
            before = after


def test_a_restaurant_is_never_asked_whether_it_runs_an_incubator(policy_store):
    facts = {"industry": "餐饮业"}
    while True:
        questions = next_questions(facts, store=policy_store)
        if not questions:
            break
        asked = questions[0].fact
        assert asked not in {"incubator_operator", "rent_waived_monthly", "rent_waived_months"}
        facts[asked] = {"bool": True, "industry": "餐饮业", "choice": "公司"}.get(
            policy_store.facts[asked].type, 20 if policy_store.facts[asked].type in {"count", "months"} else 150000)


def test_industry_is_asked_first_and_then_what_decides_the_sme_class(policy_store):
    assert next_questions({}, store=policy_store)[0].fact == "industry"
    first_two = {q.fact for q in next_questions({"industry": "工业"}, store=policy_store)[:2]}
    assert first_two == {"employees", "revenue"}


def test_questions_can_focus_on_the_measures_the_user_asked_about(policy_store):
    facts = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True}
    focused = next_questions(facts, measures=["5.1"], store=policy_store)
    assert [q.fact for q in focused] == ["rents_soe_property"]
    assert focused[0].measures == ("5.1",)


def test_amount_facts_are_asked_only_for_eligible_measures(policy_store):
    facts = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True,
             "rents_soe_property": True}
    questions = next_questions(facts, store=policy_store)
    rent = next(q for q in questions if q.fact == "monthly_rent")
    assert rent.kind == "amount" and rent.measures == ("5.1",)
    assert all(q.kind == "condition" for q in questions[: questions.index(rent)])


def test_the_payload_is_the_contract_result_and_serialises_to_json(policy_store):
    payload = evaluate({"industry": "餐饮业", "employees": 12}, store=policy_store).to_payload()
    assert payload["type"] == "result" and payload["policy"] == "liaocheng-2020-sme"
    assert payload["enterprise"] == {"sme_class": None, "facts": {"industry": "餐饮业", "employees": 12}}
    for m in payload["measures"]:
        assert CONTRACT_MEASURE_KEYS <= set(m)
        assert m["status"] in {"eligible", "ineligible", "unknown"}
        assert m["clause"].startswith("第") and m["departments"]
    json.dumps(payload, ensure_ascii=False)


@pytest.mark.parametrize("as_of, notice", [
    ("2020-02-06", "自2020年2月7日起执行，2020年2月6日时尚未施行"),
    ("2020-04-01", "本政策执行至2020年6月30日"),
    ("2020-07-01", "已于2020年6月30日执行期满"),
])
def test_the_answer_says_plainly_whether_the_policy_was_in_force_on_the_day_asked(policy_store, as_of, notice):
    a = evaluate({"industry": "餐饮业", "employees": 12}, dt.date.fromisoformat(as_of), store=policy_store)
    assert notice in render(a)
    assert (a.to_payload()["valid_from"], a.to_payload()["valid_until"]) == ("2020-02-07", "2020-06-30")


@pytest.mark.parametrize("facts, fact", [
    ({"employees": -1}, "employees"),
    ({"employees": 10, "layoffs": 11}, "layoffs"),
    ({"revenue": 10**13}, "revenue"),
    ({"rent_waived_months": 13}, "rent_waived_months"),
    ({"favourite_colour": "红"}, "favourite_colour"),
    ({"affected": "yes"}, "affected"),
    ({"employees": "十二"}, "employees"),
    ({"industry": "星际旅行"}, "industry"),
])
def test_impossible_facts_are_refused_with_a_message_naming_the_fact(policy_store, facts, fact):
    with pytest.raises(FactError) as err:
        evaluate(facts, store=policy_store)
    assert err.value.fact == fact
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)


def test_a_refused_set_of_facts_applies_nothing(policy_store):
    with pytest.raises(FactError):
        evaluate({"industry": "餐饮业", "employees": 12, "layoffs": 20}, store=policy_store)


@pytest.mark.parametrize("source", ["__import__('os')", "open('x')", "a.b", "[x for x in y]", "lambda: 1", "a ** b"])
def test_policy_expressions_reject_anything_but_the_small_language(source):
    with pytest.raises(ExpressionError):
        compile_expression(source)


def test_unknowns_follow_kleene_logic():
    expr = compile_expression("a and b")
    assert expr({"a": False, "b": None}) is False
    assert expr({"a": True, "b": None}) is None
    assert compile_expression("a or b")({"a": True, "b": None}) is True
