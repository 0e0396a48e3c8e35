"""政策找企业: after a publish, the enterprises that agreed to be contacted and newly qualify for a measure become
回访 tasks an operator works through, and an owner who comes back to the chat is told first.

Who agreed: a chat conversation whose slot ``contact_consent`` (the interview's last question) is yes, read from the
tracker store; a call record the operator marked ``contact_consent``. Nobody else is ever listed or told. Each task
is one enterprise and one measure of one published version, in the records database's table ``outreach``
(bot/staff/migrations.py), with the measure's line as the result words it (amount, formula, clause, department).
Retention (bot/ops/retention.py) removes a conversation's or a record's tasks with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

import sqlalchemy as sa
import sqlite_utils
from rasa.shared.core.events import BotUttered

from actions.slots import CONSENT, facts_in
from policy_db import report
from policy_db.preview import Profile, newly_eligible
from policy_db.store import Store

from . import records
from .migrations import sql_tracker_store
from .takeover import append_events

TABLE = "outreach"
LOOKED_AT = 5000          # consenting conversations judged at one publish, the latest first
LISTED = 200              # open tasks the console shows at once
CHAT, RECORD = "chat", "record"


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def told_kinds(store: Store) -> frozenset[str]:
    """The kinds of help an enterprise is told of as news: all but the support paid to lenders (words.yaml)."""
    return frozenset(name for name, kind in store.words.kinds.items() if kind.to_enterprises)


# ---------------------------------------------------------------- who agreed

async def _consent_candidates(tracker_store) -> list[str]:
    """Conversations that ever answered the last question, the latest first: one query in a SQL store, else every
    conversation (the in-memory store of tests)."""
    sql = sql_tracker_store(tracker_store)
    if sql is None:
        return list(await tracker_store.keys())[:LOOKED_AT]
    event = sql.SQLEvent
    with sql.session_scope() as session:
        rows = (session.query(event.sender_id)
                .filter(event.type_name == "slot", event.data.like(f'%"{CONSENT}"%'))
                .group_by(event.sender_id).order_by(sa.func.max(event.timestamp).desc())
                .limit(LOOKED_AT).all())
    return [r[0] for r in rows]


async def consenting_chats(tracker_store, store: Store, label: str) -> list[Profile]:
    """The chat conversations whose owner said yes (and has not said no since), with the facts they gave."""
    found = []
    for sender in await _consent_candidates(tracker_store):
        tracker = await tracker_store.retrieve(sender)
        slots = tracker.current_slot_values() if tracker else {}
        if slots.get(CONSENT) is True:
            found.append(Profile(CHAT, sender, label.format(id=sender[-6:]), facts_in(slots, store)))
    return found


def consenting_records(db: sqlite_utils.Database, label: str) -> list[Profile]:
    """The call records whose caller agreed, with the facts the record keeps."""
    if records.TABLE not in db.table_names():
        return []
    rows = db[records.TABLE].rows_where("body like ?", ['%"contact_consent": true%'])
    kept = [records.from_body(r["body"]) for r in rows]
    return [Profile(RECORD, r.id, label.format(id=r.id, caller=r.caller or ""), r.facts)
            for r in kept if r.contact_consent]


# ---------------------------------------------------------------- after a publish

def file_tasks(db: sqlite_utils.Database, before: Store, after: Store, profiles: Iterable[Profile], version: int,
               effective: dt.date, as_of: Optional[dt.date] = None) -> int:
    """One open task per consenting profile and measure it newly qualifies for under version ``version``; returns
    how many were filed (a task already filed for the same version is not filed twice)."""
    created = _now()
    rows = [{"created": created, "version": version, "effective": effective.isoformat(), "source": profile.source,
             "key": profile.key, "label": profile.label, "measure": r.measure.id, "measure_name": r.measure.name,
             "document": r.policy.cited if r.policy else "", "line": report.applying_line(r, a),
             "amount_yuan": r.amount_yuan, "status": "open"}
            for profile, r, a in newly_eligible(before, after, profiles, as_of, told_kinds(after))]
    before_count = db[TABLE].count
    db[TABLE].insert_all(rows, ignore=True)
    return db[TABLE].count - before_count


def open_tasks(db: sqlite_utils.Database, limit: int = LISTED) -> list[dict]:
    """The 回访 list: open tasks, the newest publish first, an enterprise's measures together."""
    return list(db[TABLE].rows_where("status = 'open'", order_by="version desc, source, key, id", limit=limit))


def complete(db: sqlite_utils.Database, task_id: int, login: str) -> Optional[dict]:
    """Marks a task done by the operator's account; None when there is no open task of that id."""
    found = list(db[TABLE].rows_where("id = ? and status = 'open'", [task_id]))
    if not found:
        return None
    db[TABLE].update(task_id, {"status": "done", "done_by": login, "done_at": _now()})
    return db[TABLE].get(task_id)


# ---------------------------------------------------------------- the owner comes back

def untold(db: sqlite_utils.Database, sender: str) -> list[dict]:
    return list(db[TABLE].rows_where("source = ? and key = ? and told_at is null", [CHAT, sender], order_by="id"))


async def tell_returning_owner(agent, db: sqlite_utils.Database, sender: str, store: Store) -> Optional[str]:
    """The message that tells an owner back in the chat what newly applies (once), kept in the conversation as
    the assistant's; None when there is nothing new for this conversation."""
    tasks = untold(db, sender)
    if not tasks:
        return None
    latest = dt.date.fromisoformat(max(t["effective"] for t in tasks))
    text = store.words.pages["news"].format(published=report.day_text(latest), count=len(tasks),
                                            lines="\n".join(t["line"] for t in tasks))
    await append_events(agent, sender, lambda tracker: [BotUttered(text, metadata={"news": [t["id"] for t in tasks]})])
    for t in tasks:
        db[TABLE].update(t["id"], {"told_at": _now()})
    return text


def forget(db: sqlite_utils.Database, source: str, keys: Iterable[str]) -> int:
    """Removes the tasks of conversations or records that retention removes; returns how many."""
    keys = list(keys)
    if TABLE not in db.table_names() or not keys:
        return 0
    removed = 0
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        cursor = db.execute(f"delete from {TABLE} where source = ? and key in ({', '.join('?' * len(chunk))})",
                            [source, *chunk])
        removed += cursor.rowcount
    db.conn.commit()
    return removed
