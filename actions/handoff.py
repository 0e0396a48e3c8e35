"""Hands the conversation to people: the 12348 hotline and the responsible departments, with the facts so far."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from policy_db import evaluate, qa

from .questions import answer_if_about_policy
from .slots import FOCUS, known_facts, listed
from .store_access import policy_store

REPHRASE = "抱歉，我没太明白。可以换个说法吗？比如说说企业的行业、人数，或者直接问“房租能减免吗”。"
REASONS = {"user_request": "您要求转人工", "repeated_misunderstanding": "我连续没能理解您的问题",
           "dispute": "您的情况涉及订单违约或合同纠纷"}


def handoff_payload(store, tracker: Tracker, reason: str) -> tuple[str, dict]:
    policy = store.default_policy
    facts = known_facts(tracker, store)
    ids = listed(tracker, FOCUS) or [m.id for m in qa.measures_in(tracker.latest_message.get("text") or "", policy)]
    if reason == "dispute":
        ids = [m.id for m in policy.measures if m.clause == policy.references["hotline"]]
    departments = list(dict.fromkeys(d for mid in ids for d in policy.measure(mid).departments)) or [
        policy.hotline_department]
    text = (f"{REASONS[reason]}，建议您直接联系工作人员：可拨打“{policy.hotline}”法律服务热线，"
            f"或咨询{'、'.join(departments)}。我已把您目前提供的情况整理好，方便工作人员接续办理。")
    payload = {"type": "handoff", "reason": reason, "hotline": policy.hotline, "departments": departments,
               "facts": facts}
    if facts:
        payload["sme_class"] = evaluate(facts, store=store).sme_class
    return text, payload


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
        dispatcher.utter_message(text=REPHRASE)
        return []
