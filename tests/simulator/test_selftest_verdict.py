"""The self-test's verdict on a conversation, and its failure record, without servers: a result that says what the
engine says passes; a misread fact shows as the fact, the measure's status and its amount; the record loads back."""

from __future__ import annotations

import datetime as dt

import policy_db
from policy_db import evaluate
from simulator.cases import Case
from simulator.selftest import Interview, judge, load_failure, summary, table, write_failure

FACTS = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True, "insured": True, "layoffs": 0,
         "ui_premium_last_year": 7_200}
DAY = dt.date(2020, 3, 1)


def _run(store, told: dict, said: str, read_as: dict | None = None) -> Interview:
    result = evaluate(told, DAY, store=store).to_payload()
    if read_as is not None:
        result["enterprise"]["read_as"] = read_as
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
    assert run.verdict["fact_mismatches"] == {"insured": {"assistant": False, "owner": True, "how": "unnoted"}}
    assert run.verdict["status_mismatches"]["1.1"] == {"assistant": "ineligible", "engine": "eligible"}
    assert run.verdict["invented"] == ["4321"]
    record = load_failure(write_failure(run, tmp_path))
    assert record["case"]["facts"] == FACTS and record["case"]["seed"] == 1
    assert [t["user"] for t in record["turns"]] == [run.turns[0]["user"]] and record["failures"] == run.failures


def test_a_fact_recorded_from_a_guess_is_counted_as_guessed_and_each_reading_right_or_wrong():
    """The result says how each fact was read (enterprise.read_as, contract E12): a `no` read from a cue that the
    owner never gave is a silent guess, and wrong; the facts the owner answered are right."""
    store = policy_db.load()
    told = {**FACTS, "affected": False}
    read_as = {k: "answer" for k in FACTS} | {"industry": "trade", "affected": "cue"}
    run = _run(store, told, "稳岗返还不适用", read_as)
    assert run.verdict["guessed"] == ["affected", "industry"] and run.verdict["guessed_wrong"] == ["affected"]
    assert run.verdict["fact_mismatches"]["affected"] == {"assistant": False, "owner": True, "how": "cue"}
    s = summary([run])
    assert s["read_as"] == {"answer": {"right": 5, "wrong": 0}, "cue": {"right": 0, "wrong": 1},
                            "trade": {"right": 1, "wrong": 0}}
    assert (s["guessed"], s["guessed_wrong"], s["conversations_guessed"]) == (2, 1, 1)
    shown = table(s)
    assert "answer 5/0，cue 0/1，trade 1/0（对/错）" in shown and "2 项，其中错 1 项，涉及 1 个对话" in shown


def test_a_result_without_notes_counts_its_facts_as_unnoted():
    store = policy_db.load()
    run = _run(store, FACTS, "稳岗返还：7200 × 50% = 3600元")
    assert set(run.verdict["read_as"].values()) == {"unnoted"} and run.verdict["guessed"] == []
