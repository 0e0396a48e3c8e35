"""What the user is told back when the facts change: every known fact replaced (before → after) with what that
changes in the outcome, every figure taken from a hedge or a range, and a range too wide to decide."""

from __future__ import annotations

from policy_db import evaluate, report

from reading.interpretation import Reading


def describe_correction(store, facts: dict, change: dict) -> tuple[str, object]:
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


def echo(store, known: dict, reading: Reading) -> list[str]:
    """What the user is told back about a reading: every change of a known fact (before → after, and what it
    changes), every figure taken from a hedge or a range's middle, and a range too wide to decide."""
    lines, words = [], store.words
    if reading.replaced:
        lines.append(describe_correction(store, known, {k: reading.facts[k] for k in reading.replaced})[0])
    if reading.approximate:
        lines.append("；".join(words.say("approximate", label=store.facts[k].label,
                                        value=report.show_value(store.facts[k], v))
                              for k, v in reading.approximate.items()) + "。")
    if reading.straddles:
        r, spec = reading.straddles, store.facts[reading.straddles.fact]
        lines.append(words.say("straddles", label=spec.label, low=report.show_value(spec, r.low),
                               high=report.show_value(spec, r.high), decides="、".join(r.decides[:3])))
    return lines


def _was(store, name: str, facts: dict) -> str:
    return f"{report.show_value(store.facts[name], facts[name])} → " if name in facts else ""

