"""Publishing a document as a new version of the store, all or nothing; reading any version back.

A publish writes the document's folder (policy_db.document_folder) and builds the new version's store beside the
old ones, then, in one SQLite transaction, adds the version's row and moves the folder and the store into place. If
anything fails, the transaction is rolled back and what was moved is moved out again: no row, no folder, the
servers keep answering from the version they had. Every version stays readable (:meth:`Versions.store`), and a
day's answers come from the version in force that day (:meth:`Versions.store_as_of`, ``store.load(as_of=...)``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Callable

from . import store, version_table
from .checks import say
from .document_folder import normalised, write_folder
from .sources import DATA_DIR
from .version_table import SCHEMA, TABLE, Version

CANDIDATES_KEPT = 8


class PublishError(Exception):
    """A publish that did not happen; ``problems``: the checks that refused it (else ``message`` says why)."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class Versions:
    """The versions published under ``root`` on top of the data at ``base``."""

    def __init__(self, root: Path = version_table.VERSIONS_DIR, base: Path = DATA_DIR):
        self.root = Path(root)
        self.base = Path(base)

    def all(self) -> tuple[Version, ...]:
        return version_table.read(self.root)

    def latest(self) -> int:
        versions = self.all()
        return versions[-1].number if versions else 0

    def documents(self, number: int) -> tuple[Path, ...]:
        return version_table.documents(self.root, self.all(), number)

    def store(self, number: int | None = None) -> store.Store:
        """Version ``number`` (the latest by default; 0: the repository's data), built the first time it is read."""
        number = self.latest() if number is None else number
        if number == 0 and self.base == DATA_DIR:  # the repository's data: the store every checkout builds
            return store.load(store.ensure_built(store.DEFAULT_DB))
        path = version_table.store_path(self.root, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        return store.load(store.ensure_built(path, self.base, self.documents(number)))

    def store_as_of(self, day: dt.date) -> store.Store:
        """The store as it stood on ``day``: the version then in force."""
        version = version_table.in_force(self.all(), day)
        return self.store(version.number if version else 0)

    def candidate(self, document: dict) -> store.Store:
        """The latest version with ``document`` added (or replacing its namesake): what publishing it would serve.
        Built in a scratch folder, kept by the document's digest for the next check or preview of the same draft."""
        doc = normalised(document)
        digest = hashlib.sha256(json.dumps([self.latest(), doc], ensure_ascii=False, sort_keys=True,
                                           default=str).encode()).hexdigest()[:16]
        scratch = self.root / "candidates" / digest
        db = scratch / "policy.db"
        if not db.exists():
            scratch.mkdir(parents=True, exist_ok=True)
            folder = scratch / "documents" / str(doc["policy"].get("id"))
            if not folder.exists():
                write_folder(doc, folder)
            store.build(db, self.base, (*self._without(doc), folder))
            self._forget_old_candidates()
        return store.load(db)

    def _without(self, doc: dict) -> tuple[Path, ...]:
        return tuple(p for p in self.documents(self.latest()) if p.name != doc["policy"].get("id"))

    def _forget_old_candidates(self) -> None:
        folders = sorted((self.root / "candidates").iterdir(), key=lambda p: p.stat().st_mtime)
        for old in folders[:-CANDIDATES_KEPT]:
            shutil.rmtree(old, ignore_errors=True)

    def publish(self, document: dict, effective: dt.date, refuse: Callable[[store.Store], list],
                note: str = "") -> Version:
        """Add ``document`` as the next version, in force from ``effective``; ``refuse`` gives the problems that
        stop it (the checks, run on the candidate store). All or nothing (see the module's docstring)."""
        doc = normalised(document)
        previous = self.all()
        if previous and effective < previous[-1].effective:
            raise PublishError(say("effective_too_early", "publish", day=previous[-1].effective.isoformat()))
        candidate = self.candidate(doc)
        problems = refuse(candidate)
        if problems:
            raise PublishError(say("refused", "publish"), problems)
        number, pid = (previous[-1].number + 1 if previous else 1), str(doc["policy"]["id"])
        self.root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".publish-", dir=self.root))
        try:
            folder = write_folder(doc, work / pid)
            built = Path(shutil.copy2(candidate.path, work / "policy.db"))  # what was checked is what is served
            return self._commit(number, effective, pid, note, doc.get("facts") or {}, folder, built)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _commit(self, number: int, effective: dt.date, pid: str, note: str, facts: dict, folder: Path,
                built: Path) -> Version:
        final_folder = version_table.folder_of(self.root, number, pid)
        final_store = version_table.store_path(self.root, number)
        new_facts = {name: list(spec.get("words") or []) for name, spec in facts.items()}
        published_at = dt.datetime.now().isoformat(timespec="seconds")
        con = sqlite3.connect(version_table.table_path(self.root), isolation_level=None)
        moved: list[Path] = []
        try:
            con.execute(SCHEMA)
            version_table.add_columns(con)
            con.execute("begin immediate")
            latest = con.execute(f"select coalesce(max(number), 0) from {TABLE}").fetchone()[0]
            if latest != number - 1:
                raise PublishError(say("published_meanwhile", "publish"))
            con.execute(f"insert into {TABLE} (number, effective, published_at, document, note, new_facts) "
                        "values (?, ?, ?, ?, ?, ?)",
                        [number, effective.isoformat(), published_at, pid, note,
                         json.dumps(new_facts, ensure_ascii=False)])
            final_folder.parent.mkdir(parents=True, exist_ok=True)
            final_store.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(folder), final_folder)
            moved.append(final_folder)
            shutil.move(str(built), final_store)
            moved.append(final_store)
            con.execute("commit")
        except BaseException:
            if con.in_transaction:
                con.execute("rollback")
            for path in moved:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            raise
        finally:
            con.close()
        return Version(number, effective, published_at, pid, note, new_facts)

    def pending_retrain(self) -> list[Version]:
        """Versions whose documents bring fact words the NLU has not been trained on yet."""
        return [v for v in self.all() if v.retrain_pending]

    def mark_retrained(self, number: int, model: str | None = None) -> None:
        """The NLU has learnt version ``number``'s fact words, in ``model`` (bot.ops.retrain)."""
        con = sqlite3.connect(version_table.table_path(self.root), isolation_level=None)
        try:
            version_table.add_columns(con)
            con.execute(f"update {TABLE} set retrained_at = ?, retrained_model = ? where number = ?",
                        [dt.datetime.now().isoformat(timespec="seconds"), model, number])
        finally:
            con.close()
