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
    policy = policy_store.default_policy
    for where in qa._topics()["sentences"].values():
        assert where["contains"] in policy.clauses[policy.references[where["clause"]]].text


@pytest.mark.parametrize("question", ["这个通知是根据哪个文件制定的", "这个政策依据什么文件制定", "十六条是落实哪个上级文件的"])
def test_the_document_the_notice_implements_is_answered_from_its_preamble(policy_store, question):
    answer = qa.answer(question, policy_store)
    assert "鲁政办发〔2020〕4号" in answer.text and answer.clause == "通知开头" and "通知开头" in answer.text


@pytest.mark.parametrize("question", ["这个通知是发给谁的", "这个文件主送哪些单位"])
def test_to_whom_the_notice_is_addressed_is_answered_from_its_heading(policy_store, question):
    answer = qa.answer(question, policy_store)
    assert "市属开发区管委会" in answer.text and answer.clause == "通知抬头" and "通知抬头" in answer.text


def test_reading_shiye_baozhengjin_as_unemployment_insurance_is_said_to_be_an_interpretation(policy_store):
    text = qa.answer("失业保险金上调到多少", policy_store).text
    assert "失业保证金" in text and "解读" in text and "90%" in text


def test_a_bank_reads_its_duty_worded_as_a_duty_and_an_owner_is_told_it_is_no_subsidy(policy_store):
    bank = qa.answer("降低融资成本对我们有什么要求", policy_store, lender=True).text
    owner = qa.answer("降低融资成本是什么政策", policy_store).text
    assert "金融机构应当" in bank and "0.5个百分点" in bank
    assert "不是给企业的补贴" in owner
