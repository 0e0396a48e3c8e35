"""A person joins a chat conversation (docs/contract.md E7): the queue of conversations that asked for one, taking
one over, an operator's replies and fact corrections, and giving it back to the assistant.

Everything is kept as Rasa events in the conversation's own tracker, so every server of a cluster sees the same
state and a restart loses nothing:

- a ``handoff`` payload said by the bot puts the conversation in the queue ("waiting");
- taking it appends ``ConversationPaused`` (Rasa then logs the owner's messages but predicts no action) and a
  notice said on the operator's behalf; releasing it appends the notice and ``ConversationResumed``;
- an operator's words are ``BotUttered`` events whose metadata names the operator (the account's display name,
  and its login under ``account``), so the owner's page and the console tell them apart from the assistant's;
- a corrected fact is the same ``SlotSet`` the assistant's own correction makes, echoed before → after with what it
  changes (bot.staff.fact_edit), and the new result.

Each change is made under the conversation's lock, as Rasa's own ``/conversations/<id>/tracker/events`` does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Iterable, Optional

from rasa.shared.core.events import (BotUttered, ConversationPaused, ConversationResumed, Restarted, SlotSet,
                                     UserUttered)
import sqlalchemy as sa

from actions.slots import fact_events

from . import fact_edit
from .migrations import sql_tracker_store

QUEUE_HOURS = 24
QUEUE_LIMIT = 100


class TakeoverError(ValueError):
    """A request that does not fit the conversation's state (409) or is not valid (400); the message is for people."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Operator:
    """Who acts for people in a conversation: the name the owner reads, and the staff account (its login)."""

    name: str
    account: str = ""


@dataclass
class Standing:
    """Where a conversation is with people: waiting for one, taken by one, or given back."""

    status: str            # "waiting" | "taken" | "released"
    reason: str
    since: float
    operator: Optional[str] = None
    account: Optional[str] = None      # the login of the operator's account (None for a takeover before accounts)
    last_owner_text: str = ""
    owner_messages: int = 0  # the owner's messages since the hand-off


def handoff_of(event) -> Optional[dict]:
    custom = (event.data or {}).get("custom") if isinstance(event, BotUttered) else None
    return custom if isinstance(custom, dict) and custom.get("type") == "handoff" else None


def said_by_operator(event) -> Optional[str]:
    """The operator who said a bot event, or None when the assistant said it."""
    if isinstance(event, BotUttered):
        name = (event.metadata or {}).get("operator")
        return name if isinstance(name, str) else None
    return None


def notice_of(event) -> Optional[str]:
    """"joined" / "left" for the notices said when an operator takes or gives back the conversation."""
    if isinstance(event, BotUttered):
        notice = (event.metadata or {}).get("notice")
        return notice if notice in ("joined", "left") else None
    return None


def standing(events: Iterable[Any]) -> Optional[Standing]:
    """The conversation's standing with people, from its events since the last restart (None: never asked)."""
    state: Optional[Standing] = None
    for event in events:
        if isinstance(event, Restarted):
            state = None
        elif (payload := handoff_of(event)) is not None:
            if state is None or state.status == "released":
                state = Standing("waiting", str(payload.get("reason") or ""), event.timestamp)
        elif state is None:
            continue
        elif isinstance(event, ConversationPaused):
            state.status = "taken"
        elif notice_of(event) == "joined":
            state.operator = said_by_operator(event)
            state.account = (event.metadata or {}).get("account") or None
        elif isinstance(event, ConversationResumed):
            state.status = "released"
        elif isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
            state.last_owner_text = event.text
            state.owner_messages += 1
    return state


# ---------------------------------------------------------------- the queue

async def _candidates(tracker_store, since: float) -> list[str]:
    """Conversations that may have asked for a person since ``since``, the latest request first: found by one query
    in a SQL store (indexed when the server starts: bot.staff.migrations.index_events), else by looking at every
    conversation (the in-memory and Redis stores of tests and small set-ups). On a day with more requests than are
    looked at, the oldest are left out, never the owner who asked a minute ago."""
    sql = sql_tracker_store(tracker_store)
    if sql is not None:
        event = sql.SQLEvent
        with sql.session_scope() as session:
            rows = (session.query(event.sender_id)
                    .filter(event.timestamp >= since, event.type_name == "bot", event.data.like('%"handoff"%'))
                    .group_by(event.sender_id).order_by(sa.func.max(event.timestamp).desc())
                    .limit(QUEUE_LIMIT * 2).all())
        return [r[0] for r in rows]
    return list(await tracker_store.keys())[: QUEUE_LIMIT * 20]


