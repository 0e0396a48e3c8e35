"""interpret() on corrections and on guesses that would replace what the owner said: which known fact a message
corrects, with or without its fact word, and when a fact read in passing is held back. Plain tables."""

import pytest

from reading.interpretation import Turn, interpret

CORRECTION = {"entity": "correction", "value": True}


def message(intent, *entities, text=""):
    return {"text": text, "intent": {"name": intent}, "entities": list(entities)}


def number(value, role="plain"):
    return {"entity": "number", "value": value, "role": role}


def fact(name, value, **said):
    return {"entity": name, "value": value, **({"additional_info": said} if said else {})}


SHOP = {"industry": "零售业", "employees": 3, "affected": True, "monthly_rent": 3200, "rents_soe_property": True}
SALON = {"industry": "其他未列明行业", "employees": 43, "affected": True, "insured": True}
STORE_ROOMS = {"industry": "仓储业", "employees": 50, "revenue": 9_000_000, "affected": True}
FACTORY = {"industry": "工业", "employees": 230, "revenue": 120_000_000, "affected": True}


LOAN_SHOP = {**SHOP, "revenue": 1_000_000, "has_loan": True, "loan_principal": 150_000}
SORTING = "二十七个说多了 分拣有五个是临时的 正式的二十二"


def at(entity, text, words):
    """The entity where the words stand in the text, as the NLU places it."""
    start = text.index(words)
    return {**entity, "start": start, "end": start + len(words)}


@pytest.mark.parametrize("msg, known, facts", [
    # a bare figure whose unit fits several known facts corrects the one it is near, not a head count 1,000 times it
    (message("correct", CORRECTION, number(3500), text="我记错了，房租今年涨了，现在是三千五一个月"), SHOP,
     {"monthly_rent": 3500}),
    # the old value named with its fact word, then the new one bare, even when the classifier misses "correct"
    (message("ask_eligibility", fact("employees", 43), CORRECTION, number(38),
             text="四十三个人是我说多了，有几个是租椅子的自由发型师，正式的三十八个"), SALON, {"employees": 38}),
    # of two bare figures, the known one said again is the old one; the trade of the people left out is in passing
    (message("correct", CORRECTION, number(50), number(63), text="刚才说五十多个，漏算了装卸队，加上是六十三个"),
     STORE_ROOMS, {"employees": 63}),
    (message("correct", fact("employees", 260), CORRECTION, text="应该是两百六十人，漏算了仓库的同事"), FACTORY,
     {"employees": 260}),
    # of several bare figures, the one said to be the value ("是…"); the others explain
    (message("correct", CORRECTION, at(number(200_000, "money"), "俺说差了，是二十万，去年秋天又添了五万", "二十万"),
             at(number(50_000, "money"), "俺说差了，是二十万，去年秋天又添了五万", "五万"),
             text="俺说差了，是二十万，去年秋天又添了五万"), LOAN_SHOP, {"loan_principal": 200_000}),
    (message("correct", CORRECTION, at(number(8), "我查了下花名册，辞的是八个，后厨还有俩", "八"),
             at(number(2), "我查了下花名册，辞的是八个，后厨还有俩", "俩"), text="我查了下花名册，辞的是八个，后厨还有俩"),
     {**FACTORY, "employees": 120, "layoffs": 6}, {"layoffs": 8}),
    # a figure followed by its unit and "是…" is explained: "五个是临时的"
    (message("correct", CORRECTION, *(at(number(v), SORTING, w) for v, w in ((27, "二十七"), (5, "五"), (22, "二十二"))),
             text=SORTING), {**STORE_ROOMS, "employees": 27}, {"employees": 22}),
])
def test_a_correction_changes_the_fact_it_corrects_and_nothing_named_in_passing(policy_store, msg, known, facts):
    reading = interpret(msg, Turn(None, (), known), policy_store)
    assert reading.facts == facts
    assert reading.replaced == {k: known[k] for k in facts}


def test_a_correction_of_the_trade_alone_changes_the_trade(policy_store):
    reading = interpret(message("correct", CORRECTION, text="刚才说错了，我们其实是开饭店的"), Turn(None, (), SHOP),
                        policy_store)
    assert reading.facts == {"industry": "餐饮业"} and reading.replaced == {"industry": "零售业"}


def test_a_fact_read_from_a_cue_never_silently_replaces_what_the_owner_said(policy_store):
    known = {**SHOP, "hiring_difficulty": False}
    reading = interpret(message("inform", fact("hiring_difficulty", True, phrase="招人太难了"), text="招人太难了"),
                        Turn(None, (), known), policy_store)
    assert reading.facts == {} and reading.to_confirm == {"hiring_difficulty": True}


@pytest.mark.parametrize("pending, known, intent", [
    ("monthly_employer_si", {"industry": "批发业", "employees": 28, "insured": True}, "inform"),
    (None, {"industry": "批发业", "employees": 28, "insured": True, "monthly_employer_si": 30_000}, "correct"),
])
def test_a_figure_for_the_whole_premium_answers_the_employers_share_asked_or_known(policy_store, pending, known,
                                                                                   intent):
    msg = message(intent, fact("monthly_si_premium", 21_000), text="单位缴纳的养老、失业、工伤合计每月约两万一千元")
    reading = interpret(msg, Turn(pending, (), known), policy_store)
    assert reading.facts == {"monthly_employer_si": 21_000}


def test_a_figure_for_the_whole_premium_is_the_whole_when_the_share_is_neither_asked_nor_known(policy_store):
    msg = message("inform", fact("monthly_si_premium", 21_000), text="养老、失业、工伤合计每月两万一")
    reading = interpret(msg, Turn(None, (), {"industry": "批发业", "employees": 28}), policy_store)
    assert reading.facts["monthly_si_premium"] == 21_000 and "monthly_employer_si" not in reading.facts


PRESENTS = {"entity": "presents", "value": True}  # the NLU's mark of "我们公司", "开了个…", "做…的"


def test_a_second_trade_the_enterprise_presents_is_asked_which_is_the_main_one(policy_store):
    msg = message("inform", PRESENTS, number(1), text="补充一下，我们公司自己也有一个生产车间")
    reading = interpret(msg, Turn(None, (), {"industry": "批发业", "employees": 30}), policy_store)
    assert reading.facts == {} and reading.to_confirm == {"industry": ["批发业", "工业"]}


def test_a_trade_named_in_passing_beside_the_known_one_is_not_asked(policy_store):
    reading = interpret(message("inform", text="车间的工人都回不来了"),
                        Turn(None, (), {"industry": "批发业", "employees": 30}), policy_store)
    assert reading.facts == {} and reading.to_confirm == {}


def test_a_correction_in_words_that_only_hint_is_taken_for_the_one_answer_it_corrects(policy_store):
    known = {**SHOP, "in_supported_park": False}
    hint = {"entity": "in_supported_park", "value": True, "additional_info": {"phrase": True, "suggested": True}}
    reading = interpret(message("correct", CORRECTION, hint, text="哦对了，我说错了，我们店其实就在创业园里面"),
                        Turn(None, (), known), policy_store)
    assert reading.facts == {"in_supported_park": True} and reading.replaced == {"in_supported_park": False}
