"""What the latest message says about the enterprise, given the question it answers.

The NLU has already found facts stated outright (entities named after facts), bare numbers with their unit, and
checklist numbers; here they meet the dialogue's context: a bare "12" answers the question asked, "对" says yes to
it, "1、3" picks items of the checklist shown, "不清楚" leaves the fact unknown. Everything is validated together
by policy_db, so a message with one impossible value changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policy_db import FactError, validate
from policy_db.store import Store

CHECKLIST = "checklist"
YES_INTENTS = {"affirm"}
NO_INTENTS = {"deny"}
UNIT_FITS = {"count": {"people", "plain"}, "months": {"months", "plain"}, "money": {"money", "plain"}}


@dataclass
class Understanding:
    facts: dict[str, Any] = field(default_factory=dict)  # new or changed facts, validated
    unknown: list[str] = field(default_factory=list)      # facts the user does not know
    error: FactError | None = None
    answered_checklist: bool = False

    @property
    def understood(self) -> bool:
        return bool(self.facts or self.unknown or self.answered_checklist)


def _entities(message: dict) -> list[dict]:
    return list(message.get("entities") or [])


def stated_facts(message: dict, store: Store) -> dict[str, Any]:
    """Facts the message states outright, whatever was asked."""
    facts: dict[str, Any] = {}
    for e in _entities(message):
        if e.get("entity") in store.facts:
            facts[e["entity"]] = e["value"]
    return facts


def _bare_numbers(message: dict, fact_type: str) -> list[float]:
    fits = UNIT_FITS.get(fact_type, set())
    return [e["value"] for e in _entities(message) if e.get("entity") == "number" and e.get("role") in fits]


def answer_to(requested: str, message: dict, store: Store) -> Any:
    """The value the message gives for the fact that was asked, or None."""
    spec = store.facts[requested]
    intent = (message.get("intent") or {}).get("name")
    text = message.get("text") or ""
    if spec.type == "bool":
        return True if intent in YES_INTENTS else False if intent in NO_INTENTS else None
    if spec.type in UNIT_FITS:
        numbers = _bare_numbers(message, spec.type)
        if numbers:
            return numbers[0]
        return 0 if intent in NO_INTENTS and spec.type == "count" else None
    if spec.type == "industry":
        classification = store.classification_for(store.default_policy)
        return classification.industry_for(text)
    if spec.type == "choice":
        return next((c for c in spec.choices if c in text), None)
    return None


def checklist_answer(message: dict, offered: list[str], stated: dict[str, Any]) -> dict[str, bool] | None:
    """Facts picked from a numbered checklist ("1、3", "都没有"); the ones not picked become false. A "no" about a
    fact the checklist does not offer ("没有裁员") is not an answer to it."""
    intent = (message.get("intent") or {}).get("name")
    numbers = [e["value"] for e in _entities(message) if e.get("entity") == "choice"]
    if numbers:
        if any(not 1 <= n <= len(offered) for n in numbers):
            raise FactError(CHECKLIST, f"清单只有第1到第{len(offered)}项，请回复其中的序号，都不符合请回复“都没有”")
        return {fact: (i + 1) in numbers for i, fact in enumerate(offered)}
    if intent in NO_INTENTS and not set(stated) - set(offered):
        return {fact: False for fact in offered}
    return None


def understand(message: dict, store: Store, known: dict[str, Any], requested: str | None,
               offered: list[str] | None = None, *, answers_only: bool = False) -> Understanding:
    """Read the message against the question ``requested`` (a fact, ``checklist`` or None). ``answers_only``
    takes nothing but a direct answer to that question (a bare number, an industry word, a choice): for messages
    the classifier took for something else, whose stated facts may be hypothetical."""
    result = Understanding()
    intent = (message.get("intent") or {}).get("name")
    if intent == "bad_input":
        return result
    new = {} if answers_only else stated_facts(message, store)
    try:
        if answers_only and (requested not in store.facts or store.facts[requested].type == "bool"):
            pass
        elif requested == CHECKLIST and offered:
            picked = checklist_answer(message, offered, new)
            if picked is not None or any(f in new for f in offered):
                result.answered_checklist = True
                new = {**(picked or {fact: False for fact in offered if fact not in new}), **new}
            elif intent == "dont_know":  # "得问问会计": none of the situations is asked again
                result.answered_checklist = True
                result.unknown.extend(offered)
        elif requested in store.facts and requested not in new:
            value = answer_to(requested, message, store)
            if value is not None:
                new[requested] = value
            elif intent == "dont_know":
                result.unknown.append(requested)
        changed = {k: v for k, v in new.items() if known.get(k) != v}
        cleaned = validate({**known, **changed}, store.facts, store.classification_for(store.default_policy))
        result.facts = {k: cleaned[k] for k in changed if k in cleaned}
    except FactError as err:
        result.error = err
        result.facts, result.unknown, result.answered_checklist = {}, [], False
    return result
