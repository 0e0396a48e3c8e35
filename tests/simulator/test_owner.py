"""The simulated owner: understands three wordings of a question about every fact, answers with the case's true
value in colloquial words, says it does not know what the case does not hold, and volunteers nothing."""

from __future__ import annotations

import random
import re

import pytest

import policy_db
from simulator.cases import Case, classification, generate
from simulator.figures import figures
from simulator.owner import SimulatedOwner
from simulator.speech import chinese, money_forms

# Written here, apart from the owner's cue list: how a hotline operator might ask.
WORDINGS = {
    "industry": ["你们是做什么的？", "贵公司属于哪个行业", "主要做啥生意？"],
    "employees": ["你们有多少员工？", "店里几个人干活", "员工规模多大"],
    "revenue": ["去年营业额多少？", "上年营业收入大概多少", "一年流水有多少"],
    "total_assets": ["资产总额是多少？", "公司总资产大概多少", "你们家底有多少，资产加起来"],
    "affected": ["疫情对你们影响大吗？", "受疫情影响了吗", "现在生意怎么样，经营困难吗"],
    "severe_difficulty": ["困难严重吗？", "是不是出现了严重困难", "经营困难到什么程度，严重不严重"],
    "insured": ["给员工交失业保险了吗？", "你们参保了吗", "有没有缴失业保险"],
    "layoffs": ["裁员了吗？", "疫情以来辞退过人没有", "有没有减员，裁了几个"],
    "ui_premium_last_year": ["去年失业保险交了多少钱？", "上年度失业保险费一共多少", "失业险一年交多少"],
    "si_difficulty": ["社保交得起吗？", "现在社保费能足额缴纳吗", "是不是交不起社保了"],
    "monthly_si_premium": ["每个月社保交多少？", "社保每月合计大概多少钱", "一个月养老、失业、工伤保险费多少"],
    "filing_difficulty": ["能按时报税吗？", "纳税申报有困难没有", "报税这块受影响了吗"],
    "tax_payment_difficulty": ["税款能按期交吗？", "交税有困难吗", "想不想延期缴税，交不上税吗"],
    "major_loss": ["有没有重大损失？", "房产税、土地使用税交着困难吗", "损失大不大"],
    "legal_form": ["你们是个体户还是公司？", "企业的组织形式是什么", "营业执照上是哪种类型"],
    "epidemic_donation": ["疫情期间捐过款吗？", "有没有捐赠物资", "给防疫捐过钱没有"],
    "rents_soe_property": ["房东是国企吗？", "你们租的是谁家的房子", "店面是国有企业的房产吗"],
    "in_supported_park": ["在创业园里吗？", "入驻示范基地了没有", "是不是在政府支持的园区里"],
    "in_tech_incubator": ["在孵化器里办公吗？", "入驻众创空间了吗", "是科技孵化器里的企业吗"],
    "monthly_rent": ["每个月房租多少？", "租金一个月多少钱", "月租是多少"],
    "incubator_operator": ["你们是运营孵化基地的吗？", "园区是你们运营的吗", "是不是开了个创业基地"],
    "rent_waived_monthly": ["每个月给入驻企业减免了多少？", "减免的租金每月多少钱", "一个月免了多少房租给入驻的"],
    "rent_waived_months": ["减免了几个月？", "免租免了多久", "一共减了多少个月"],
    "needs_testing": ["需要做检测吗？", "有没有实验室检验的需求", "物资要不要送检验"],
    "has_loan": ["有银行贷款吗？", "跟银行借过钱没有", "现在有贷款没"],
    "loan_principal": ["贷款还有多少本金？", "贷了多少钱", "还欠银行多少"],
    "loan_renewal_due": ["贷款快到期了吗？", "需要续贷吗", "有没有要转贷的"],
    "owed_by_public": ["有没有被拖欠的账款？", "政府或者国企欠你们钱吗", "应收款收不回来吗"],
    "contract_dispute": ["订单有违约吗？", "有没有合同纠纷", "打官司了吗"],
    "epidemic_transport": ["有运输车辆吗？", "你们有没有运鲜活农产品的车", "有防疫物资运输的货车吗"],
    "budgeted_project": ["有列入预算的项目吗？", "申请过发展资金项目吗", "有扶持资金项目在申报吗"],
    "hiring_difficulty": ["招工难吗？", "缺人吗", "招聘顺利吗"],
    "is_financial_institution": ["您是代表银行咨询的吗？", "你们是金融机构吗", "您是银行的？"],
    "monthly_employer_si": ["单位缴费部分每月多少？", "社保里单位承担的一个月多少钱", "单位那部分社保月均多少"],
    "is_small_scale_taxpayer": ["是小规模纳税人吗？", "你们是一般纳税人还是小规模", "增值税纳税人身份是哪种"],
    "monthly_sales_at_3pct": ["每月开票多少？", "适用3%征收率的销售收入一个月多少", "月应税销售额大概多少"],
    "prepays_vat_at_3pct": ["有预缴增值税的项目吗？", "有没有按3%预征的", "需要预缴吗"],
}


# How a "no" begins (an owner's "影响不大" or "人够用" is a no; "是，人手不够" is a yes).
NO = re.compile(r"(没|不|那倒没有|这个没|还好|基本正常|影响不大|人够用|招工还行)")


@pytest.fixture(scope="module")
def store():
    return policy_db.load()


@pytest.fixture(scope="module")
def cases(store):
    return generate(store, 300, seed=5)


def _owner(case, store, seed=0):
    return SimulatedOwner(case, store, random.Random(seed))


