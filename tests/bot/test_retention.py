"""The retention command (bot/ops/retention.py) on a tracker store written by Rasa's own SQLTrackerStore, with old and
new conversations, and on the console's call records."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops import retention

NOW = float(int(time.time()))  # the command line test runs at the real time
DAY = 86400.0
ROOT = Path(__file__).parents[2]


def _conversation(sender: str, started: float, last: float) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen", timestamp=started),
              UserUttered("我们是饭店，12个人", timestamp=started + 1),
              SlotSet("employees", 12, timestamp=started + 2),
              BotUttered("好的", timestamp=started + 3),
              UserUttered("汇总", timestamp=last)]
    return DialogueStateTracker.from_events(sender, events)


@pytest.fixture
def store(tmp_path):
    """A SQLite tracker store and its endpoints.yml: 'old' last spoke 40 days ago, 'recent' began 40 days ago but
    spoke again yesterday, 'new' today."""
    db = tmp_path / "conversations.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{db}"\n', encoding="utf-8")
    tracker_store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    for tracker in (_conversation("old", NOW - 41 * DAY, NOW - 40 * DAY),
                    _conversation("recent", NOW - 40 * DAY, NOW - 1 * DAY),
                    _conversation("new", NOW - 3600, NOW)):
        asyncio.run(tracker_store.save(tracker))
    return tracker_store, endpoints


def _senders(tracker_store) -> set[str]:
    return set(asyncio.run(tracker_store.keys()))


def test_conversations_whose_last_message_is_older_than_n_days_are_deleted_whole(store):
    tracker_store, endpoints = store
    removed = retention.run(30, endpoints, None, dry_run=False, now=NOW)
    assert [(r.where, r.conversations, r.rows) for r in removed] == [("events", 1, 5)]
    assert _senders(tracker_store) == {"recent", "new"}
    assert len(asyncio.run(tracker_store.retrieve("recent")).events) == 5


def test_a_dry_run_counts_and_deletes_nothing(store):
    tracker_store, endpoints = store
    removed = retention.run(30, endpoints, None, dry_run=True, now=NOW)
    assert [(r.conversations, r.rows) for r in removed] == [(1, 5)]
    assert _senders(tracker_store) == {"old", "recent", "new"}


def test_zero_days_deletes_every_conversation_before_now(store):
    tracker_store, endpoints = store
    retention.run(0, endpoints, None, dry_run=False, now=NOW + 1)
    assert _senders(tracker_store) == set()


def test_call_records_go_by_the_same_rule(store, tmp_path):
    _, endpoints = store
    records = tmp_path / "records.db"
    db = sqlite_utils.Database(records)
    iso = lambda ts: dt.datetime.fromtimestamp(ts).isoformat(timespec="seconds")  # as the console writes them
    db["records"].insert_all([{"id": "r1", "sender": "call-old", "ended": iso(NOW - 40 * DAY), "body": "电话…"},
                              {"id": "r2", "sender": "call-new", "ended": iso(NOW - DAY), "body": "…"}], pk="id")
    removed = retention.run(30, endpoints, records, dry_run=False, now=NOW)
    assert [(r.where, r.conversations, r.rows) for r in removed] == [("events", 1, 5), ("records", 1, 1)]
    assert [row["id"] for row in sqlite_utils.Database(records)["records"].rows] == ["r2"]


def test_the_audit_trail_goes_with_the_records_and_conversations_it_speaks_of(store, tmp_path):
    from bot.staff import audit, migrations
    from bot.staff.roles import Actor

    _, endpoints = store
    records = tmp_path / "records.db"
    db = migrations.open_records(records)
    iso = lambda ts: dt.datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")
    db["records"].insert_all([{"id": "r1", "sender": "call-old", "ended": iso(NOW - 40 * DAY), "body": "{}"},
                              {"id": "r2", "sender": "call-new", "ended": iso(NOW - DAY), "body": "{}"}], pk="id")
    wang = Actor("wangfang", "王芳", "operator", "session")
    audit.log(db, wang, "record_read", record="r1", sender="call-old", at=iso(NOW - DAY))   # read lately, record old
    audit.log(db, wang, "record_read", record="r2", sender="call-new", at=iso(NOW - DAY))
    audit.log(db, wang, "takeover", sender="old", at=iso(NOW - 35 * DAY))                 # its conversation is old
    audit.log(db, wang, "takeover", sender="recent", at=iso(NOW - 35 * DAY))              # its conversation is kept
    audit.log(db, wang, "signin", at=iso(NOW - 40 * DAY))
    audit.log(db, wang, "signin", at=iso(NOW - DAY))
    dry = retention.run(30, endpoints, records, dry_run=True, now=NOW)
    assert [(r.where, r.rows) for r in dry] == [("events", 5), ("records", 1), ("audit", 3), ("outreach", 0)]
    assert len(audit.find(db)) == 6
    retention.run(30, endpoints, records, dry_run=False, now=NOW)
    kept = [(line["action"], line["record"] or line["sender"]) for line in audit.find(db)]
    assert kept == [("signin", None), ("takeover", "recent"), ("record_read", "r2")]


def test_the_trainer_s_old_attempts_go_with_their_graded_items(store, tmp_path):
    from simulator.grading import Grade, Item
    from simulator.scores import Scores

    _, endpoints = store
    book = Scores(tmp_path / "trainer.db")
    item = Item(kind="measure", key="m1", title="房租减免", right=True, expected="适用", stated="适用", measure="m1")
    grade = Grade(items=(item,), asked=3, fewest=2)
    at = lambda ts: dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    book.record("张三", grade, "case-1", at=at(NOW - 40 * DAY))
    book.record("李四", grade, "case-2", at=at(NOW - DAY))
    removed = retention.run(30, endpoints, None, dry_run=False, now=NOW, trainer=tmp_path / "trainer.db")
    assert [(r.where, r.conversations, r.rows) for r in removed][1:] == [("attempts", 1, 1)]
    assert book.attempts("张三") == [] and len(book.attempts("李四")) == 1
    assert sqlite_utils.Database(tmp_path / "trainer.db").execute("select count(*) from items").fetchone() == (1,)


def test_stores_without_the_tables_are_skipped(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tmp_path / "empty.db"}"\n')
    (tmp_path / "records.db").touch()
    removed = retention.run(30, endpoints, tmp_path / "records.db", dry_run=False, now=NOW)
    assert [(r.conversations, r.rows) for r in removed] == [(0, 0), (0, 0)]


def test_the_command_reports_in_chinese(store, tmp_path):
    _, endpoints = store
    done = subprocess.run([sys.executable, "-m", "bot.ops.retention", "--days", "30", "--dry-run", "--endpoints",
                           str(endpoints), "--records", str(tmp_path / "none.db"), "--trainer", str(tmp_path / "none.db")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "会话事件：1 个会话，将删除 5 条（早于 30 天前）"


def test_a_store_that_is_not_sql_is_refused_plainly(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: redis\n  url: localhost\n")
    with pytest.raises(SystemExit, match="没有配置 SQL 会话存储"):
        retention.run(30, endpoints, None, dry_run=False, now=NOW)


def test_the_store_make_run_names_is_cleaned_as_rasa_s_own_sql_store(store, tmp_path):
    """endpoints.yml names the SQL store that keeps conversations in use in the process (bot.stores); its events are
    Rasa's own table, so retention reads them the same."""
    _, endpoints = store
    ours = tmp_path / "ours.yml"
    ours.write_text(endpoints.read_text(encoding="utf-8").replace("type: SQL", "type: bot.stores.PatientSQLTrackerStore"),
                    encoding="utf-8")
    assert retention.tracker_store_url(ours) == retention.tracker_store_url(endpoints)
