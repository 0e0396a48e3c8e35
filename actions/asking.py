"""The interview's questions: a fact's question in Chinese, the numbered checklist, or the last question (may the
assistant tell of new measures that fit), each with the contract's `ask` payload. Worded from policy_db/facts.yaml, so a new fact needs no new code.

The form validation actions ask, in the same call that decides the next slot: the domain has no `action_ask_*`,
so Rasa's form asks nothing itself (rasa.core.actions.forms.FormAction._ask_for_slot), and a question costs no
second call to the action server.
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from policy_db.interview import digest
from policy_db.store import Store

from . import messages
from .interview import asked_together, checklist_facts
from .results import tell_result
from .slots import (CHECKLIST, CHECKLIST_FACTS, CONSENT, FAILED_ASKS, RESULT_SHOWN, UNKNOWN_FACTS, known_facts,
                    listed)


def ask_for(slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, store: Store) -> List[EventType]:
    """Utters the question for `slot`; returns the events that go with it (the checklist's facts, in order)."""
    attempt = (tracker.get_slot(FAILED_ASKS) or {}).get(slot, 0)
    if slot == CHECKLIST:
        return _ask_checklist(dispatcher, tracker, store)
    if slot == CONSENT:
        return _ask_consent(dispatcher, tracker, store, attempt)
    spec = store.facts[slot]
    together = [store.facts[f] for f in asked_together(store, known_facts(tracker, store), slot,
                                                       listed(tracker, UNKNOWN_FACTS))]
    options = [] if together else messages.ask_options(store.words, spec, _common_industries(store))
    dispatcher.utter_message(text=messages.ask_text(store.words, spec, attempt, together))
    dispatcher.utter_message(json_message=messages.ask_payload(spec, options, together))
    return []


def _ask_checklist(dispatcher: CollectingDispatcher, tracker: Tracker, store: Store) -> List[EventType]:
    """The numbered list; once shown, asked again in a compact form unless its items have changed."""
    facts = checklist_facts(store, known_facts(tracker, store), listed(tracker, UNKNOWN_FACTS))
    situations = [store.facts[f].situation for f in facts]
    if listed(tracker, CHECKLIST_FACTS) == facts:
        attempt = (tracker.get_slot(FAILED_ASKS) or {}).get(CHECKLIST, 0)
        dispatcher.utter_message(text=messages.checklist_reminder(store.words, situations, attempt))
    else:
        dispatcher.utter_message(text=messages.checklist_text(store.words, situations))
    dispatcher.utter_message(json_message=messages.checklist_payload(facts, situations))
    return [SlotSet(CHECKLIST_FACTS, facts)]


def _ask_consent(dispatcher: CollectingDispatcher, tracker: Tracker, store: Store, attempt: int) -> List[EventType]:
    """The last question, after the result the latest answer changed: the owner reads what applies first."""
    facts = known_facts(tracker, store)
    events = tell_result(dispatcher, tracker, store) if tracker.get_slot(RESULT_SHOWN) != digest(facts) else []
    dispatcher.utter_message(text=store.words.say("consent_again" if attempt else "consent_ask"))
    dispatcher.utter_message(json_message=messages.consent_payload(store.words))
    return events


def _common_industries(store: Store, limit: int = 8) -> List[str]:
    """Quick replies for the industry question: the rows with the most everyday names in the store."""
    classification = store.classification_for(store.default_policy)
    counts = {row: 0 for row in classification.rows}
    for row in classification.synonyms.values():
        counts[row] += 1
    return sorted(counts, key=lambda row: -counts[row])[:limit]
