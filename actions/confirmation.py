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
    """The question that asks the owner to confirm a guess, in the words of result_words.yaml `pages.confirm`."""
    words, spec = store.words.pages["confirm"], store.facts[fact]
    if spec.type == "industry":
        classification = store.classification_for(store.default_policy).title
        if isinstance(value, list):
            rows = words["rows_joiner"].join(words["row"].format(row=row) for row in value)
            return words["trade_rows"].format(classification=classification, rows=rows)
        return words["trade"].format(classification=classification, row=value)
    if spec.type == "bool":
        said = spec.denied if value is False and spec.denied else \
            words["fact_no" if value is False else "fact_yes"].format(situation=spec.situation or spec.label)
        return words["fact"].format(said=said)
    return words["value"].format(label=spec.label, value=report.show_value(spec, value))


def ask_to_confirm(dispatcher: CollectingDispatcher, store: Store, to_confirm: dict[str, Any]) -> List[EventType]:
    """Utters one short question per guess held back, with its buttons; the slot keeps the guesses."""
    for fact, value in to_confirm.items():
        yes_no = store.words.pages["confirm"]["options"]
        options = list(value) if isinstance(value, list) else list(yes_no)  # two rows: choose; else yes or no
        dispatcher.utter_message(text=confirmation_text(store, fact, value))
        dispatcher.utter_message(json_message={"type": "confirm", "fact": fact, "value": value, "options": options})
    return [SlotSet(PENDING_CONFIRMATION, dict(to_confirm))]
