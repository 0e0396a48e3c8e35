"""Questions that carry their own facts get the class or the amount they ask for, in any wording, for every measure
with a formula in every document held; those that ask for neither are left to the Q&A (tests/qa/one_shot.yaml)."""

import re
from pathlib import Path

import pytest
import yaml

from policy_db import qa_reading
from policy_db.computed import computed_answer
from testing.qa_checks import NUMBER, known_numbers, said_numbers

CASES = yaml.safe_load((Path(__file__).parent / "qa" / "one_shot.yaml").read_text(encoding="utf-8"))
CLASSIFICATION = "工信部联企业〔2011〕300号"


def _wanted(case: dict) -> list[str]:
    wanted = [case[k] for k in ("amount", "formula", "clause", "department") if k in case]
    if "class" in case:
        wanted += [CLASSIFICATION]
    return wanted + case.get("contains", [])


def _class_said(label: str, reply: str) -> bool:
    """'属于小型企业', or for a large one '达到大型企业标准' (the rule row that follows names other classes too)."""
    return f"属于{label}" in reply or f"达到{label}标准" in reply


def _invented(reply: str, case: dict, store) -> set[str]:
    """Numbers in the reply that neither the store, the classification's rows, the facts (in yuan or 万元) nor the
    formula shown justify."""
    facts = [v for v in case["facts"].values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    rows = store.classification_for(store.default_policy).rows.values()
    limits = [v for r in rows for d in (r.sme_below, r.medium_at_least, r.small_at_least) for v in d.values()]
    justified = known_numbers(store) | said_numbers(case["q"]) | {
        f"{n:g}" for v in facts + limits for n in (v, v / 10000)}
    results = [float(n.replace(",", "")) for n in re.findall(r"= ([\d,.]+)）", reply)]
    justified |= {f"{n:g}" for r in results for n in (r, r / 10000)}
    return {n.replace(",", "") for n in NUMBER.findall(reply)} - justified


def test_the_table_covers_many_wordings_and_every_measure_with_a_formula(policy_store):
    assert sum(1 for c in CASES if c.get("computed", True)) >= 40
    asked = {m.id for c in CASES for m in _measures_answered(c, policy_store)}
    with_formula = {m.id for p in policy_store.place_policies() for m in policy_store.measures_here(p) if m.amount}
    assert with_formula <= asked, sorted(with_formula - asked)


def _measures_answered(case: dict, store) -> list:
    reply = computed_answer(qa_reading.asked(case["q"], store), case["facts"], store) or ""
    return [m for p in store.place_policies() for m in store.measures_here(p)
            if m.amount and f"{m.title}{m.amount.label}" in reply]


@pytest.mark.parametrize("case", CASES, ids=[c["q"] for c in CASES])
def test_a_question_carrying_its_facts_gets_what_it_asks_computed(case, policy_store):
    reply = computed_answer(qa_reading.asked(case["q"], policy_store), case["facts"], policy_store)
    if not case.get("computed", True):
        assert reply is None, reply
        return
    assert reply, "no computed answer"
    missing = [w for w in _wanted(case) if w not in reply]
    assert not missing, (missing, reply)
    assert "class" not in case or _class_said(case["class"], reply), reply
    assert not [w for w in case.get("not", []) if w in reply], reply
    assert _invented(reply, case, policy_store) == set(), reply
