"""Answers questions about the policy from the store (policy_db.qa), with clause and department."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from policy_db import qa

from .store_access import policy_store
from .understanding import stated_facts

LENDER = "is_financial_institution"


class ActionAnswerPolicy(Action):
    def name(self) -> Text:
        return "action_answer_policy"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        says_lender = stated_facts(tracker.latest_message, store).get(LENDER) is True
        lender = says_lender or tracker.get_slot(LENDER) is True
        reply = qa.answer(tracker.latest_message.get("text") or "", store, lender=lender)
        dispatcher.utter_message(text=reply.text)
        return [SlotSet(LENDER, True)] if says_lender else []
