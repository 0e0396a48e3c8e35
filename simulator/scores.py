"""The trainees' running scores, kept in SQLite: one row per graded case and one per graded item.

Trainee names are free text typed by people, so they are checked (length, characters) before anything is stored,
and every query takes its values as parameters (no SQL is built from what anybody typed). The file is
``build/trainer.db`` unless ``HUIQI_TRAINER_DB`` or the caller says otherwise.

Its schema has a history (sqlite-utils' ``Migrations``, table ``_sqlite_migrations``), as the records database has
(bot/staff/migrations.py): step 1 is the schema the book had before (``create … if not exists``, so a book of that
release takes it as it is); a later change is a new step, applied when the book is opened.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from .grading import Grade

DEFAULT_DB = Path(os.environ.get("HUIQI_TRAINER_DB", Path(__file__).parents[1] / "build" / "trainer.db"))
MAX_NAME = 20
# Letters of any script (Chinese names, pinyin), digits, and the joiners people put in names: 欧阳·娜娜, Li Wei, 张三-2.
_NAME = re.compile(r"[^\W_](?:[^\W_]|[ ·\-_.]){0,%d}" % (MAX_NAME - 1))

MIGRATIONS = Migrations("trainer")


@MIGRATIONS(name="001_attempts_and_items")
def _attempts_and_items(db: sqlite_utils.Database) -> None:
    """The book as it was before it had a history."""
    for statement in (
            "create table if not exists attempts (id integer primary key, trainee text not null, "
            "case_id text not null, seed integer, at text not null, right integer not null, total integer not null, "
            "asked integer not null, fewest integer not null)",
            "create index if not exists attempts_trainee on attempts (trainee)",
            "create table if not exists items (attempt integer not null references attempts(id), "
            "kind text not null, key text not null, measure text, right integer not null)",
            "create index if not exists items_attempt on items (attempt)"):
        db.execute(statement)  # one by one: executescript would commit the step's transaction first


def migrate(path: Path) -> list[str]:
    """Brings the book at ``path`` up to date under the database's write lock (two servers may open it at once: the
    second waits, then finds nothing to do); the names of the steps run."""
    with closing(sqlite3.connect(path, timeout=10)) as conn:
        db = sqlite_utils.Database(conn)
        if not MIGRATIONS.pending(db):
            return []
        conn.execute("BEGIN IMMEDIATE")
        try:
            pending = [m.name for m in MIGRATIONS.pending(db)]
            MIGRATIONS.apply(db)
        except BaseException:
            db.rollback()
            raise
        db.commit()
        return pending


# Two fixed queries (no SQL is assembled): right out of graded per measure, and per kind of item.
_TALLY = {
    "measure": "select i.measure, sum(i.right), count(*) from items i join attempts a on a.id = i.attempt "
               "where a.trainee = ? and i.measure is not null group by i.measure order by min(i.rowid)",
    "kind": "select i.kind, sum(i.right), count(*) from items i join attempts a on a.id = i.attempt "
            "where a.trainee = ? group by i.kind order by min(i.rowid)",
}


class TraineeNameError(ValueError):
    """A name that cannot be a trainee's (said in Chinese; nothing is stored)."""


def trainee_name(text: object) -> str:
    """The name as it is stored: NFKC-normalised, trimmed, spaces collapsed; refused when empty, longer than MAX_NAME
    characters, or holding anything but letters, digits and name joiners (a line break included)."""
    if not isinstance(text, str):
        raise TraineeNameError("请填写姓名")
    name = unicodedata.normalize("NFKC", text)
    if any(unicodedata.category(c)[0] == "C" for c in name):
        raise TraineeNameError("姓名只能包含文字、字母、数字和间隔号")
    name = re.sub(r" +", " ", name).strip()
    if not name:
        raise TraineeNameError("请填写姓名")
    if len(name) > MAX_NAME:
        raise TraineeNameError(f"姓名最多{MAX_NAME}个字")
    if not _NAME.fullmatch(name):
        raise TraineeNameError("姓名只能包含文字、字母、数字和间隔号")
    return name


@dataclass(frozen=True)
class Attempt:
    id: int
    case_id: str
    seed: int | None
    at: str
    right: int
    total: int
    asked: int
    fewest: int

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0

    def to_payload(self) -> dict:
        return {"id": self.id, "case": self.case_id, "seed": self.seed, "at": self.at, "right": self.right,
                "total": self.total, "share": round(self.share, 4), "asked": self.asked, "fewest": self.fewest}


@dataclass(frozen=True)
class Tally:
    """Right out of graded, for one measure (its applicability and amount items) or one kind of item."""

    key: str
    right: int
    total: int

    def to_payload(self) -> dict:
        return {"key": self.key, "right": self.right, "total": self.total}


class Scores:
    """The score book at ``path``; each call opens its own connection, so one book serves many requests."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else DEFAULT_DB
        self.path.parent.mkdir(parents=True, exist_ok=True)
        migrate(self.path)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("pragma foreign_keys = on")
        return db

    def record(self, trainee: str, grade: Grade, case_id: str, seed: int | None = None,
               at: dt.datetime | None = None) -> int:
        """Store one graded case and its items in one transaction; returns the attempt's id."""
        name = trainee_name(trainee)
        when = (at or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "insert into attempts (trainee, case_id, seed, at, right, total, asked, fewest) "
                "values (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, str(case_id), seed, when, grade.right, grade.total, grade.asked, grade.fewest))
            attempt = cursor.lastrowid
            db.executemany("insert into items (attempt, kind, key, measure, right) values (?, ?, ?, ?, ?)",
                           [(attempt, i.kind, i.key, i.measure, int(i.right)) for i in grade.items])
        return attempt

    def attempts(self, trainee: str) -> list[Attempt]:
        """The trainee's graded cases, oldest first."""
        name = trainee_name(trainee)
        with closing(self._connect()) as db:
            rows = db.execute("select id, case_id, seed, at, right, total, asked, fewest from attempts "
                              "where trainee = ? order by id", (name,)).fetchall()
        return [Attempt(*row) for row in rows]

    def by_measure(self, trainee: str) -> list[Tally]:
        """Right out of graded per measure, over all the trainee's cases (applicability and amount together)."""
        return self._tally(trainee, "measure")

    def by_kind(self, trainee: str) -> list[Tally]:
        """Right out of graded per kind of item: class, measure, amount, department."""
        return self._tally(trainee, "kind")

    def _tally(self, trainee: str, by: str) -> list[Tally]:
        name = trainee_name(trainee)
        with closing(self._connect()) as db:
            rows = db.execute(_TALLY[by], (name,)).fetchall()
        return [Tally(*row) for row in rows]

    def trainees(self) -> list[str]:
        with closing(self._connect()) as db:
            return [r[0] for r in db.execute("select distinct trainee from attempts order by trainee")]

    def progress(self, trainee: str) -> dict:
        """Everything the progress view shows for one trainee."""
        attempts = self.attempts(trainee)
        right = sum(a.right for a in attempts)
        total = sum(a.total for a in attempts)
        return {"trainee": trainee_name(trainee), "attempts": [a.to_payload() for a in attempts],
                "right": right, "total": total, "share": round(right / total, 4) if total else None,
                "measures": [t.to_payload() for t in self.by_measure(trainee)],
                "kinds": [t.to_payload() for t in self.by_kind(trainee)]}
