"""Staff accounts and sessions (bot/staff/accounts.py, sessions.py): the stored hash verifies and a wrong password
fails; a password is never stored, logged or returned; sign-ins that fail in a row are slowed and then locked until
a time, and the lock runs out; a disabled account's open session is refused at its next request; the first
supervisor is made from a terminal with no default password."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from argon2 import PasswordHasher

from bot.staff import accounts, migrations, sessions

PASSWORD = "correct horse 9"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """The real parameters cost about a second a hash; the tests check behaviour, not cost."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts._no_account_hash.cache_clear()


@pytest.fixture
def db(tmp_path):
    return migrations.open_records(tmp_path / "records.db")


def test_the_stored_hash_verifies_the_password_and_a_wrong_one_fails(db, tmp_path):
    made = accounts.create(db, " WangFang ", "王芳", accounts.OPERATOR, PASSWORD, by="chief")
    assert (made.login, made.display, made.role, made.created_by, made.active) == (
        "wangfang", "王芳", "operator", "chief", True)
    assert accounts.verify(db, "wangfang", PASSWORD) == made
    assert accounts.verify(db, "WANGFANG", PASSWORD) == made  # logins are not case-sensitive
    assert accounts.verify(db, "wangfang", PASSWORD + "x") is None
    assert accounts.verify(db, "nobody", PASSWORD) is None
    assert accounts.verify(db, "wangfang", None) is None
    stored = sqlite3.connect(tmp_path / "records.db").execute("select * from accounts").fetchall()
    assert PASSWORD not in repr(stored) and "$argon2id$" in repr(stored)


def test_a_password_is_never_returned_or_logged(db, caplog):
    caplog.set_level(logging.DEBUG)
    made = accounts.create(db, "lina", "李娜", accounts.SUPERVISOR, PASSWORD, by="x")
    assert PASSWORD not in repr(made.to_payload()) and "hash" not in repr(made.to_payload())
    accounts.verify(db, "lina", PASSWORD)
    accounts.verify(db, "lina", "wrong password")
    assert PASSWORD not in caplog.text and "wrong password" not in caplog.text


@pytest.mark.parametrize("login, display, role, password, reason", [
    ("a", "王芳", "operator", PASSWORD, "bad_login"),
    ("wang fang", "王芳", "operator", PASSWORD, "bad_login"),
    ("-wang", "王芳", "operator", PASSWORD, "bad_login"),
    ("wang'; drop table accounts; --", "王芳", "operator", PASSWORD, "bad_login"),
    ("wangfang", "", "operator", PASSWORD, "bad_display"),
    ("wangfang", "王\n芳", "operator", PASSWORD, "bad_display"),
    ("wangfang", "王" * 31, "operator", PASSWORD, "bad_display"),
    ("wangfang", "王芳", "admin", PASSWORD, "bad_role"),
    ("wangfang", "王芳", "operator", "short", "bad_password"),
    ("wangfang", "王芳", "operator", None, "bad_password"),
])
def test_a_bad_field_creates_nothing(db, login, display, role, password, reason):
    with pytest.raises(accounts.AccountError) as refused:
        accounts.create(db, login, display, role, password, by="chief")
    assert refused.value.reason == reason
    assert accounts.listed(db) == []


def test_a_login_is_taken_once_and_a_hostile_display_name_is_kept_as_text(db):
    made = accounts.create(db, "x1", "<img src=x onerror=alert(1)>", accounts.OPERATOR, PASSWORD, by="c")
    assert accounts.get(db, "x1").display == "<img src=x onerror=alert(1)>" == made.display
    with pytest.raises(accounts.AccountError) as taken:
        accounts.create(db, "X1", "别人", accounts.OPERATOR, PASSWORD, by="c")
    assert taken.value.reason == "login_taken"


def test_a_disabled_accounts_open_session_is_refused_at_its_next_request(db):
    account = accounts.create(db, "wangfang", "王芳", accounts.OPERATOR, PASSWORD, by="chief")
    session_id, session = sessions.start(db, account, "10.0.0.5", now=1000.0)
    assert sessions.current(db, session_id, now=1010.0).login == "wangfang"
    accounts.set_disabled(db, "wangfang", True, by="chief")
    assert sessions.current(db, session_id, now=1020.0) is None
    assert accounts.verify(db, "wangfang", PASSWORD) is None  # and it signs in no more
    accounts.set_disabled(db, "wangfang", False, by="chief")
    assert sessions.current(db, session_id, now=1030.0) is None  # enabling again does not bring the session back
    assert accounts.verify(db, "wangfang", PASSWORD) is not None


