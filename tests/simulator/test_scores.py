"""The trainees' score book (simulator/scores.py): running scores per trainee and per measure, names checked."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from simulator import grading, statement_form
from simulator.scores import Scores, TraineeNameError, trainee_name

AS_OF = dt.date(2020, 3, 1)
FACTS = {"industry": "餐饮业", "employees": 20, "revenue": 1_800_000, "affected": True, "insured": True,
         "layoffs": 0, "ui_premium_last_year": 30_000}


@pytest.fixture
def book(tmp_path):
    return Scores(tmp_path / "trainer.db")


def sheet(store, **changes):
    right = grading.answer_key(FACTS, store, AS_OF)
    statement = statement_form.Statement(changes.get("sme_class", right.sme_class),
                                  {**right.measures, **changes.get("measures", {})}, right.amounts,
                                  right.departments, right.kinds)
    return grading.grade(FACTS, statement, store, as_of=AS_OF, asked=6, fewest=9)


def test_each_graded_case_adds_to_the_trainees_running_score(book, policy_store):
    perfect = sheet(policy_store)
    with_three_mistakes = sheet(policy_store, sme_class="micro", measures={"1.1": "ineligible"})
    book.record("张三", perfect, "case-1", seed=1)
    book.record("张三", with_three_mistakes, "case-2", seed=2)
    progress = book.progress("张三")
    assert [a["case"] for a in progress["attempts"]] == ["case-1", "case-2"]
    assert progress["attempts"][0]["share"] == 1.0
    assert progress["right"] == perfect.total + with_three_mistakes.total - 3  # the class, 1.1 and its kind
    assert progress["total"] == perfect.total + with_three_mistakes.total
    assert progress["attempts"][1]["asked"] == 6 and progress["attempts"][1]["fewest"] == 9


def test_the_score_per_measure_counts_its_status_and_amount(book, policy_store):
    book.record("张三", sheet(policy_store), "case-1")
    book.record("张三", sheet(policy_store, measures={"1.1": "ineligible"}), "case-2")
    per_measure = {t.key: (t.right, t.total) for t in book.by_measure("张三")}
    assert per_measure["1.1"] == (4, 6)   # its status and its kind wrong once, its amount right twice
    assert per_measure["5.1"] == (2, 2)
    kinds = {t.key: (t.right, t.total) for t in book.by_kind("张三")}
    assert kinds["class"] == (2, 2) and kinds["measure"][0] == kinds["measure"][1] - 1


def test_trainees_are_kept_apart(book, policy_store):
    book.record("张三", sheet(policy_store), "case-1")
    book.record("李四", sheet(policy_store, sme_class="micro"), "case-1")
    assert set(book.trainees()) == {"张三", "李四"}
    assert book.progress("李四")["attempts"][0]["right"] == book.progress("张三")["attempts"][0]["right"] - 1
    assert book.progress("王五")["attempts"] == [] and book.progress("王五")["share"] is None


def test_the_book_survives_a_restart(tmp_path, policy_store):
    Scores(tmp_path / "t.db").record("张三", sheet(policy_store), "case-1")
    assert len(Scores(tmp_path / "t.db").attempts("张三")) == 1


@pytest.mark.parametrize("given, kept", [
    ("张三", "张三"),
    ("  欧阳·娜娜 ", "欧阳·娜娜"),
    ("Li  Wei", "Li Wei"),
    ("ＡＢＣ１", "ABC1"),   # full-width letters read as what they are
    ("王-2", "王-2"),
])
def test_a_name_is_stored_as_people_write_it(given, kept):
    assert trainee_name(given) == kept


@pytest.mark.parametrize("given", ["", "   ", "张" * 21, "x'; drop table attempts; --", "<b>张三</b>", "张三\n李四",
                                   "·张三", None, 42])
def test_a_name_that_is_no_name_is_refused_and_nothing_is_stored(book, policy_store, given):
    with pytest.raises(TraineeNameError):
        book.record(given, sheet(policy_store), "case-1")
    with sqlite3.connect(book.path) as db:
        assert db.execute("select count(*) from attempts").fetchone() == (0,)
        assert db.execute("select count(*) from items").fetchone() == (0,)

