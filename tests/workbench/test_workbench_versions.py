"""Publishing writes a new version of the store; the previous one stays readable, a day's answers come from the
version in force that day, the default store (every server's) picks a publish up without a restart, and a publish
that fails changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from policy_db import evaluate, next_questions, qa, qa_reading, store, version_table, workbench
from policy_db.versions import PublishError
from tests.workbench.conftest import SMALL

TODAY = dt.date.today()
PILOT = "test-2020-pilot7"


@pytest.fixture()
def served(versions):
    """The default store serves ``versions`` (as a server would with POLICY_VERSIONS), for this test only."""
    store.watch_versions(versions.root, interval=0)
    yield versions
    store.watch_versions(version_table.VERSIONS_DIR)


def test_a_publish_is_a_new_version_and_the_previous_one_stays_readable(pilot, versions):
    version = workbench.publish(pilot, TODAY, versions, note="试点示范补贴")
    assert (version.number, version.document, version.effective) == (1, PILOT, TODAY)
    assert PILOT in versions.store(1).policies and PILOT not in versions.store(0).policies
    folder = version_table.folder_of(versions.root, 1, PILOT)
    assert (folder / "source.txt").read_text(encoding="utf-8") == pilot["source"]
    assert {p.name for p in folder.iterdir()} == {"policy.yaml", "clauses.yaml", "parameters.yaml",
                                                   "measures.yaml", "facts.yaml", "cases.yaml", "source.txt"}
    assert [v.as_dict()["note"] for v in versions.all()] == ["试点示范补贴"]


def test_as_of_answers_from_the_version_in_force_on_that_day(pilot, versions):
    workbench.publish(pilot, TODAY, versions)
    before = versions.store_as_of(TODAY - dt.timedelta(days=1))
    assert PILOT not in before.policies and PILOT in versions.store_as_of(TODAY).policies


def test_the_default_store_serves_a_publish_at_once_with_no_restart(pilot, served):
    assert PILOT not in store.load().policies
    workbench.publish(pilot, TODAY, served)
    built = version_table.store_path(served.root, 1).stat().st_mtime_ns
    now = store.load()
    assert PILOT in now.policies and store.served()[2] == 1
    assert version_table.store_path(served.root, 1).stat().st_mtime_ns == built  # served as checked, not rebuilt
    assert PILOT not in store.load(as_of=TODAY - dt.timedelta(days=1)).policies
    facts = {**SMALL, "on_pilot_list": True, "monthly_rent": 8000}
    result = evaluate(facts, dt.date(2020, 4, 1), store=now).result("pilot7-1")
    assert (result.status, result.amount_yuan) == ("eligible", 800.0)
    asked = {q.fact: q for q in next_questions(SMALL, store=now)}
    assert asked["on_pilot_list"].ask == "企业是否列入了试点示范名单？"
    answer = qa.answer(qa_reading.asked("试点示范补贴按多少比例发", now), now)
    assert "10%" in answer.text and "测试〔2020〕7号" in answer.text


def test_a_version_published_for_a_later_day_waits_for_it(pilot, served):
    workbench.publish(pilot, TODAY + dt.timedelta(days=3), served)
    assert PILOT not in store.load().policies
    assert PILOT in store.load(as_of=TODAY + dt.timedelta(days=3)).policies


def test_a_new_fact_with_words_records_a_retrain_pending(pilot, versions):
    workbench.publish(pilot, TODAY, versions)
    [pending] = versions.pending_retrain()
    assert pending.new_facts == {"on_pilot_list": ["试点示范名单", "示范名单", "列入试点"]}
    assert versions.store().fact_words == {"on_pilot_list": ("试点示范名单", "示范名单", "列入试点")}
    versions.mark_retrained(pending.number)
    assert versions.pending_retrain() == []


def test_a_publish_that_fails_midway_changes_nothing(pilot, served, monkeypatch):
    before = store.load()
    moves, real = [], shutil.move

    def failing_move(source, target):
        moves.append(target)
        if len(moves) == 2:  # the folder is in place; moving the store fails
            raise OSError("disk full")
        return real(source, target)

    monkeypatch.setattr("policy_db.versions.shutil.move", failing_move)
    with pytest.raises(OSError):
        workbench.publish(pilot, TODAY, served)
    assert served.all() == () and served.latest() == 0
    assert not version_table.folder_of(served.root, 1, PILOT).exists()
    assert not version_table.store_path(served.root, 1).exists()
    assert store.load() is before and PILOT not in store.load().policies
    assert not [p for p in served.root.iterdir() if p.name.startswith(".publish-")]


def test_a_version_cannot_take_effect_before_the_one_it_follows(pilot, versions):
    workbench.publish(pilot, TODAY, versions)
    with pytest.raises(PublishError) as refused:
        workbench.publish(pilot, TODAY - dt.timedelta(days=1), versions)
    assert refused.value.message == f"生效日期不能早于上一版本的生效日期（{TODAY.isoformat()}）。"
    assert versions.latest() == 1


def test_a_correction_replaces_its_document_in_the_next_version(pilot, versions):
    workbench.publish(pilot, TODAY, versions)
    corrected = {**pilot, "measures": [{**pilot["measures"][0], "title": "试点示范房租补贴"}]}
    workbench.publish(corrected, TODAY, versions)
    assert versions.store(2).policies[PILOT].measures[0].title == "试点示范房租补贴"
    assert versions.store(1).policies[PILOT].measures[0].title == "试点示范补贴"
    assert [p.name for p in versions.documents(2)] == [PILOT]


def test_a_server_looks_for_a_new_version_at_most_twice_a_second(pilot, versions):
    now = [100.0]
    watch = version_table.Watch(versions.root, interval=0.5, clock=lambda: now[0])
    assert watch.versions() == ()
    workbench.publish(pilot, TODAY, versions)
    now[0] += 0.2
    assert watch.versions() == ()  # not looked at again yet
    now[0] += 0.4
    assert [v.number for v in watch.versions()] == [1]
