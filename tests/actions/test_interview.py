"""The interview forms: answers in context, the order of questions, refusals, the checklist."""

from actions.forms import ValidateFollowupForm, ValidateProfileForm
from actions.interview import followup_slots, profile_slots

from tests.actions.trackers import entity, payloads, run, slot_events, texts, tracker

RESTAURANT = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True}


def test_the_profile_asks_industry_first_then_what_classifies_then_being_affected(policy_store):
    assert profile_slots(policy_store, {}, [], [])[0] == "industry"
    assert profile_slots(policy_store, {"industry": "工业"}, [], [])[:2] == ["employees", "revenue"]
    assert profile_slots(policy_store, RESTAURANT, [], []) == []


def test_a_large_enterprise_is_not_asked_whether_it_was_affected(policy_store):
    assert profile_slots(policy_store, {"industry": "工业", "employees": 2000, "revenue": 6e8}, [], []) == []


def test_the_measures_asked_about_are_asked_first(policy_store):
    assert profile_slots(policy_store, RESTAURANT, ["5.1"], []) == ["rents_soe_property"]
    renting = {**RESTAURANT, "rents_soe_property": True}
    assert profile_slots(policy_store, renting, ["5.1"], []) == ["monthly_rent"]


def test_the_follow_up_offers_one_checklist_then_only_the_figures_needed(policy_store):
    assert followup_slots(policy_store, RESTAURANT, [], checklist_done=False) == ["checklist"]
    facts = {**RESTAURANT, "rents_soe_property": True, "has_loan": False, "insured": False}
    rest = followup_slots(policy_store, facts, [], checklist_done=True)
    assert rest[0] != "checklist" and "monthly_rent" in rest and "loan_principal" not in rest


def test_facts_the_user_does_not_know_are_not_asked_again(policy_store):
    assert "industry" not in profile_slots(policy_store, {}, [], ["industry"])


def test_the_profile_form_takes_every_fact_of_the_opening_message():
    t = tracker(text="我们是饭店，12个人，去年营收180万，受影响挺大",
                entities=[entity("industry", "饭店"), entity("employees", 12), entity("revenue", 1_800_000),
                          entity("affected", True)])
    _, events = run(ValidateProfileForm(), t)
    slots = slot_events(events)
    assert slots["industry"] == "餐饮业" and slots["employees"] == 12 and slots["affected"] is True
    assert slots["requested_slot"] is None


def test_an_impossible_value_is_refused_and_not_stored():
    t = tracker(slots={"industry": "餐饮业"}, text="-5个人", entities=[entity("employees", -5)],
                requested="employees")
    messages, events = run(ValidateProfileForm(), t)
    assert "不能是负数" in texts(messages)
    assert "employees" not in slot_events(events)
    assert slot_events(events)["requested_slot"] == "employees"


def test_an_answer_that_fits_nothing_is_asked_again_once_then_skipped():
    first = tracker(slots={"industry": "餐饮业"}, text="嗯嗯", intent="inform", requested="employees")
    _, events = run(ValidateProfileForm(), first)
    assert slot_events(events)["failed_asks"] == {"employees": 1}
    again = tracker(slots={"industry": "餐饮业", "failed_asks": {"employees": 1}}, text="嗯嗯", requested="employees")
    messages, events = run(ValidateProfileForm(), again)
    assert slot_events(events)["unknown_facts"] == ["employees"] and "跳过" in texts(messages)


def test_a_question_in_the_middle_of_the_form_changes_no_fact():
    t = tracker(slots={"industry": "餐饮业"}, text="要是员工有25个呢", intent="what_if",
                entities=[entity("employees", 25)], requested="employees")
    _, events = run(ValidateProfileForm(), t)
    assert "employees" not in slot_events(events)


def test_every_fact_question_carries_the_ask_payload(policy_store):
    for fact in policy_store.facts:
        messages, _ = run(_AskingForm(fact), tracker())
        assert {"type": "ask", "fact": fact}.items() <= payloads(messages)[0].items()
        assert texts(messages)


