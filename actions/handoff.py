"""Hands the conversation to people: the 12348 hotline and the responsible departments, with the facts so far."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from .handoff_card import handoff_payload
from .questions import answer_if_about_policy
from .store_access import policy_store


class ActionHandoff(Action):
    """To people; a question about the notice in the same message ("打哪个电话") is answered first."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        answer_if_about_policy(dispatcher, tracker)
        text, payload = handoff_payload(policy_store(), tracker, "user_request")
        dispatcher.utter_message(text=text)
        dispatcher.utter_message(json_message=payload)
        return []


class ActionFallback(Action):
    """A message the classifier is unsure of: answered from the notice when it names something of it; else asked
    to rephrase, and the second in a row goes to people."""

    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        if answer_if_about_policy(dispatcher, tracker) or dispatcher.messages:
            return []
        intents = [e.get("parse_data", {}).get("intent", {}).get("name") for e in tracker.events if e.get("event") == "user"]
        if intents[-2:] == ["nlu_fallback", "nlu_fallback"]:
            text, payload = handoff_payload(policy_store(), tracker, "repeated_misunderstanding")
            dispatcher.utter_message(text=text)
            dispatcher.utter_message(json_message=payload)
            return []
        dispatcher.utter_message(text=policy_store().words.say("rephrase"))
        return []
