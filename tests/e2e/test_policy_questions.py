"""The held-out policy questions asked through the running assistant (NLU, dialogue and the Q&A action)."""

from pathlib import Path

import pytest

from tests.e2e.conftest import Conversation
from testing.qa_checks import PARAPHRASES, invented_numbers, judge, load_paraphrases

FRESH = Path(__file__).parents[1] / "qa" / "fresh.yaml"


# The target is 95% (bench/qa.py reports it); this guard keeps a small margin because CI trains its own
# model and a retrained classifier may file one or two questions differently.
GUARD = 0.93


@pytest.mark.parametrize("held_out", [PARAPHRASES, FRESH], ids=lambda path: path.name)
def test_held_out_questions_score_at_least_the_guard_with_no_invented_figure(assistant, policy_store, held_out):
    cases = load_paraphrases(held_out)
    wrong, invented = [], []
    for case in cases:
        reply = Conversation.texts(Conversation(assistant.url).say(case["q"]))
        problems = judge(case, reply, policy_store)
        if problems:
            wrong.append((case["q"], problems, reply[:120]))
        if invented_numbers(reply, policy_store, case["q"]):
            invented.append((case["q"], reply[:160]))
    accuracy = 1 - len(wrong) / len(cases)
    assert invented == []
    assert accuracy >= GUARD, f"{accuracy:.1%}\n" + "\n".join(map(str, wrong))


def test_a_bank_asking_gets_the_lenders_duties(conversation):
    text = conversation.texts(conversation.say("我是农商行的信贷员，降低融资成本这条对我们银行有什么要求"))
    assert "金融机构" in text and "0.5个百分点" in text and "第9条" in text


def test_out_of_scope_gets_a_short_statement_of_what_is_covered(conversation):
    text = conversation.texts(conversation.say("济南那边今年有啥新补贴"))
    assert "聊城市" in text and "十六条" in text