def test_the_form_asks_the_next_question_in_the_call_that_takes_the_answer():
    t = tracker(slots={"industry": "餐饮业"}, text="12个人", entities=[entity("employees", 12)],
                requested="employees", active_loop="profile_form")
    messages, events = run(ValidateProfileForm(), t)
    nxt = slot_events(events)["requested_slot"]
    assert slot_events(events)["employees"] == 12 and nxt not in (None, "employees")
    assert payloads(messages) and payloads(messages)[-1]["fact"] == nxt


def _as_rasa_validates(*before):
    """Events as Rasa hands them to validation: the conversation, then the form's own run (FormAction's temporary
    tracker)."""
    return [{"event": "action", "name": "action_listen"}, {"event": "user", "text": "……"}, *before,
            {"event": "slot", "name": "requested_slot", "value": "employees"},
            {"event": "action", "name": "profile_form"}]


def test_a_message_rasa_will_hand_to_another_action_gets_no_question_from_the_form():
    """"房租能免几个月" mid-form sets no slot, so Rasa rejects the form's run, answers it by a rule, and the form
    asks when it resumes: asking here too would ask twice."""
    mid_form = dict(slots={"industry": "餐饮业"}, text="房租能免几个月", intent="ask_policy", requested="employees",
                    active_loop="profile_form")
    messages, events = run(ValidateProfileForm(), tracker(**mid_form, events=_as_rasa_validates()))
    assert not messages and set(slot_events(events)) == {"requested_slot"}
    resumed = _as_rasa_validates({"event": "action", "name": "action_answer_policy"}, {"event": "bot", "text": "…"})
    messages, _ = run(ValidateProfileForm(), tracker(**mid_form, events=resumed))
    assert payloads(messages)[0].items() >= {"type": "ask", "fact": "employees"}.items()
    back_from_unhappy_path = _as_rasa_validates({"event": "loop_interrupted", "is_interrupted": True})
    messages, _ = run(ValidateProfileForm(), tracker(**mid_form, events=back_from_unhappy_path))
    assert payloads(messages)[0]["fact"] == "employees"


def test_a_question_asked_again_is_worded_differently():
    first, _ = run(_AskingForm("employees"), tracker())
    again, _ = run(_AskingForm("employees"), tracker(slots={"failed_asks": {"employees": 1}}))
    assert texts(first) != texts(again) and "比如" in texts(again)


def test_the_checklist_numbers_situations_in_payload_order():
    messages, events = run(ValidateFollowupForm(), tracker(slots=RESTAURANT))
    (payload,) = payloads(messages)
    assert payload["multi"] is True and payload["facts"] == slot_events(events)["checklist_facts"]
    assert f"1. {payload['options'][0]}" in texts(messages)


class _AskingForm(ValidateProfileForm):
    """The profile form with a plan of one fact, to hear how each fact is asked."""

    def __init__(self, fact):
        self.fact = fact

    def plan(self, tracker):
        return [self.fact]


def test_a_no_about_a_fact_the_checklist_does_not_offer_does_not_answer_it():
    t = tracker(slots={**RESTAURANT, "checklist_facts": ["has_loan", "insured"]}, text="没有裁员", intent="deny",
                entities=[entity("layoffs", 0)], requested="checklist")
    messages, events = run(ValidateFollowupForm(), t)
    slots = slot_events(events)
    assert slots["layoffs"] == 0 and "has_loan" not in slots and "checklist" not in slots
    assert payloads(messages)[-1]["multi"] is True  # the checklist is shown again


def test_the_checklist_asked_again_is_compact_but_still_numbered_unless_its_items_changed(policy_store):
    first, events = run(ValidateFollowupForm(), tracker(slots=RESTAURANT))
    shown = slot_events(events)["checklist_facts"]
    again, _ = run(ValidateFollowupForm(), tracker(slots={**RESTAURANT, "checklist_facts": shown}))
    assert "\n" in texts(first).strip() and "\n" not in texts(again).strip() and len(texts(again)) < len(texts(first))
    situations = payloads(again)[0]["options"]
    assert all(f"{i}. {s}" in texts(again) for i, s in enumerate(situations, start=1))  # contract §2
    assert payloads(again) == payloads(first)
    changed, _ = run(ValidateFollowupForm(), tracker(slots={**RESTAURANT, "checklist_facts": shown[1:]}))
    assert "1. " in texts(changed)


