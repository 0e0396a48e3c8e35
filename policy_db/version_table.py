"""The versions of the store as published from the workbench: one row per publish, read by every server per turn.

Version 0 is the data in the repository (policy_db/policies/). Version n adds (or replaces, by id) the document
folder its publish wrote, on top of version n-1, from its effective date. The rows live in a small SQLite file in
the versions folder (``POLICY_VERSIONS``, else build/versions/); a server learns that a new version was published by
the file's modification time, one stat at most every half second, and only then reads the rows again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .sources import DATA_DIR

VERSIONS_DIR = Path(os.environ.get("POLICY_VERSIONS", DATA_DIR.parent / "build" / "versions"))
TABLE = "versions"
SCHEMA = (f"create table if not exists {TABLE} (number integer primary key, effective text not null, "
          "published_at text not null, document text not null, note text not null default '', "
          "new_facts text not null default '{}', retrained_at text, retrained_model text)")
ADDED_COLUMNS = {"retrained_model": "text"}  # columns a table made by an earlier release lacks


@dataclass(frozen=True)
class Version:
    """One publish: its number, the day from which it is in force, the document it added or replaced, the facts
    that document brings with the words owners use for them (the NLU needs them: a retrain is pending until
    ``retrained_at``)."""

    number: int
    effective: dt.date
    published_at: str
    document: str
    note: str = ""
    new_facts: dict = field(default_factory=dict)
    retrained_at: str | None = None
    retrained_model: str | None = None  # the model the NLU was retrained into for it (bot.ops.retrain)

    @property
    def retrain_pending(self) -> bool:
        return bool(self.new_facts) and self.retrained_at is None

    def as_dict(self) -> dict:
        return {"number": self.number, "effective": self.effective.isoformat(), "published_at": self.published_at,
                "document": self.document, "note": self.note, "new_facts": self.new_facts,
                "retrained_at": self.retrained_at, "retrain_pending": self.retrain_pending,
                "retrained_model": Path(self.retrained_model).name if self.retrained_model else None}


def table_path(root: Path) -> Path:
    return root / "versions.db"


def folder_of(root: Path, number: int, document: str) -> Path:
    """Where version ``number`` keeps the folder of the document it published."""
    return root / "published" / str(number) / document


def store_path(root: Path, number: int) -> Path:
    return root / "stores" / f"v{number}.db"


def read(root: Path) -> tuple[Version, ...]:
    """Every version published, oldest first; none when nothing was ever published."""
    path = table_path(root)
    if not path.exists():
        return ()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        present = {row[1] for row in con.execute(f"pragma table_info({TABLE})")}
        model = "retrained_model" if "retrained_model" in present else "null"
        rows = con.execute(f"select number, effective, published_at, document, note, new_facts, retrained_at, {model} "
                           f"from {TABLE} order by number").fetchall()
    except sqlite3.OperationalError:
        return ()
    finally:
        con.close()
    return tuple(Version(n, dt.date.fromisoformat(e), p, d, note, json.loads(f), r, m)
                 for n, e, p, d, note, f, r, m in rows)


def add_columns(con: sqlite3.Connection) -> None:
    """Brings a table an earlier release made up to SCHEMA."""
    present = {row[1] for row in con.execute(f"pragma table_info({TABLE})")}
    for name, kind in ADDED_COLUMNS.items():
        if name not in present:
            con.execute(f"alter table {TABLE} add column {name} {kind}")


def in_force(versions: tuple[Version, ...], day: dt.date) -> Version | None:
    """The version in force on ``day``: the latest whose effective date has come (None: the repository's data)."""
    return next((v for v in reversed(versions) if v.effective <= day), None)


def documents(root: Path, versions: tuple[Version, ...], upto: int) -> tuple[Path, ...]:
    """The document folders version ``upto`` adds to the repository's data, the later of two with one id winning."""
    chosen: dict[str, Path] = {}
    for v in versions:
        if v.number <= upto:
            chosen[v.document] = folder_of(root, v.number, v.document)
    return tuple(chosen.values())


class Watch:
    """The versions of a folder as last read: its table file is looked at (one stat) at most once per ``interval``
    seconds, and read again only when it changed; a publish is served within that interval, everywhere."""

    def __init__(self, root: Path, interval: float = 0.5, clock: Callable[[], float] = time.monotonic):
        self.root = root
        self.interval = interval
        self.clock = clock
        self._looked = -float("inf")
        self._seen: tuple | None = None
        self._versions: tuple[Version, ...] = ()

    def versions(self) -> tuple[Version, ...]:
        now = self.clock()
        if now - self._looked < self.interval:
            return self._versions
        self._looked = now
        try:
            st = table_path(self.root).stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        if stamp != self._seen:
            self._versions = read(self.root) if stamp else ()
            self._seen = stamp
        return self._versions
