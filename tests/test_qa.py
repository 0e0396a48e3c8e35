"""Policy questions answered from the store: the held-out paraphrases (written apart from the NLU data)."""

import dataclasses

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


def test_a_term_asked_by_another_word_names_the_notices_own_term(policy_store):
    assert "没有给“少裁员”下定义" in qa.answer("裁员率怎么算", policy_store).text


def test_a_term_no_measure_uses_is_defined_with_the_issuer_as_source(policy_store):
    policy = dataclasses.replace(policy_store.default_policy, measures=())
    meaning = {"defines": "少裁员", "parameters": ["ui_layoff_rate_cap"]}
    answer = qa._define(policy, policy_store, "裁员率", meaning)
    assert answer.departments == (policy.issuer,) and policy.parameters["ui_layoff_rate_cap"].text in answer.text


def test_later_national_or_provincial_policies_are_answered_with_the_notices_own_sentence(policy_store):
    answer = qa.answer("省里后来又出台新政策了，以哪个为准", policy_store)
    assert "遵照执行" in answer.text and answer.departments == (policy_store.default_policy.issuer,)


def test_every_quoted_sentence_of_the_topics_is_in_its_clause(policy_store):
    clauses = policy_store.default_policy.clauses
    for where in qa._topics()["sentences"].values():
        assert where["contains"] in clauses[where["clause"]].text
