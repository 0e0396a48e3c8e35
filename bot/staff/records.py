"""Call records (工单) of the hotline console: filled from a conversation when a call or a takeover ends, editable,
listed and searched, exported as JSON and text (docs/contract.md E7).

A record is kept beside the conversation it came from (its sender id) in a SQLite file of its own
(``build/records.db``, or ``HUIQI_RECORDS_DB``; its schema's history is bot/staff/migrations.py): the tracker store
keeps what was said, the record what the operator signs off. Its body is JSON read by :func:`from_body`, so a record
written by an earlier or a later release opens (a field it lacks takes its default, one this release does not know is
kept in ``extra``). What it says about the policy is the engine's: the facts, the class with its rule row, each
measure with status, kind, amount, formula, clause and departments, and the result's sections (`groups`, per document
`policies`, the `total`) exactly as the chat card received them, so the console renders a record with the card's own
code (bot/web/shared/cards.js). The text export and the printable page are written by policy_db.report and
policy_db.report_page (the owners' 政策匹配报告), which group the measures the same way (Assessment.groups).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import sqlite_utils
from rasa.shared.core.events import BotUttered, Restarted, UserUttered

from bot.staff import migrations
from policy_db import evaluate, report, report_page
from policy_db.store import Store

EDITABLE = {"caller": 40, "phone": 30, "notes": 2000}   # text fields an operator may edit, with their limits
LISTS = ("open_points", "departments")                  # lists an operator may edit (each item ≤ 200 characters)
TABLE = "records"
# What a record keeps of each measure of the result payload (docs/contract.md §2, §E2): what the card shows of it.
ANSWERED = ("id", "title", "status", "kind", "amount_yuan", "months", "formula", "clause", "departments", "why",
            "missing", "summary", "reading", "policy", "parts")


class RecordError(ValueError):
    """An edit the record cannot take; the message is for the operator (400)."""


@dataclass
class Record:
    id: str
    sender: str
    kind: str                 # "call" (a phone call typed in the console) or "chat" (a chat taken over)
    operator: str
    started: str              # ISO times of the conversation's first and the record's last event
    ended: str
    as_of: str                # the day the measures were assessed for
    policy_version: str       # the store's fingerprint
    facts: dict
    sme_class: str
    sme_rule: str
    asked: list               # the questions put to the caller, in order
    caller_said: list         # what the caller said, in order
    answered: list            # the result's measures, the keys of ANSWERED
    departments: list         # where to transfer the caller to
    open_points: list         # what is still open: facts unknown, measures not yet decided
    follow_up: bool           # 回访
    caller: str = ""
    phone: str = ""
    notes: str = ""
    extra: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)    # the result's `groups`: [{title, status, kind, note, measures}]
    policies: list = field(default_factory=list)  # the result's `policies`, each document with its own `groups`
    total: Optional[dict] = None                  # the result's `total`
    account: str = ""                             # the login of the staff account that filed it ("" before accounts)
    contact_consent: bool = False                 # the caller agreed to be called when new measures fit (政策找企业)


_EMPTY = {"str": "", "dict": dict, "list": list, "bool": False}


def from_body(body: str) -> Record:
    """A stored record, whichever release wrote it: a field its body lacks takes the field's default (an empty value
    of its kind for one that has none), a field this release does not know is kept in ``extra``."""
    data = json.loads(body)
    known = {f.name: f for f in fields(Record)}
    extra = dict(data.get("extra") or {}) if isinstance(data.get("extra"), dict) else {}
    values = {"extra": extra}
    for name, value in data.items():
        if name == "extra":
            continue
        if name in known:
            values[name] = value
        else:
            extra[name] = value
    for name, f in known.items():
        if name not in values and f.default is MISSING and f.default_factory is MISSING:
            empty = _EMPTY.get(str(f.type), None)
            values[name] = empty() if callable(empty) else empty
    return Record(**values)


def path(environ: Optional[Mapping[str, str]] = None) -> Path:
    return migrations.records_path(environ)


def database(location: Optional[Path] = None) -> sqlite_utils.Database:
    return migrations.open_records(location)


# ---------------------------------------------------------------- filling a record from a conversation

def _time(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).isoformat(timespec="seconds")


def fill(store: Store, sender: str, kind: str, operator: str, events: Iterable[Any], facts: Mapping[str, Any],
         unknown: Iterable[str] = (), as_of: Optional[dt.date] = None, account: str = "") -> Record:
    """A record from the conversation's events (Rasa event objects since the last restart) and its known facts,
    filed by ``operator`` (the name shown) signed in as ``account``."""
    asked, said, times, last_text = [], [], [], ""
    for event in events:
        if isinstance(event, Restarted):
            asked, said, times = [], [], []
        elif isinstance(event, UserUttered) and event.text and not event.text.startswith("/"):
            said.append(event.text)
            times.append(event.timestamp)
        elif isinstance(event, BotUttered):
            times.append(event.timestamp)
            custom = (event.data or {}).get("custom")
            if event.text:
                last_text = event.text
            elif isinstance(custom, dict) and custom.get("type") == "ask" and last_text:
                asked.append(last_text.split("\n")[0])
    assessment = evaluate(dict(facts), as_of, store=store)
    payload = assessment.to_payload()
    answered = [{k: m[k] for k in ANSWERED if k in m} for m in payload["measures"]]
    departments = list(dict.fromkeys(d for m in answered if m["status"] == "eligible" for d in m["departments"]))
    open_points = [f"{store.facts[name].label}：来电人不清楚" for name in unknown if name in store.facts]
    deciding: dict[str, list[str]] = {}
    for r in assessment.results:
        for name in r.missing if r.status == "unknown" else ():
            deciding.setdefault(name, []).append(r.measure.id)
    open_points += [f"待核实{store.facts[name].label}（影响{'、'.join(ids)}）" for name, ids in deciding.items()]
    now = dt.datetime.now().timestamp()
    return Record(id=secrets.token_hex(6), sender=sender, kind=kind, operator=operator,
                  started=_time(min(times) if times else now), ended=_time(now),
                  as_of=assessment.as_of.isoformat(), policy_version=store.fingerprint, facts=dict(facts),
                  sme_class=assessment.sme_label, sme_rule=assessment.sme_reason, asked=asked, caller_said=said,
                  answered=answered, departments=departments or [store.default_policy.hotline_department],
                  open_points=open_points, follow_up=bool(open_points), groups=payload["groups"],
                  policies=payload["policies"], total=payload.get("total"), account=account)


def readable(record: Record, store: Store) -> Record:
    """The record as the console shows it. One filed before records kept the result's groups gets those the engine
    gives its facts on its day (what its text and printable page show) when the engine still judges every measure
    as the record says; otherwise it stays as filed, its measures in one untitled section."""
    if record.groups:
        return record
    payload = evaluate(record.facts, dt.date.fromisoformat(record.as_of), store=store).to_payload()
    now = {m["id"]: m for m in payload["measures"]}
    if {m.get("id"): (m.get("status"), m.get("amount_yuan")) for m in record.answered} != {
            i: (m["status"], m["amount_yuan"]) for i, m in now.items()}:
        return record
    answered = [{**{k: now[m["id"]][k] for k in ANSWERED if k in now[m["id"]]}, **m} for m in record.answered]
    return replace(record, answered=answered, groups=payload["groups"], policies=payload["policies"],
                   total=payload.get("total"))


def applying(record: Record) -> list[dict]:
    """The sections of measures that apply, as the result titles them: [{title, kind, measures: ['1.1 稳岗返还']}]
    (a record's line in the console's list)."""
    titles = {m.get("id"): f"{m.get('id')} {m.get('title')}" for m in record.answered}
    return [{"title": g["title"], "kind": g.get("kind"), "measures": [titles[i] for i in g["measures"] if i in titles]}
            for g in record.groups if g.get("status") == "eligible"]


# ---------------------------------------------------------------- keeping, editing, finding

def _searchable(record: Record) -> str:
    parts = [record.sender, record.operator, record.caller, record.phone, record.notes, record.sme_class,
             *record.departments, *record.open_points, *record.caller_said,
             *(f"{m['id']} {m['title']}" for m in record.answered if m["status"] != "ineligible"),
             *(str(v) for v in record.facts.values())]
    return "\n".join(p for p in parts if p)


def save(record: Record, db: Optional[sqlite_utils.Database] = None) -> Record:
    db = db or database()
    db[TABLE].upsert({"id": record.id, "sender": record.sender, "kind": record.kind, "operator": record.operator,
                      "started": record.started, "ended": record.ended, "search": _searchable(record),
                      "account": record.account or None,
                      "body": json.dumps(asdict(record), ensure_ascii=False)}, pk="id")
    return record


def get(record_id: str, db: Optional[sqlite_utils.Database] = None) -> Optional[Record]:
    db = db or database()
    rows = list(db[TABLE].rows_where("id = ?", [record_id], limit=1))
    return from_body(rows[0]["body"]) if rows else None


def find(query: str = "", limit: int = 50, db: Optional[sqlite_utils.Database] = None,
         account: Optional[str] = None) -> list[Record]:
    """Records whose text holds every word of ``query`` (spaces separate words), newest first; with ``account``,
    only those that account filed."""
    db = db or database()
    words = [w for w in (query or "").split()[:5] if w]
    clauses, values = ["instr(search, ?) > 0"] * len(words), list(words)
    if account is not None:
        clauses.append("account = ?")
        values.append(account)
    rows = db[TABLE].rows_where(" and ".join(clauses) or None, values or None, order_by="ended desc",
                                limit=max(1, min(limit, 200)))
    return [from_body(r["body"]) for r in rows]


def edit(record: Record, changes: Mapping[str, Any]) -> Record:
    """The operator's edits: the caller's name and phone, notes, the follow-up flag, the caller's consent to be
    called about new measures, the open points and the departments; nothing the engine said can be edited."""
    updated = asdict(record)
    for name, value in changes.items():
        if name in EDITABLE:
            if not isinstance(value, str) or len(value) > EDITABLE[name]:
                raise RecordError(f"“{name}”应为不超过{EDITABLE[name]}个字的文字")
            updated[name] = value.strip()
        elif name in LISTS:
            if not isinstance(value, list) or len(value) > 50 or not all(
                    isinstance(v, str) and 0 < len(v.strip()) <= 200 for v in value):
                raise RecordError(f"“{name}”应为文字列表（每项不超过200字）")
            updated[name] = [v.strip() for v in value]
        elif name in ("follow_up", "contact_consent"):
            if not isinstance(value, bool):
                raise RecordError("回访标记只能是是或否")
            updated[name] = value
        else:
            raise RecordError(f"“{name}”不能修改")
    return Record(**updated)


# ---------------------------------------------------------------- exports

def labels(store: Store) -> dict[str, Any]:
    """The record's words (words.yaml `pages.record`)."""
    return store.words.pages["record"]


