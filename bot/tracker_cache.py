"""Rasa's SQL tracker store with the conversations in use kept in the process, written through to SQL.

Why: Rasa's `SQLTrackerStore` reads every event of the conversation back from SQL on each message (parse each row's
JSON, deserialise, replay) and, to save, counts the stored events again to find the new ones. An interview's
conversation grows to 150 events, so a turn late in an interview cost the Rasa server 5 ms to load and 5 ms to save
(bench/RESULTS.md, "what limits throughput"), while the same process had just held the whole tracker.

Here the trackers last used (a bounded LRU by conversation) stay in memory with how many of their events are stored
and the id of the last stored row. SQL stays the truth:

- a save appends only the events after those stored, in one insert and one commit, and only then updates what is
  kept: a restart loses nothing, a failed commit changes nothing kept;
- a kept tracker is handed out only while the conversation's last row id in SQL is still the one kept (one indexed
  query): when another Rasa server sharing the database (`make cluster`) has served the conversation meanwhile, or
  retention has deleted it, the tracker is read from SQL again, as Rasa reads it;
- a kept tracker holding events that were never saved (a turn that failed before its save) is read again too;
- a save whose tracker is not the one kept, or whose conversation changed in SQL, finds the new events as Rasa does
  (counting the stored ones), so nothing is written twice;
- a tracker whose save started a new session is not kept: Rasa reads only the latest session, so it is read again.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

CAPACITY = 200  # conversations kept; bench/memory measures what they hold
LAST_ID_INDEX = "huiqi_events_sender_last"


@dataclass
class Kept:
    tracker: DialogueStateTracker
    stored: int  # how many of the tracker's events are in SQL
    last_id: Optional[int]  # the conversation's last row id in SQL when they were read or written


class CachedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL store with the conversations in use kept; `capacity` (endpoints.yml) bounds how many. With
    `sqlite_wal: true`, a SQLite file is written ahead (`journal_mode=WAL`, `synchronous=NORMAL`): a commit no
    longer waits for the disk, and a crash of the server loses nothing, but one of the machine (power, kernel) may
    lose the last turns committed before it."""

    def __init__(self, *args: Any, capacity: int = CAPACITY, sqlite_wal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine = pooled_engine(self.engine, sqlite_wal)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.capacity = int(capacity)
        self.kept: "OrderedDict[Text, Kept]" = OrderedDict()
        table = self.SQLEvent.__table__
        self._last_id = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sa.bindparam("sender"))
        self._index_last_ids()

    def _index_last_ids(self) -> None:
        """An index that gives a conversation's last id from the index alone. Several Rasa servers starting at once
        may all try to make it; as for Rasa's own tables, the first one's is enough."""
        try:
            with self.engine.begin() as connection:
                connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {LAST_ID_INDEX} ON events (sender_id, id)"))
        except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError) as problem:
            logger.warning(f"Could not create the index of last ids: {problem}")

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        kept = self.kept.get(sender_id)
        if kept is not None and len(kept.tracker.events) == kept.stored:
            with self.engine.connect() as connection:
                if connection.execute(self._last_id, {"sender": sender_id}).scalar() == kept.last_id:
                    self.kept.move_to_end(sender_id)
                    return kept.tracker
        self.kept.pop(sender_id, None)
        return self._read(sender_id)

    async def exists(self, conversation_id: Text) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(self._last_id, {"sender": conversation_id}).scalar() is not None

    def _read(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The latest session as Rasa's `SQLTrackerStore.retrieve` reads it, then kept."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
            if not rows or not self.domain:
                return None
            tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows],
                                                     self.domain.slots)
        self._keep(Kept(tracker, len(tracker.events), rows[-1].id))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender = tracker.sender_id
        kept = self.kept.get(sender)
        with self.session_scope() as session:
            last_id = session.execute(self._last_id, {"sender": sender}).scalar()
            if kept is not None and kept.tracker is tracker and kept.last_id == last_id and \
                    kept.stored <= len(tracker.events):
                stored = kept.stored
            else:  # not the tracker kept, or the conversation changed in SQL: count what is stored, as Rasa does
                stored = self._event_query(session, sender, fetch_events_from_all_sessions=False).count()
            new = list(itertools.islice(tracker.events, stored, None))
            if new:
                session.execute(self.SQLEvent.__table__.insert(), [row(sender, event) for event in new])
                last_id = session.execute(self._last_id, {"sender": sender}).scalar()
            session.commit()
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new, sender)
        if tracker.events and _one_session(tracker.events):
            self._keep(Kept(tracker, len(tracker.events), last_id))
        else:
            self.kept.pop(sender, None)

    def _keep(self, kept: Kept) -> None:
        sender = kept.tracker.sender_id
        self.kept[sender] = kept
        self.kept.move_to_end(sender)
        while len(self.kept) > self.capacity:
            self.kept.popitem(last=False)


def row(sender_id: Text, event: Event) -> dict:
    """An event as Rasa's SQL store writes it."""
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}


def _one_session(events: Iterable[Event]) -> bool:
    """Whether Rasa would read back all of these events: none is older than the latest session start among them
    (Rasa reads the events whose timestamp is at least the latest `SessionStarted`'s)."""
    events: List[Event] = list(events)
    starts = [event.timestamp for event in events if isinstance(event, SessionStarted)]
    return not starts or all(event.timestamp >= max(starts) for event in events)


def pooled_engine(engine: sa.engine.Engine, sqlite_wal: bool = False) -> sa.engine.Engine:
    """The engine again, keeping its connections (SQLAlchemy 1.4 opens and closes a SQLite file's connection for
    every session) and checking each before use (a database restart leaves every pooled connection dead)."""
    url = engine.url
    engine.dispose()
    kwargs = create_engine_kwargs(url)
    sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if sqlite_file:
        kwargs = {**kwargs, "poolclass": sa.pool.QueuePool,
                  "connect_args": {**kwargs.get("connect_args", {}), "check_same_thread": False}}
    pooled = sa.create_engine(url, pool_pre_ping=True, **kwargs)
    if sqlite_file and sqlite_wal:
        sa.event.listen(pooled, "connect", _write_ahead)
    return pooled


def _write_ahead(connection: Any, record: Any) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
