"""Policy questions answered from the store: the held-out paraphrases (written apart from the NLU data)."""

import pytest

from policy_db import qa
from tests.qa_checks import invented_numbers, judge, load_paraphrases

CASES = load_paraphrases()


def test_the_held_out_set_is_large_enough():
    assert sum(1 for c in CASES if not c.get("unanswerable")) >= 80
    assert sum(1 for c in CASES if c.get("unanswerable")) >= 15


def _case(case):
    """Known gaps are listed in the held-out file and must keep failing until fixed (strict xfail)."""
    marks = [pytest.mark.xfail(reason=case["known_gap"], strict=True)] if case.get("known_gap") else []
    return pytest.param(case, id=case["q"], marks=marks)


@pytest.mark.parametrize("case", [_case(c) for c in CASES])
def test_a_policy_question_gets_the_right_figure_clause_and_department(case, policy_store):
    reply = qa.answer(case["q"], policy_store).text
    assert judge(case, reply, policy_store) == [], reply


@pytest.mark.parametrize("case", [c for c in CASES if c.get("unanswerable")],
                         ids=[c["q"] for c in CASES if c.get("unanswerable")])
def test_a_question_the_notice_does_not_answer_gets_no_invented_figure(case, policy_store):
    answer = qa.answer(case["q"], policy_store)
    assert invented_numbers(answer.text, policy_store) == set(), answer.text
