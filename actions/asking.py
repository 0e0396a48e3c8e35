"""One `action_ask_<fact>` per enterprise fact, and `action_ask_checklist`: the question in Chinese with the
contract's `ask` payload. The classes are made from policy_db/facts.yaml, so a new fact needs no new code."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Dict, List, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import policy_db

from . import messages
from .interview import checklist_facts
from .slots import CHECKLIST_FACTS, FAILED_ASKS, UNKNOWN_FACTS, known_facts, listed
from .store_access import policy_store

FACTS_FILE = Path(policy_db.__file__).with_name("facts.yaml")


class AskForFact(Action, ABC):
    @property
    @abstractmethod
    def fact(self) -> str:
        """The fact this action asks for."""

    def name(self) -> Text:
        return f"action_ask_{self.fact}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        spec = store.facts[self.fact]
        attempt = (tracker.get_slot(FAILED_ASKS) or {}).get(self.fact, 0)
        options = messages.ask_options(spec, _common_industries(store))
        dispatcher.utter_message(text=messages.ask_text(spec, attempt))
        dispatcher.utter_message(json_message=messages.ask_payload(spec, options))
        return []


def _common_industries(store, limit: int = 8) -> List[str]:
    """Quick replies for the industry question: the rows with the most everyday names in the store."""
    classification = store.classification_for(store.default_policy)
    counts = {row: 0 for row in classification.rows}
    for row in classification.synonyms.values():
        counts[row] += 1
    return sorted(counts, key=lambda row: -counts[row])[:limit]


def _fact_names() -> List[str]:
    return list(yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8")))


# Held here so the generated classes live as long as the module (rasa_sdk finds actions by subclass).
ASK_ACTIONS = {name: type(f"Ask_{name}", (AskForFact,), {"fact": name, "__doc__": f"Asks for the fact `{name}`."})
               for name in _fact_names()}


class AskChecklist(Action):
    def name(self) -> Text:
        return "action_ask_checklist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        store = policy_store()
        facts = checklist_facts(store, known_facts(tracker, store), listed(tracker, UNKNOWN_FACTS))
        situations = [store.facts[f].situation for f in facts]
        dispatcher.utter_message(text=messages.checklist_text(situations))
        dispatcher.utter_message(json_message=messages.checklist_payload(facts, situations))
        return [SlotSet(CHECKLIST_FACTS, facts)]
