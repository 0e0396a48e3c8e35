"""An operator's inline edit of one fact (the console's fact list), read and checked like the owner's own
correction: the value as typed ("180万", "三十个人", "饭店") is parsed by the same NLU and read by the same step as
an owner's answer to that fact's question (reading.interpretation), validated against facts.yaml with the other
facts, and told back before → after with what it changes (policy_db.interview.describe_correction) and the new
result payload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from actions.slots import FACT_NOTES, RESULT_SHOWN, UNKNOWN_FACTS, facts_in
from bot.nlu.numbers import find_quantities
from policy_db import FactError, store as policy_store, validate
from policy_db.facts import NUMERIC_TYPES
from policy_db.interview import describe_correction, digest
from reading.interpretation import Turn, interpret


class EditError(ValueError):
    """A value the fact cannot take; the message is for the operator (400)."""


@dataclass(frozen=True)
class Edit:
    slots: dict[str, Any]   # the slots to set: the fact, and the bookkeeping that goes with a new value
    text: str               # "已更正（从业人员人数：20人 → 30人）。结果的变化：…"
    result: dict            # the `result` payload after the change


def typed_value(spec, raw: Any) -> Any:
    """The value as the operator gave it: a boolean for yes/no facts, one figure for numbers (read as the chat
    reads them: "180万", "三千五"), the word itself for an industry or a choice (checked by validation)."""
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw
        raise EditError(f"“{spec.label}”只能选“是”或“否”")
    if spec.type in NUMERIC_TYPES:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw
        text = raw.strip() if isinstance(raw, str) else ""
        found = [q for q in find_quantities(text)] if text else []
        if len(found) != 1 or found[0].is_range:
            raise EditError(f"请为“{spec.label}”填一个数字，比如 {spec.unit and '30' + spec.unit or '30'}")
        value = found[0].value
        return int(value) if float(value).is_integer() else value
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 50:
        raise EditError(f"请填写“{spec.label}”")
    return raw.strip()


def read_value(parsed: Mapping[str, Any], fact: str, known: Mapping[str, Any], store) -> Any:
    """The value the typed text gives the fact, read as an owner's answer to that fact's question; None when the
    reading takes none (the typed value is then read on its own)."""
    reading = interpret(parsed, Turn(fact, (), {k: v for k, v in known.items() if k != fact}), store)
    if reading.error is not None and reading.error.fact == fact:
        raise EditError(reading.error.message)
    return reading.facts.get(fact)


def edit(slot_values: Mapping[str, Any], fact: str, raw: Any, store=None, operator: str = "",
         parsed: Mapping[str, Any] | None = None) -> Edit:
    """The operator's change of one fact; its note (slot `fact_notes`) says an operator set it, who, and as what.
    ``parsed``: the NLU's parse of the typed text, read as the answer to the fact's own question."""
    store = store or policy_store.load()
    spec = store.facts.get(fact) if isinstance(fact, str) else None
    if spec is None:
        raise EditError("没有这一项信息")
    known = facts_in(slot_values, store)
    value = read_value(parsed, fact, known, store) if parsed is not None else None
    if value is None:
        value = typed_value(spec, raw)
    try:
        checked = validate({**known, fact: value}, store.facts, store.classification_for(store.default_policy))
    except FactError as e:
        raise EditError(str(e)) from None
    change = {fact: checked[fact]}
    text, after = describe_correction(store, known, change)
    notes = dict(slot_values.get(FACT_NOTES) or {})
    notes[fact] = {"how": "operator", "said": str(raw)[:50], "operator": operator}
    slots = {**change, RESULT_SHOWN: digest({**known, **change}), FACT_NOTES: notes}
    unknown = list(slot_values.get(UNKNOWN_FACTS) or [])
    if fact in unknown:
        slots[UNKNOWN_FACTS] = [name for name in unknown if name != fact]
    return Edit(slots, text, after.to_payload())
