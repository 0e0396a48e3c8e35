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


class ActionGreet(Action):
    """The greeting, naming the place and the documents the store holds for it, so the domain holds no policy."""

    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(text=greeting(policy_store()))
        return []


def greeting(store) -> str:
    documents = store.place_policies()
    home, others = documents[0], documents[1:]
    levels = "、".join(dict.fromkeys(p.level for p in others))
    held = store.words.say("greeting_held_with_others" if others else "greeting_held", title=home.short_title,
                           levels=levels, count=len(documents))
    return store.words.say("greeting", place=store.place.name, held=held)


class ActionStartOver(Action):
    """"重新开始""忘掉刚才说的": everything the conversation knew is forgotten."""

    def name(self) -> Text:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(text=policy_store().words.say("start_over"))
        return [Restarted()]
