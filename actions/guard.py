"""Input the assistant cannot act on gets a short, polite answer and changes nothing (contract §5)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from .store_access import policy_store


class ActionRefuseBadInput(Action):
    def name(self) -> Text:
        return "action_refuse_bad_input"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        reason = next(tracker.get_latest_entity_values("input_problem"), None)
        replies = policy_store().words.conversation["refused"]  # by the NLU's input_problem (words.yaml)
        dispatcher.utter_message(text=replies.get(reason) or replies["other"])
        return []
