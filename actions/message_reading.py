"""The reading of the latest message, once per message: every action of a turn (the form, a question's answer, a
correction, a reply to a confirmation) acts on the same `Reading`, made from the same `Turn` of the tracker.

Rasa runs several actions on one message (a rule's action, then the form), each a separate call to this server;
the reading is a pure function of the message and its turn, kept per message and turn, so it is made once, not once
per action. What it records travels with the conversation: each fact keeps a note of how it was read (an answer, a
confirmed guess, a fact word, a cue, a trade…), the owner's words and the reason given with a yes or no (slot
`fact_notes`, shown to operators beside each fact in the console), and each `result` says how its facts were read
(`enterprise.read_as`, contract E12), so a client over REST — the simulator's self-test — sees a guess as a guess.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from policy_db.store import Store

from reading.interpretation import Reading, Turn, interpret
from .interview import asked_together
from .slots import (CHECKLIST_FACTS, FACT_NOTES, PENDING_CONFIRMATION, UNKNOWN_FACTS, fact_events,
                    known_facts, listed)

_KEPT = 512
_SAID_KEPT = 200  # characters of the owner's words kept with a fact
_readings: OrderedDict[tuple, Reading] = OrderedDict()


def turn_of(tracker: Tracker, store: Store) -> Turn:
    """What the message answers: the question pending, the checklist offered, what is known, a guess to confirm."""
    requested = tracker.get_slot("requested_slot")
    known = known_facts(tracker, store)
    together = asked_together(store, known, requested, listed(tracker, UNKNOWN_FACTS)) if requested else []
    return Turn(requested, tuple(listed(tracker, CHECKLIST_FACTS)), known, tuple(together),
                dict(tracker.get_slot(PENDING_CONFIRMATION) or {}))


def read_message(tracker: Tracker, store: Store, turn: Turn | None = None) -> Reading:
    """The reading of the latest message in this turn, made once."""
    message = tracker.latest_message or {}
    turn = turn or turn_of(tracker, store)
    key = (tracker.sender_id, message.get("message_id"), message.get("text"), repr(message.get("entities")),
           (message.get("intent") or {}).get("name"), turn.pending, turn.offered, turn.together,
           repr(sorted(turn.known.items())), repr(sorted(turn.confirming.items())))
    if key in _readings:
        _readings.move_to_end(key)
        return _readings[key]
    reading = _readings[key] = interpret(message, turn, store)
    if len(_readings) > _KEPT:
        _readings.popitem(last=False)
    return reading


def record(tracker: Tracker, reading: Reading, facts: dict[str, Any] | None = None) -> list[EventType]:
    """The events that record what the message sets (``facts``, by default the reading's): the facts, and a note
    per fact of how it was read and the words it came from."""
    facts = reading.facts if facts is None else facts
    if not facts:
        return []
    message = tracker.latest_message or {}
    said = (message.get("text") or "")[:_SAID_KEPT]
    notes = dict(tracker.get_slot(FACT_NOTES) or {})
    for fact in facts:
        note = {"how": reading.how.get(fact, "stated"), "said": said}
        if reading.reason:
            note["reason"] = reading.reason
        notes[fact] = note
    return fact_events(facts, tracker.current_slot_values()) + [SlotSet(FACT_NOTES, notes)]


def noted_result(payload: dict, tracker: Tracker, events: list[EventType] = ()) -> dict:
    """A `result` payload whose enterprise says how each of its facts was read (`read_as`: the `how` of the slot
    `fact_notes`, with the notes ``events`` record in the same turn); a fact without a note is left out."""
    notes = dict(tracker.get_slot(FACT_NOTES) or {})
    for event in events:
        if event.get("event") == "slot" and event.get("name") == FACT_NOTES:
            notes = dict(event.get("value") or {})
    enterprise = payload.get("enterprise")
    if enterprise is not None:
        enterprise["read_as"] = {fact: notes[fact]["how"] for fact in enterprise.get("facts", {})
                                 if (notes.get(fact) or {}).get("how")}
    return payload
