"""Tells the user which measures apply, with the engine's `result` payload unchanged."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from policy_db import evaluate, report
from policy_db.interview import digest

from .handoff_card import handoff_payload
from .message_reading import noted_result
from .slots import RESULT_SHOWN, known_facts
from .store_access import policy_store


class ActionShowResult(Action):
    def name(self) -> Text:
        return "action_show_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        if tracker.get_slot(RESULT_SHOWN) == digest(known_facts(tracker, store)):
            return []
        return tell_result(dispatcher, tracker, store)


def tell_result(dispatcher: CollectingDispatcher, tracker: Tracker, store) -> List[EventType]:
    """The current result, whenever it is asked for ("汇总一下") or the interview reaches it."""
    facts = known_facts(tracker, store)
    assessment = evaluate(facts, store=store)
    dispatcher.utter_message(text=report.render(assessment, compact=True))
    dispatcher.utter_message(json_message=noted_result(assessment.to_payload(), tracker))
    if _has_dispute(assessment):
        text, payload = handoff_payload(store, tracker, "dispute")
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(json_message=payload)
    return [SlotSet(RESULT_SHOWN, digest(facts))]


def _has_dispute(assessment) -> bool:
    """A part that applies and comes with the hotline card (16's legal aid for orders in dispute, not the hotline
    every enterprise may call about new orders)."""
    return any(p.part.handoff == "dispute" for r in assessment.results if r.status == "eligible"
               for p in r.applying_parts)
