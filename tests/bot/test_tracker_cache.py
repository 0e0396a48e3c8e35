"""The tracker store that keeps conversations in the process (bot/tracker_cache.py) hands out what Rasa's own SQL
store would read, writes each event once, and never serves a conversation that changed in SQL behind its back."""

import asyncio
import json
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.tracker_cache import CachedSQLTrackerStore

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


def run(coroutine):
    return asyncio.run(coroutine)


def store(domain, path: Path, cls=CachedSQLTrackerStore, **kwargs):
    return cls(domain=domain, dialect="sqlite", db=str(path), **kwargs)


def turn(text: str, intent: str, *replies, **slots) -> list:
    """A message and what an interview turn adds after it: the form's run, slots, the reply with its payload."""
    entities = [{"entity": "number", "value": "15", "start": 0, "end": 2, "extractor": "FactExtractor"}]
    return [UserUttered(text, {"name": intent, "confidence": 0.93}, entities,
                        {"intent": {"name": intent, "confidence": 0.93},
                         "intent_ranking": [{"name": intent, "confidence": 0.93}, {"name": "deny", "confidence": 0.04}],
                         "entities": entities, "text": text}, message_id=f"m-{text}"),
            ActionExecuted("profile_form", policy="RulePolicy", confidence=1.0),
            *[SlotSet(name, value) for name, value in slots.items()],
            *[BotUttered(reply, {"custom": {"type": "ask", "fact": "employees"}}) for reply in replies],
            ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0)]


def session_start() -> list:
    """As Rasa's processor logs a new session: `action_session_start`, then its events, made a moment later (so
    Rasa, which reads the events from the latest `SessionStarted`'s timestamp on, never reads the first back)."""
    action = ActionExecuted("action_session_start")
    time.sleep(0.001)
    return [action, SessionStarted(), ActionExecuted("action_listen")]


def opening() -> list:
    return [*session_start(),
            *turn("我们是开超市的", "inform", "企业现在有多少员工？", industry="零售业",
                  fact_notes={"industry": {"source": "said"}}),
            ActiveLoop("profile_form")]


async def served(store_, sender: str, events: list) -> DialogueStateTracker:
    """One turn as Rasa's processor runs it: read (or create), update, save."""
    tracker = await store_.get_or_create_tracker(sender, append_action_listen=False)
    for event in events:
        tracker.update(event)
    await store_.save(tracker)
    return tracker


def begun(store_, sender: str = "owner") -> DialogueStateTracker:
    """A conversation past its first turn, kept: Rasa never reads the first turn's first event back (see
    `session_start`), so that turn is not kept and the next reads it again; from then on it is kept."""
    run(served(store_, sender, opening()))
    tracker = run(store_.retrieve(sender))
    assert store_.kept[sender].tracker is tracker
    return tracker


def stored_rows(path: Path, sender: str) -> list:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                                  {"s": sender}).all()
    engine.dispose()
    return [(kind, json.loads(data)) for kind, data in rows]


def picture(tracker: DialogueStateTracker, domain: Domain):
    return (tracker.current_state(EventVerbosity.ALL), tracker.past_states(domain), tracker.current_slot_values(),
            tracker.active_loop, tracker.latest_action, tracker.is_paused())


def test_each_turn_the_kept_tracker_is_what_rasas_own_store_reads_and_each_event_is_stored_once(domain, tmp_path):
    path = tmp_path / "conversations.db"
    cached, rasas = store(domain, path), store(domain, path, SQLTrackerStore)
    run(served(cached, "owner", opening()))
    assert "owner" not in cached.kept  # Rasa would not read back the first event: read again once
    first = run(served(cached, "owner", turn("十五个人", "inform", "去年营收多少？", employees=15)))
    assert picture(first, domain) == picture(run(rasas.retrieve("owner")), domain)
    turns = [turn("四百万", "inform", "有没有受疫情影响？", revenue=4_000_000, failed_asks={"revenue": 1}),
             turn("影响很大", "affirm", "已为您查到 3 项政策。", affected=True, checklist=["a", "b"])]
    for events in turns:
        tracker = run(served(cached, "owner", events))
        assert tracker is first  # the same tracker, not read again
        assert picture(tracker, domain) == picture(run(rasas.retrieve("owner")), domain)
    every = opening() + turn("十五个人", "inform", "去年营收多少？", employees=15) + [e for events in turns for e in events]
    assert [data["event"] for _, data in stored_rows(path, "owner")] == [e.as_dict()["event"] for e in every]


def test_a_restart_reads_every_event_back(domain, tmp_path):
    path = tmp_path / "conversations.db"
    cached = store(domain, path)
    begun(cached)
    before = run(served(cached, "owner", turn("十五个人", "inform", "营收？", employees=15)))
    after = run(store(domain, path).retrieve("owner"))
    assert after is not before and picture(after, domain) == picture(before, domain)


def test_a_kept_save_adds_no_count_query_and_inserts_in_one_statement(domain, tmp_path):
    cached = store(domain, tmp_path / "conversations.db")
    begun(cached)
    statements = []
    sa.event.listen(cached.engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *args: statements.append(statement))
    run(served(cached, "owner", turn("十五个人", "inform", "营收？", employees=15)))
    assert not any("count(" in s.lower() for s in statements), statements
    assert sum(s.lstrip().upper().startswith("INSERT") for s in statements) == 1, statements


