"""Signed-in sessions of staff accounts, kept on the server (the records database, tables ``sessions`` and
``signin_failures``): the browser holds only a random id in an HttpOnly cookie; the table holds its SHA-256, so a
copy of the database opens no session.

- A session ends when it has been idle for IDLE_SECONDS, MAX_SECONDS after it began, when its owner signs out, and
  at its next request once its account is disabled (the account is read with the session, every time).
- Each session has its own CSRF token, which every state-changing request must carry (``X-CSRF-Token``).
- Failed sign-ins for a login are counted in a row: each one is answered more slowly (:attr:`Failure.delay`), and
  after FAILURES_TO_LOCK the login is locked for LOCK_SECONDS, whatever password comes (the reply says until when).
  Unknown logins are counted the same, so the replies do not tell which logins exist.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Optional

import sqlite_utils

from bot.staff.accounts import Account, get as get_account

IDLE_SECONDS = 30 * 60
MAX_SECONDS = 12 * 3600
TOUCH_SECONDS = 60            # `seen` is written at most once a minute per session
FAILURES_TO_LOCK = 5
LOCK_SECONDS = 15 * 60
MAX_DELAY = 4.0
FORGET_FAILURES_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Session:
    login: str
    csrf: str
    created: float
    seen: float
    account: Account


@dataclass(frozen=True)
class Failure:
    failures: int                  # in a row, this one included
    delay: float                   # seconds to wait before answering
    locked_until: Optional[float]  # epoch seconds, when this failure locked the login


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _now(now: Optional[float]) -> float:
    return time.time() if now is None else now


def start(db: sqlite_utils.Database, account: Account, ip: str = "",
          now: Optional[float] = None) -> tuple[str, Session]:
    """A new session for ``account``: its id (for the cookie, never stored) and the session. Sessions that ran out
    (idle or too old) are removed here, so the table holds live ones only."""
    now = _now(now)
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with db.atomic():
        db.execute("delete from sessions where seen < ? or created < ?", [now - IDLE_SECONDS, now - MAX_SECONDS])
        db.execute("insert into sessions (id_hash, login, csrf, created, seen, ip) values (?, ?, ?, ?, ?, ?)",
                   [_hash(session_id), account.login, csrf, now, now, ip[:64]])
        db.execute("delete from signin_failures where login = ?", [account.login])
    return session_id, Session(account.login, csrf, now, now, account)


def current(db: sqlite_utils.Database, session_id: object, now: Optional[float] = None) -> Optional[Session]:
    """The live session with this id, or None (unknown, ended, idle too long, too old, or its account disabled:
    such a session is ended here)."""
    if not isinstance(session_id, str) or not 20 <= len(session_id) <= 100:
        return None
    now = _now(now)
    key = _hash(session_id)
    rows = list(db.query("select login, csrf, created, seen from sessions where id_hash = ?", [key]))
    if not rows:
        return None
    row = rows[0]
    account = get_account(db, row["login"])
    if account is None or not account.active or now - row["seen"] > IDLE_SECONDS or now - row["created"] > MAX_SECONDS:
        db.execute("delete from sessions where id_hash = ?", [key])
        return None
    if now - row["seen"] > TOUCH_SECONDS:
        db.execute("update sessions set seen = ? where id_hash = ?", [now, key])
    return Session(row["login"], row["csrf"], row["created"], now, account)


def end(db: sqlite_utils.Database, session_id: object) -> None:
    if isinstance(session_id, str):
        db.execute("delete from sessions where id_hash = ?", [_hash(session_id)])


def end_all(db: sqlite_utils.Database, login: str) -> int:
    """Ends every session of an account (it was disabled); how many there were."""
    return db.execute("delete from sessions where login = ?", [login]).rowcount


def csrf_matches(session: Session, given: object) -> bool:
    return isinstance(given, str) and secrets.compare_digest(given.encode("utf-8"), session.csrf.encode("utf-8"))


def _failure_key(login: object) -> str:
    return login.strip().lower()[:64] if isinstance(login, str) else ""


def locked_until(db: sqlite_utils.Database, login: object, now: Optional[float] = None) -> Optional[float]:
    """Until when (epoch seconds) the login is locked, or None."""
    rows = list(db.query("select locked_until from signin_failures where login = ?", [_failure_key(login)]))
    until = rows[0]["locked_until"] if rows else None
    return until if until is not None and until > _now(now) else None


def failed(db: sqlite_utils.Database, login: object, now: Optional[float] = None) -> Failure:
    """Counts a failed sign-in; the count starts again once a lock has run out."""
    now, key = _now(now), _failure_key(login)
    with db.atomic():
        db.execute("delete from signin_failures where last < ?", [now - FORGET_FAILURES_SECONDS])
        rows = list(db.query("select failures, locked_until from signin_failures where login = ?", [key]))
        row = rows[0] if rows else None
        lock_ran_out = row is not None and row["locked_until"] is not None and row["locked_until"] <= now
        failures = (row["failures"] if row is not None and not lock_ran_out else 0) + 1
        until = now + LOCK_SECONDS if failures >= FAILURES_TO_LOCK else None
        db.execute("insert into signin_failures (login, failures, last, locked_until) values (?, ?, ?, ?) "
                   "on conflict (login) do update set failures = excluded.failures, last = excluded.last, "
                   "locked_until = excluded.locked_until", [key, failures, now, until])
    return Failure(failures, min(MAX_DELAY, 0.5 * 2 ** (failures - 1)), until)
