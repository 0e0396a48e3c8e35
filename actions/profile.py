"""What the assistant knows about the enterprise, read back to the user."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from policy_db import evaluate, report

from .slots import UNKNOWN_FACTS, known_facts, listed
from .store_access import policy_store


class ActionShowProfile(Action):
    def name(self) -> Text:
        return "action_show_profile"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        facts = known_facts(tracker, store)
        if not facts:
            dispatcher.utter_message(text="我还没有记下您企业的任何情况。可以先说说行业、人数和受疫情影响的情况。")
            return []
        lines = [f"· {store.facts[k].label}：{report.show_value(store.facts[k], v)}" for k, v in facts.items()]
        unknown = [store.facts[k].label for k in listed(tracker, UNKNOWN_FACTS) if k in store.facts]
        if unknown:
            lines.append(f"· 您说不清楚的：{'、'.join(unknown)}")
        size = evaluate(facts, store=store).sme_reason
        dispatcher.utter_message(text="我记下的情况：\n" + "\n".join(lines) + f"\n企业规模：{size}。\n"
                                      "说错了可以直接更正，比如“不对，是15个人”；想清空重来请说“重新开始”。")
        return []
