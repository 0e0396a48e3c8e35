"""Rasa's PostgreSQL tracker store and Redis lock store, waiting through a short outage (a restart) instead of failing
the turn; `make cluster`'s endpoints name them (deploy/endpoints-cluster.yml).

Why: Rasa wraps every tracker store in a fail-safe that, when the database errs, answers from an empty in-memory
conversation and keeps that turn only in memory, so during a PostgreSQL restart an owner is answered as a stranger
and what they said is never stored (tests/cluster/test_faults.py saw four turns lost that way). A Redis error makes
the REST channel answer nothing. Here each store call is retried for up to `PATIENCE` seconds, with the pool
checking a connection before use (a restart leaves every pooled connection dead); after that the error stands.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Iterable, Optional, Text

import sqlalchemy as sa
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

PATIENCE = 30.0
PAUSE = 0.25


class PatientSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _patiently(self, call: Callable, *args: Any) -> Any:
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                return await call(*args)
            except sa.exc.OperationalError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(PAUSE)

    async def keys(self) -> Iterable[Text]:
        return await self._patiently(super().keys)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._patiently(super().retrieve, sender_id)

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        return await self._patiently(super().retrieve_full_tracker, conversation_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._patiently(super().save, tracker)


class PatientRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, patient through a restart, and atomic across servers.

    Rasa changes a conversation's ticket lock by reading it, changing it and writing it back (issuing a ticket,
    dropping expired ones, finishing one): two servers doing that at once both read the same lock, both write, and
    one's ticket is lost, so both serve the conversation at once and one's events are overwritten (RasaHQ/rasa#9213;
    tests/cluster/test_faults.py saw three of eight messages lost). Each such change is made here under a Redis mutex
    of that conversation (redis-py's lock: SET NX with an expiry, released by token).

    Rasa builds a lock store named by module path from its endpoint config alone."""

    MUTEX_SECONDS = 10.0

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _patiently(self, call: Callable, *args: Any) -> Any:
        import redis

        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                return call(*args)
            except (redis.ConnectionError, redis.TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(PAUSE)  # Rasa calls the lock store synchronously; every conversation waits for Redis anyway

    def _atomically(self, conversation_id: Text, change: Callable, *args: Any) -> Any:
        from redis.exceptions import LockNotOwnedError

        mutex = self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=self.MUTEX_SECONDS,
                              blocking_timeout=self.MUTEX_SECONDS)
        if not mutex.acquire():
            raise TimeoutError(f"the lock of conversation {conversation_id} stayed busy")
        try:
            return change(*args)
        finally:
            try:
                mutex.release()
            except LockNotOwnedError:  # Redis restarted meanwhile (or the mutex expired): nothing left to release
                pass

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._patiently(self._atomically, conversation_id, super().issue_ticket, conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: Text) -> None:
        self._patiently(self._atomically, conversation_id, super().update_lock, conversation_id)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        self._patiently(self._atomically, conversation_id, super().cleanup, conversation_id, ticket_number)

    def get_lock(self, conversation_id: Text):
        return self._patiently(super().get_lock, conversation_id)

    def delete_lock(self, conversation_id: Text) -> None:
        self._patiently(super().delete_lock, conversation_id)

    def save_lock(self, lock) -> None:
        self._patiently(super().save_lock, lock)
