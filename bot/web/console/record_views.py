"""A call record (工单) as the console files, opens and lists it: filed from a conversation that has just ended under
the account that ended it, opened with the rows above its form and the address of its printable page (a new tab of
the same site, which carries the session cookie), listed by what applies; an operator opens the records their own
account filed, a supervisor every record."""

from __future__ import annotations

from dataclasses import asdict

from actions.slots import UNKNOWN_FACTS, facts_in
from bot.staff import records
from bot.staff.accounts import SUPERVISOR
from bot.staff.roles import Actor
from policy_db import store as policy_db_store


async def file_record(agent, sender: str, kind: str, actor: Actor) -> records.Record:
    """Files the record of a conversation that has just ended (a call hung up, a takeover given back), signed with
    the account's display name and filed under its login."""
    store = policy_db_store.load()
    tracker = await agent.tracker_store.retrieve(sender)
    slots = tracker.current_slot_values() if tracker else {}
    facts = facts_in(slots, store)
    record = records.fill(store, sender, kind, actor.display, tracker.events if tracker else [], facts,
                          slots.get(UNKNOWN_FACTS) or [], account=actor.login)
    return records.save(record)


def may_open(actor: Actor, record: records.Record) -> bool:
    """Supervisors open every record; an operator the records their account filed."""
    return actor.role == SUPERVISOR or (bool(record.account) and record.account == actor.login)


def with_links(record: records.Record) -> dict:
    """A record as the console opens it: its fields (an old record's groups read as records.readable does), the
    rows above its form in the words of its text export, and the address of its printable page."""
    store = policy_db_store.load()
    return {**asdict(records.readable(record, store)), "rows": records.overview_rows(record, store),
            "print_url": f"/console/api/records/{record.id}.html"}


def summary(record: records.Record) -> dict:
    """A record's line in the console's list: what applies, section by section as the result titles them."""
    return {"id": record.id, "sender": record.sender, "kind": record.kind,
            "kind_label": records.kind_label(record, policy_db_store.load()), "operator": record.operator,
            "ended": record.ended,
            "caller": record.caller, "sme_class": record.sme_class, "follow_up": record.follow_up,
            "contact_consent": record.contact_consent,
            "departments": record.departments[:3], "applying": records.applying(record)}