def test_two_servers_sharing_the_database_never_serve_a_stale_conversation(domain, tmp_path):
    """`make cluster`: a conversation moves from one Rasa server to the other and back (a server restarted, nginx
    failing over): each reads what the other stored, and nothing is stored twice or lost."""
    path = tmp_path / "conversations.db"
    one, two = store(domain, path), store(domain, path)
    begun(one)
    run(served(two, "owner", turn("十五个人", "inform", "营收？", employees=15)))
    back = run(served(one, "owner", turn("四百万", "inform", "疫情？", revenue=4_000_000)))
    assert back.get_slot("employees") == 15 and back.get_slot("revenue") == 4_000_000
    texts = [data.get("text") for kind, data in stored_rows(path, "owner") if kind == "user"]
    assert texts == ["我们是开超市的", "十五个人", "四百万"]
    assert picture(run(two.retrieve("owner")), domain) == picture(back, domain)


def test_a_turn_that_failed_before_its_save_is_forgotten(domain, tmp_path):
    cached = store(domain, tmp_path / "conversations.db")
    tracker = begun(cached)
    tracker.update(UserUttered("十五个人"))
    tracker.update(SlotSet("employees", 15))  # ... and the turn fails here, before the save
    again = run(cached.retrieve("owner"))
    assert again is not tracker and again.get_slot("employees") is None
    assert [e for e in again.events if isinstance(e, UserUttered)][-1].text == "我们是开超市的"


def test_a_tracker_that_is_not_the_kept_one_adds_only_its_new_events(domain, tmp_path):
    path = tmp_path / "conversations.db"
    cached = store(domain, path)
    copy = begun(cached).copy()
    new = turn("十五个人", "inform", "营收？", employees=15)
    for event in new:
        copy.update(event)
    run(cached.save(copy))
    assert len(stored_rows(path, "owner")) == len(opening()) + len(new)
    assert run(cached.retrieve("owner")) is copy


def test_a_new_session_is_read_as_rasa_reads_it(domain, tmp_path):
    path = tmp_path / "conversations.db"
    cached, rasas = store(domain, path), store(domain, path, SQLTrackerStore)
    tracker = begun(cached)
    time.sleep(0.01)
    run(served(cached, "owner", [*session_start(), SlotSet("industry", "零售业")]))
    again = run(cached.retrieve("owner"))
    assert again is not tracker
    assert picture(again, domain) == picture(run(rasas.retrieve("owner")), domain)
    assert len(again.events) == 3  # the new session from its SessionStarted on


def test_a_conversation_deleted_in_sql_is_gone(domain, tmp_path):
    """bot/retention.py deletes old conversations from SQL, from another process."""
    path = tmp_path / "conversations.db"
    cached = store(domain, path)
    begun(cached)
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'owner'"))
    engine.dispose()
    assert run(cached.retrieve("owner")) is None
    assert not run(cached.exists("owner"))


def test_a_failed_commit_changes_nothing_kept_and_the_retry_stores_each_event_once(domain, tmp_path):
    path = tmp_path / "conversations.db"
    cached = store(domain, path)
    tracker = begun(cached)
    new = turn("十五个人", "inform", "营收？", employees=15)
    for event in new:
        tracker.update(event)
    failing = {"on": True}

    def fail_insert(conn, cursor, statement, *args):
        if failing["on"] and statement.lstrip().upper().startswith("INSERT"):
            raise sa.exc.OperationalError(statement, {}, Exception("database restarting"))

    sa.event.listen(cached.engine, "before_cursor_execute", fail_insert)
    with pytest.raises(sa.exc.OperationalError):
        run(cached.save(tracker))
    assert len(stored_rows(path, "owner")) == len(opening())
    failing["on"] = False
    run(cached.save(tracker))
    assert len(stored_rows(path, "owner")) == len(opening()) + len(new)
    assert run(cached.retrieve("owner")) is tracker


def test_no_more_conversations_are_kept_than_the_capacity(domain, tmp_path):
    cached = store(domain, tmp_path / "conversations.db", capacity=3)
    for i in range(5):
        begun(cached, f"owner-{i}")
    assert list(cached.kept) == ["owner-2", "owner-3", "owner-4"]
    assert run(cached.retrieve("owner-0")).get_slot("industry") == "零售业"  # read from SQL again


def test_a_save_retried_after_its_commit_went_through_stores_nothing_twice(domain, tmp_path, monkeypatch):
    """PostgreSQL restarting right after a commit: the commit holds, its acknowledgement is lost, and the patient
    store saves again."""
    path = tmp_path / "conversations.db"
    cached = store(domain, path)
    tracker = begun(cached)
    new = turn("十五个人", "inform", "营收？", employees=15)
    for event in new:
        tracker.update(event)
    sessions = cached.sessionmaker

    def lost_acknowledgement():
        session = sessions()
        commit = session.commit

        def commit_then_fail():
            commit()
            raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

        session.commit = commit_then_fail
        return session

    monkeypatch.setattr(cached, "sessionmaker", lost_acknowledgement)
    with pytest.raises(sa.exc.OperationalError):
        run(cached.save(tracker))
    monkeypatch.setattr(cached, "sessionmaker", sessions)
    run(cached.save(tracker))
    assert len(stored_rows(path, "owner")) == len(opening()) + len(new)


def test_written_ahead_a_sqlite_file_is_read_back_by_rasas_own_store(domain, tmp_path):
    """`sqlite_wal: true` in endpoints.yml: the file in write-ahead mode, what was saved read back by Rasa's own
    store (another connection, as after a restart) and by the retention job's engine."""
    path = tmp_path / "conversations.db"
    tracker = begun(store(domain, path, sqlite_wal=True))
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()
    assert picture(run(store(domain, path, SQLTrackerStore).retrieve("owner")), domain) == picture(tracker, domain)
    assert len(stored_rows(path, "owner")) == len(opening())
