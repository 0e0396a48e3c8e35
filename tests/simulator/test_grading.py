"""The trainer's grade sheet (simulator/grading.py) on hand-written enterprises, each boundary staff get wrong from
both sides: what a trainee who states it this way is told, with the decisive condition and the clause."""

from __future__ import annotations

import datetime as dt

import pytest

from simulator import cases, grading, statement_form
from simulator.grading import grade
from simulator.statement_form import Statement, StatementError, read_statement

AS_OF = dt.date(2020, 3, 1)
RESTAURANT = {"industry": "餐饮业", "employees": 20, "revenue": 1_800_000, "affected": True, "insured": True,
              "layoffs": 0, "ui_premium_last_year": 30_000}


def key(facts, store):
    return grading.answer_key(facts, store, AS_OF)


def stated(facts, store, **changes) -> Statement:
    """The right answer with some parts changed, as a trainee might state it."""
    right = key(facts, store)
    measures = {**right.measures, **changes.get("measures", {})}
    amounts = {**right.amounts, **changes.get("amounts", {})}
    kinds = {**right.kinds, **changes.get("kinds", {})}
    return Statement(changes.get("sme_class", right.sme_class), measures,
                     {k: v for k, v in amounts.items() if v is not None},
                     changes.get("departments", right.departments), {k: v for k, v in kinds.items() if v})


def item(sheet, kind, key_):
    return next(i for i in sheet.items if i.kind == kind and i.key == key_)


def test_the_engines_own_answer_scores_full_marks(policy_store):
    sheet = grade(RESTAURANT, key(RESTAURANT, policy_store), policy_store, as_of=AS_OF, asked=4, fewest=9)
    assert sheet.right == sheet.total and not sheet.mistakes
    assert sheet.summary() == f"得分：{sheet.total}/{sheet.total}（100%）"
    assert "您问了4个问题" in sheet.questions_text() and "至少需要问9个" in sheet.questions_text()


@pytest.mark.parametrize("employees, revenue, expected", [
    (10, 1_000_000, "small"),     # both lower limits of 小型 reached exactly
    (9, 1_000_000, "micro"),      # one person short
    (10, 999_999, "micro"),       # one yuan short
    (99, 20_000_000, "small"),    # one person short of 中型
    (100, 20_000_000, "medium"),
])
def test_a_class_boundary_of_the_restaurant_row_from_both_sides(policy_store, employees, revenue, expected):
    facts = {**RESTAURANT, "employees": employees, "revenue": revenue}
    assert item(grade(facts, stated(facts, policy_store, sme_class=expected), policy_store, as_of=AS_OF),
                "class", "class").right
    wrong = "small" if expected != "small" else "micro"
    mistake = item(grade(facts, stated(facts, policy_store, sme_class=wrong), policy_store, as_of=AS_OF),
                   "class", "class")
    labels = {"small": "小型企业", "micro": "微型企业", "medium": "中型企业"}
    assert not mistake.right and mistake.expected == labels[expected] and mistake.stated == labels[wrong]
    assert f"从业人员{employees}人" in mistake.explanation and "餐饮业" in mistake.explanation
    assert mistake.clause.label == "《中小企业划型标准规定》（工信部联企业〔2011〕300号）"
    rules = {"small": "从业人员10人及以上且营业收入100万元及以上为小型企业",
             "medium": "从业人员100人及以上且营业收入2000万元及以上为中型企业",
             "micro": "未达到从业人员10人及以上且营业收入100万元及以上的为微型企业"}
    assert mistake.clause.text == f"{rules[expected]}；{rules[wrong]}"


