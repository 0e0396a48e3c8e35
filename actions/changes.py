"""What the user is told back when the facts change: every known fact replaced (before → after) with what that
changes in the outcome, every figure taken from a hedge or a range, and a range too wide to decide."""

from __future__ import annotations

from policy_db import evaluate, report

from reading.interpretation import Reading


def describe_correction(store, facts: dict, change: dict) -> tuple[str, object]:
    """'已更正（从业人员人数：6人 → 12人）。结果的变化：…' ('已记录' when nothing was known before), and the
    assessment after the change."""
    before, after = evaluate(facts, store=store), evaluate({**facts, **change}, store=store)
    what = "；".join(f"{store.facts[k].label}：{_was(store, k, facts)}{report.show_value(store.facts[k], v)}"
                    for k, v in change.items())
    diff = report.changes(before, after)
    outcome = "结果的变化：\n" + "\n".join(diff) if diff else "各项措施的结果没有变化。"
    verb = "已更正" if any(k in facts for k in change) else "已记录"
    return f"{verb}（{what}）。{outcome}", after


def echo(store, known: dict, reading: Reading) -> list[str]:
    """What the user is told back about a reading: every change of a known fact (before → after, and what it
    changes), every figure taken from a hedge or a range's middle, and a range too wide to decide."""
    lines = []
    if reading.replaced:
        lines.append(describe_correction(store, known, {k: reading.facts[k] for k in reading.replaced})[0])
    if reading.approximate:
        lines.append("；".join(f"{store.facts[k].label}按约{report.show_value(store.facts[k], v)}计算"
                              for k, v in reading.approximate.items()) + "。")
    if reading.straddles:
        r, spec = reading.straddles, store.facts[reading.straddles.fact]
        lines.append(f"您说的{spec.label}在{report.show_value(spec, r.low)}到{report.show_value(spec, r.high)}之间，"
                     f"两头的结果不一样（{'、'.join(r.decides[:3])}），请说一个更准确的数字。")
    return lines


def _was(store, name: str, facts: dict) -> str:
    return f"{report.show_value(store.facts[name], facts[name])} → " if name in facts else ""

