"""Deletes conversations older than N days (docs/contract.md E9):
``python -m bot.ops.retention --days N [--dry-run]``, or ``make retention DAYS=N``.

A conversation is old when its latest event is: all its events go at once, so none is left half-kept. The tracker
store is the one endpoints.yml names, read through Rasa's own SQL tracker store schema (table ``events``:
``sender_id``, ``timestamp`` in epoch seconds) with SQLAlchemy, so SQLite and PostgreSQL alike. The console's call
records (``build/records.db`` or ``HUIQI_RECORDS_DB``, table ``records`` with the ISO time ``ended``) hold callers'
names and phone numbers and go by the same rule (and the 回访 tasks of 政策找企业 about a conversation or record removed
go with it), as do the trainer's graded attempts (``build/trainer.db`` or
``HUIQI_TRAINER_DB``: ``attempts`` with the UTC ISO time ``at``, and their ``items``), which hold trainees' names.
The audit trail (table ``audit`` of the records database) is kept as long as what it speaks of: its lines about a
record or a conversation removed here go with it, and a line about neither (a sign-in) goes by the same rule of
days. A store or table that does not exist is skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import warnings
from importlib import import_module
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.core.utils import AvailableEndpoints

ROOT = Path(__file__).parents[2]
RECORDS_ENV = "HUIQI_RECORDS_DB"
RECORDS_DB = ROOT / "build" / "records.db"
TRAINER_ENV = "HUIQI_TRAINER_DB"
TRAINER_DB = ROOT / "build" / "trainer.db"


@dataclass
class Removed:
    where: str
    conversations: int
    rows: int
    gone: tuple = ()  # the conversation ids (events) or record ids and senders (records) removed


CHUNK = 500  # ids per IN (...) list


def _is_sql(kind: str) -> bool:
    """Rasa's SQL store, named "SQL", or a class of ours built on it (endpoints.yml names bot.stores's)."""
    if kind.lower() == "sql":
        return True
    module, _, name = kind.rpartition(".")
    store = getattr(import_module(module), name, None) if module.startswith("bot.") else None
    return isinstance(store, type) and issubclass(store, SQLTrackerStore)


def tracker_store_url(endpoints: Path) -> sa.engine.URL | str:
    """The SQL tracker store's address from endpoints.yml, built as Rasa builds it (SQLTrackerStore.get_db_url)."""
    config = AvailableEndpoints.read_endpoints(str(endpoints)).tracker_store
    if config is None or not _is_sql(config.type or ""):
        raise SystemExit(f"{endpoints} 没有配置 SQL 会话存储（tracker_store type: SQL），无需清理。")
    kwargs = config.kwargs
    return SQLTrackerStore.get_db_url(kwargs.get("dialect", "sqlite"), config.url, kwargs.get("port"),
                                      kwargs.get("db", "rasa.db"), kwargs.get("username"), kwargs.get("password"),
                                      kwargs.get("login_db"), kwargs.get("query"))


def _table(engine: sa.engine.Engine, name: str) -> Optional[sa.Table]:
    if not sa.inspect(engine).has_table(name):
        return None
    return sa.Table(name, sa.MetaData(), autoload_with=engine)


def purge_events(engine: sa.engine.Engine, cutoff: float, dry_run: bool) -> Removed:
    """Every event of each conversation whose latest event is before ``cutoff`` (epoch seconds)."""
    events = _table(engine, "events")
    if events is None:
        return Removed("events", 0, 0)
    old = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
           .having(sa.func.max(events.c.timestamp) < cutoff))
    with engine.begin() as db:
        senders = tuple(row[0] for row in db.execute(old))
        where = events.c.sender_id.in_(old.scalar_subquery())
        if dry_run:
            rows = db.execute(sa.select(sa.func.count()).select_from(events).where(where)).scalar_one()
        else:
            rows = db.execute(sa.delete(events).where(where)).rowcount
    return Removed("events", len(senders), rows, senders)


def purge_records(engine: sa.engine.Engine, cutoff: float, dry_run: bool) -> Removed:
    """Call records that ended before ``cutoff`` (their ``ended`` is local ISO time, as the console writes it)."""
    records = _table(engine, "records")
    if records is None or "ended" not in records.c or "sender" not in records.c:
        return Removed("records", 0, 0)
    before = dt.datetime.fromtimestamp(cutoff).isoformat(timespec="seconds")
    where = records.c.ended < before
    with engine.begin() as db:
        found = db.execute(sa.select(records.c.id, records.c.sender).where(where)).all()
        if dry_run:
            rows = len(found)
        else:
            rows = db.execute(sa.delete(records).where(where)).rowcount
    return Removed("records", len({sender for _, sender in found}), rows,
                   tuple(dict.fromkeys(value for row in found for value in row if value)))


def purge_audit(engine: sa.engine.Engine, gone: set, cutoff: float, dry_run: bool) -> Optional[Removed]:
    """The audit trail's lines about a record or conversation in ``gone`` (removed by this run), and the lines
    about neither made before ``cutoff``; None when there is no trail."""
    lines = _table(engine, "audit")
    if lines is None:
        return None
    before = dt.datetime.fromtimestamp(cutoff).astimezone().isoformat(timespec="seconds")
    ids = sorted(gone)
    with engine.begin() as db:
        found: set = set()
        alone = sa.and_(lines.c.record.is_(None), lines.c.sender.is_(None), lines.c.at < before)
        found |= {row[0] for row in db.execute(sa.select(lines.c.id).where(alone))}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            found |= {row[0] for row in db.execute(sa.select(lines.c.id).where(
                sa.or_(lines.c.record.in_(chunk), lines.c.sender.in_(chunk))))}
        spoken_of = {row[0] for row in db.execute(sa.select(sa.func.coalesce(lines.c.record, lines.c.sender))
                                                 .where(lines.c.id.in_(sorted(found)))) if row[0]} if found else set()
        if not dry_run:
            keys = sorted(found)
            for start in range(0, len(keys), CHUNK):
                db.execute(sa.delete(lines).where(lines.c.id.in_(keys[start:start + CHUNK])))
    return Removed("audit", len(spoken_of), len(found))