@pytest.mark.parametrize("employees, layoffs, applies", [
    (20, 4, True),     # 30人及以下: up to 20% of the staff
    (20, 5, False),
    (100, 5, True),    # above 30: a layoff rate up to 5.5%
    (100, 6, False),
])
def test_the_few_layoffs_rule_of_the_job_retention_refund(policy_store, employees, layoffs, applies):
    facts = {**RESTAURANT, "employees": employees, "revenue": 20_000_000 if employees >= 100 else 1_800_000,
             "layoffs": layoffs}
    claims_it = stated(facts, policy_store, measures={"1.1": "eligible"}, amounts={"1.1": 15_000})
    sheet = grade(facts, claims_it, policy_store, as_of=AS_OF)
    judged = item(sheet, "measure", "1.1")
    assert judged.right is applies
    if not applies:
        assert judged.expected == "不适用" and judged.stated == "适用"
        assert f"裁员{layoffs}人" in judged.explanation and "人社部发〔2019〕23号" in judged.explanation
        assert judged.clause.label == "第1条" and "不裁员或少裁员" in judged.clause.text
        amount = item(sheet, "amount", "1.1")
        assert not amount.right and amount.explanation == "本项按现有情况算不出金额或不适用，不应填写金额"


@pytest.mark.parametrize("monthly, months, right_amount", [
    (100_000, 3, 90_000),     # 30% of three months of waived rent
    (100_000, 4, 90_000),     # a fourth month counts for nothing: at most 3 months
    (555_000, 3, 499_500),    # just under the 50万 cap
    (600_000, 3, 500_000),    # over it: the cap
])
def test_the_operator_subsidy_30_percent_three_months_and_the_cap(policy_store, monthly, months, right_amount):
    facts = {"incubator_operator": True, "rent_waived_monthly": monthly, "rent_waived_months": months}
    sheet = grade(facts, stated(facts, policy_store, amounts={"5.4": right_amount}), policy_store, as_of=AS_OF)
    assert item(sheet, "amount", "5.4").right
    uncapped = monthly * months * 0.3
    if uncapped != right_amount:
        mistake = item(grade(facts, stated(facts, policy_store, amounts={"5.4": uncapped}), policy_store,
                             as_of=AS_OF), "amount", "5.4")
        assert not mistake.right
        assert mistake.explanation.startswith(f"应为{right_amount:,}元（min(")
        assert "运营补贴上限：50万元" in mistake.figures and "运营补贴标准：减免租金金额的比例：30%" in mistake.figures
        assert mistake.clause.label == "第5条"


@pytest.mark.parametrize("measure, fact, monthly, months", [
    ("5.1", "monthly_rent", 8_000, 3),           # rent of state-owned premises: 3 months
    ("1.3", "monthly_si_premium", 10_000, 6),    # social insurance deferral: at most 6 months
])
def test_the_three_and_six_month_limits(policy_store, measure, fact, monthly, months):
    facts = {**RESTAURANT, "rents_soe_property": True, "si_difficulty": True, fact: monthly}
    assert item(grade(facts, stated(facts, policy_store, amounts={measure: monthly * months}), policy_store,
                      as_of=AS_OF), "amount", measure).right
    one_more = item(grade(facts, stated(facts, policy_store, amounts={measure: monthly * (months + 1)}),
                          policy_store, as_of=AS_OF), "amount", measure)
    assert not one_more.right and f"× {months} = " in one_more.explanation
    assert any(f"{months}个月" in f for f in one_more.figures)


def test_an_amount_within_the_tolerance_counts_and_one_beyond_does_not(policy_store):
    facts = {**RESTAURANT, "rents_soe_property": True, "monthly_rent": 100_000}   # 300,000 for 3 months
    near = grade(facts, stated(facts, policy_store, amounts={"5.1": 302_999}), policy_store, as_of=AS_OF)
    far = grade(facts, stated(facts, policy_store, amounts={"5.1": 303_001}), policy_store, as_of=AS_OF)
    assert item(near, "amount", "5.1").right and not item(far, "amount", "5.1").right
    assert near.to_payload()["tolerance"] == "金额与正确结果相差不超过1元或1%（取较大者）即算对"


def test_an_amount_left_out_is_a_mistake_with_the_formula(policy_store):
    sheet = grade(RESTAURANT, stated(RESTAURANT, policy_store, amounts={"1.1": None}), policy_store, as_of=AS_OF)
    missing = item(sheet, "amount", "1.1")
    assert not missing.right and missing.stated == "未填写"
    assert missing.explanation == "本项适用且可以算出金额，应为15,000元（30000 × 50% = 15000）"


