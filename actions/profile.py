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
        words = store.words
        facts = known_facts(tracker, store)
        if not facts:
            dispatcher.utter_message(text=words.say("profile_empty"))
            return []
        lines = [words.say("profile_line", label=store.facts[k].label, value=report.show_value(store.facts[k], v))
                 for k, v in facts.items()]
        unknown = [store.facts[k].label for k in listed(tracker, UNKNOWN_FACTS) if k in store.facts]
        if unknown:
            lines.append(words.say("profile_unknown", labels="、".join(unknown)))
        size = evaluate(facts, store=store).sme_reason
        dispatcher.utter_message(text=words.say("profile", lines="\n".join(lines), size=size))
        return []
