"""The audit trail (issue 23): who did what, when, from where, to which record or conversation. Table ``audit`` of
the records database (bot/staff/migrations.py).

Append-only from the application: this module adds lines and reads them, and has no way to change or remove one
(a trigger refuses any UPDATE besides); only ``make retention`` (bot/retention.py) removes lines, with the records
and conversations they speak of. Supervisors read it in the console, filtered, and export it as CSV. Every query
takes its values as parameters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Iterable, Optional

import sqlite_utils

from bot.staff.roles import Actor

# What a line can say was done (each worded by policy_db/words.yaml pages.staff.actions).
ACTIONS = ("signin", "signin_failed", "signin_locked", "signout", "account_create", "account_disable",
           "account_enable", "takeover", "reply", "release", "fact_edit", "record_file", "record_read",
           "record_edit", "record_export", "call_message", "conversation_read", "audit_export", "token_use",
           "policy_draft", "policy_publish", "outreach_done")
COLUMNS = ("id", "at", "login", "display", "role", "via", "ip", "action", "record", "sender", "detail")
MAX_LINES = 1000


@dataclass(frozen=True)
class Filter:
    """What a supervisor narrows the trail to; every field optional."""

    login: Optional[str] = None
    action: Optional[str] = None
    record: Optional[str] = None      # a record id, or a conversation id (sender)
    since: Optional[str] = None       # ISO date or time, inclusive
    until: Optional[str] = None       # ISO date or time; a date counts whole
    limit: int = 200


def now_text(now: Optional[dt.datetime] = None) -> str:
    return (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")


def log(db: sqlite_utils.Database, actor: Actor, action: str, ip: str = "", record: Optional[str] = None,
        sender: Optional[str] = None, detail: str = "", at: Optional[str] = None) -> None:
    """Adds one line. ``detail``: what else identifies the act (the fact edited, the fields changed, the format
    exported), never a password or a token."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    db.execute("insert into audit (at, login, display, role, via, ip, action, record, sender, detail) "
               "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [at or now_text(), actor.login, actor.display, actor.role, actor.via, (ip or "")[:64], action,
                record, sender, (detail or "")[:500]])


def _before(until: str) -> str:
    """The first time after ``until``: a day counts whole (its next day), a time to the second."""
    if len(until) == 10:
        return (dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat()
    return until[:19] + "~"  # after every line of that second, whatever its UTC offset


def find(db: sqlite_utils.Database, where: Filter = Filter()) -> list[dict]:
    """The lines that pass the filter, newest first."""
    clauses, values = [], []
    if where.login:
        clauses.append("login = ?")
        values.append(where.login)
    if where.action:
        clauses.append("action = ?")
        values.append(where.action)
    if where.record:
        clauses.append("(record = ? or sender = ?)")
        values += [where.record, where.record]
    if where.since:
        clauses.append("at >= ?")
        values.append(where.since)
    if where.until:
        clauses.append("at < ?")
        values.append(_before(where.until))
    sql = f"select {', '.join(COLUMNS)} from audit"
    if clauses:
        sql += " where " + " and ".join(clauses)
    sql += " order by id desc limit ?"
    return list(db.query(sql, values + [max(1, min(int(where.limit), MAX_LINES))]))


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run: text starting with = + - @ (or a tab, a return) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(lines: Iterable[dict], headings: dict[str, str], actions: dict[str, str]) -> str:
    """The lines as CSV with a heading row in the page's words; each action in words too. Starts with a byte-order
    mark, so a spreadsheet opens the Chinese as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([headings.get(c, c) for c in COLUMNS])
    for line in lines:
        writer.writerow([_cell(actions.get(line[c], line[c]) if c == "action" else line[c]) for c in COLUMNS])
    return "\ufeff" + out.getvalue()
