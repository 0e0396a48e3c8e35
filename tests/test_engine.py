"""Engine behaviour beyond single cases: monotonic knowledge, question ranking, the payload, refusals."""

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import yaml

from bench.profiles import random_profile
from policy_db import FactError, evaluate, next_questions
from policy_db.report import render
from policy_db.expressions import ExpressionError, compile_expression

CONTRACT_MEASURE_KEYS = {"id", "title", "status", "kind", "amount_yuan", "months", "formula", "departments", "clause",
                         "why"}
KINDS = {"benefit", "lender_duty", "encouraged", "service", "for_workers", "for_lenders"}
CASES = Path(__file__).parent / "cases"


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


def test_an_enterprise_is_asked_for_waived_rent_only_after_saying_it_runs_a_provincial_base(policy_store):
    """5.4 asks nothing of the operator's industry ("…的省级创业孵化基地、示范园区"), so anyone may be asked whether it
    runs one, as a yes/no situation; the figures follow only a yes."""
    facts = {"industry": "餐饮业"}
    while True:
        questions = next_questions(facts, store=policy_store)
        if not questions:
            break
        asked = questions[0].fact
        if asked in {"rent_waived_monthly", "rent_waived_months"}:
            assert facts.get("incubator_operator") is True
        facts[asked] = {"bool": True, "industry": "餐饮业", "choice": "公司", "count": 20, "months": 3}.get(
            policy_store.facts[asked].type, 150000)
    assert "incubator_operator" in facts


def test_a_part_still_open_is_asked_although_its_measure_already_applies(policy_store):
    """14 and 16 apply to every SME through one part; vehicles and disputes decide their other part."""
    facts = {"industry": "餐饮业", "employees": 20, "revenue": 3_000_000, "affected": True}
    asked = {q.fact: q for q in next_questions(facts, store=policy_store)}
    assert asked["epidemic_transport"].kind == "condition" and asked["epidemic_transport"].measures == ("14",)
    assert asked["contract_dispute"].kind == "condition" and asked["contract_dispute"].measures == ("16",)


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
        assert m["status"] in {"eligible", "ineligible", "unknown"} and m["kind"] in KINDS
        clauses = {c.label for c in policy_store.policies[m["policy"]].clauses.values()}
        assert m["clause"] in clauses and m["departments"]
        if m["policy"] == payload["policy"]:
            assert m["clause"].startswith("第")
    assert "total" not in payload
    json.dumps(payload, ensure_ascii=False)


RESTAURANT = {"industry": "餐饮业", "employees": 20, "revenue": 3_000_000, "affected": True, "insured": True,
              "layoffs": 0, "ui_premium_last_year": 7200, "rents_soe_property": True, "in_supported_park": True,
              "monthly_rent": 8000, "si_difficulty": True, "monthly_si_premium": 5000, "has_loan": True,
              "loan_principal": 2_000_000}


def test_the_total_counts_each_base_once_and_never_a_deferral(policy_store):
    payload = evaluate(RESTAURANT, store=policy_store).to_payload()
    assert payload["total"] == {
        "amount_yuan": 27600.0, "parts": ["1.1", "5.1"], "label": "可享受金额（估算）", "formula": "3600 + 24000 = 27600",
        "left_out": [{"id": "1.3", "why": "缓缴的社保费到期仍须补缴"}, {"id": "5.2", "why": "与5.1是同一笔房租，只计一次"}],
        "note": "未计入：1.3 社保缓缴，缓缴的社保费到期仍须补缴；5.2 创业园区、示范基地减免房租，与5.1是同一笔房租，只计一次"}