async def queue(agent, now: Optional[float] = None) -> list[dict]:
    """The chat conversations waiting for a person or taken by one, oldest request first (phone calls, which an
    operator is already on, are not queued); at most QUEUE_LIMIT, the latest: an owner who asked a minute ago is
    shown even when more than that many asked earlier in the day and left."""
    now = time.time() if now is None else now
    store = agent.tracker_store
    entries = []
    for sender in await _candidates(store, now - QUEUE_HOURS * 3600):
        if sender.startswith("call-"):
            continue
        tracker = await store.retrieve(sender)
        state = standing(tracker.events) if tracker else None
        if state is None or state.status == "released":
            continue
        entries.append({"sender": sender, "status": state.status, "reason": state.reason, "since": state.since,
                        "operator": state.operator, "account": state.account,
                        "last_owner_text": state.last_owner_text[:200],
                        "owner_messages": state.owner_messages})
    entries.sort(key=lambda e: e["since"])
    return entries[-QUEUE_LIMIT:]  # the latest requests; beyond them the oldest, most likely abandoned, drop out


# ---------------------------------------------------------------- changes to one conversation

async def append_events(agent, sender: str, make_events) -> list:
    """Appends what ``make_events(tracker)`` returns to the conversation, under its lock, and saves it."""
    async with agent.lock_store.lock(sender):
        tracker = await agent.processor.get_tracker(sender)
        events = make_events(tracker)
        for event in events:
            tracker.update(event, agent.domain)
        await agent.tracker_store.save(tracker)
    return events


def _said(text: str, operator: Operator, **metadata: Any) -> BotUttered:
    return BotUttered(text, metadata={"operator": operator.name, "account": operator.account, **metadata})


async def take(agent, sender: str, operator: Operator, words: dict) -> Standing:
    """The operator takes the conversation: the assistant pauses and the owner is told a person has joined."""
    def events(tracker):
        state = standing(tracker.events)
        if state is None or state.status == "released":
            raise TakeoverError("该对话没有在等待人工")
        if state.status == "taken":
            raise TakeoverError(f"该对话已由{state.operator or '其他操作员'}接入")
        return [ConversationPaused(), _said(words["operator_joined"].format(operator=operator.name), operator,
                                            notice="joined")]

    await append_events(agent, sender, events)
    return await _standing_now(agent, sender)


async def reply(agent, sender: str, operator: Operator, text: str) -> None:
    """The operator's words, said in the owner's chat."""
    def events(tracker):
        _must_be_taken(tracker, operator)
        return [_said(text, operator)]

    await append_events(agent, sender, events)


async def release(agent, sender: str, operator: Operator, words: dict) -> None:
    """Gives the conversation back to the assistant, which goes on with the facts as they now are."""
    def events(tracker):
        _must_be_taken(tracker, operator)
        return [_said(words["operator_left"].format(operator=operator.name), operator, notice="left"),
                ConversationResumed()]

    await append_events(agent, sender, events)


async def correct(agent, sender: str, operator: Operator, fact: str, raw: Any) -> dict:
    """Replaces one fact as the operator typed it; the echo (before → after, what it changes) and the new result
    are said in the conversation. Allowed on a phone call and on a chat the operator has taken."""
    said: dict = {}
    parsed = await agent.parse_message(raw) if isinstance(raw, str) and raw.strip() else None  # read as the chat reads

    def events(tracker):
        if not sender.startswith("call-"):
            _must_be_taken(tracker, operator)
        edit = fact_edit.edit(tracker.current_slot_values(), fact, raw, operator=operator.name, parsed=parsed)
        said.update(text=edit.text, result=edit.result)
        slots = [SlotSet(e["name"], e["value"]) for e in fact_events(edit.slots, tracker.current_slot_values())]
        return slots + [
            _said(edit.text, operator), BotUttered(data={"custom": edit.result},
                                                   metadata={"operator": operator.name, "account": operator.account})]

    await append_events(agent, sender, events)
    return said


def _must_be_taken(tracker, operator: Operator) -> None:
    """The conversation is taken, by this operator's account (by name, for a takeover made before accounts)."""
    state = standing(tracker.events)
    if state is None or state.status != "taken":
        raise TakeoverError("请先接入该对话")
    same = state.account == operator.account if state.account else state.operator == operator.name
    if state.operator and not same:
        raise TakeoverError(f"该对话由{state.operator}接入，其他操作员不能代答")


async def _standing_now(agent, sender: str) -> Optional[Standing]:
    tracker = await agent.tracker_store.retrieve(sender)
    return standing(tracker.events) if tracker else None
