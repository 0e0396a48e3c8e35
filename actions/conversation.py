"""Conversation-level actions: remembering which measures the user asked about."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .slots import FOCUS, listed
from .store_access import policy_store


class ActionSetFocus(Action):
    """"稳岗返还能不能拿": the measures named become the interview's focus, asked about first."""

    def name(self) -> Text:
        return "action_set_focus"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        words = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == "measure"]
        ids = [mid for word in words for mid in store.measures_named(str(word))]
        if not ids:
            return []
        return [SlotSet(FOCUS, list(dict.fromkeys(listed(tracker, FOCUS) + ids)))]
