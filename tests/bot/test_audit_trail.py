"""The audit trail (bot/staff/audit.py): lines are added and read, never changed; filters narrow them; the CSV
export is in the page's words and runs nothing in a spreadsheet; its SQL takes values as parameters only."""

from __future__ import annotations

import ast
import csv
import io
import sqlite3
from pathlib import Path

import pytest

from bot.staff import audit, migrations
from bot.staff.roles import Actor

CHIEF = Actor("chief", "张主管", "supervisor", "session")
WANG = Actor("wangfang", "王芳", "operator", "session")
BOT_TOKEN = Actor("token", "自动化令牌", "token", "token")


@pytest.fixture
def db(tmp_path):
    db = migrations.open_records(tmp_path / "records.db")
    audit.log(db, WANG, "signin", ip="10.0.0.5", at="2024-05-01T09:00:00+08:00")
    audit.log(db, WANG, "record_read", ip="10.0.0.5", record="0123456789ab", sender="call-1",
              at="2024-05-01T10:00:00+08:00")
    audit.log(db, CHIEF, "record_export", record="0123456789ab", sender="call-1", detail="txt",
              at="2024-05-02T11:00:00+08:00")
    audit.log(db, BOT_TOKEN, "token_use", detail="GET /console/api/queue", at="2024-05-03T08:00:00+08:00")
    return db


def test_lines_are_found_newest_first_and_narrowed_by_each_filter(db):
    assert [line["action"] for line in audit.find(db)] == ["token_use", "record_export", "record_read", "signin"]
    assert [line["action"] for line in audit.find(db, audit.Filter(login="wangfang"))] == ["record_read", "signin"]
    assert [line["login"] for line in audit.find(db, audit.Filter(record="0123456789ab"))] == ["chief", "wangfang"]
    assert [line["login"] for line in audit.find(db, audit.Filter(record="call-1"))] == ["chief", "wangfang"]
    assert [line["action"] for line in audit.find(db, audit.Filter(until="2024-05-01"))] == ["record_read", "signin"]
    assert [line["action"] for line in audit.find(db, audit.Filter(since="2024-05-02", until="2024-05-02"))] == [
        "record_export"]
    assert [line["action"] for line in audit.find(db, audit.Filter(since="2024-05-01T09:30"))] == [
        "token_use", "record_export", "record_read"]
    assert audit.find(db, audit.Filter(action="signin"))[0]["ip"] == "10.0.0.5"
    assert audit.find(db, audit.Filter(login="'; delete from audit; --")) == []
    assert len(audit.find(db)) == 4
    assert len(audit.find(db, audit.Filter(limit=2))) == 2


def test_a_line_cannot_be_changed_in_the_database_either(db, tmp_path):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("update audit set login = 'someone' where action = 'signin'")
    assert audit.find(db, audit.Filter(action="signin"))[0]["login"] == "wangfang"


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        audit.log(None, WANG, "delete_everything")


def test_the_module_has_no_update_or_delete_path():
    source = Path(audit.__file__).read_text(encoding="utf-8")
    strings = [n.value.lower() for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)
               and isinstance(n.value, str)]
    assert not any(s.lstrip().startswith(("update ", "delete ")) for s in strings)
    assert not any(s.lstrip().startswith(("update", "delete")) for s in strings)


def test_the_csv_is_in_the_pages_words_and_a_formula_is_kept_as_text(db, policy_store):
    audit.log(db, Actor("evil", "=HYPERLINK(\"http://x\")", "operator", "session"), "signin",
              at="2024-05-04T08:00:00+08:00")
    words = policy_store.words.pages["staff"]
    text = audit.as_csv(audit.find(db), words["columns"], words["actions"])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [words["columns"][c] for c in audit.COLUMNS]
    assert rows[1][audit.COLUMNS.index("display")] == "'=HYPERLINK(\"http://x\")"
    assert rows[-1][audit.COLUMNS.index("action")] == words["actions"]["signin"]
    assert set(audit.ACTIONS) <= set(words["actions"])
