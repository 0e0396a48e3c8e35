"""The console's supervisor endpoints (docs/contract.md E13), beside the page's supervision.js: staff accounts and the
audit trail. Who may call them is
bot/staff/roles.py's (supervisors); the request middleware has checked it, and the CSRF token, before these run.
Mounted with the other pages by :mod:`bot.web.pages`.

- ``GET /console/api/accounts`` — every account (never a hash), with the roles' words.
- ``POST /console/api/accounts`` ``{"login", "display", "role", "password"}`` — a new account (400 with the reason).
- ``PUT /console/api/accounts/<login>`` ``{"disabled": true|false}`` — disables (its sessions end at once) or
  enables an account.
- ``GET /console/api/audit?login=&action=&record=&since=&until=&limit=`` — the trail, newest first, with the
  actions' and roles' words; ``GET /console/api/audit.csv?…`` the same lines as CSV (itself a line of the trail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.staff import accounts, audit, sessions

from ..replies import NOT_FRAMEABLE, json_object, json_reply, secure
from ..routes import blueprint_of
from ..staff import server as staff

MAX_BODY = 4096


def _json(body: Any, status: int = 200) -> HTTPResponse:
    return json_reply(body, status, NOT_FRAMEABLE)


def _refused(e: accounts.AccountError) -> HTTPResponse:
    return _json({"error": staff.error(e.reason)}, status=404 if e.reason == "no_account" else 400)


def _time(value: Any) -> str | None:
    """An ISO date or date-time from a filter field, or None when empty; ValueError when it is neither."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 25:
        raise ValueError(value)
    (dt.date if len(value) == 10 else dt.datetime).fromisoformat(value)
    return value


def audit_filter(args) -> audit.Filter:
    """The filter of a request's query (ValueError for a time that is not one)."""
    def text(name: str, limit: int = 64) -> str | None:
        value = args.get(name)
        return value[:limit] if isinstance(value, str) and value.strip() else None

    action = text("action")
    limit = text("limit")
    return audit.Filter(login=text("login"), action=action if action in audit.ACTIONS else None,
                        record=text("record"), since=_time(args.get("since")), until=_time(args.get("until")),
                        limit=int(limit) if limit and limit.isdigit() else 200)


async def list_or_create_account(request: Request) -> HTTPResponse:
    """GET: every account; POST: a new one."""
    db = staff.database()
    if request.method == "POST":
        body = json_object(request, MAX_BODY, NOT_FRAMEABLE)
        if not isinstance(body, dict):
            return body
        try:
            made = accounts.create(db, body.get("login"), body.get("display"), body.get("role"),
                                   body.get("password"), by=request.ctx.actor.login)
        except accounts.AccountError as e:
            return _refused(e)
        staff.log(request, "account_create", detail=f"{made.login} {made.role}")
        return _json(made.to_payload(), status=201)
    return _json({"accounts": [a.to_payload() for a in accounts.listed(db)],
                  "roles": {role: staff.role_label(role) for role in accounts.ROLES}})


async def change_account(request: Request, login: str) -> HTTPResponse:
    """``{"disabled": true|false}``: disables an account (its sessions end at once) or enables it again."""
    body = json_object(request, MAX_BODY, NOT_FRAMEABLE)
    if not isinstance(body, dict):
        return body
    disabled = body.get("disabled")
    if not isinstance(disabled, bool):
        return _json({"error": staff.error("bad_account_change")}, status=400)
    db = staff.database()
    try:
        changed = accounts.set_disabled(db, login, disabled, by=request.ctx.actor.login)
    except accounts.AccountError as e:
        return _refused(e)
    ended = sessions.end_all(db, changed.login) if disabled else 0
    staff.log(request, "account_disable" if disabled else "account_enable",
              detail=f"{changed.login}" + (f" sessions={ended}" if disabled else ""))
    return _json(changed.to_payload())


async def trail(request: Request) -> HTTPResponse:
    """The audit trail, filtered, newest first, with the words of its actions, roles and columns."""
    try:
        where = audit_filter(request.args)
    except ValueError:
        return _json({"error": staff.error("bad_filter")}, status=400)
    w = staff.words()
    return _json({"lines": audit.find(staff.database(), where), "actions": w["actions"], "roles": w["roles"],
                  "columns": w["columns"]})


async def trail_csv(request: Request) -> HTTPResponse:
    """The same lines as CSV (up to audit.MAX_LINES); the export is itself a line of the trail."""
    try:
        where = audit_filter(request.args)
    except ValueError:
        return _json({"error": staff.error("bad_filter")}, status=400)
    w = staff.words()
    lines = audit.find(staff.database(), replace(where, limit=audit.MAX_LINES))
    staff.log(request, "audit_export", detail=f"{len(lines)}")
    return secure(response.raw(audit.as_csv(lines, w["columns"], w["actions"]).encode("utf-8"),
                               content_type="text/csv; charset=utf-8",
                               headers={"Cache-Control": "no-store",
                                        "Content-Disposition": 'attachment; filename="audit.csv"'}),
                  NOT_FRAMEABLE)


def blueprint() -> Blueprint:
    """Every route of the console's supervisor endpoints."""
    return blueprint_of("console_supervision", "/console/api", [
        ("/accounts", ["GET", "POST"], list_or_create_account),
        ("/accounts/<login:str>", ["PUT"], change_account),
        ("/audit", ["GET"], trail),
        ("/audit.csv", ["GET"], trail_csv),
    ])
