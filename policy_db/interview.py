"""What the assistant's interview and the operator's console both make of a conversation's facts: the class
indicators still missing, a change told back before → after with what it changes in the result, and the digest that
marks a result as already shown. Pure, and defined only here: the actions (changes, corrections, results, interview)
and the console (bot.web.console, bot.staff.fact_edit) both import them."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import report
from .classification import missing_indicators, possible_classes
from .engine import evaluate
from .store import Store


def class_indicators(store: Store, facts: dict[str, Any]) -> list[str]:
    """The indicators of the enterprise's row still missing while its class is a set of candidates: owners and
    hotline records want the class, and measures for 小微企业 depend on it."""
    row = store.classification_for(store.default_policy).rows.get(facts.get(store.industry_fact))
    if row is None or store.asks_as_lender(facts) or len(possible_classes(row, facts)) < 2:
        return []
    return missing_indicators(row, facts)


def describe_correction(store: Store, facts: dict, change: dict) -> tuple[str, object]:
    """'已更正（从业人员人数：6人 → 12人）。结果的变化：…' ('已记录' when nothing was known before), and the
    assessment after the change."""
    before, after = evaluate(facts, store=store), evaluate({**facts, **change}, store=store)
    words = store.words
    what = "；".join(f"{store.facts[k].label}：{_was(store, k, facts)}{report.show_value(store.facts[k], v)}"
                    for k, v in change.items())
    diff = report.changes(before, after)
    outcome = words.say("outcome_changed", lines="\n".join(diff)) if diff else words.say("outcome_unchanged")
    said = "corrected" if any(k in facts for k in change) else "recorded"
    return words.say(said, what=what, outcome=outcome), after


def _was(store: Store, name: str, facts: dict) -> str:
    return f"{report.show_value(store.facts[name], facts[name])} → " if name in facts else ""


def digest(facts: dict) -> str:
    """A short hash of the facts an assessment was made for: an unchanged result is not told again."""
    return hashlib.sha1(json.dumps(facts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
