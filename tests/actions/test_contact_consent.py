"""政策找企业: the interview's last question asks, once, whether the assistant may tell the owner of new measures
that fit; the answer is kept in the conversation's slot `contact_consent` (the console's 回访 list reads it)."""

import pytest

from actions.forms import ValidateFollowupForm

from tests.actions.trackers import entity, payloads, run, slot_events, texts, tracker

RESTAURANT = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True}


@pytest.fixture
def nothing_open(policy_store):
    """A follow-up with every fact skipped and the checklist done: only the last question is left."""
    return {**RESTAURANT, "unknown_facts": [f for f in policy_store.facts if f not in RESTAURANT],
            "checklist": "answered"}


def test_the_last_question_of_the_interview_asks_whether_to_tell_of_new_measures(nothing_open):
    messages, events = run(ValidateFollowupForm(), tracker(slots=nothing_open, active_loop="followup_form"))
    assert slot_events(events)["requested_slot"] == "contact_consent"
    assert "有新政策适合您的企业时，可以在这里提醒您吗" in texts(messages)
    assert payloads(messages)[-1] == {"type": "consent", "options": ["可以", "不用了"]}


def test_open_facts_are_asked_before_it(policy_store):
    form = ValidateFollowupForm()
    plan = form.plan(tracker(slots=RESTAURANT))
    assert plan[-1] == "contact_consent" and len(plan) > 1


@pytest.mark.parametrize("said, value, intent, consent, reply", [
    ("可以", True, "affirm", True, "会在这里提醒您"),
    ("好的", True, "affirm", True, "会在这里提醒您"),
    ("不用了，谢谢", False, "deny", False, "不会打扰您"),
])
def test_a_yes_or_no_is_kept_and_acknowledged(nothing_open, said, value, intent, consent, reply):
    t = tracker(slots=nothing_open, text=said, intent=intent, entities=[{**entity("yes_no", value)}],
                requested="contact_consent", active_loop="followup_form")
    messages, events = run(ValidateFollowupForm(), t)
    slots = slot_events(events)
    assert slots["contact_consent"] is consent and slots["requested_slot"] is None
    assert reply in texts(messages)


def test_a_question_instead_of_an_answer_keeps_nothing(nothing_open):
    t = tracker(slots=nothing_open, text="房租能免几个月", intent="ask_policy", requested="contact_consent",
                active_loop="followup_form")
    _, events = run(ValidateFollowupForm(), t)
    assert "contact_consent" not in slot_events(events)


def test_twice_no_answer_means_no_and_it_is_not_asked_again(nothing_open):
    once = tracker(slots=nothing_open, text="嗯这个嘛", requested="contact_consent", active_loop="followup_form")
    messages, events = run(ValidateFollowupForm(), once)
    assert slot_events(events)["failed_asks"] == {"contact_consent": 1}
    twice = tracker(slots={**nothing_open, "failed_asks": {"contact_consent": 1}}, text="嗯这个嘛",
                    requested="contact_consent", active_loop="followup_form")
    messages, events = run(ValidateFollowupForm(), twice)
    slots = slot_events(events)
    assert slots["contact_consent"] is False and slots["requested_slot"] is None and "不会打扰您" in texts(messages)


def test_it_is_asked_once(nothing_open):
    _, events = run(ValidateFollowupForm(), tracker(slots={**nothing_open, "contact_consent": False},
                                                     active_loop="followup_form"))
    assert slot_events(events)["requested_slot"] is None


def test_a_phone_call_is_not_asked_here_its_record_keeps_the_callers_consent(nothing_open):
    typed_by_an_operator = [{"event": "user", "text": "都没有", "metadata": {"via": "console"}}]
    t = tracker(slots=nothing_open, events=typed_by_an_operator, active_loop="followup_form")
    assert "contact_consent" not in ValidateFollowupForm().plan(t)


def test_a_lender_is_not_asked():
    lender = {"is_financial_institution": True, "checklist": "answered"}
    assert "contact_consent" not in ValidateFollowupForm().plan(tracker(slots=lender))


def test_the_result_the_last_answer_changed_comes_before_the_question(nothing_open):
    t = tracker(slots={k: v for k, v in nothing_open.items() if k != "checklist"},
                text="都没有", intent="deny", requested="checklist", active_loop="followup_form")
    t.slots["checklist_facts"] = ["has_loan"]
    messages, events = run(ValidateFollowupForm(), t)
    kinds = [p["type"] for p in payloads(messages)]
    assert kinds == ["result", "consent"]
    assert slot_events(events)["result_shown"]
