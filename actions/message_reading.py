"""The reading of the latest message, once per message: every action of a turn (the form, a question's answer, a
correction, a reply to a confirmation) acts on the same `Reading`, made from the same `Turn` of the tracker.

Rasa runs several actions on one message (a rule's action, then the form), each a separate call to this server; the
reading is kept for the message and its turn, so it is made once, not once per action.
"""

from __future__ import annotations

from collections import OrderedDict

from rasa_sdk import Tracker

from policy_db.store import Store

from .interpretation import Reading, Turn, interpret
from .interview import asked_together
from .slots import CHECKLIST_FACTS, PENDING_CONFIRMATION, UNKNOWN_FACTS, known_facts, listed

_KEPT = 512
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
    turn = turn or turn_of(tracker, store)
    message = tracker.latest_message or {}
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