def kind_label(record: Record, store: Store) -> str:
    return labels(store)["kinds"].get(record.kind, record.kind)


def filed_rows(record: Record, store: Store) -> list[tuple[str, str]]:
    """How the record was filed, which no one edits."""
    row = labels(store)["rows"]
    return [(row["id"], record.id), (row["kind"], kind_label(record, store)), (row["operator"], record.operator),
            (row["started"], record.started), (row["ended"], record.ended)]


def class_row(record: Record, store: Store) -> tuple[str, str]:
    return store.words.pages.get("class_heading", "企业规模"), f"{record.sme_class}（{record.sme_rule}）"


def overview_rows(record: Record, store: Store) -> list[tuple[str, str]]:
    """What the console shows above a record's form, in the words of its text export: how it was filed, the class
    with its rule row (not for a financial institution), the questions put."""
    rows = filed_rows(record, store)
    if not evaluate(record.facts, dt.date.fromisoformat(record.as_of), store=store).for_lender:
        rows.append(class_row(record, store))
    words = labels(store)
    return rows + [(words["asked"], "；".join(record.asked) or words["none"])]


def header_rows(record: Record, store: Store) -> list[tuple[str, str]]:
    words = labels(store)
    row, none, blank = words["rows"], words["none"], words["not_filled"]
    return [*filed_rows(record, store),
            (row["caller"], record.caller or blank), (row["phone"], record.phone or blank),
            (row["follow_up"], words["answer_yes"] if record.follow_up else words["answer_no"]),
            (row["contact_consent"], words["answer_yes"] if record.contact_consent else words["answer_no"]),
            (row["departments"], "、".join(record.departments) or none),
            (row["open_points"], "；".join(record.open_points) or none), (row["notes"], record.notes or none)]


