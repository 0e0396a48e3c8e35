"""Where the conversation keeps what it knows: one slot per enterprise fact (contract §3), plus bookkeeping."""

from __future__ import annotations

from typing import Any, Mapping

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from policy_db.store import Store
from reading.interpretation import CHECKLIST, CONSENT

UNKNOWN_FACTS = "unknown_facts"      # facts the user said they do not know: not asked again
FAILED_ASKS = "failed_asks"          # {fact: times an answer did not fit}
FOCUS = "focus_measures"             # measure ids the user asked about
# CHECKLIST (reading.interpretation): the numbered checklist's question, and its slot: "answered" or "skipped" once
# the checklist is done with
CHECKLIST_FACTS = "checklist_facts"  # facts offered in the last checklist, in their numbered order
RESULT_SHOWN = "result_shown"        # digest of the facts last assessed, so an unchanged result is not repeated
PENDING_CONFIRMATION = "pending_confirmation"  # {fact: value} guessed from a cue or a trade, asked before it is recorded
# CONSENT (reading.interpretation): the slot of the owner's answer to being told of new measures that fit: True,
# False, or None until asked (政策找企业; the console's 回访 list reads it from the tracker)
FACT_NOTES = "fact_notes"            # {fact: {how, said, reason}}: how each known fact was read, from which words
PUBLISHED_FACTS = "published_facts"  # {fact: value} of the facts a document published since the domain was made
# brings: they have no slot of their own until `python -m policy_db domain` regenerates it, and Rasa drops an event
# for a slot it does not know


def known_facts(tracker: Tracker, store: Store) -> dict[str, Any]:
    return facts_in(tracker.current_slot_values(), store)


def facts_in(slot_values: Mapping[str, Any], store: Store) -> dict[str, Any]:
    """The enterprise facts among a conversation's slot values (the console reads them from Rasa's tracker), the
    published documents' own facts included."""
    values = {**(slot_values.get(PUBLISHED_FACTS) or {}), **slot_values}
    return {name: values[name] for name in store.facts if values.get(name) is not None}


def fact_events(facts: dict[str, Any], slot_values: Mapping[str, Any]) -> list[SlotSet]:
    """One event per fact with a slot of the domain (``slot_values`` holds every slot the domain has); the facts a
    published document brought go together into PUBLISHED_FACTS, with those already there."""
    events = [SlotSet(name, value) for name, value in facts.items() if name in slot_values]
    published = {name: value for name, value in facts.items() if name not in slot_values}
    if published:
        events.append(SlotSet(PUBLISHED_FACTS, {**(slot_values.get(PUBLISHED_FACTS) or {}), **published}))
    return events


def value_of(tracker: Tracker, name: str) -> Any:
    """A slot's value, or a published document's fact kept in PUBLISHED_FACTS."""
    if name in tracker.slots:
        return tracker.get_slot(name)
    return (tracker.get_slot(PUBLISHED_FACTS) or {}).get(name)


def listed(tracker: Tracker, slot: str) -> list:
    return list(tracker.get_slot(slot) or [])
