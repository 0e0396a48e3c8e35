"""Conversation-level actions: remembering which measures the user asked about."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SlotSet
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


class ActionStartOver(Action):
    """"重新开始""忘掉刚才说的": everything the conversation knew is forgotten."""

    def name(self) -> Text:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(text="好的，已清空之前的信息，我们重新开始。请说说您企业的情况：行业、人数、去年营收、受疫情影响情况。")
        return [Restarted()]
