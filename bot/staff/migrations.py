"""The records database's history of changes (``build/records.db`` or ``HUIQI_RECORDS_DB``): call records, staff
accounts, their sessions and the audit trail. Each change is a named step of sqlite-utils' ``Migrations`` (built into
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
