"""The records database's history of changes (``build/records.db`` or ``HUIQI_RECORDS_DB``): call records, staff
accounts, their sessions, the audit trail and the 回访 tasks of 政策找企业. Each change is a named step of sqlite-utils' ``Migrations`` (built into
sqlite-utils 4, which the project already pins; the ``sqlite-migrate`` package is now only a shim for it), recorded in
the table ``_sqlite_migrations`` when applied, so a database made by any earlier release opens after an upgrade: the
steps it has not had run, in order, each in the same transaction as its record. Step 1 is the schema the records
had before there was a history (``create … if not exists``, so a database of that release takes it as it is).

Two servers of a cluster may open the file at the same moment: the steps run under ``BEGIN IMMEDIATE``, so the
second waits for the first and then finds nothing left to do.

Rasa's own ``events`` table gets the console queue's index here too (:func:`index_events`), once when the server
starts, not while a request waits.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional

import sqlalchemy as sa
import sqlite_utils
from sqlite_utils import Migrations

ROOT = Path(__file__).parents[2]
RECORDS_ENV = "HUIQI_RECORDS_DB"
RECORDS_DB = ROOT / "build" / "records.db"

RECORDS = Migrations("records")


@RECORDS(name="001_records")
def _records(db: sqlite_utils.Database) -> None:
    """The call records as the console kept them before migrations: typed columns for what is listed and searched,
    the rest in a JSON body."""
    db.execute("create table if not exists records (id text primary key, sender text, kind text, operator text, "
               "started text, ended text, search text, body text)")
    db.execute("create index if not exists idx_records_sender on records (sender)")
    db.execute("create index if not exists idx_records_ended on records (ended)")


@RECORDS(name="002_records_account")
def _records_account(db: sqlite_utils.Database) -> None:
    """Which staff account filed a record (its login), so an operator's list holds the operator's own records.
    Records filed before accounts have none: a supervisor sees them."""
    db.execute("alter table records add column account text")
    db.execute("create index if not exists idx_records_account on records (account, ended)")


@RECORDS(name="003_accounts")
def _accounts(db: sqlite_utils.Database) -> None:
    """Staff accounts (bot/staff/accounts.py): the argon2 hash, never the password."""
    db.execute("create table accounts (login text primary key, display text not null, role text not null, "
               "password_hash text not null, created text not null, created_by text not null, disabled text, "
               "disabled_by text)")


@RECORDS(name="004_sessions")
def _sessions(db: sqlite_utils.Database) -> None:
    """Signed-in sessions, by the SHA-256 of their id (the id itself is only in the browser's cookie), and the
    failed sign-ins in a row per login (bot/staff/sessions.py)."""
    db.execute("create table sessions (id_hash text primary key, login text not null, csrf text not null, "
               "created real not null, seen real not null, ip text)")
    db.execute("create index idx_sessions_login on sessions (login)")
    db.execute("create table signin_failures (login text primary key, failures integer not null, last real not null, "
               "locked_until real)")


@RECORDS(name="005_audit")
def _audit(db: sqlite_utils.Database) -> None:
    """The audit trail (bot/staff/audit.py): lines are added, never changed (a trigger refuses any update); only
    retention removes them, with the records they speak of."""
    db.execute("create table audit (id integer primary key autoincrement, at text not null, login text not null, "
               "display text not null, role text not null, via text not null, ip text, action text not null, "
               "record text, sender text, detail text)")
    for columns in ("at", "login, at", "action, at", "record", "sender"):
        db.execute(f"create index idx_audit_{columns.replace(', ', '_')} on audit ({columns})")
    db.execute("create trigger audit_append_only before update on audit "
               "begin select raise(abort, 'the audit trail is append-only'); end")


@RECORDS(name="006_outreach")
def _outreach(db: sqlite_utils.Database) -> None:
    """政策找企业 (bot/staff/outreach.py): after a publish, one task per consenting enterprise and measure it newly
    qualifies for; an operator works through them (done by an account), an owner back in the chat is told."""
    db.execute("create table outreach (id integer primary key autoincrement, created text not null, "
               "version integer not null, effective text not null, source text not null, key text not null, "
               "label text not null, measure text not null, measure_name text not null, document text not null, "
               "line text not null, amount_yuan real, status text not null default 'open', done_by text, "
               "done_at text, told_at text, unique (version, source, key, measure))")
    db.execute("create index idx_outreach_status on outreach (status, created)")
    db.execute("create index idx_outreach_key on outreach (source, key)")


def records_path(environ: Optional[Mapping[str, str]] = None) -> Path:
    environ = os.environ if environ is None else environ
    return Path(environ.get(RECORDS_ENV) or RECORDS_DB)


def apply(db: sqlite_utils.Database, migrations: Migrations) -> list[str]:
    """Runs the steps ``db`` has not had, in order, holding the database's write lock; returns their names."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
    except BaseException:
        db.rollback()
        raise
    db.commit()
    return pending


def open_records(location: Optional[Path] = None) -> sqlite_utils.Database:
    """The records database at ``location`` (default: :func:`records_path`), brought up to date: one read of the
    history when it is, the write lock only when a step is pending."""
    location = Path(location or records_path())
    location.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(location)
    if RECORDS.pending(db):
        apply(db, RECORDS)
    return db


def index_events(tracker_store) -> bool:
    """The console queue's index on Rasa's ``events`` table (bot events by time), made when the server starts:
    every operator's console asks for the queue every two seconds, and Rasa indexes the table by conversation only.
    False when the tracker store is not SQL (memory, Redis: nothing to index)."""
    sql = sql_tracker_store(tracker_store)
    if sql is None:
        return False
    with sql.session_scope() as session:
        session.execute(sa.text("CREATE INDEX IF NOT EXISTS huiqi_events_type_time ON events (type_name, timestamp)"))
        session.commit()
    return True


def sql_tracker_store(tracker_store):
    """The SQL tracker store inside the wrappers Rasa puts around it (FailSafeTrackerStore around
    AwaitableTrackerStore), or None for other kinds."""
    store = tracker_store
    for _ in range(5):
        if hasattr(store, "session_scope") and hasattr(store, "SQLEvent"):
            return store
        store = getattr(store, "_tracker_store", None)
        if store is None:
            return None
    return None
