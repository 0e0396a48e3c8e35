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
    held = f"《{home.short_title}》" + (f"和{levels}的相关政策（共{len(documents)}份）" if others else "")
    return (f"您好！我是{store.place.name}惠企政策助手，可以帮您看看{held}里哪些措施适用于您的企业、大概能享受多少，"
            "并告诉您依据的条款和负责部门。请先说说企业的情况，比如：“我们是饭店，12个人，去年营收180万，受疫情影响挺大”。")


class ActionStartOver(Action):
    """"重新开始""忘掉刚才说的": everything the conversation knew is forgotten."""

    def name(self) -> Text:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(text="好的，已清空之前的信息，我们重新开始。请说说您企业的情况：行业、人数、去年营收、受疫情影响情况。")
        return [Restarted()]
