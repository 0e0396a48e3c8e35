"""Where a chat conversation stands with people, read from its events alone (bot/staff/takeover.py), and an
operator's inline edit of a fact (bot/staff/fact_edit.py)."""

import asyncio
from types import SimpleNamespace

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, ConversationPaused, ConversationResumed, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.staff import fact_edit, takeover
from policy_db import store as policy_store

HANDOFF = BotUttered(data={"custom": {"type": "handoff", "reason": "user_request"}}, timestamp=10)
JOINED = BotUttered("人工客服王工已接入", metadata={"operator": "王工", "notice": "joined"}, timestamp=11)
LEFT = BotUttered("已结束接入", metadata={"operator": "王工", "notice": "left"}, timestamp=13)


@pytest.fixture(scope="module")
def store():
    return policy_store.load()


def test_a_conversation_that_never_asked_for_a_person_has_no_standing():
    assert takeover.standing([UserUttered("你好"), BotUttered("您好")]) is None


def test_a_handoff_puts_the_conversation_in_waiting_with_its_reason():
    state = takeover.standing([UserUttered("转人工"), HANDOFF])
    assert (state.status, state.reason, state.since, state.operator) == ("waiting", "user_request", 10, None)


def test_taking_names_the_operator_and_counts_the_owners_messages():
    state = takeover.standing([HANDOFF, ConversationPaused(), JOINED, UserUttered("房租能减吗")])
    assert (state.status, state.operator, state.last_owner_text, state.owner_messages) == (
        "taken", "王工", "房租能减吗", 1)


def test_release_and_a_restart_take_the_conversation_out_of_the_queue():
    assert takeover.standing([HANDOFF, ConversationPaused(), JOINED, LEFT, ConversationResumed()]).status == "released"
    assert takeover.standing([HANDOFF, Restarted()]) is None


def test_a_new_handoff_after_a_release_waits_again():
    events = [HANDOFF, ConversationPaused(), JOINED, LEFT, ConversationResumed(),
              BotUttered(data={"custom": {"type": "handoff", "reason": "dispute"}}, timestamp=20)]
    state = takeover.standing(events)
    assert (state.status, state.reason, state.operator) == ("waiting", "dispute", None)


def test_a_takeover_belongs_to_the_account_that_took_it_not_to_a_name():
    """Two accounts may share a display name; only the one that took the conversation answers in it."""
    from types import SimpleNamespace

    joined = BotUttered("人工客服王工已接入", metadata={"operator": "王工", "account": "wang1", "notice": "joined"},
                        timestamp=11)
    taken = SimpleNamespace(events=[HANDOFF, ConversationPaused(), joined])
    assert takeover.standing(taken.events).account == "wang1"
    takeover._must_be_taken(taken, takeover.Operator("王工", "wang1"))
    with pytest.raises(takeover.TakeoverError):
        takeover._must_be_taken(taken, takeover.Operator("王工", "wang2"))
    before_accounts = SimpleNamespace(events=[HANDOFF, ConversationPaused(), JOINED])  # by name, as before
    takeover._must_be_taken(before_accounts, takeover.Operator("王工", "wang2"))
    with pytest.raises(takeover.TakeoverError):
        takeover._must_be_taken(before_accounts, takeover.Operator("李工", "li"))


def test_an_edit_reads_the_value_as_the_chat_does_and_echoes_before_and_after(store):
    edit = fact_edit.edit({"industry": "餐饮业", "employees": 12, "revenue": 1_800_000}, "revenue", "80万", store)
    assert edit.slots["revenue"] == 800_000
    assert edit.text.startswith("已更正（上年度营业收入：1,800,000元（180万元） → 800,000元（80万元））")
    assert edit.result["enterprise"]["facts"]["revenue"] == 800_000
    assert edit.result["enterprise"]["sme_class"] == "micro"


def _parsed(text, *entities):
    """What the NLU gives for the typed text (the console parses it with the same model as the chat)."""
    return {"text": text, "intent": {"name": "inform"}, "entities": list(entities)}


def test_an_edit_is_read_as_the_owners_answer_to_the_facts_question(store, monkeypatch):
    monkeypatch.setattr(fact_edit, "typed_value", lambda *a: pytest.fail("read apart from the chat's reading"))
    typed = _parsed("三十个人左右", {"entity": "number", "value": 30, "role": "people",
                                  "additional_info": {"approximate": True, "low": None, "high": None}})
    edit = fact_edit.edit({"industry": "餐饮业", "employees": 12}, "employees", "三十个人左右", store, parsed=typed)
    assert edit.slots["employees"] == 30 and "12人 → 30人" in edit.text


