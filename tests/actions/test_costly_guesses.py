"""No costly guess is recorded silently: a fact read from the owner's description (a cue), a trade word or another
fact, that would change the enterprise's class or turn a measure to 不适用, is asked with one yes/no question first
(reading.costly decides, with the engine), and so is a yes or no whose reason says the opposite; an answer to the
question asked, a figure with its fact word, a choice
named and who is asking are taken as said. A table of what the owner says and what the owner sees."""

import pytest

from actions.corrections import ActionNoQuestionPending
from actions.forms import ValidateProfileForm

from tests.actions.trackers import entity, payloads, run, slot_events, texts, tracker

SMALL_RESTAURANT = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True}
PRESENTS = {"entity": "presents", "value": True}


def cue(name, value):
    return {"entity": name, "value": value, "additional_info": {"phrase": True}}


ASKED_FIRST = [
    # (what it shows, known, question pending, the owner's words, what the NLU found,
    #  the question the owner sees, the guess it holds back, facts recorded with it)
    ("a no read from a description in passing",
     {"industry": "餐饮业"}, "employees", "十二个人，生意照常营业", [entity("employees", 12), cue("affected", False)],
     "跟您确认一下：您是说企业没有受到疫情影响、生产经营没有遇到困难，对吗？这一项会影响能否享受相关措施，确认后我再记下。",
     {"affected": False}, {"employees": 12}),
    ("a no to the question asked whose reason says the opposite",
     {"industry": "餐饮业", "employees": 12}, "affected", "没有，就是停了俩月",
     [{"entity": "yes_no", "value": False}, cue("affected", True)],
     "跟您确认一下：您是说企业没有受到疫情影响、生产经营没有遇到困难，对吗？这一项会影响能否享受相关措施，确认后我再记下。",
     {"affected": False}, {}),
    ("a landlord said in passing, which would end the rent waiver",
     SMALL_RESTAURANT, "monthly_rent", "房租每月八千，房东是个人", [entity("monthly_rent", 8000), cue("rents_soe_property", False)],
     "跟您确认一下：您是说企业租用的不是国有企业的经营性房产，对吗？这一项会影响能否享受相关措施，确认后我再记下。",
     {"rents_soe_property": False}, {"monthly_rent": 8000}),
    ("a trade that makes the enterprise large",
     {}, None, "我们是做批发的，三百个人，去年营收五个亿", [PRESENTS, entity("employees", 300), entity("revenue", 5e8)],
     "跟您确认一下：按《中小企业划型标准规定》，您的企业属于“批发业”，对吗？行业不同，划型标准也不同，确认后我再记下。",
     {"industry": "批发业"}, {"employees": 300, "revenue": 500_000_000}),
]


@pytest.mark.parametrize("known, pending, said, found, question, held, recorded",
                         [pytest.param(*row[1:], id=row[0]) for row in ASKED_FIRST])
def test_a_costly_guess_is_asked_before_it_is_recorded(known, pending, said, found, question, held, recorded):
    messages, events = run(ValidateProfileForm(), tracker(slots=known, text=said, entities=found, requested=pending))
    slots = slot_events(events)
    assert question in texts(messages)
    (confirm,) = [p for p in payloads(messages) if p["type"] == "confirm"]
    assert {confirm["fact"]: confirm["value"]} == held and confirm["options"] == ["是的", "不是"]
    assert slots["pending_confirmation"] == held
    assert {k: slots.get(k) for k in recorded} == recorded and not set(held) & set(slots)


TAKEN_AS_SAID = [
    # (what it shows, known, question pending, the owner's words, what the NLU found, facts recorded, how noted)
    ("a no to the question asked",
     {"industry": "餐饮业", "employees": 12}, "affected", "没有，没受什么影响",
     [{"entity": "yes_no", "value": False}, cue("affected", False)], {"affected": False}, {"affected": "answer"}),
    ("a description that answers the question asked",
     {"industry": "餐饮业", "employees": 12}, "affected", "照常营业", [cue("affected", False)],
     {"affected": False}, {"affected": "answer"}),
    ("a trade that makes the enterprise small (the halving for large firms gives way to the exemption)",
     {}, None, "我们是饭店，十二个人，去年营收一百八十万", [PRESENTS, entity("employees", 12), entity("revenue", 1.8e6)],
     {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000}, {"industry": "trade"}),
    ("a harm read from a description, which shuts nothing out",
     {"industry": "餐饮业"}, "employees", "十二个人，停了一个月", [entity("employees", 12), cue("affected", True)],
     {"employees": 12, "affected": True}, {"affected": "cue"}),
    ("a legal form named by its word", {"industry": "零售业", "employees": 3}, None, "我是个体户",
     [cue("legal_form", "个体工商户")], {"legal_form": "个体工商户"}, {"legal_form": "stated"}),
    ("a bank saying who it is", {}, None, "我们是农商行的", [cue("is_financial_institution", True)],
     {"is_financial_institution": True}, {"is_financial_institution": "stated"}),
]


@pytest.mark.parametrize("known, pending, said, found, recorded, how",
                         [pytest.param(*row[1:], id=row[0]) for row in TAKEN_AS_SAID])
def test_what_is_no_costly_guess_is_recorded_as_said(known, pending, said, found, recorded, how):
    messages, events = run(ValidateProfileForm(), tracker(slots=known, text=said, entities=found, requested=pending))
    slots = slot_events(events)
    assert {k: slots.get(k) for k in recorded} == recorded
    assert not [p for p in payloads(messages) if p["type"] == "confirm"] and "跟您确认一下" not in texts(messages)
    assert {fact: slots["fact_notes"][fact]["how"] for fact in how} == how


@pytest.mark.parametrize("reply, intent, found, recorded", [
    ("是的", "affirm", [{"entity": "yes_no", "value": True}], {"industry": "批发业"}),
    ("不是", "deny", [{"entity": "yes_no", "value": False}], {}),
    ("不是，我们是开超市的", "deny", [{"entity": "yes_no", "value": False, "additional_info": {"reason": "我们是开超市的"}}],
     {"industry": "零售业"}),
])
def test_the_reply_to_a_trade_asked_as_one_row_records_it_drops_it_or_takes_the_trade_it_names(reply, intent, found,
                                                                                             recorded):
    known = {"employees": 300, "revenue": 500_000_000, "pending_confirmation": {"industry": "批发业"}}
    _, events = run(ActionNoQuestionPending(), tracker(slots=known, text=reply, intent=intent, entities=found))
    slots = slot_events(events)
    assert {k: v for k, v in slots.items() if k == "industry"} == recorded and slots["pending_confirmation"] is None


def test_a_one_shot_class_question_is_answered_as_said_and_its_costly_trade_asked_before_it_is_recorded():
    """"…够不够小微？" with a trade that makes the enterprise medium (普惠小微 loans no longer apply): the class is computed from what the owner said,
    saying so, and the trade is asked before it is recorded."""
    said = "我们是粮油批发的，一百二十个人，去年营收两个半亿，够不够小微？"
    found = [PRESENTS, entity("employees", 120), entity("revenue", 2.5e8)]
    messages, events = run(ValidateProfileForm(), tracker(text=said, intent="ask_policy", entities=found))
    shown = texts(messages)
    assert "按您说的：批发业" in shown and "属于中型企业" in shown, shown
    assert "您的企业属于“批发业”，对吗？" in shown and "industry" not in slot_events(events)
