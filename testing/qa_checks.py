"""How a reply to a policy question is judged: the figures, clause and department asked for, and no figure that
is not in the policy store (shared by the Q&A tests and bench/qa.py). The held-out questions stay with the tests
that were written with them; this module reads them by path."""

from __future__ import annotations

import re
from pathlib import Path

import cn2an
import yaml

from bot.nlu.numbers import find_quantities

PARAPHRASES = Path(__file__).parents[1] / "tests" / "qa" / "paraphrases.yaml"
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")
COMPUTED = re.compile(r"([\d,.]+) × ([\d,.]+)%? = ([\d,.]+)")
NOT_STATED = ("通知未作规定", "未作规定", "没有规定", "未规定")


def load_paraphrases(path: Path = PARAPHRASES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def known_numbers(store) -> set[str]:
    """Every number the store can justify: every document's text, parameters and their documents, numbers and
    dates, the classification's, clause numbers and measure ids."""
    text, ids = "", set()
    for policy in store.policies.values():
        text += " ".join(c.text for c in policy.clauses.values())
        text += " ".join(f"{p.text} {p.reference} {p.description}" for p in policy.parameters.values())
        text += f" {policy.issued} {policy.in_force_from} {policy.in_force_until} {policy.hotline} {policy.title}"
        text += f" {policy.number or ''} {policy.period or ''} {policy.implements or ''} {policy.nature or ''}"
        ids |= {m.id for m in policy.measures}
    text += f" {store.classification_for(store.default_policy).document}"
    return _numbers(text) | {str(n) for n in range(1, 17)} | ids


COUNT = re.compile(r"(\d+)项")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def said_numbers(question: str) -> set[str]:
    """The numbers the user gave ("我们一百个人" → 100, "十来万" → 100000): echoed back as their facts, they are
    not invented."""
    read = {f"{q.value:g}" for q in find_quantities(question)}
    return _numbers(question) | _numbers(cn2an.transform(question, "cn2an")) | read


def invented_numbers(reply: str, store, question: str = "") -> set[str]:
    """Numbers in the reply the store cannot justify; counts of measures ("不适用（22项）") and the user's own
    numbers are not figures of the notice."""
    measures = len(store.default_policy.measures)
    counts = {n for n in COUNT.findall(reply) if int(n) <= measures}
    justified = known_numbers(store) | counts | said_numbers(question)
    for a, b, result in COMPUTED.findall(reply):  # "100000 × 50% = 50000": a result of justified figures
        if {a.replace(",", ""), b.replace(",", "")} <= justified:
            justified.add(result.replace(",", ""))
    return _numbers(reply) - justified


def judge(case: dict, reply: str, store) -> list[str]:
    """What is wrong with ``reply`` for ``case`` (empty when it is right)."""
    problems = [f"missing {s!r}" for s in case.get("contains", []) if s not in reply]
    if case.get("clause") and case["clause"] not in reply:
        problems.append(f"missing clause {case['clause']}")
    if case.get("department") and case["department"] not in reply:
        problems.append(f"missing department {case['department']}")
    if case.get("unanswerable") and not any(s in reply for s in NOT_STATED):
        problems.append("does not say the notice is silent")
    invented = invented_numbers(reply, store, case["q"])
    if invented:
        problems.append(f"invented figures {sorted(invented)}")
    return problems
