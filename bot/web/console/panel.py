"""The console's picture of one conversation (a phone call or a chat taken over), from its facts and the question
pending: where it stands with people, the facts with what an inline edit needs, the SME class with its rule row, the
next question with why it is asked, the departments and the engine's `result` payload. Every word comes from the
store and the engine."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Mapping, Optional

from rasa.shared.core.events import BotUttered, UserUttered

from actions.slots import FACT_NOTES, facts_in
from bot.staff import takeover
from policy_db import evaluate, next_questions, report
from policy_db import store as policy_db_store
from policy_db.interview import class_indicators
from policy_db.store import Store


def _pending(events) -> Optional[dict]:
    """The `ask` payload of the last question asked, while no message has come after it."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return None
        custom = (event.data or {}).get("custom") if isinstance(event, BotUttered) else None
        if isinstance(custom, dict) and custom.get("type") == "ask":
            return custom
    return None


async def conversation_state(agent, sender: str) -> dict:
    """The console's picture of a conversation, read from the tracker store, and where it stands with people."""
    store = policy_db_store.load()
    tracker = await agent.tracker_store.retrieve(sender)
    events = list(tracker.events) if tracker else []
    slots = tracker.current_slot_values() if tracker else {}
    standing = takeover.standing(events)
    ask = _pending(events)
    return {"sender": sender, "standing": asdict(standing) if standing else None, "ask": ask,
            **picture(store, facts_in(slots, store), None if ask is None or ask.get("multi") else ask.get("fact"),
                      slots.get(FACT_NOTES) or {})}


def _fact_row(store: Store, name: str, value: Any, note: Optional[Mapping[str, Any]] = None) -> dict:
    spec = store.facts[name]
    row = {"name": name, "label": spec.label, "type": spec.type, "value": "" if value is None else report.show_value(spec, value),
           "raw": value, "unit": spec.unit}
    if note:
        row["source"] = source_of(store, note)
    if spec.type == "choice":
        row["choices"] = list(spec.choices)
    elif spec.type == "industry":
        row["choices"] = list(store.classification_for(store.default_policy).rows)
    return row


def source_of(store: Store, note: Mapping[str, Any]) -> str:
    """Where a fact came from, for the operator: how it was read and the words it came from (slot `fact_notes`,
    worded by words.yaml `pages.fact_sources`)."""
    words = store.words.pages["fact_sources"]
    how = words["how"].get(note.get("how"), words["how"]["stated"]).format(operator=note.get("operator") or "")
    said = words["said"].format(said=note["said"]) if note.get("said") else ""
    reason = words["reason"].format(reason=note["reason"]) if note.get("reason") else ""
    return how + said + reason


def why_asked(store: Store, facts: Mapping[str, Any], fact: str, assessment) -> str:
    """Why the pending question matters: the class rule it settles, and the measures whose status or amount it
    decides (the engine's next_questions), worded from the store."""
    reasons = []
    if fact in class_indicators(store, dict(facts)):
        reasons.append(f"用于确定企业规模（{assessment.sme_reason}）")
    for q in next_questions(facts, store=store, assessment=assessment):
        if q.fact != fact:
            continue
        titles = []
        for mid in q.measures:
            found = store.find(mid)
            titles.append(f"{mid} {found[1].title}" if found else mid)
        verb = "决定能否享受" if q.kind == "condition" else "用于测算金额"
        reasons.append(f"{verb}：{'、'.join(dict.fromkeys(titles))}")
    return "；".join(reasons)


def picture(store: Store, facts: Mapping[str, Any], pending: Optional[str] = None,
            notes: Optional[Mapping[str, Any]] = None) -> dict:
    """What the console shows beside a conversation whose known facts are ``facts`` (each with where it came from,
    ``notes``) and whose pending question (the last `ask`'s fact) is ``pending``."""
    notes = notes or {}
    assessment = evaluate(dict(facts), store=store)
    payload = assessment.to_payload()
    departments = list(dict.fromkeys(d for r in assessment.results if r.status == "eligible"
                                     for d in payload_departments(payload, r.measure.id)))
    next_fact = pending if pending in store.facts else None
    return {
        "facts": [_fact_row(store, name, value, notes.get(name)) for name, value in facts.items() if name in store.facts],
        "editable": [_fact_row(store, name, None) for name in store.facts if name not in facts],
        "sme_class": {"value": assessment.sme_class, "label": assessment.sme_label, "rule": assessment.sme_reason},
        "next": ({"fact": next_fact, "label": store.facts[next_fact].label,
                  "why": why_asked(store, facts, next_fact, assessment)} if next_fact else None),
        "departments": departments,
        "result": payload,
    }


def payload_departments(payload: dict, measure_id: str) -> list[str]:
    for m in payload.get("measures", []):
        if m.get("id") == measure_id:
            return list(m.get("departments") or [])
    return []
