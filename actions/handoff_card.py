"""The handoff card: the text and `handoff` payload that send the owner to people (the hotline and the departments
of the measures in question), with the facts so far."""

from __future__ import annotations

from rasa_sdk import Tracker

from policy_db import evaluate, qa_reading

from .slots import FOCUS, known_facts, listed


def handoff_payload(store, tracker: Tracker, reason: str) -> tuple[str, dict]:
    policy = store.default_policy
    facts = known_facts(tracker, store)
    ids = listed(tracker, FOCUS) or list(qa_reading.asked(tracker.latest_message.get("text") or "", store).measures)
    if reason == "dispute":
        ids = [m.id for m in policy.measures if m.clause == policy.references["hotline"]]
    found = [store.find(mid) for mid in ids]
    departments = list(dict.fromkeys(d for hit in found if hit for d in hit[1].departments)) or [
        policy.hotline_department]
    words = store.words.pages
    text = words["handoff_sentence"].format(reason=words["handoff_said"][reason], hotline=policy.hotline,
                                            hotline_label=words["hotline_label"], departments="、".join(departments))
    payload = {"type": "handoff", "reason": reason, "hotline": policy.hotline, "departments": departments,
               "facts": facts}
    if facts:
        payload["sme_class"] = evaluate(facts, store=store).sme_class
    return text, payload
