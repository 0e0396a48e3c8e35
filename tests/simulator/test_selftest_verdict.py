"""The self-test's verdict on a conversation, and its failure record, without servers: a result that says what the
engine says passes; a misread fact shows as the fact, the measure's status and its amount; the record loads back."""

from __future__ import annotations

import datetime as dt

import policy_db
from policy_db import evaluate
from simulator.cases import Case
from simulator.selftest import Interview, judge, load_failure, write_failure

FACTS = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True, "insured": True, "layoffs": 0,
         "ui_premium_last_year": 7_200}
DAY = dt.date(2020, 3, 1)


def _run(store, told: dict, said: str) -> Interview:
    result = evaluate(told, DAY, store=store).to_payload()
    run = Interview(Case("case-t", 1, FACTS, "你好，我们是做饭馆的。", ()))
    run.turns = [{"user": "十二个人，一百八十万，交了，没裁员，去年失业保险交了7200", "texts": [said],
                  "payloads": [result], "ms": 10.0}]
    run.result, run.asked = result, ["employees", "insured"]
    judge(run, store)
    return run


def test_a_result_that_agrees_with_the_engine_passes():
    store = policy_db.load()
    run = _run(store, FACTS, "稳岗返还：7200 × 50% = 3600元")
    assert run.failures == [] and run.verdict["class"] is True


def test_a_misread_fact_shows_as_fact_status_and_amount(tmp_path):
    store = policy_db.load()
    run = _run(store, {**FACTS, "insured": False}, "稳岗返还不适用；另可返还4321元")
    assert set(run.failures) == {"status", "amount", "facts", "invented_figures"}
    assert run.verdict["fact_mismatches"] == {"insured": {"assistant": False, "owner": True}}
    assert run.verdict["status_mismatches"]["1.1"] == {"assistant": "ineligible", "engine": "eligible"}
    assert run.verdict["invented"] == ["4321"]
    record = load_failure(write_failure(run, tmp_path))
    assert record["case"]["facts"] == FACTS and record["case"]["seed"] == 1
    assert [t["user"] for t in record["turns"]] == [run.turns[0]["user"]] and record["failures"] == run.failures