@pytest.mark.parametrize("employees, revenue, large", [(300, 100_000_000, True), (299, 100_000_000, False)])
def test_a_large_enterprise_gets_none_of_the_sme_measures(policy_store, employees, revenue, large):
    facts = {**RESTAURANT, "employees": employees, "revenue": revenue}
    sheet = grade(facts, stated(facts, policy_store, measures={"1.1": "eligible"}, amounts={"1.1": 15_000}),
                  policy_store, as_of=AS_OF)
    judged = item(sheet, "measure", "1.1")
    assert judged.right is not large
    if large:
        assert "达到大型企业标准" in judged.explanation and "不属于中小企业" in judged.explanation
        assert item(grade(facts, stated(facts, policy_store, sme_class="medium"), policy_store, as_of=AS_OF),
                    "class", "class").expected == "大型企业"


@pytest.mark.parametrize("affected", [True, False])
def test_an_enterprise_not_affected_by_the_epidemic(policy_store, affected):
    facts = {**RESTAURANT, "affected": affected, "rents_soe_property": True, "monthly_rent": 8_000}
    sheet = grade(facts, stated(facts, policy_store, measures={"5.1": "eligible"}, amounts={"5.1": 24_000}),
                  policy_store, as_of=AS_OF)
    judged = item(sheet, "measure", "5.1")
    assert judged.right is affected
    if not affected:
        assert judged.explanation.startswith("不适用，决定性的条件：未受疫情影响或生产经营没有遇到困难")
        assert "上述政策措施支持对象为受疫情影响、生产经营遇到困难的中小企业" in judged.explanation


def test_a_lender_is_told_its_duties_not_the_enterprises_benefits(policy_store):
    facts = {"is_financial_institution": True}
    right = key(facts, policy_store)
    assert right.measures["11"] == "eligible" and right.measures["1.1"] == "ineligible"
    sheet = grade(facts, stated(facts, policy_store, measures={"1.1": "eligible", "11": "ineligible"}),
                  policy_store, as_of=AS_OF)
    refund, compensation = item(sheet, "measure", "1.1"), item(sheet, "measure", "11")
    assert not refund.right and "本项支持的是中小企业，不由金融机构申请" in refund.explanation
    assert not compensation.right and compensation.expected == "适用"
    assert compensation.clause.label == "第11条"
    assert "industry" not in grading.interview(facts, policy_store)   # nothing about an enterprise's class


def test_an_open_measure_must_be_stated_as_not_yet_certain(policy_store):
    facts = {k: v for k, v in RESTAURANT.items() if k != "insured"}
    sheet = grade(facts, stated(facts, policy_store, measures={"1.1": "eligible"}), policy_store, as_of=AS_OF)
    judged = item(sheet, "measure", "1.1")
    assert judged.expected == "还不能确定" and "还需要了解：参加失业保险" in judged.explanation


def test_departments_missing_and_named_for_nothing(policy_store):
    right = key(RESTAURANT, policy_store)
    named = (right.departments - {"市人力资源社会保障局"}) | {"市税务局"}
    sheet = grade(RESTAURANT, stated(RESTAURANT, policy_store, departments=frozenset(named)), policy_store,
                  as_of=AS_OF)
    missing, extra = item(sheet, "department", "市人力资源社会保障局"), item(sheet, "department", "市税务局")
    assert not missing.right and missing.explanation.startswith("市人力资源社会保障局负责本企业适用的1.1 稳岗返还")
    assert not extra.right and extra.explanation == "市税务局不负责本企业适用的任何一项措施"
    assert len(sheet.mistakes) == 2


def test_the_fewest_questions_follow_the_engines_interview(policy_store):
    asked = grading.interview(RESTAURANT, policy_store)
    assert asked[0] == "industry" and len(set(asked)) == len(asked)
    told_the_trade = grading.interview(RESTAURANT, policy_store, given={"industry": "餐饮业"})
    assert "industry" not in told_the_trade and len(asked) > len(told_the_trade) > 0
    assert grading.fewest_questions(RESTAURANT, policy_store) == len(asked)
    sheet = grade(RESTAURANT, key(RESTAURANT, policy_store), policy_store, as_of=AS_OF, not_asked=("insured",))
    assert sheet.to_payload()["questions"]["not_asked_text"] == "系统会问而您没有问到的情况：参加失业保险"