def test_a_supervisor_cannot_disable_their_own_account(db):
    accounts.create(db, "chief", "主管", accounts.SUPERVISOR, PASSWORD, by="make admin")
    with pytest.raises(accounts.AccountError) as refused:
        accounts.set_disabled(db, "chief", True, by="chief")
    assert refused.value.reason == "not_yourself"
    assert accounts.get(db, "chief").active


def test_a_session_ends_when_idle_too_long_when_too_old_and_on_sign_out(db):
    account = accounts.create(db, "wangfang", "王芳", accounts.OPERATOR, PASSWORD, by="chief")
    idle, _ = sessions.start(db, account, now=0.0)
    assert sessions.current(db, idle, now=sessions.IDLE_SECONDS - 1) is not None
    assert sessions.current(db, idle, now=2 * sessions.IDLE_SECONDS) is None
    busy, _ = sessions.start(db, account, now=0.0)
    t = 0.0
    while t < sessions.MAX_SECONDS - sessions.IDLE_SECONDS:
        t += sessions.IDLE_SECONDS - 60
        assert sessions.current(db, busy, now=t) is not None  # kept alive by use
    assert sessions.current(db, busy, now=sessions.MAX_SECONDS + 1) is None
    ended, _ = sessions.start(db, account, now=0.0)
    sessions.end(db, ended)
    assert sessions.current(db, ended, now=1.0) is None
    assert sessions.current(db, "not a session id at all", now=1.0) is None
    assert sessions.current(db, None) is None


def test_the_session_id_is_not_stored_only_its_hash(db, tmp_path):
    account = accounts.create(db, "wangfang", "王芳", accounts.OPERATOR, PASSWORD, by="chief")
    session_id, session = sessions.start(db, account)
    stored = sqlite3.connect(tmp_path / "records.db").execute("select * from sessions").fetchall()
    assert session_id not in repr(stored)
    assert sessions.csrf_matches(session, session.csrf) and not sessions.csrf_matches(session, "x")
    assert not sessions.csrf_matches(session, None)


def test_failed_sign_ins_are_slowed_then_locked_until_a_time_and_the_lock_runs_out(db):
    failures = [sessions.failed(db, "WangFang", now=100.0 + i) for i in range(sessions.FAILURES_TO_LOCK)]
    delays = [f.delay for f in failures]
    assert delays == sorted(delays) and delays[0] > 0 and delays[-1] <= sessions.MAX_DELAY
    assert [f.locked_until for f in failures[:-1]] == [None] * (sessions.FAILURES_TO_LOCK - 1)
    until = failures[-1].locked_until
    assert until == 104.0 + sessions.LOCK_SECONDS
    assert sessions.locked_until(db, "wangfang", now=105.0) == until
    assert sessions.locked_until(db, "wangfang", now=until + 1) is None
    assert sessions.failed(db, "wangfang", now=until + 2).failures == 1  # counted afresh once the lock ran out


def test_a_successful_sign_in_clears_the_count_and_unknown_logins_are_counted_alike(db):
    account = accounts.create(db, "wangfang", "王芳", accounts.OPERATOR, PASSWORD, by="chief")
    for i in range(3):
        sessions.failed(db, "wangfang", now=float(i))
    sessions.start(db, account, now=10.0)
    assert sessions.failed(db, "wangfang", now=11.0).failures == 1
    for i in range(sessions.FAILURES_TO_LOCK):
        last = sessions.failed(db, "nobody-here", now=float(i))
    assert last.locked_until is not None


def test_the_first_supervisor_is_made_from_a_terminal_with_the_password_asked_twice(tmp_path, capsys):
    path = tmp_path / "records.db"
    answers = iter(["short", "short", PASSWORD, PASSWORD])
    accounts.main(["create-supervisor", "--login", "chief", "--name", "张主管", "--db", str(path)],
                  ask=lambda prompt: next(answers))
    said = capsys.readouterr()
    assert "/staff/signin" in said.out and PASSWORD not in said.out + said.err
    db = migrations.open_records(path)
    assert accounts.get(db, "chief").role == accounts.SUPERVISOR
    assert accounts.verify(db, "chief", PASSWORD) is not None
    with pytest.raises(SystemExit):  # taken
        accounts.main(["create-supervisor", "--login", "chief", "--name", "x", "--db", str(path)],
                      ask=lambda prompt: PASSWORD)
    mismatched = iter([PASSWORD, "other one 1"] * 3)
    with pytest.raises(SystemExit):  # never confirmed: no account, no default password
        accounts.main(["create-supervisor", "--login", "second", "--name", "x", "--db", str(path)],
                      ask=lambda prompt: next(mismatched))
    assert accounts.get(db, "second") is None
