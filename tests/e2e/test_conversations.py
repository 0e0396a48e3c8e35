"""Whole conversations with the real servers over REST, by simulated owners written apart from the training data.

Each ends in a `result` payload whose statuses and amounts must be the engine's for the persona's true facts.
"""

from __future__ import annotations

import random

import pytest

from policy_db import evaluate
from tests.e2e.conftest import Conversation
from testing.simulated_user import SimulatedUser, converse, load_personas

PHRASES, PERSONAS = load_personas()


def _outcome(measures: list[dict]) -> dict:
    return {m["id"]: (m["status"], m["amount_yuan"]) for m in measures}


@pytest.mark.parametrize("persona", PERSONAS, ids=[p["name"] for p in PERSONAS])
def test_a_whole_interview_ends_in_the_engines_answer_for_the_true_facts(assistant, persona, policy_store):
    chat = Conversation(assistant.url)
    user = SimulatedUser(persona, PHRASES, random.Random(persona["name"]))
    converse(user, chat.say)
    result = chat.last_result()
    assert result is not None, chat.dump()
    truth = evaluate(persona["facts"], store=policy_store).to_payload()
    given_class = result["enterprise"]["sme_class"]  # may stay open when no measure depends on it (small vs micro)
    assert given_class in (None, truth["enterprise"]["sme_class"]), chat.dump()
    assert _outcome(result["measures"]) == _outcome(truth["measures"]), chat.dump()
    assert result["expired"] is True and "仅供参考" in chat.dump()
    for fact, value in result["enterprise"]["facts"].items():
        assert persona["facts"].get(fact) == value, (fact, chat.dump())


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p.get("correction")],
                         ids=[p["name"] for p in PERSONAS if p.get("correction")])
def test_a_correction_after_the_answer_replaces_the_fact_and_updates_the_result(assistant, persona, policy_store):
    chat = Conversation(assistant.url)
    user = SimulatedUser(persona, PHRASES, random.Random(persona["name"]))
    converse(user, chat.say)
    fix = persona["correction"]
    replies = chat.say(fix["say"])
    assert "已更正" in chat.texts(replies), chat.dump()
    corrected = {**persona["facts"], fix["fact"]: fix["value"]}
    (result,) = chat.payloads(replies, "result")
    assert result["enterprise"]["facts"][fix["fact"]] == fix["value"]
    truth = evaluate({k: v for k, v in corrected.items() if k in result["enterprise"]["facts"]},
                     store=policy_store).to_payload()
    assert _outcome(result["measures"]) == _outcome(truth["measures"]), chat.dump()
