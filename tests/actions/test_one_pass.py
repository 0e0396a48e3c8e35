"""Each reader runs once per message: the Q&A's reading of a message (is it a question, its topics, the measures it
names, whether a document speaks to it) is made once and shared by the reading of the message, the answer and the
computed answer, whichever of them asks first."""

from actions import message_reading
from actions.forms import ValidateProfileForm
from policy_db import qa, qa_reading

from tests.actions.trackers import entity, run, texts, tracker


class _Counting(dict):
    def __init__(self):
        super().__init__()
        self.made: list = []

    def __setitem__(self, key, value):
        self.made.append(key)
        super().__setitem__(key, value)


def test_a_message_that_states_facts_and_asks_is_read_as_a_question_once(monkeypatch):
    about_calls = []
    about = qa.is_about_policy
    monkeypatch.setattr(qa, "is_about_policy", lambda *a, **k: about_calls.append(a) or about(*a, **k))
    scored = _Counting()
    monkeypatch.setattr(qa, "_SCORED", scored)
    monkeypatch.setattr(qa_reading, "_read", type(qa_reading._read)())
    monkeypatch.setattr(message_reading, "_readings", type(message_reading._readings)())
    t = tracker(slots={"industry": "餐饮业"}, text="我们12个人，房租能免吗", requested="employees",
                entities=[entity("employees", 12)])
    messages, _ = run(ValidateProfileForm(), t)
    assert "房租" in texts(messages)  # the question is answered
    assert len(about_calls) == 1
    assert scored.made and len(scored.made) == len(set(scored.made))  # each set of measures scored once
