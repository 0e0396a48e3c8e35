"""The dialogue's actions serve every document the store holds for the place, not only the city's notice."""

from actions.conversation import ActionGreet
from actions.explanations import ActionExplainWhyNot
from actions.handoff import ActionHandoff

from tests.actions.trackers import payloads, run, texts, tracker

LARGE_FACTORY = {"industry": "工业", "employees": 2000, "revenue": 6e8, "affected": True}


def test_why_not_for_a_national_measure_names_its_document_and_its_words():
    slots = {**LARGE_FACTORY, "is_small_scale_taxpayer": False}
    messages, _ = run(ActionExplainWhyNot(), tracker(slots=slots, text="增值税减按1%为什么没有我们", intent="why_not"))
    text = texts(messages)
    assert "公告2020年第13号" in text and "不适用" in text and "原文：“" in text


def test_a_handoff_about_a_national_measure_names_its_departments():
    messages, _ = run(ActionHandoff(), tracker(slots={"focus_measures": ["vat13-1"]}, text="转人工", intent="handoff"))
    assert payloads(messages)[0]["departments"] == ["财政部", "税务总局"]


def test_the_greeting_names_the_place_and_the_documents_held(policy_store):
    messages, _ = run(ActionGreet(), tracker(text="你好", intent="greet"))
    text = texts(messages)
    assert f"《{policy_store.default_policy.short_title}》" in text and f"共{len(policy_store.place_policies())}份" in text
