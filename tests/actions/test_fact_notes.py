"""Each recorded fact keeps a note of how it was read and the owner's words (slot `fact_notes`), so an operator or a
supervisor can see where a fact came from: an answer, a confirmed guess, a fact word, an operator's edit."""

from actions.corrections import ActionApplyCorrection, ActionNoQuestionPending
from actions.forms import ValidateProfileForm
from bot.staff import fact_edit

from tests.actions.trackers import entity, run, slot_events, tracker

SMALL_RESTAURANT = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000}


def test_an_answer_with_a_reason_keeps_the_reason_with_the_fact():
    t = tracker(slots=SMALL_RESTAURANT, text="是，客人全跑了", intent="affirm", requested="affected",
                entities=[{"entity": "yes_no", "value": True, "additional_info": {"reason": "客人全跑了"}}])
    _, events = run(ValidateProfileForm(), t)
    slots = slot_events(events)
    assert slots["affected"] is True
    assert slots["fact_notes"]["affected"] == {"how": "answer", "said": "是，客人全跑了", "reason": "客人全跑了"}


def test_facts_of_an_opening_message_are_noted_as_stated_and_earlier_notes_are_kept():
    earlier = {"industry": {"how": "answer", "said": "饭店"}}
    t = tracker(slots={"industry": "餐饮业", "fact_notes": earlier}, text="12个人，去年营收180万",
                entities=[entity("employees", 12), entity("revenue", 1_800_000)], requested="affected")
    _, events = run(ValidateProfileForm(), t)
    notes = slot_events(events)["fact_notes"]
    assert notes["industry"] == earlier["industry"]
    assert notes["revenue"] == {"how": "stated", "said": "12个人，去年营收180万"}
    assert notes["employees"]["said"] == "12个人，去年营收180万"


def test_a_guess_the_owner_confirms_is_noted_as_confirmed():
    t = tracker(slots={**SMALL_RESTAURANT, "pending_confirmation": {"affected": False}}, text="对", intent="affirm",
                entities=[{"entity": "yes_no", "value": True}])
    _, events = run(ActionNoQuestionPending(), t)
    slots = slot_events(events)
    assert slots["affected"] is False and slots["pending_confirmation"] is None
    assert slots["fact_notes"]["affected"]["how"] == "confirmed"


def test_a_correction_notes_the_words_that_corrected():
    t = tracker(slots={**SMALL_RESTAURANT, "affected": True}, text="不对，是15个人", intent="correct",
                entities=[entity("employees", 15), entity("correction", True)])
    _, events = run(ActionApplyCorrection(), t)
    slots = slot_events(events)
    assert slots["employees"] == 15 and slots["fact_notes"]["employees"]["said"] == "不对，是15个人"


def test_a_message_that_records_nothing_leaves_the_notes_alone():
    t = tracker(slots=SMALL_RESTAURANT, text="嗯嗯", intent="inform", requested="affected")
    _, events = run(ValidateProfileForm(), t)
    assert "fact_notes" not in slot_events(events)


def test_an_operators_edit_is_noted_with_the_operator(policy_store):
    edit = fact_edit.edit({**SMALL_RESTAURANT, "fact_notes": {"industry": {"how": "answer", "said": "饭店"}}},
                          "revenue", "80万", policy_store, operator="王芳")
    assert edit.slots["fact_notes"]["revenue"] == {"how": "operator", "said": "80万", "operator": "王芳"}
    assert edit.slots["fact_notes"]["industry"]["said"] == "饭店"