def test_not_knowing_the_checklist_leaves_its_situations_unknown_and_moves_on():
    offered = ["has_loan", "insured"]
    t = tracker(slots={**RESTAURANT, "checklist_facts": offered}, text="得问问会计", intent="dont_know",
                requested="checklist")
    _, events = run(ValidateFollowupForm(), t)
    slots = slot_events(events)
    assert slots["checklist"] == "answered" and set(offered) <= set(slots["unknown_facts"])
    assert slots["requested_slot"] != "checklist"


def test_a_checklist_that_twice_gets_no_fitting_answer_is_skipped():
    offered = ["has_loan", "insured"]
    t = tracker(slots={**RESTAURANT, "checklist_facts": offered, "failed_asks": {"checklist": 1}}, text="嗯嗯这个嘛",
                intent="inform", requested="checklist", active_loop="followup_form")
    messages, events = run(ValidateFollowupForm(), t)
    slots = slot_events(events)
    assert slots["checklist"] == "skipped" and set(offered) <= set(slots["unknown_facts"])
    assert "先跳过" in texts(messages) and slots["requested_slot"] != "checklist"


def test_the_follow_up_form_records_the_checklist_answer():
    t = tracker(slots={**RESTAURANT, "checklist_facts": ["has_loan", "insured"]}, text="都没有", intent="deny",
                requested="checklist")
    _, events = run(ValidateFollowupForm(), t)
    slots = slot_events(events)
    assert slots["has_loan"] is False and slots["insured"] is False and slots["checklist"] == "answered"


def test_an_answer_that_changes_a_known_fact_says_it_was_corrected():
    t = tracker(slots=RESTAURANT, text="算上学徒一共十五个人", entities=[entity("employees", 15)])
    messages, events = run(ValidateProfileForm(), t)
    assert "已更正（从业人员人数：12人 → 15人）" in texts(messages)
    assert slot_events(events)["employees"] == 15


def test_the_question_that_started_the_interview_is_not_answered_twice(policy_store):
    answered_by_the_rule = [{"event": "user", "text": "我们这种小店能享受啥扶持不"},
                            {"event": "action", "name": "action_answer_if_about_policy"}, {"event": "bot", "text": "…"}]
    t = tracker(text="我们这种小店能享受啥扶持不", intent="ask_eligibility", events=answered_by_the_rule)
    messages, _ = run(ValidateProfileForm(), t)
    assert [m["text"] for m in messages if m.get("text")] == [policy_store.facts["industry"].ask]


def test_an_answer_the_classifier_took_for_a_question_still_answers_the_question_asked():
    t = tracker(text="我们是干园区管理的", intent="ask_policy", requested="industry")
    _, events = run(ValidateProfileForm(), t)
    assert slot_events(events)["industry"] == "租赁和商务服务业"


def test_a_what_if_never_answers_the_question_asked():
    t = tracker(slots={"industry": "餐饮业"}, text="要是员工有25个呢", intent="what_if",
                entities=[entity("employees", 25)], requested="employees")
    _, events = run(ValidateProfileForm(), t)
    assert "employees" not in slot_events(events)


def test_while_the_class_is_open_its_missing_indicators_are_asked_together(policy_store):
    known = {"industry": "餐饮业", "employees": 12, "affected": True}
    assert "revenue" in profile_slots(policy_store, known, [], [])
    messages, _ = run(ValidateProfileForm(), tracker(slots={"industry": "餐饮业"}, requested="industry"))
    asked = payloads(messages)[0]
    assert asked["fact"] == "employees" and asked["together"] == ["revenue"]
    assert policy_store.facts["employees"].ask in texts(messages) and policy_store.facts["revenue"].ask in texts(messages)
