"""How an answer quotes a measure and cites it: its words as the document writes them, and its clause with the
departments (the document named where it is not the place's own). Shared by policy_db.qa and its modules."""

from __future__ import annotations

from .model import Measure, Policy


def quote(measure: Measure, policy: Policy) -> str:
    """The measure's words, with how the data reads them where that is an interpretation (1.2's 失业保证金)."""
    reading = f"（{measure.reading}）" if measure.reading else ""
    return f"{policy.called}原文：“{measure.excerpt}”{reading}。"


def source(policy: Policy, measure: Measure, home: Policy | None = None) -> str:
    """'（依据第1条，责任单位：…）'; a measure of another document than the place's own names that document."""
    where = "" if home is None or policy.id == home.id else (policy.number or f"《{policy.short_title}》")
    return (f"（依据{where}{policy.clauses[measure.clause].label}，{policy.department_role}："
            f"{'、'.join(measure.departments)}）")
