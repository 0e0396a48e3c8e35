"""Answers to questions that carry their own facts (about the measures of every document in force for the place): "20个人的软件公司，年收入800万，算小微吗", "没裁员，去年失业保险
交了3万6，稳岗返还能拿多少". The class or the amount is computed by the engine from what the question states (and
what the conversation knows), with the rule row or the formula, the clause and the departments, and the conditions
it had to assume; the interview is offered, not forced.
"""

from __future__ import annotations

from typing import Any, Mapping

from . import qa, report
from .engine import estimate, evaluate
from .model import Policy
from .store import Store

CLASS_TOPIC = "sme_class"


def _class_answer(facts: Mapping[str, Any], store: Store, policy: Policy) -> str | None:
    classification = store.classification_for(policy)
    if facts.get(store.industry_fact) not in classification.rows:
        return None
    assessment = evaluate(facts, store=store, policy=policy.id)
    return f"按您说的：{assessment.sme_reason}。依据《{classification.title}》（{classification.document}）。"


def _amount_answer(facts: Mapping[str, Any], store: Store, policy: Policy, measure_id: str) -> str | None:
    result = estimate(facts, measure_id, store=store, policy=policy.id)
    if result.amount_yuan is None or result.status == "ineligible":
        return None
    measure = result.measure
    clause = result.clause_label if policy.id == store.default_policy.id else f"{policy.cited}{result.clause_label}"
    line = (f"按您说的数字，{measure.title}{measure.amount.label}{report.money(result.amount_yuan)}"
            f"（{result.formula}）。依据{clause}，{policy.department_role}：{'、'.join(measure.departments)}。")
    if result.status == "unknown":
        line += f"这是假定其他条件都符合时的估算，还没有核实：{'、'.join(result.missing_labels)}。"
    return line


def computed_answer(question: str, facts: Mapping[str, Any], store: Store, policy_id: str | None = None) -> str | None:
    """The class or the amounts a question asks for, computed from the facts it carries; None when it asks for
    neither or the facts do not suffice."""
    policy = store.policies[policy_id] if policy_id else store.default_policy
    lines = []
    if CLASS_TOPIC in qa.topics_in(question):
        lines.append(_class_answer(facts, store, policy))
    for measure in qa.measures_asked(question, store, policy if policy_id else None):
        if measure.amount is not None:
            lines.append(_amount_answer(facts, store, store.policies[measure.policy], measure.id))
    lines = [line for line in lines if line]
    return "\n".join(lines) if lines else None
