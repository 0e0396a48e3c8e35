"""The cluster's stores (bot/stores.py) wait out Redis or the database without holding up the server: while one
conversation waits, the others are served (issue 24)."""

import asyncio
import time
import uuid
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.utils.endpoints import EndpointConfig

from bot import stores
from bot.stores import PatientRedisLockStore, PatientSQLTrackerStore

ROOT = Path(__file__).parents[2]


class FakeRedis:
    """What the lock store asks of Redis (get, set, delete, and a mutex: SET NX with an expiry), refusing every
    call while `down`, as a restarting Redis refuses connections."""

    def __init__(self) -> None:
        self.values: dict = {}
        self.expires: dict = {}
        self.down = False

    def _up(self) -> None:
        if self.down:
            raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:5879. Connection refused.")

    def _live(self, key):
        if key in self.expires and self.expires[key] <= time.monotonic():
            self.values.pop(key, None)
            self.expires.pop(key, None)
        return self.values.get(key)

    def get(self, key):
        self._up()
        return self._live(key)

    def set(self, key, value, nx=False, px=None):
        self._up()
        if nx and self._live(key) is not None:
            return None
        self.values[key] = value
        if px:
            self.expires[key] = time.monotonic() + px / 1000
        return True

    def delete(self, key):
        self._up()
        return int(self.values.pop(key, None) is not None)

    def lock(self, name, timeout=None, **kwargs):
        return FakeMutex(self, name, timeout)


class FakeMutex:
    def __init__(self, red: FakeRedis, name: str, timeout: float) -> None:
        self.red, self.name, self.timeout, self.token = red, name, timeout, uuid.uuid4().hex

    def acquire(self, blocking=True):
        assert not blocking, "a blocking acquire sleeps in redis-py and holds up the event loop"
        return bool(self.red.set(self.name, self.token, nx=True, px=int(self.timeout * 1000)))

    def release(self):
        self.red._up()
        if self.red._live(self.name) != self.token:
            raise redis.exceptions.LockNotOwnedError("not owned")
        self.red.delete(self.name)


@pytest.fixture
def lock_store(monkeypatch):
    monkeypatch.setattr(stores, "PAUSE", 0.02)
    store = PatientRedisLockStore(EndpointConfig(url="127.0.0.1", port=1, db=1, key_prefix="huiqi"))
    store.red = FakeRedis()
    return store


async def _ticking(stop: asyncio.Event) -> int:
    """How often the event loop came round while others waited (a server answering its health checks, pages)."""
    ticks = 0
    while not stop.is_set():
        await asyncio.sleep(0.01)
        ticks += 1
    return ticks


def test_while_redis_restarts_the_server_goes_on_and_each_waiting_conversation_gets_its_turn(lock_store):
    async def scenario():
        lock_store.red.down = True
        served = []

        async def turn(sender):
            async with lock_store.lock(sender):
                served.append(sender)

        stop = asyncio.Event()
        ticker = asyncio.create_task(_ticking(stop))
        waiting = [asyncio.create_task(turn(sender)) for sender in ("owner-a", "owner-b")]
        await asyncio.sleep(0.5)
        assert served == []
        lock_store.red.down = False
        await asyncio.wait_for(asyncio.gather(*waiting), 5)
        stop.set()
        return served, await ticker

    served, ticks = asyncio.run(scenario())
    assert sorted(served) == ["owner-a", "owner-b"]
    assert ticks >= 5, ticks  # 0.5 s of outage: a loop held up by time.sleep would not come round at all
    assert not [key for key in lock_store.red.values if not key.endswith(":mutex")]  # every lock cleaned up


def test_a_conversation_whose_mutex_a_dead_server_left_does_not_hold_up_another(lock_store):
    """A Rasa server killed while it held owner-a's mutex: owner-a waits for the mutex to expire, owner-b is
    served meanwhile."""
    async def scenario():
        lock_store.red.set(f"{lock_store.key_prefix}owner-a:mutex", "dead server", px=800)
        done = {}
        start = time.monotonic()

        async def turn(sender):
            async with lock_store.lock(sender):
                done[sender] = time.monotonic() - start

        await asyncio.gather(turn("owner-a"), turn("owner-b"))
        return done

    done = asyncio.run(scenario())
    assert done["owner-b"] < 0.8 <= done["owner-a"], done  # the dead server's mutex expires at 0.8 s


def test_two_messages_of_one_conversation_take_turns(lock_store):
    async def scenario():
        inside, overlaps = [], []

        async def turn(text):
            async with lock_store.lock("owner", wait_time_in_seconds=0.05):
                overlaps.append(len(inside))
                inside.append(text)
                await asyncio.sleep(0.1)
                inside.remove(text)

        await asyncio.gather(turn("你好"), turn("十五个人"), turn("谢谢"))
        return overlaps

    assert asyncio.run(scenario()) == [0, 0, 0]


def test_redis_down_longer_than_the_patience_fails_the_turn(lock_store, monkeypatch):
    monkeypatch.setattr(stores, "PATIENCE", 0.2)
    lock_store.red.down = True

    async def turn():
        async with lock_store.lock("owner"):
            pass

    with pytest.raises(Exception) as failure:
        asyncio.run(turn())
    assert stores._redis_unreachable(failure.value)


def test_a_conversation_waiting_for_the_database_does_not_hold_up_another(tmp_path, monkeypatch):
    """PostgreSQL refusing one conversation's statements for a while (its rows locked by a transaction that a
    restart is rolling back): the other conversation is read and saved meanwhile, and the first is saved once."""
    monkeypatch.setattr(stores, "PAUSE", 0.02)
    store = PatientSQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")), dialect="sqlite",
                                   db=str(tmp_path / "conversations.db"))
    failing = {"until": time.monotonic() + 0.6}

    def refuse_owner_a(conn, cursor, statement, parameters, *args):
        if time.monotonic() < failing["until"] and "owner-a" in str(parameters):
            raise sa.exc.OperationalError(statement, parameters, Exception("could not serialize access"))

    sa.event.listen(store.engine, "before_cursor_execute", refuse_owner_a)

    async def turn(sender, text):
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                      UserUttered(text)):
            tracker.update(event)
        await store.save(tracker)
        return time.monotonic()

    async def scenario():
        start = time.monotonic()
        a, b = await asyncio.gather(turn("owner-a", "我们是饭店"), turn("owner-b", "你好"))
        return a - start, b - start

    a, b = asyncio.run(scenario())
    assert b < 0.6 <= a, (a, b)  # owner-a's statements are refused for 0.6 s
    rows = sa.create_engine(f"sqlite:///{tmp_path / 'conversations.db'}").connect().execute(
        sa.text("SELECT sender_id, count(*) FROM events GROUP BY sender_id ORDER BY sender_id")).all()
    assert [tuple(r) for r in rows] == [("owner-a", 4), ("owner-b", 4)]
