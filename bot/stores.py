"""Rasa's PostgreSQL tracker store and Redis lock store, waiting through a short outage (a restart) instead of failing
the turn; `make cluster`'s endpoints name them (deploy/endpoints-cluster.yml).

Why: Rasa wraps every tracker store in a fail-safe that, when the database errs, answers from an empty in-memory
conversation and keeps that turn only in memory, so during a PostgreSQL restart an owner is answered as a stranger
and what they said is never stored (tests/cluster/test_faults.py saw four turns lost that way). A Redis error makes
the REST channel answer nothing. Here each store call is retried for up to `PATIENCE` seconds, with the pool
checking a connection before use (a restart leaves every pooled connection dead); after that the error stands.
Every wait is an `asyncio.sleep`: the server goes on with the other conversations meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Awaitable, Callable, Iterable, Optional, Text

import redis
import redis.exceptions
import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.tracker_cache import CachedSQLTrackerStore

PATIENCE = 30.0
PAUSE = 0.25


class PatientSQLTrackerStore(CachedSQLTrackerStore):
    """The SQL tracker store that keeps the conversations in use (bot/tracker_cache.py), patient through a
    database restart."""

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

    async def exists(self, conversation_id: Text) -> bool:
        return await self._patiently(super().exists, conversation_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._patiently(super().save, tracker)


class PatientRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, patient through a restart, atomic across servers, and never holding up the event
    loop.

    Rasa changes a conversation's ticket lock by reading it, changing it and writing it back (issuing a ticket,
    dropping expired ones, finishing one): two servers doing that at once both read the same lock, both write, and
    one's ticket is lost, so both serve the conversation at once and one's events are overwritten (RasaHQ/rasa#9213;
    tests/cluster/test_faults.py saw three of eight messages lost). Each such change is made here under a Redis mutex
    of that conversation (redis-py's lock: SET NX with an expiry, released by token).

    Rasa calls the lock store's steps synchronously from `lock()`; here `lock()` awaits them, so a conversation
    waiting for Redis to come back, or for a mutex left by a server that died, waits with `asyncio.sleep` while
    the server goes on with every other conversation (issue 24; tests/bot/test_stores.py).

    Rasa builds a lock store named by module path from its endpoint config alone."""

    MUTEX_SECONDS = 10.0
    MUTEX_PAUSE = 0.01

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """LockStore.lock, each step patient and atomic."""
        ticket = await self._patiently(self._atomically, conversation_id, self.issue_ticket, conversation_id,
                                       lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            await self._patiently(self._atomically, conversation_id, self.cleanup, conversation_id, ticket)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        """LockStore._acquire_lock: the conversation's turn, waiting for the tickets before this one."""
        while True:
            lock = await self._patiently(self._now, self.get_lock, conversation_id)
            if not lock:
                break
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            await self._patiently(self._atomically, conversation_id, self.update_lock, conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    async def _patiently(self, step: Callable[..., Awaitable], *args: Any) -> Any:
        deadline = time.monotonic() + PATIENCE
        while True:
            try:
                return await step(*args)
            except Exception as problem:
                if not _redis_unreachable(problem) or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(PAUSE)

    @staticmethod
    async def _now(call: Callable, *args: Any) -> Any:
        return call(*args)

    async def _atomically(self, conversation_id: Text, change: Callable, *args: Any) -> Any:
        mutex = self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=self.MUTEX_SECONDS)
        deadline = time.monotonic() + self.MUTEX_SECONDS
        while not mutex.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise LockError(f"the lock of conversation {conversation_id} stayed busy")
            await asyncio.sleep(self.MUTEX_PAUSE)
        try:
            return change(*args)
        finally:
            try:
                mutex.release()
            except redis.exceptions.LockNotOwnedError:  # Redis restarted meanwhile (or the mutex expired): nothing left to release
                pass


def _redis_unreachable(problem: BaseException) -> bool:
    """A Redis connection or timeout error, also as the cause of the `LockError` Rasa wraps it in."""
    while problem is not None:
        if isinstance(problem, (redis.ConnectionError, redis.TimeoutError)):
            return True
        problem = problem.__cause__ or problem.__context__
    return False
