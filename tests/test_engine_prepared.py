"""The engine over the prepared store (issue 20): the same answers as before, to the byte, with the work done once per
evaluation, and text written only where it is read."""

import copy
import datetime as dt
import math
import random
import sys
import threading
from dataclasses import asdict, fields, replace
from pathlib import Path

import pytest

from bench.profiles import random_profile
from policy_db import FactError, classification, evaluate, facts, next_questions, validate
from policy_db.assessment import Assessment, MeasureResult, PolicyView
from tests.engine_golden import read, snapshot

GOLDEN = Path(__file__).parent / "fixtures" / "engine_golden.json.gz"


def test_every_answer_is_the_one_the_engine_gave_before_it_was_prepared(policy_store):
    """Payloads, labels, links, states, questions and estimates of 300 random profiles (several days, lenders,
    one document or all, a refused fact) as the engine of 503e25a wrote them (tests/engine_golden.py)."""
    stored = read(GOLDEN)
    cases = stored["cases"]
    now = snapshot(policy_store, len(cases))
    moved = [i for i, (a, b) in enumerate(zip(cases, now)) if a != b]
    changed = "" if stored["data"] == policy_store.fingerprint else (
        "; the policy data changed since the fixture was written: if the data explains the new answers, write it "
        "again (python -m tests.engine_golden tests/fixtures/engine_golden.json.gz)")
    assert not moved, f"{len(moved)} of {len(cases)} cases answer differently, first {moved[:5]}{changed}"


class _Counted(dict):
    """Facts that count how often they are read through."""

    reads = 0

    def items(self):
        self.reads += 1
        return super().items()


def test_an_evaluation_checks_the_facts_once_and_writes_no_class_rule_nobody_reads(policy_store, monkeypatch):
    """Four documents, one classification: the facts are read through once per call (not once per document) and the
    SME rule sentence is written only when read, once."""
    described = []
    describe = classification.describe
    monkeypatch.setattr(classification, "describe", lambda *a: described.append(1) or describe(*a))
    known = _Counted({"industry": "餐饮业", "employees": 20, "revenue": 3_000_000, "affected": True})
    a = evaluate(known, store=policy_store)
    next_questions(known, store=policy_store)
    assert len(policy_store.place_policies()) > 1
    assert known.reads == 2 and not described
    assert a.sme_reason == a.sme_reason and "小型企业" in a.sme_reason
    assert len(described) == 1


def test_a_reason_is_the_same_read_before_or_after_the_payload(policy_store):
    rng = random.Random(3)
    for _ in range(50):
        known = random_profile(policy_store, rng, keep=rng.choice([0.2, 0.5, 1.0]))
        first, second = evaluate(known, store=policy_store), evaluate(known, store=policy_store)
        payload = first.to_payload()
        assert [(r.why, r.formula, r.missing_labels) for r in second.results] == \
            [(m["why"], m["formula"], tuple(policy_store.facts[f].label for f in m["missing"]))
             for m in payload["measures"]]
        assert second.to_payload() == payload


ODD = [None, True, False, 0, 1, -1, 3, 2.5, 3.0, -0.0, 1e12, 10**12, float("nan"), math.inf, -math.inf, "", "12",
       "餐饮业", " 餐饮业 ", "饭店", "火锅店", "不存在的行业", "公司", [], object()]


@pytest.mark.parametrize("seed", range(3))
def test_the_prepared_check_of_facts_cleans_and_refuses_exactly_as_validate(policy_store, seed):
    """Every fact with odd values (wrong types, bounds, NaN, a trade in words, its row with spaces), one at a time
    and mixed: the same cleaned facts, or the same refusal naming the same fact."""
    rng = random.Random(seed)
    specs = policy_store.facts
    rows = policy_store.classification_for(policy_store.default_policy)
    prepared = facts.Validator(specs, rows)
    values = {name: [*ODD, *spec.choices, spec.min, spec.max, spec.max_exclusive] for name, spec in specs.items()}

    def outcome(check, given):
        try:
            return check(given)
        except FactError as e:
            return ("refused", e.fact, e.message)

    cases = [{name: v} for name, vs in values.items() for v in vs]
    cases += [{name: rng.choice(vs) for name, vs in values.items() if rng.random() < 0.4} for _ in range(500)]
    cases += [{"unknown_fact": 1}, {"employees": 5, "layoffs": 6}, {"employees": 5.0, "layoffs": 5}]
    for given in cases:
        expected = outcome(lambda f: validate(f, specs, rows), given)
        got = outcome(prepared, given)
        assert got == expected and type(got) is type(expected), given
        if isinstance(expected, dict):
            assert [type(v) for v in got.values()] == [type(v) for v in expected.values()], given


