"""A call record (工单) as the console files, opens and lists it: filed from a conversation that has just ended, opened
with the rows above its form and the address of its printable page (which takes a key of its own, since a new tab
sends no header), and listed by what applies."""

from __future__ import annotations

import hmac
from dataclasses import asdict

from actions.slots import UNKNOWN_FACTS, facts_in
from bot.staff import records
from policy_db import store as policy_db_store


async def file_record(agent, sender: str, kind: str, operator: str) -> records.Record:
    """Files the record of a conversation that has just ended (a call hung up, a takeover given back)."""
    store = policy_db_store.load()
    tracker = await agent.tracker_store.retrieve(sender)
    slots = tracker.current_slot_values() if tracker else {}
    facts = facts_in(slots, store)
    record = records.fill(store, sender, kind, operator, tracker.events if tracker else [], facts,
                          slots.get(UNKNOWN_FACTS) or [])
    return records.save(record)


def record_key(token: str, record_id: str) -> str:
    """The key of one record's printable page: it opens that page only, and changes with the operator token."""
    return hmac.new(token.encode("utf-8"), record_id.encode("utf-8"), "sha256").hexdigest()[:32]


def key_matches(given: str, token: str, record_id: str) -> bool:
    """Whether ``given`` is the key of that record's printable page (compared as bytes: any text may be given)."""
    return hmac.compare_digest(given.encode("utf-8"), record_key(token, record_id).encode("utf-8"))


def with_links(record: records.Record, token: str) -> dict:
    """A record as the console opens it: its fields (an old record's groups read as records.readable does), the
    rows above its form in the words of its text export, and the address of its printable page."""
    store = policy_db_store.load()
    return {**asdict(records.readable(record, store)), "rows": records.overview_rows(record, store),
            "print_url": f"/console/api/records/{record.id}.html?key={record_key(token, record.id)}"}


def summary(record: records.Record) -> dict:
    """A record's line in the console's list: what applies, section by section as the result titles them."""
    return {"id": record.id, "sender": record.sender, "kind": record.kind,
            "kind_label": records.kind_label(record, policy_db_store.load()), "operator": record.operator,
            "ended": record.ended,
            "caller": record.caller, "sme_class": record.sme_class, "follow_up": record.follow_up,
            "departments": record.departments[:3], "applying": records.applying(record)}