@pytest.mark.parametrize("data, message", [
    ("全部适用", "陈述应为一个对象"),
    ({"sme_class": "huge"}, "企业规模无效"),
    ({"measures": {"99": "eligible"}}, "措施或其判断无效"),
    ({"measures": {"1.1": "maybe"}}, "措施或其判断无效"),
    ({"amounts": {"1.1": "一万五"}}, "金额应为数字（元）"),
    ({"amounts": {"1.1": -5}}, "金额超出范围"),
    ({"amounts": {"1.1": float("nan")}}, "金额超出范围"),
    ({"departments": ["<script>"]}, "部门无效"),
])
def test_a_statement_the_grader_cannot_read_is_refused_in_chinese(policy_store, data, message):
    with pytest.raises(StatementError, match=message):
        read_statement(data, policy_store)


def test_a_statement_read_from_a_form(policy_store):
    read = read_statement({"sme_class": "small", "measures": ["1.1", "5.1"], "amounts": {"1.1": "15,000", "5.1": ""},
                           "departments": ["市国资委"]}, policy_store)
    assert read == Statement("small", {"1.1": "eligible", "5.1": "eligible"}, {"1.1": 15_000.0},
                             frozenset({"市国资委"}))


def test_every_document_in_force_on_the_cases_day_is_on_the_form_and_graded(policy_store):
    """The form and the grade sheet hold every measure of every document of the place in force on the cases' day,
    read from the store: the city's notice, Shandong's statement, 人社部发〔2020〕11号 and 公告2020年第13号."""
    day = cases.as_of(policy_store)
    held = [p for p in policy_store.place_policies() if p.in_force_from <= day <= p.in_force_until]
    assert len(held) == len(policy_store.place_policies()) > 1   # the cases' day has every document in force
    ids = [m.id for p in held for m in policy_store.measures_here(p)]
    form = statement_form.options(policy_store)
    assert [m["id"] for m in form["measures"]] == ids
    assert [d["id"] for d in form["documents"]] == [p.id for p in held]
    assert {"vat13-1", "sd-si-2", "rsb11-3"} <= set(ids)
    sheet = grade(RESTAURANT, key(RESTAURANT, policy_store), policy_store)
    assert [i.key for i in sheet.items if i.kind == "measure"] == ids


def test_a_small_scale_taxpayer_is_graded_on_the_vat_cut_with_its_amount_and_department(policy_store):
    facts = {**RESTAURANT, "is_small_scale_taxpayer": True, "monthly_sales_at_3pct": 100_000}
    right = key(facts, policy_store)
    assert right.measures["vat13-1"] == "eligible" and right.kinds["vat13-1"] == "benefit"
    left_out = stated(facts, policy_store, measures={"vat13-1": "ineligible"}, amounts={"vat13-1": None})
    sheet = grade(facts, left_out, policy_store, as_of=AS_OF)
    judged = item(sheet, "measure", "vat13-1")
    assert not judged.right and judged.explanation.startswith("应判断为适用：增值税小规模纳税人")
    assert judged.clause.label == "《支持个体工商户复工复业增值税政策的公告》（财政部 税务总局公告2020年第13号）公告正文"
    amount = item(sheet, "amount", "vat13-1")   # 3 months of 100,000 yuan taxed at 1% instead of 3%
    assert not amount.right and amount.expected == "6,000元" and amount.stated == "未填写"
    assert "减按1%征收率征收增值税" in amount.clause.text
    # the caller is sent to the city's tax bureau (place.yaml), not to the ministries that issued the announcement
    assert item(sheet, "department", "市税务局").right
    assert not any(i.key == "财政部" for i in sheet.items if i.kind == "department")