def as_text(record: Record, store: Store) -> str:
    """The record as plain text: its header, what was asked, and the assessment in the bot's own words."""
    words = labels(store)
    lines = [words["title"], *(f"{k}：{v}" for k, v in header_rows(record, store)), "", f"{words['asked']}："]
    lines += [f"  {i}. {q}" for i, q in enumerate(record.asked, 1)] or [f"  {words['none']}"]
    lines += ["", f"{words['said']}："] + ([f"  - {t}" for t in record.caller_said] or [f"  {words['none']}"])
    assessment = evaluate(record.facts, dt.date.fromisoformat(record.as_of), store=store)
    lines += ["", f"{words['facts']}：", *(f"  {k}：{v}" for k, v in report_page.facts_rows(store, record.facts))]
    if not assessment.for_lender:
        lines.append("  {}：{}".format(*class_row(record, store)))
    lines += ["", report.render(assessment), "", f"{words['data_version']}：{record.policy_version}"]
    return "\n".join(lines)


def as_page(record: Record, store: Store) -> str:
    """The record as a printable page: the 政策匹配报告's renderer with the record's own sections before it."""
    assessment = evaluate(record.facts, dt.date.fromisoformat(record.as_of), store=store)
    words = labels(store)
    asked = tuple((str(i), q) for i, q in enumerate(record.asked, 1)) or (("—", words["none"]),)
    said = tuple((str(i), t) for i, t in enumerate(record.caller_said, 1)) or (("—", words["none"]),)
    return report_page.render_page(assessment, store, record.facts, title=words["title"], extra=(
        report_page.Extra(words["header"], tuple(header_rows(record, store))),
        report_page.Extra(words["asked"], asked),
        report_page.Extra(words["said"], said)))