def test_an_edit_the_reading_refuses_is_refused_with_the_readings_reason(store):
    typed = _parsed("-5个人", {"entity": "employees", "value": -5})
    with pytest.raises(fact_edit.EditError) as refused:
        fact_edit.edit({"industry": "餐饮业", "employees": 12}, "employees", "-5个人", store, parsed=typed)
    assert "不能是负数" in str(refused.value)


def test_an_edit_of_an_industry_takes_an_everyday_word(store):
    assert fact_edit.edit({"employees": 12}, "industry", "饭店", store).slots["industry"] == "餐饮业"


def test_an_edit_of_a_fact_said_unknown_removes_it_from_the_unknown_list(store):
    edit = fact_edit.edit({"unknown_facts": ["layoffs", "insured"]}, "insured", True, store)
    assert edit.slots["unknown_facts"] == ["layoffs"]


@pytest.mark.parametrize("fact,value", [("employees", "很多"), ("employees", "10到20"), ("insured", "也许"),
                                        ("employees", "-3"), ("legal_form", "合作社"), ("nonexistent", "1"),
                                        ("layoffs", "50")])
def test_a_value_the_fact_cannot_take_is_refused_with_a_reason(store, fact, value):
    with pytest.raises(fact_edit.EditError) as refused:
        fact_edit.edit({"employees": 12}, fact, value, store)
    assert str(refused.value)


def test_the_queue_lists_a_waiting_chat_from_a_sql_store_and_leaves_out_calls(tmp_path):
    asyncio.run(_queue_from_sql(tmp_path))


async def _queue_from_sql(tmp_path):
    sql = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    for sender, events in (("web-1", [UserUttered("转人工", timestamp=100), HANDOFF]),
                           ("call-1", [HANDOFF]), ("web-2", [UserUttered("你好", timestamp=100)])):
        await sql.save(DialogueStateTracker.from_events(sender, events))
    listed = await takeover.queue(SimpleNamespace(tracker_store=sql), now=1000)
    assert [(e["sender"], e["status"]) for e in listed] == [("web-1", "waiting")]


def test_a_new_request_for_a_person_is_queued_after_a_busy_day_of_them(tmp_path):
    """More conversations asked for a person in the last day than the queue looks at: the newest request is still
    in it, whatever its id (the query took the first 200 ids in order, and an owner whose id sorted late waited
    unseen)."""
    asyncio.run(_busy_day(tmp_path))


async def _busy_day(tmp_path):
    sql = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    released = [UserUttered("转人工", timestamp=100), HANDOFF, JOINED, LEFT, ConversationResumed(timestamp=14)]
    for n in range(takeover.QUEUE_LIMIT * 2 + 5):
        await sql.save(DialogueStateTracker.from_events(f"web-old-{n}", released))
    newest = BotUttered(data={"custom": {"type": "handoff", "reason": "user_request"}}, timestamp=900)
    await sql.save(DialogueStateTracker.from_events("web-zz-new", [UserUttered("转人工", timestamp=899), newest]))
    listed = await takeover.queue(SimpleNamespace(tracker_store=sql), now=1000)
    assert [(e["sender"], e["status"]) for e in listed] == [("web-zz-new", "waiting")]


def test_a_new_request_is_shown_when_more_than_a_queue_of_earlier_ones_still_wait(tmp_path):
    """Owners who asked for a person and left stay waiting for a day; past the queue's length the oldest of them drop
    out of view, never the owner who has just asked."""
    asyncio.run(_full_queue(tmp_path))


async def _full_queue(tmp_path):
    sql = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    for n in range(takeover.QUEUE_LIMIT + 5):
        asked = BotUttered(data={"custom": {"type": "handoff", "reason": "user_request"}}, timestamp=100 + n)
        await sql.save(DialogueStateTracker.from_events(f"web-{n:03d}", [UserUttered("转人工", timestamp=99 + n),
                                                                          asked]))
    newest = BotUttered(data={"custom": {"type": "handoff", "reason": "user_request"}}, timestamp=900)
    await sql.save(DialogueStateTracker.from_events("web-new", [UserUttered("转人工", timestamp=899), newest]))
    listed = [e["sender"] for e in await takeover.queue(SimpleNamespace(tracker_store=sql), now=1000)]
    assert len(listed) == takeover.QUEUE_LIMIT and listed[-1] == "web-new" and "web-000" not in listed