def _full_case(store, **changes) -> Case:
    """A case holding every fact (true yes/no facts, figures of distinct values), for checking answers."""
    facts = {"industry": "餐饮业", "employees": 23, "revenue": 1_860_000, "total_assets": 940_000,
             "ui_premium_last_year": 7_300, "layoffs": 2, "monthly_si_premium": 16_500, "monthly_rent": 8_200,
             "rent_waived_monthly": 45_000, "rent_waived_months": 4, "loan_principal": 560_000,
             "monthly_employer_si": 11_200, "monthly_sales_at_3pct": 97_000, "legal_form": "个人独资企业"}
    for name, spec in store.facts.items():
        if spec.type == "bool":
            facts[name] = name != "is_financial_institution"
    facts.update(changes)
    return Case("full", 1, facts, "你好，我们是做饭馆的，想问问政策。", ("states:industry", "word:饭馆"))


def _says(store, case, fact, reply) -> bool:
    """Whether a reply tells the case's value of ``fact`` (read as a listener would)."""
    value, spec = case.facts[fact], store.facts[fact]
    if spec.type == "bool":
        return bool(NO.match(reply)) != value
    if spec.type == "industry":
        return classification(store).industry_for(reply) == value
    if spec.type == "choice":
        return value in reply
    return any(f.value == value for f in figures(reply)) or (value == 0 and "没" in reply)


def test_every_fact_is_answered_for_three_question_wordings(store):
    assert set(WORDINGS) == set(store.facts)
    for flip in (False, True):
        case = _full_case(store, **({k: False for k, s in store.facts.items() if s.type == "bool"} if flip else {}))
        for fact, questions in WORDINGS.items():
            for question in questions:
                owner = _owner(case, store, seed=hash(question) % 1000)
                assert owner.fact_asked(question) == [fact], (question, owner.fact_asked(question))
                reply = owner.reply(question)
                assert _says(store, case, fact, reply), (question, reply)
                assert owner.asked == [fact] and owner.questions == 1


def test_answers_vary_in_colloquial_words(store):
    case = _full_case(store)
    for fact in ("employees", "revenue", "monthly_rent", "has_loan"):
        replies = {_owner(case, store, seed).reply(WORDINGS[fact][0]) for seed in range(30)}
        assert len(replies) >= 3, replies


def test_what_the_case_does_not_hold_gets_a_dont_know(store):
    case = _full_case(store)
    unknown = Case("u", 2, {k: v for k, v in case.facts.items() if k not in ("total_assets", "loan_principal")},
                   case.narrative, ())
    for fact in ("total_assets", "loan_principal"):
        reply = _owner(unknown, store).reply(WORDINGS[fact][0])
        assert not figures(reply) and any(w in reply for w in ("不清楚", "不知道", "不太确定", "问问", "说不上")), reply


def test_a_question_it_cannot_place_gets_asked_back(store):
    owner = _owner(_full_case(store), store)
    for question in ("您好", "还有别的吗", "好的，我看一下"):
        reply = owner.reply(question)
        assert not figures(reply) and reply.endswith("？"), reply
    assert owner.asked == [] and owner.questions == 0


def test_nothing_is_volunteered(store, cases):
    for c in cases[:120]:
        owner = _owner(c, store, c.seed)
        assert not figures(owner.opening())
        for fact, questions in WORDINGS.items():
            reply = owner.reply(questions[c.seed % 3])
            allowed = {c.facts.get(f) for f in (fact, *owner.told_in_passing(fact))}
            told = {f.value for f in figures(reply)}
            assert told <= {float(v) for v in allowed if isinstance(v, (int, float)) and not isinstance(v, bool)}, \
                (fact, reply)


def test_the_owner_answers_ask_payloads_of_every_fact_kind(store):
    case = _full_case(store)
    kinds = {}
    for fact, spec in store.facts.items():
        kinds.setdefault(spec.type, fact)
        reply = _owner(case, store).reply("", {"type": "ask", "fact": fact})
        assert _says(store, case, fact, reply), (fact, reply)
    assert set(kinds) == {"industry", "count", "money", "bool", "choice", "months"}
    together = _owner(case, store).reply("", {"type": "ask", "fact": "employees", "together": ["revenue"]})
    assert {23, 1_860_000} <= {f.value for f in figures(together)}, together


def test_the_owner_answers_a_checklist_by_its_numbers_or_words(store):
    facts = ["si_difficulty", "has_loan", "hiring_difficulty", "owed_by_public"]
    case = _full_case(store, has_loan=False, owed_by_public=False)
    ask = {"type": "ask", "facts": facts, "multi": True}
    for seed in range(20):
        owner = _owner(case, store, seed)
        reply = owner.reply("", ask)
        situations = [store.facts[f].situation for f in facts]
        numbers = {int(f.value) for f in figures(reply)}
        assert numbers == {1, 3} or (situations[0] in reply and situations[2] in reply
                                     and situations[1] not in reply), reply
        assert owner.asked == facts
    none = _full_case(store, **{f: False for f in facts})
    assert "没有" in _owner(none, store).reply("", ask)


def test_numbers_are_said_as_people_say_them_and_read_back_to_the_value():
    assert chinese(3500) == "三千五" and chinese(12) == "十二" and chinese(2000) == "两千"
    for value in (3500, 12_000, 80_000, 1_800_000, 120_000_000, 99_000_000, 650_000, 7_300):
        forms = money_forms(value, alone=True)
        for form in forms:
            assert [f.value for f in figures(form)] == [value], (value, form)
    assert {"80w", "80万"} <= set(money_forms(800_000, alone=False))
    assert "1.2个亿" in money_forms(120_000_000, alone=False)
