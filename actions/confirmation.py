"""Asking the owner to confirm a guess before it is recorded (Rasa's conversation-repair pattern of clarification):
a yes/no fact read from a description that would make measures inapplicable, or a trade that fits two rows.

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

YES, NO = "是的", "不是"


def confirmation_text(store: Store, fact: str, value: Any) -> str:
    spec = store.facts[fact]
    if spec.type == "industry":
        rows = "，还是".join(f"“{row}”" for row in value)
        return f"您说的行业，按《{store.classification_for(store.default_policy).title}》可能是{rows}？请选一个，划型标准不一样。"
    if spec.type == "bool":
        said = spec.denied if value is False and spec.denied else \
            f"企业{'不符合' if value is False else '符合'}“{spec.situation or spec.label}”"
        return f"跟您确认一下：您是说{said}，对吗？这一项会影响能否享受相关措施，确认后我再记下。"
    return f"跟您确认一下：{spec.label}是{report.show_value(spec, value)}，对吗？"


def ask_to_confirm(dispatcher: CollectingDispatcher, store: Store, to_confirm: dict[str, Any]) -> List[EventType]:
    """Utters one short question per guess held back, with its buttons; the slot keeps the guesses."""
    for fact, value in to_confirm.items():
        options = list(value) if store.facts[fact].type == "industry" else [YES, NO]
        dispatcher.utter_message(text=confirmation_text(store, fact, value))
        dispatcher.utter_message(json_message={"type": "confirm", "fact": fact, "value": value, "options": options})
    return [SlotSet(PENDING_CONFIRMATION, dict(to_confirm))]
