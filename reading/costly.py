"""Whether a guess is costly: a fact the owner did not say outright nor give as the answer to what was asked (read
from a cue in their description, a trade word, or implied by another fact) that would change the enterprise's class
or turn a measure that could apply to "不适用". The engine decides, by evaluating with and without it. Such a guess is
asked before it is recorded (reading.interpretation holds it back; Rasa's conversation-repair patterns are the
anchor: a correction is echoed, a guess is confirmed, two options are a clarification).

A measure that turns inapplicable is no loss when another measure of its clause that turns on the same condition stays
open: the class decides between 免征 for SMEs and 减半 for the others of the same clause, so a trade that makes the
enterprise small is no guess against the owner; a layoff count that ends 稳岗返还 is, whatever else its clause holds.
"""

from __future__ import annotations

from typing import Any, Mapping

from policy_db import FactError, evaluate
from policy_db.assessment import Assessment, MeasureResult
from policy_db.facts import DESCRIBED, GUESSED_READINGS, SUGGESTED
from policy_db.model import Measure
from policy_db.prepared import DERIVED
from policy_db.store import Store

GUESSES = GUESSED_READINGS  # how a fact is read when the owner did not say it outright or answer for it


def costly(store: Store, known: Mapping[str, Any], fact: str, value: Any) -> bool:
    """Whether recording ``fact`` = ``value`` over ``known`` would change a known class or shut out a measure that
    could apply (a guess that cannot be judged is costly: it is asked, never taken)."""
    try:
        before = evaluate(known, store=store)
        after = evaluate({**known, fact: value}, store=store)
    except FactError:
        return True
    if before.sme_class is not None and after.sme_class != before.sme_class:
        return True
    moved = {fact} | (set(DERIVED) if fact in _class_indicators(store) else set())
    return any(a.status == "ineligible" and b.status != "ineligible" and not _alternative_open(a.measure, after, moved)
               for b, a in zip(before.results, after.results))


def _class_indicators(store: Store) -> set[str]:
    """The facts the class is read from: the trade and each row's indicators (people, revenue, assets)."""
    classification = store.classification_for(store.default_policy)
    return {store.industry_fact, *(i for row in classification.rows.values() for i in row.indicators)}


def _names(measure: Measure) -> set[str]:
    return {n for c in (*measure.conditions, *(c for p in measure.parts for c in p.conditions)) for n in c.test.names}


def _alternative_open(lost: Measure, after: Assessment, moved: set[str]) -> bool:
    """Whether another measure of the same clause, turning on a condition the guess moved that the lost one turns on
    too, is still open (not "不适用") after the guess."""
    on = _names(lost) & moved
    return bool(on) and any(_same_ground(lost, r, on) for r in after.results)


def _same_ground(lost: Measure, other: MeasureResult, on: set[str]) -> bool:
    m = other.measure
    return (m.id != lost.id and m.policy == lost.policy and m.clause == lost.clause and other.status != "ineligible"
            and bool(_names(m) & on))