def test_a_large_enterprise_is_graded_on_the_halving_not_the_waiver(policy_store):
    facts = {**RESTAURANT, "employees": 400, "revenue": 150_000_000, "monthly_employer_si": 100_000,
             "legal_form": "公司"}
    right = key(facts, policy_store)
    assert right.sme_class == "large"
    assert right.measures["sd-si-2"] == right.measures["rsb11-1.2"] == "eligible"
    assert right.measures["sd-si-1"] == right.measures["rsb11-1.1"] == "ineligible"
    sheet = grade(facts, stated(facts, policy_store, measures={"sd-si-2": "ineligible", "sd-si-1": "eligible"}),
                  policy_store, as_of=AS_OF)
    halving, waiver = item(sheet, "measure", "sd-si-2"), item(sheet, "measure", "sd-si-1")
    assert not halving.right and halving.clause.label.startswith("《山东省阶段性减免企业社保费》")
    assert "减半征收" in halving.clause.text and "大型企业" in halving.explanation
    assert not waiver.right and waiver.explanation.startswith("不适用，决定性的条件：不属于中小微企业")


@pytest.mark.parametrize("severe", [True, False])
def test_the_deferral_in_severe_difficulty(policy_store, severe):
    facts = {**RESTAURANT, "severe_difficulty": severe, "monthly_si_premium": 20_000}
    claims_it = stated(facts, policy_store, measures={"rsb11-3": "eligible"}, kinds={"rsb11-3": "benefit"})
    judged = item(grade(facts, claims_it, policy_store, as_of=AS_OF), "measure", "rsb11-3")
    assert judged.right is severe
    if not severe:
        assert judged.explanation == "不适用，决定性的条件：生产经营没有出现严重困难"
        assert judged.clause.label == "《阶段性减免企业社会保险费的通知》（人社部发〔2020〕11号）第三项"


def test_the_kind_of_each_measure_is_graded_by_the_chats_own_groups(policy_store):
    """Each measure that applies is graded on its kind, titled as the chat card's group that holds it."""
    facts = {**RESTAURANT, "is_small_scale_taxpayer": True, "has_loan": True}
    assessment = grading.assess(facts, policy_store, AS_OF)
    card = {m: g["title"] for g in assessment.to_payload()["groups"] if g["status"] == "eligible" for m in g["measures"]}
    sheet = grade(facts, stated(facts, policy_store), policy_store, as_of=AS_OF)
    kinds = {i.key: i for i in sheet.items if i.kind == "kind"}
    assert set(kinds) == set(card) and all(i.right and i.expected == card[k] for k, i in kinds.items())
    duty = next(r for r in assessment.results if r.status == "eligible" and r.measure.kind == "lender_duty")
    as_benefit = stated(facts, policy_store, kinds={duty.measure.id: "benefit"})
    mistake = item(grade(facts, as_benefit, policy_store, as_of=AS_OF), "kind", duty.measure.id)
    assert not mistake.right and mistake.expected == "可以向金融机构提出" and mistake.stated == "可以享受"
    assert mistake.explanation == "应归入“可以向金融机构提出”：这是通知对金融机构的要求，不是给企业的补贴，可据此与贷款机构协商"
    assert mistake.clause.text == duty.measure.excerpt
    workers = item(grade(facts, stated(facts, policy_store, kinds={"rsb11-5": None}), policy_store, as_of=AS_OF),
                   "kind", "rsb11-5")
    assert not workers.right and workers.expected == "惠及职工" and workers.stated == "未填写"


def test_a_kind_is_read_from_the_form_only_for_a_measure_stated_as_applying(policy_store):
    read = read_statement({"measures": {"1.1": "eligible", "7": "ineligible"},
                           "kinds": {"1.1": "benefit", "7": "lender_duty"}}, policy_store)
    assert read.kinds == {"1.1": "benefit"}
    with pytest.raises(StatementError, match="措施类别无效"):
        read_statement({"measures": ["1.1"], "kinds": {"1.1": "gift"}}, policy_store)
    with pytest.raises(StatementError, match="措施类别无效"):
        read_statement({"measures": ["1.1"], "kinds": {"99": "benefit"}}, policy_store)
