"""Which facts the interview still needs, in the order policy_db.next_questions ranks them.

Two stages, each a Rasa form: the profile (what decides the SME class and the policy's scope, and what decides the
measures the user asked about) and the follow-up (one numbered checklist for the yes/no situations still open,
then only the figures that the answers call for).
"""

from __future__ import annotations

from typing import Any, Iterable

from policy_db import evaluate, next_questions
from policy_db.interview import class_indicators
from policy_db.store import Store

from .slots import CHECKLIST


def _not_skipped(questions, skipped: Iterable[str]) -> list:
    skip = set(skipped)
    return [q for q in questions if q.fact not in skip]


def profile_slots(store: Store, facts: dict[str, Any], focus: list[str], skipped: list[str]) -> list[str]:
    """Scope facts first (industry, what classifies the enterprise, being affected), then the asked measures.
    A bank or local financial organisation is not interviewed: its duties do not depend on enterprise facts."""
    if store.asks_as_lender(facts):
        return []
    assessment = evaluate(facts, store=store)
    questions = _not_skipped(next_questions(facts, store=store, assessment=assessment), skipped)
    scope = [q.fact for q in questions if q.fact in assessment.scope_missing]
    scope += [f for f in class_indicators(store, facts) if f not in skipped]
    focused = []
    if focus:
        focused = [q.fact for q in _not_skipped(
            next_questions(facts, measures=focus, store=store, assessment=assessment), skipped)]
    return list(dict.fromkeys(scope + focused))


def asked_together(store: Store, facts: dict[str, Any], slot: str | None, skipped: Iterable[str] = ()) -> list[str]:
    """The other facts asked in the same question as `slot`: the class's missing indicators go together
    ("员工多少人？去年营业收入大约多少？")."""
    indicators = [f for f in class_indicators(store, facts) if f not in set(skipped)]
    return [f for f in indicators if f != slot] if slot in indicators else []


def checklist_facts(store: Store, facts: dict[str, Any], skipped: list[str]) -> list[str]:
    """The yes/no facts that could still decide an open measure, in rank order."""
    questions = _not_skipped(next_questions(facts, store=store), skipped)
    return [q.fact for q in questions if q.kind == "condition" and q.yes_no and store.facts[q.fact].situation]


def followup_slots(store: Store, facts: dict[str, Any], skipped: list[str], checklist_done: bool) -> list[str]:
    """The checklist (once), then the remaining facts one by one."""
    if store.asks_as_lender(facts):
        return []
    if not checklist_done and checklist_facts(store, facts, skipped):
        return [CHECKLIST]
    return [q.fact for q in _not_skipped(next_questions(facts, store=store), skipped)]
