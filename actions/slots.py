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


def known_facts(tracker: Tracker, store: Store) -> dict[str, Any]:
    return facts_in(tracker.current_slot_values(), store)


def facts_in(slot_values: Mapping[str, Any], store: Store) -> dict[str, Any]:
    """The enterprise facts among a conversation's slot values (the console reads them from Rasa's tracker)."""
    return {name: slot_values[name] for name in store.facts if slot_values.get(name) is not None}


def fact_events(facts: dict[str, Any]) -> list[SlotSet]:
    return [SlotSet(name, value) for name, value in facts.items()]


def listed(tracker: Tracker, slot: str) -> list:
    return list(tracker.get_slot(slot) or [])
