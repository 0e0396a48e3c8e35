"""The records database and the trainer's book have a history of schema changes (bot/staff/migrations.py,
simulator/scores.py): a file made by the release before there was one opens, its rows load, each step runs once,
a failed step leaves nothing behind, and two processes opening a new file at once do not collide."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
import sqlite_utils
from sqlite_utils import Migrations

from bot.staff import records as call_records
from bot.staff import migrations
from simulator.scores import Scores, migrate

# A record as the release before issue 19 wrote it: no groups, policies, total or account, and one field
# ("channel") that this release does not know.
OLD_BODY = {
    "id": "0123456789ab", "sender": "call-old", "kind": "call", "operator": "王工",
    "started": "2024-05-01T09:00:00", "ended": "2024-05-01T09:05:00", "as_of": "2024-05-01",
    "policy_version": "old", "facts": {"industry": "餐饮业", "employees": 12}, "sme_class": "小型企业",
    "sme_rule": "从业人员10人及以上", "asked": ["有多少员工？"], "caller_said": ["12个人"],
    "answered": [{"id": "1.1", "title": "稳岗返还", "status": "unknown"}], "departments": ["市人社局"],
    "open_points": [], "follow_up": False, "caller": "张经理", "phone": "", "notes": "", "extra": {},
    "channel": "12345热线"}


def old_records_db(path) -> None:
    """records.db exactly as bot/call_records.database() (now bot/staff/records.py) made it before migrations, with one row."""
    db = sqlite_utils.Database(path)
    db["records"].create({"id": str, "sender": str, "kind": str, "operator": str, "started": str, "ended": str,
                          "search": str, "body": str}, pk="id")
    db["records"].create_index(["sender"])
    db["records"].create_index(["ended"])
    db["records"].insert({"id": OLD_BODY["id"], "sender": "call-old", "kind": "call", "operator": "王工",
                          "started": OLD_BODY["started"], "ended": OLD_BODY["ended"], "search": "王工\n张经理",
                          "body": json.dumps(OLD_BODY, ensure_ascii=False)})
    db.conn.close()


def applied(path, name="records") -> list[str]:
    with sqlite3.connect(path) as c:
        return [r[0] for r in c.execute("select name from _sqlite_migrations where migration_set = ? order by id",
                                        (name,))]


def test_a_records_file_of_the_release_before_migrations_opens_and_its_record_loads(tmp_path):
    path = tmp_path / "records.db"
    old_records_db(path)
    db = call_records.database(path)
    assert applied(path)[:2] == ["001_records", "002_records_account"]
    record = call_records.get(OLD_BODY["id"], db)
    assert (record.caller, record.groups, record.total, record.account) == ("张经理", [], None, "")
    assert record.extra == {"channel": "12345热线"}  # kept, not lost and not refused
    assert [r.id for r in call_records.find("张经理", db=db)] == [OLD_BODY["id"]]
    assert "account" in db["records"].columns_dict


def test_a_body_missing_a_field_without_default_loads_with_an_empty_value():
    body = {k: v for k, v in OLD_BODY.items() if k not in ("asked", "follow_up", "facts")}
    record = call_records.from_body(json.dumps(body))
    assert (record.asked, record.follow_up, record.facts) == ([], False, {})


def test_each_step_runs_once_and_a_new_record_keeps_its_account(tmp_path):
    path = tmp_path / "records.db"
    db = call_records.database(path)
    steps = applied(path)
    assert steps == [m.name for m in migrations.RECORDS._migrations]
    assert migrations.apply(db, migrations.RECORDS) == []
    call_records.database(path)
    assert applied(path) == steps
    record = call_records.from_body(json.dumps({**OLD_BODY, "id": "aaaaaaaaaaaa", "account": "wangfang"}))
    call_records.save(record, db)
    assert [r.id for r in call_records.find("", db=db, account="wangfang")] == ["aaaaaaaaaaaa"]
    assert call_records.find("", db=db, account="someone-else") == []


def test_a_step_that_fails_changes_nothing_and_stays_pending(tmp_path):
    steps = Migrations("test")

    @steps(name="001_table")
    def _table(db):
        db.execute("create table t (x integer)")

    @steps(name="002_broken")
    def _broken(db):
        db.execute("alter table t add column y text")
        raise RuntimeError("half-way")

    db = sqlite_utils.Database(tmp_path / "t.db")
    with pytest.raises(RuntimeError):
        migrations.apply(db, steps)
    assert "t" not in db.table_names()  # the whole run is one transaction: step 1 is not half-kept either
    assert [m.name for m in steps.pending(db)] == ["001_table", "002_broken"]


def test_two_processes_opening_a_new_file_at_once_apply_each_step_once(tmp_path):
    path = tmp_path / "records.db"
    errors, start = [], threading.Barrier(4)

    def open_it():
        try:
            start.wait()
            call_records.database(path).conn.close()
        except Exception as e:  # noqa: BLE001 - the test reports it
            errors.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert applied(path) == [m.name for m in migrations.RECORDS._migrations]


def test_a_trainer_book_of_the_release_before_migrations_opens_with_its_attempts(tmp_path):
    path = tmp_path / "trainer.db"
    with sqlite3.connect(path) as c:
        c.executescript("""
            create table if not exists attempts (
                id integer primary key, trainee text not null, case_id text not null, seed integer,
                at text not null, right integer not null, total integer not null, asked integer not null,
                fewest integer not null);
            create index if not exists attempts_trainee on attempts (trainee);
            create table if not exists items (
                attempt integer not null references attempts(id), kind text not null, key text not null,
                measure text, right integer not null);
            create index if not exists items_attempt on items (attempt);
            insert into attempts values (1, '张三', 'case-7', 7, '2024-05-01T01:00:00+00:00', 9, 12, 5, 4);
            insert into items values (1, 'measure', '1.1', '1.1', 1);
        """)
    book = Scores(path)
    assert applied(path, "trainer") == ["001_attempts_and_items"]
    assert [(a.case_id, a.right, a.total) for a in book.attempts("张三")] == [("case-7", 9, 12)]
    assert migrate(path) == []


def test_the_sql_tracker_store_is_found_inside_rasas_wrappers_and_indexed_at_start(tmp_path):
    """Rasa 3.6 wraps the SQL store twice; the queue's index must reach it, or every poll reads every event."""
    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore, InMemoryTrackerStore, \
        SQLTrackerStore
    from rasa.shared.core.domain import Domain

    sql = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "t.db"))
    wrapped = FailSafeTrackerStore(AwaitableTrackerStore(sql))
    assert migrations.sql_tracker_store(wrapped) is sql
    assert migrations.sql_tracker_store(object()) is None
    assert migrations.index_events(wrapped) is True
    with sqlite3.connect(tmp_path / "t.db") as c:
        indexes = {r[0] for r in c.execute("select name from sqlite_master where type = 'index'")}
    assert "huiqi_events_type_time" in indexes
    assert migrations.index_events(InMemoryTrackerStore(Domain.empty())) is False
