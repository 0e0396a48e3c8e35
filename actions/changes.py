"""What the user is told back when the facts change: every known fact replaced (before → after) with what that
changes in the outcome, every figure taken from a hedge or a range, and a range too wide to decide."""

from __future__ import annotations

from policy_db import report
from policy_db.interview import describe_correction

from reading.interpretation import Reading


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


