"""Each reader runs once per message: the Q&A's reading of a message (is it a question, its topics, the measures and
documents it names, whatever else its answer turns on) is made once and shared by the reading of the message, the
answer and the computed answer, whichever of them asks first; the clause search is made at most once."""

import pytest

from actions import message_reading
from actions.forms import ValidateProfileForm
from actions.questions import ActionAnswerPolicy
from policy_db import qa_measures, qa_reading
from policy_db import store as store_module

from tests.actions.trackers import entity, run, texts, tracker


class _Counting(dict):
    def __init__(self):
        super().__init__()
        self.made: list = []

    def __setitem__(self, key, value):
        self.made.append(key)
        super().__setitem__(key, value)


@pytest.fixture
def counted(monkeypatch):
    """How often a message's text is read as a question, each set of measures scored, and the clauses searched."""
    reads, searches = [], []
    read, search = qa_reading.read, store_module.search
    monkeypatch.setattr(qa_reading, "read", lambda *a, **k: reads.append(a[0]) or read(*a, **k))
    monkeypatch.setattr(store_module, "search", lambda *a, **k: searches.append(a[1]) or search(*a, **k))
    scored = _Counting()
    monkeypatch.setattr(qa_measures, "_SCORED", scored)
    monkeypatch.setattr(qa_reading, "_read", type(qa_reading._read)())
    monkeypatch.setattr(message_reading, "_readings", type(message_reading._readings)())
    return reads, scored, searches


def test_a_message_that_states_facts_and_asks_is_read_as_a_question_once(counted):
    reads, scored, _ = counted
    t = tracker(slots={"industry": "餐饮业"}, text="我们12个人，房租能免吗", requested="employees",
                entities=[entity("employees", 12)])
    messages, _ = run(ValidateProfileForm(), t)
    assert "房租" in texts(messages)  # the question is answered
    assert reads == ["我们12个人，房租能免吗"]
    assert scored.made and len(scored.made) == len(set(scored.made))  # each set of measures scored once


def test_a_question_answered_from_its_closest_clause_is_read_and_searched_once(counted):
    """"企业上云有补贴吗" names no measure: whether a document speaks to it and which measure answers it both come
    from the one search of the clauses."""
    reads, _, searches = counted
    question = "企业上云有补贴吗"
    messages, _ = run(ActionAnswerPolicy(), tracker(text=question, intent="ask_policy"))
    assert "补贴" in texts(messages) and "依据" in texts(messages)  # answered from a clause, with its source
    assert reads == [question] and searches == [question]