def test_the_payload_groups_eligible_measures_by_kind_then_the_open_and_refused_ones(policy_store):
    payload = evaluate(RESTAURANT, store=policy_store).to_payload()
    kinds = {m["id"]: m["kind"] for m in payload["measures"]}
    status = {m["id"]: m["status"] for m in payload["measures"]}
    groups = payload["groups"]
    assert [g["title"] for g in groups if g["kind"] == "benefit"] == ["可以享受"]
    for g in groups:
        assert all(status[i] == g["status"] for i in g["measures"])
        if g["status"] == "eligible":
            assert {kinds[i] for i in g["measures"]} == {g["kind"]}
    assert sorted(i for g in groups for i in g["measures"]) == sorted(status)
    assert [g["status"] for g in groups][-2:] == ["unknown", "ineligible"]


def test_the_chat_text_says_can_enjoy_only_of_benefits_and_shows_the_total_with_its_parts(policy_store):
    text = render(evaluate(RESTAURANT, store=policy_store), compact=True)
    enjoy = text.split("可以享受（")[1].split("\n可以使用的服务")[0]
    assert "9 降低融资成本" not in enjoy and "7 加大信贷支持" not in enjoy and "1.2" not in enjoy
    assert "可享受金额（估算）：27,600元 = 1.1 稳岗返还3,600元 + 5.1 国有房产减免房租24,000元" in text
    assert "可以向金融机构提出（" in text and "惠及职工（" in text and "通知鼓励的（" not in enjoy
    assert "每年融资成本" not in text and "500000 × 0.5%" not in text


def test_a_bank_reads_its_duties_as_duties_and_no_benefit_but_the_halving_of_insured_units(policy_store):
    """A bank is one of "大型企业等其他参保单位(不含机关事业单位)": the halving is its only benefit."""
    a = evaluate({"is_financial_institution": True}, store=policy_store)
    text = render(a, compact=True)
    enjoyed = [r.measure.id for r in a.results if r.status == "eligible" and r.measure.kind == "benefit"]
    assert sorted(enjoyed) == ["rsb11-1.2", "sd-si-2"]
    assert "贵机构的责任（4项）" in text and "贵机构可获得的支持（1项）" in text
    assert "通知鼓励贵机构的（1项）" in text and a.total is None


@pytest.mark.parametrize("revenue, shown", [(399_999_999, "39999.9999万元"), (1_800_000, "180万元"),
                                            (2_999_999, "299.9999万元")])
def test_indicators_are_shown_as_given_never_rounded_into_the_next_row(policy_store, revenue, shown):
    a = evaluate({"industry": "工业", "employees": 1000, "revenue": revenue}, store=policy_store)
    assert shown in a.sme_reason and shown in render(a)


def test_money_is_never_rounded_into_another_figure():
    from policy_db.report import money

    assert money(399_999.99) == "399,999.99元（39.999999万元）"
    assert money(150_000) == "150,000元（15万元）"


def _case_expectations():
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            expect = case.get("expect") or {}
            kinds = {mid: want["kind"] for mid, want in (expect.get("measures") or {}).items() if "kind" in want}
            if kinds or "total" in expect:
                yield pytest.param(case, kinds, id=case["name"])


@pytest.mark.parametrize("case, kinds", list(_case_expectations()))
def test_expert_cases_kinds_and_totals(policy_store, case, kinds):
    """The `kind` and `total` expectations of tests/cases/ (the collector in conftest checks the rest)."""
    as_of = dt.date.fromisoformat(str(case["as_of"])) if case.get("as_of") else None
    a = evaluate(case["facts"], as_of, store=policy_store)
    for mid, kind in kinds.items():
        assert a.result(str(mid)).measure.kind == kind, mid
    if "total" in case["expect"]:
        want, got = case["expect"]["total"], a.total_payload()
        if want is None:
            assert got is None
            return
        assert got is not None and got["amount_yuan"] == want["amount_yuan"] and got["parts"] == want["parts"]
        if "left_out" in want:
            assert [x["id"] for x in got["left_out"]] == want["left_out"]


def test_every_kind_has_an_expert_case():
    covered = {k for p in _case_expectations() for k in p.values[1].values()}
    assert covered == KINDS


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