def purge_outreach(engine: sa.engine.Engine, gone: set, dry_run: bool) -> Optional[Removed]:
    """The 回访 tasks of 政策找企业 about a conversation or record in ``gone``: a profile goes with its conversation;
    None when there is no such table."""
    tasks = _table(engine, "outreach")
    if tasks is None:
        return None
    ids = sorted(gone)
    keys: set = set()
    rows = 0
    with engine.begin() as db:
        for start in range(0, len(ids), CHUNK):
            where = tasks.c.key.in_(ids[start:start + CHUNK])
            found = db.execute(sa.select(tasks.c.key).where(where)).all()
            keys |= {row[0] for row in found}
            rows += len(found) if dry_run else db.execute(sa.delete(tasks).where(where)).rowcount
    return Removed("outreach", len(keys), rows)


def purge_attempts(engine: sa.engine.Engine, cutoff: float, dry_run: bool) -> Removed:
    """The trainer's attempts made before ``cutoff`` (``at`` is UTC ISO time), their graded items first."""
    attempts, items = _table(engine, "attempts"), _table(engine, "items")
    if attempts is None or "at" not in attempts.c or "trainee" not in attempts.c:
        return Removed("attempts", 0, 0)
    before = dt.datetime.fromtimestamp(cutoff, dt.timezone.utc).isoformat(timespec="seconds")
    where = attempts.c.at < before
    with engine.begin() as db:
        trainees = db.execute(sa.select(sa.func.count(sa.distinct(attempts.c.trainee))).where(where)).scalar_one()
        if dry_run:
            return Removed("attempts", trainees,
                           db.execute(sa.select(sa.func.count()).select_from(attempts).where(where)).scalar_one())
        if items is not None and "attempt" in items.c:
            db.execute(sa.delete(items).where(items.c.attempt.in_(sa.select(attempts.c.id).where(where))))
        return Removed("attempts", trainees, db.execute(sa.delete(attempts).where(where)).rowcount)


def _sqlite(path: Optional[Path], purge, cutoff: float, dry_run: bool) -> list[Removed]:
    if path is None or not path.is_file():
        return []
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return [purge(engine, cutoff, dry_run)]
    finally:
        engine.dispose()


def run(days: float, endpoints: Path, records: Optional[Path], dry_run: bool,
        now: Optional[float] = None, trainer: Optional[Path] = None) -> list[Removed]:
    cutoff = (now if now is not None else time.time()) - days * 86400
    tracker = sa.create_engine(tracker_store_url(endpoints))
    try:
        removed = [purge_events(tracker, cutoff, dry_run)]
    finally:
        tracker.dispose()
    removed += _sqlite(records, purge_records, cutoff, dry_run)
    if records is not None and records.is_file():
        engine = sa.create_engine(f"sqlite:///{records}")
        try:
            gone = {i for r in removed for i in r.gone}
            trail = purge_audit(engine, gone, cutoff, dry_run)
            tasks = purge_outreach(engine, gone, dry_run)
        finally:
            engine.dispose()
        removed += [found for found in (trail, tasks) if found is not None]
    return removed + _sqlite(trainer, purge_attempts, cutoff, dry_run)


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.ops.retention", description="删除 N 天前结束的会话及其记录。")
    parser.add_argument("--days", type=float, required=True, help="保留天数：最后一条消息早于 N 天前的会话被删除")
    parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")
    parser.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"), help="会话存储的配置（默认 endpoints.yml）")
    parser.add_argument("--records", type=Path, default=Path(os.environ.get(RECORDS_ENV) or RECORDS_DB),
                        help="接线员工单库（默认 build/records.db 或 HUIQI_RECORDS_DB；不存在则跳过）")
    parser.add_argument("--trainer", type=Path, default=Path(os.environ.get(TRAINER_ENV) or TRAINER_DB),
                        help="培训成绩库（默认 build/trainer.db 或 HUIQI_TRAINER_DB；不存在则跳过）")
    args = parser.parse_args(argv)
    if args.days < 0:
        parser.error("--days 不能为负数")
    verb = "将删除" if args.dry_run else "已删除"
    with warnings.catch_warnings(record=True):  # Rasa's and SQLAlchemy's deprecation notes, not this command's
        removed = run(args.days, args.endpoints, args.records, args.dry_run, trainer=args.trainer)
    for item in removed:
        whose = {"events": "会话事件：{} 个会话", "records": "接线工单：{} 个会话",
                 "audit": "审计记录：涉及 {} 个工单或会话",
                 "outreach": "回访任务：涉及 {} 家企业", "attempts": "培训成绩：{} 名学员"}[item.where].format(
            item.conversations)
        print(f"{whose}，{verb} {item.rows} 条（早于 {args.days:g} 天前）")


if __name__ == "__main__":
    sys.exit(main())
