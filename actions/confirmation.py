"""Asking the owner to confirm a guess before it is recorded (Rasa's conversation-repair pattern of clarification):
a fact read from a description, a trade or another fact that would change the class or make a measure inapplicable
(reading.costly), or a trade that fits two rows.

The reading (reading.interpretation) holds such facts back in `Reading.to_confirm`; this module words the question
and its payload (docs/contract.md E12), and the slot `pending_confirmation` carries the guess to the next message,
whose reading records it on a yes and drops it on a no.
"""

from __future__ import annotations

from typing import Any, List

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from policy_db import report
from policy_db.store import Store

from .slots import PENDING_CONFIRMATION


def confirmation_text(store: Store, fact: str, value: Any) -> str:
    """The question that asks the owner to confirm a guess, in the words of words.yaml (`confirm_*`)."""
    spec, words = store.facts[fact], store.words
    if spec.type == "industry":
        standard = store.classification_for(store.default_policy).title
        if isinstance(value, list):
            rows = words.say("confirm_trade_or").join(words.say("confirm_trade_row", row=row) for row in value)
            return words.say("confirm_trade", standard=standard, rows=rows)
        return words.say("confirm_trade_one", standard=standard, row=value)
    if spec.type == "bool":
        said = spec.denied if value is False and spec.denied else \
            words.say("confirm_fails" if value is False else "confirm_holds", situation=spec.situation or spec.label)
        return words.say("confirm_fact", said=said)
    return words.say("confirm_figure", label=spec.label, value=report.show_value(spec, value))


def ask_to_confirm(dispatcher: CollectingDispatcher, store: Store, to_confirm: dict[str, Any]) -> List[EventType]:
    """Utters one short question per guess held back, with its buttons; the slot keeps the guesses."""
    for fact, value in to_confirm.items():
        yes_no = store.words.conversation["confirm_options"]
        options = list(value) if isinstance(value, list) else list(yes_no)  # two rows: choose; else yes or no
        dispatcher.utter_message(text=confirmation_text(store, fact, value))
        dispatcher.utter_message(json_message={"type": "confirm", "fact": fact, "value": value, "options": options})
    return [SlotSet(PENDING_CONFIRMATION, dict(to_confirm))]
