"""A new fact is added by editing data only: facts.yaml defines it (type, question, checklist wording, how generated
owners have it) and a policy's condition reads it; the interview then asks it, with no code changed."""

from __future__ import annotations

import shutil

import yaml

from rasa_sdk.executor import CollectingDispatcher

from actions import store_access
from actions.asking import ask_for
from actions.forms import ValidateFollowupForm
from actions.interview import followup_slots
from policy_db import sources, store
from simulator.cases import generate

from actions.slots import known_facts
from tests.actions.trackers import payloads, run, texts, tracker

EXPORTS = """exports_goods:
  type: bool
  label: 有出口业务
  ask: 企业有出口业务吗？
  situation: 有出口业务，订单受疫情影响
  simulator: {chance: 0.2}
"""


def _data_with_a_new_fact(tmp_path):
    root = tmp_path / "policy_db"
    shutil.copytree(sources.DATA_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (root / "facts.yaml").open("a", encoding="utf-8") as f:
        f.write(EXPORTS)
    measures_file = root / "policies" / "liaocheng-2020-sme" / "measures.yaml"
    measures = yaml.safe_load(measures_file.read_text(encoding="utf-8"))
    hiring = next(m for m in measures if str(m["id"]) == "2")
    hiring["conditions"].append({"test": "exports_goods", "holds": "有出口业务", "fails": "没有出口业务"})
    measures_file.write_text(yaml.safe_dump(measures, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_a_fact_added_to_the_data_is_asked_by_the_interview_and_drawn_by_the_simulator(tmp_path):
    wider = store.load(store.build(tmp_path / "policy.db", _data_with_a_new_fact(tmp_path)))
    store_access.use(wider)  # the autouse fixture puts the session's store back
    facts = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True, "hiring_difficulty": True}
    messages, _ = run(ValidateFollowupForm(), tracker(slots=facts))
    assert "exports_goods" in payloads(messages)[-1]["facts"] and "有出口业务，订单受疫情影响" in texts(messages)
    assert "exports_goods" in followup_slots(wider, facts, [], checklist_done=True)
    asked = CollectingDispatcher()
    ask_for("exports_goods", asked, tracker(slots={**facts, "checklist": "answered"}), wider)
    assert texts(asked.messages) == "企业有出口业务吗？\n" and payloads(asked.messages)[0]["fact"] == "exports_goods"
    assert {c.facts.get("exports_goods") for c in generate(wider, 60, seed=1)} >= {True, False}


def test_a_new_fact_without_a_slot_of_its_own_is_kept_and_not_asked_again(tmp_path):
    """A fact a published document brings has no slot in the domain (Rasa drops an event for a slot it does not
    know): its answer is kept in `published_facts`, read back as a known fact, and the interview moves on."""
    wider = store.load(store.build(tmp_path / "policy.db", _data_with_a_new_fact(tmp_path)))
    store_access.use(wider)
    facts = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True, "hiring_difficulty": True,
             "checklist": "answered"}
    answered = tracker(slots=facts, text="有的", intent="affirm", entities=[{"entity": "yes_no", "value": True}],
                       requested="exports_goods", active_loop="followup_form")
    _, events = run(ValidateFollowupForm(), answered)
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert "exports_goods" not in slots and slots["published_facts"] == {"exports_goods": True}
    assert slots["requested_slot"] != "exports_goods"
    later = tracker(slots={**facts, "published_facts": {"exports_goods": True}}, active_loop="followup_form")
    assert known_facts(later, wider)["exports_goods"] is True
    assert "exports_goods" not in ValidateFollowupForm().plan(later)
