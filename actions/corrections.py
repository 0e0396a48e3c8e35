"""Corrections ("不对，是15个人"): the fact is replaced, everything re-evaluated, and the change in outcome told."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


from .changes import describe_correction
from .questions import answer_if_about_policy, answer_or_say
from .slots import RESULT_SHOWN, fact_events, known_facts
from .results import digest
from .store_access import policy_store
from .interpretation import Turn, interpret


class ActionApplyCorrection(Action):
    def name(self) -> Text:
        return "action_apply_correction"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        facts = known_facts(tracker, store)
        reading = interpret(tracker.latest_message or {}, Turn(None, (), facts), store)
        if reading.error is not None:
            dispatcher.utter_message(text=f"{reading.error.message}。原来的信息保持不变。")
            return []
        change = reading.facts
        if not change:
            return answer_or_say(dispatcher, tracker,
                                 "请告诉我要更正哪一项和正确的值，比如“不对，是15个人”或“其实我们裁了2个人”。")
        answered = answer_if_about_policy(dispatcher, tracker) if reading.asks else []  # "其实裁了两个人，那…还能拿吗"
        text, after = describe_correction(store, facts, change)
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(json_message=after.to_payload())
        return answered + fact_events(change) + [SlotSet(RESULT_SHOWN, digest({**facts, **change}))]