def test_evaluate_and_next_questions_share_one_judging_only_for_the_very_same_facts(policy_store):
    """A turn asks both about the facts it holds (one judging, policy_db.engine._Pass); facts changed in place, or
    equal values of another type (1 for a yes), are judged afresh."""
    known = {"industry": "餐饮业", "employees": 20, "affected": True, "insured": True}
    evaluate(known, store=policy_store)
    while_affected = next_questions(known, store=policy_store)
    known["affected"] = False
    not_affected = next_questions(known, store=policy_store)
    evaluate({}, store=policy_store)
    assert not_affected == next_questions(dict(known), store=policy_store) != while_affected
    evaluate({"insured": True}, store=policy_store)
    with pytest.raises(FactError):
        evaluate({"insured": 1}, store=policy_store)


def test_equal_facts_told_differently_are_judged_afresh(policy_store):
    """The recent judgings are found by equal facts of equal types; a zero's sign, which equality hides, is still
    told as the owner gave it."""
    rent = {"industry": "餐饮业", "employees": 20, "revenue": 3e6, "affected": True, "rents_soe_property": True}
    zero = evaluate({**rent, "monthly_rent": 0.0}, store=policy_store)
    again = evaluate(dict(rent, monthly_rent=0.0), store=policy_store)
    kept = [x is y for x, y in zip(zero.results, again.results) if not x.links]  # linked ones are copied per answer
    assert kept and all(kept)  # the same facts once more: the judging kept
    signed = evaluate({**rent, "monthly_rent": -0.0}, store=policy_store)
    assert [a.result("5.1").formula for a in (zero, signed)] == ["0 × 3 = 0", "-0 × 3 = -0"]


def test_a_result_no_fact_is_written_into_is_one_shared_value(policy_store):
    """Refusals with a fixed sentence and questions still open for named facts are built once per measure; results
    naming the enterprise's own figures are its own."""
    a = evaluate({"affected": False}, store=policy_store)
    b = evaluate({"affected": False, "employees": 3}, store=policy_store)
    refused = [i for i, r in enumerate(a.results) if r.status == "ineligible" and r.measure.policy == a.policy.id]
    assert refused and all(a.results[i] is b.results[i] for i in refused)
    assert a.results[refused[0]].why == b.results[refused[0]].why


def test_the_answers_built_in_one_step_are_the_dataclasses_they_claim(policy_store):
    """The engine makes its frozen answers without their __init__ (assessment.built): every field is there, equal to
    what the dataclass would hold, and today is today."""
    a = evaluate({"industry": "餐饮业", "affected": True}, store=policy_store)
    assert Assessment(**{f.name: getattr(a, f.name) for f in fields(Assessment)}) == a
    assert all(PolicyView(**{f.name: getattr(v, f.name) for f in fields(PolicyView)}) == v for v in a.views)
    assert a.as_of == dt.date.today() and len(a.views) == len(policy_store.place_policies())


def test_a_result_copied_by_the_engine_is_dataclasses_replace(policy_store):
    """MeasureResult.but (the engine's copy when it links results) keeps every field replace keeps."""
    r = evaluate({"insured": True, "affected": True}, store=policy_store).results[0]
    quick, slow = r.but(links=("x",)), replace(r, links=("x",))
    assert all(getattr(quick, f.name) == getattr(slow, f.name) for f in fields(MeasureResult))


def test_evaluations_in_several_threads_give_each_the_answer_it_gives_alone(policy_store):
    """The workbench's previews call the engine from worker threads on one store: the recent judgings, shared
    results and texts written when first read are read by one thread while another makes or reads them. Each
    thread's answers (payloads with every reason and formula, the questions) are those of one thread alone, on a
    store freshly prepared for each round (no text written yet)."""
    rng = random.Random(11)
    profiles = [random_profile(policy_store, rng, keep=rng.choice([0.2, 0.5, 0.8, 1.0])) for _ in range(20)]

    def answers(store, facts):
        a = evaluate(facts, dt.date(2020, 4, 1), store=store)
        return a.to_payload(), a.sme_reason, [asdict(q) for q in next_questions(facts, store=store)]

    alone = [answers(policy_store, f) for f in profiles]
    got: list[tuple[int, tuple]] = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
    try:
        for _ in range(4):
            fresh = copy.copy(policy_store)
            vars(fresh).pop("prepared", None)

            def run(t: int) -> None:
                got.extend((i % len(profiles), answers(fresh, profiles[i % len(profiles)]))  # noqa: B023
                           for i in range(t, len(profiles) + t))

            threads = [threading.Thread(target=run, args=(t,)) for t in range(4)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
    finally:
        sys.setswitchinterval(interval)
    wrong = [i for i, answer in got if answer != alone[i]]
    assert len(got) == 4 * 4 * len(profiles)
    assert not wrong, f"{len(wrong)} answers differ from a single thread's, first {wrong[:5]}"
