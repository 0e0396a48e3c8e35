"""Corrections ("不对，是15个人"): the fact is replaced, everything re-evaluated, and the change in outcome told."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from policy_db import FactError, evaluate, qa, report, validate

from .questions import answer_if_about_policy, answer_or_say
from .slots import RESULT_SHOWN, fact_events, known_facts
from .results import digest
from .store_access import policy_store
from .understanding import stated_facts


def describe_correction(store, facts: dict, change: dict) -> tuple[str, object]:
    """'已更正（从业人员人数：6人 → 12人）。结果的变化：…' ('已记录' when nothing was known before), and the
    assessment after the change."""
    before, after = evaluate(facts, store=store), evaluate({**facts, **change}, store=store)
    what = "；".join(f"{store.facts[k].label}：{_was(store, k, facts)}{report.show_value(store.facts[k], v)}"
                    for k, v in change.items())
    diff = report.changes(before, after)
    outcome = "结果的变化：\n" + "\n".join(diff) if diff else "各项措施的结果没有变化。"
    verb = "已更正" if any(k in facts for k in change) else "已记录"
    return f"{verb}（{what}）。{outcome}", after


class ActionApplyCorrection(Action):
    def name(self) -> Text:
        return "action_apply_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        facts = known_facts(tracker, store)
        change = {k: v for k, v in stated_facts(tracker.latest_message, store).items() if facts.get(k) != v}
        if not change:
            return answer_or_say(dispatcher, tracker,
                                 "请告诉我要更正哪一项和正确的值，比如“不对，是15个人”或“其实我们裁了2个人”。")
        asks = qa.is_question(tracker.latest_message.get("text") or "")  # "其实裁了两个人，那稳岗返还还能拿吗"
        answered = answer_if_about_policy(dispatcher, tracker) if asks else []
        try:
            corrected = validate({**facts, **change}, store.facts, store.classification_for(store.default_policy))
        except FactError as err:
            dispatcher.utter_message(text=f"{err.message}。原来的信息保持不变。")
            return []
        change = {k: corrected[k] for k in change}
        text, after = describe_correction(store, facts, change)
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(json_message=after.to_payload())
        return answered + fact_events(change) + [SlotSet(RESULT_SHOWN, digest(corrected))]


def _was(store, name: str, facts: dict) -> str:
    return f"{report.show_value(store.facts[name], facts[name])} → " if name in facts else ""

