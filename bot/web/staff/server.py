"""The staff sign-in at ``/staff/`` and what every staff request goes through (issue 23, docs/contract.md E13).

- ``GET /staff/signin`` — the sign-in form; ``POST /staff/signin`` checks the login and password (off the event
  loop: argon2 takes about a second), counts failures in a row (slowed, then locked until a time the reply states:
  bot/staff/sessions.py) and sets the session cookie ``huiqi_staff``: HttpOnly, SameSite=Strict, Path=/, Secure over
  https, no expiry of its own (the server ends the session). The form carries a CSRF token of its own (the same
  random value in a SameSite=Strict cookie and a hidden field).
- ``POST /staff/signout`` ends the session on the server.
- ``GET /staff/api/me`` — who is signed in: ``{"login", "display", "role", "role_label", "csrf", "home"}``.
- :func:`gate`, called by the request middleware for every ``/console/api/``, ``/trainer/api/``, ``/staff/api/``
  request and the pages ``/console/`` and ``/trainer/``: who asks (a session, else the operator token for
  automation), whether bot/staff/roles.py admits them there (401 without either, 403 otherwise), and for a session's
  POST, PUT, DELETE or PATCH the header ``X-CSRF-Token``. The request then carries ``request.ctx.actor``.

Every sign-in, failure, lock and sign-out, and every request of the operator token, is a line of the audit trail.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from html import escape
from typing import Any, Optional

import sqlite_utils
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.staff import accounts, audit, migrations, roles, sessions
from bot.staff.access import authorized, operator_token
from bot.staff.roles import Actor
from policy_db import store as policy_db_store

from ..cookies import set_cookie
from ..replies import NOT_FRAMEABLE, json_reply, secure
from ..routes import blueprint_of

COOKIE = "huiqi_staff"
SIGNIN_COOKIE = "huiqi_signin"
SIGNIN_PATH = "/staff/signin"
CSRF_HEADER = "x-csrf-token"
MAX_FORM_BYTES = 4096


def words() -> dict:
    """The staff pages' words (policy_db/words.yaml ``pages.staff``)."""
    return policy_db_store.load().words.pages["staff"]


def error(reason: str, **values: Any) -> str:
    return words()["errors"][reason].format(**values)


def role_label(role: str) -> str:
    return words()["roles"].get(role, role)


_open: dict[str, sqlite_utils.Database] = {}


def database() -> sqlite_utils.Database:
    """This process's connection to the records database (the event loop's thread only), brought up to date once."""
    path = str(migrations.records_path())
    if path not in _open:
        _open[path] = migrations.open_records()
    return _open[path]


def client_ip(request: Request) -> str:
    return request.remote_addr or request.ip or ""


def log(request: Request, action: str, record: Optional[str] = None, sender: Optional[str] = None,
        detail: str = "", actor: Optional[Actor] = None) -> None:
    """One line of the audit trail for what this request did."""
    audit.log(database(), actor or request.ctx.actor, action, client_ip(request), record, sender, detail)


def _cookie(resp: HTTPResponse, request: Request, name: str, value: str, max_age: Optional[int] = None) -> None:
    set_cookie(resp, request, name, value, max_age=max_age)


def _json(body: Any, status: int = 200) -> HTTPResponse:
    return json_reply(body, status, NOT_FRAMEABLE)


# ---------------------------------------------------------------- who asks

def actor_of(request: Request) -> Optional[Actor]:
    """The account whose live session the cookie names, else the automation token in ``Authorization``, else None."""
    header = request.headers.get("authorization")
    if header is not None:
        if authorized(header, operator_token()):
            return Actor("token", words()["token_name"], roles.TOKEN, "token")
        return None
    session = sessions.current(database(), request.cookies.get(COOKIE))
    if session is None:
        return None
    account = session.account
    return Actor(account.login, account.display, account.role, "session", session.csrf)


def _refused(request: Request, actor: Optional[Actor], reason: str = "forbidden") -> HTTPResponse:
    if actor is None:
        resp = _json({"error": error("need_signin")}, status=401)
        resp.headers["WWW-Authenticate"] = 'Bearer realm="console"'
        return resp
    return _json({"error": error(reason, role=role_label(actor.role))}, status=403)


def _page_refused(request: Request, actor: Optional[Actor]) -> HTTPResponse:
    if actor is None or actor.via != "session":
        return secure(response.redirect(f"{SIGNIN_PATH}?next={request.path}", status=303,
                                        headers={"Cache-Control": "no-store"}), NOT_FRAMEABLE)
    return _signin_page(request, error("page_forbidden", role=role_label(actor.role)), status=403)


async def gate(request: Request) -> Optional[HTTPResponse]:
    """The staff part of the request middleware; None lets the request through with ``request.ctx.actor`` set."""
    path = request.path
    page = roles.page_roles(path) if request.method == "GET" else None
    if page is None and not roles.guarded(path):
        return None
    actor = actor_of(request)
    request.ctx.actor = actor
    if page is not None:
        return None if actor is not None and actor.via == "session" and actor.role in page else \
            _page_refused(request, actor)
    route = "/" + request.route.path if request.route is not None else path
    if actor is None or actor.role not in roles.admitted(request.method, route):
        return _refused(request, actor)
    if actor.via == "session" and request.method in roles.STATE_CHANGING and not secrets.compare_digest(
            (request.headers.get(CSRF_HEADER) or "").encode(), (actor.csrf or "").encode()):
        return _json({"error": error("csrf")}, status=403)
    if actor.via == "token":
        log(request, "token_use", detail=f"{request.method} {path}")
    return None


# ---------------------------------------------------------------- sign-in, sign-out

def _page_after(value: Any, role: Optional[str] = None) -> str:
    """Where to go after signing in: a page of the table (never an address given from outside)."""
    if isinstance(value, str) and roles.page_roles(value) is not None and (
            role is None or role in roles.page_roles(value)):
        return value if value.endswith("/") else value + "/"
    return roles.home(role) if role else "/console/"


def _signin_page(request: Request, problem: str = "", status: int = 200, after: str = "/console/",
                 login: str = "") -> HTTPResponse:
    w = words()
    token = secrets.token_urlsafe(24)
    note = f'<p class="signin-error" role="alert">{escape(problem)}</p>' if problem else ""
    page = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(w["signin_title"])}</title><link rel="icon" href="/chat/avatar-bot.svg" type="image/svg+xml">'
            '<link rel="stylesheet" href="/console/console.css"></head>'
            f'<body class="console staff-signin"><main class="signin"><h1>{escape(w["signin_title"])}</h1>'
            f'<p>{escape(w["signin_intro"])}</p>{note}'
            f'<form method="post" action="{SIGNIN_PATH}" autocomplete="off">'
            f'<label for="login">{escape(w["login"])}</label>'
            f'<input id="login" name="login" required maxlength="{accounts.MAX_LOGIN}" autocomplete="username" '
            f'value="{escape(login)}">'
            f'<label for="password">{escape(w["password"])}</label>'
            f'<input id="password" name="password" type="password" required autocomplete="current-password">'
            f'<input name="next" type="hidden" value="{escape(after)}">'
            f'<input name="csrf" type="hidden" value="{token}">'
            f'<button type="submit" class="console-button console-primary">{escape(w["submit"])}</button>'
            '</form></main></body></html>')
    resp = secure(response.html(page, status=status, headers={"Cache-Control": "no-store"}), NOT_FRAMEABLE)
    _cookie(resp, request, SIGNIN_COOKIE, token, max_age=3600)
    return resp


def _clock(epoch: float) -> str:
    return time.strftime("%H:%M", time.localtime(epoch))


def _form(request: Request) -> dict:
    if len(request.body or b"") > MAX_FORM_BYTES:
        return {}
    try:
        form = request.form or {}
    except Exception:
        return {}
    return {k: form.get(k) for k in ("login", "password", "next", "csrf")}


def _verify(path: str, login: Any, password: Any) -> Optional[accounts.Account]:
    """accounts.verify on a connection of its own (it runs on a worker thread)."""
    db = migrations.open_records(path)
    try:
        return accounts.verify(db, login, password)
    finally:
        db.conn.close()


async def signin(request: Request) -> HTTPResponse:
    if request.method == "GET":
        return _signin_page(request, after=_page_after(request.args.get("next")))
    form = _form(request)
    after, given = _page_after(form.get("next")), form.get("login") if isinstance(form.get("login"), str) else ""
    cookie = request.cookies.get(SIGNIN_COOKIE) or ""
    if not cookie or not isinstance(form.get("csrf"), str) or not secrets.compare_digest(
            cookie.encode(), form["csrf"].encode()):
        return _signin_page(request, error("csrf"), 403, after, given[:accounts.MAX_LOGIN])
    db = database()
    someone = Actor(given.strip().lower()[:accounts.MAX_LOGIN], "", "", "session")
    until = sessions.locked_until(db, given)
    if until is not None:
        log(request, "signin_locked", actor=someone)
        return _signin_page(request, error("locked", until=_clock(until)), 429, after, given[:accounts.MAX_LOGIN])
    account = await asyncio.get_running_loop().run_in_executor(
        None, _verify, str(migrations.records_path()), given, form.get("password"))
    if account is None:
        failure = sessions.failed(db, given)
        log(request, "signin_failed", actor=someone, detail=str(failure.failures))
        await asyncio.sleep(failure.delay)
        if failure.locked_until is not None:
            log(request, "signin_locked", actor=someone)
            problem, status = error("locked", until=_clock(failure.locked_until)), 429
        else:
            problem, status = error("wrong"), 401
        return _signin_page(request, problem, status, after, given[:accounts.MAX_LOGIN])
    session_id, _ = sessions.start(db, account, client_ip(request))
    log(request, "signin", actor=Actor(account.login, account.display, account.role, "session"))
    resp = secure(response.redirect(_page_after(form.get("next"), account.role), status=303,
                                    headers={"Cache-Control": "no-store"}), NOT_FRAMEABLE)
    _cookie(resp, request, COOKIE, session_id)
    _cookie(resp, request, SIGNIN_COOKIE, "", max_age=0)
    return resp


async def signout(request: Request) -> HTTPResponse:
    sessions.end(database(), request.cookies.get(COOKIE))
    log(request, "signout")
    resp = secure(response.redirect(SIGNIN_PATH, status=303, headers={"Cache-Control": "no-store"}), NOT_FRAMEABLE)
    _cookie(resp, request, COOKIE, "", max_age=0)
    return resp


async def me(request: Request) -> HTTPResponse:
    actor: Actor = request.ctx.actor
    return _json({"login": actor.login, "display": actor.display, "role": actor.role,
                  "role_label": role_label(actor.role), "csrf": actor.csrf, "home": roles.home(actor.role)})


def blueprint() -> Blueprint:
    """Every route of the staff sign-in (``gate`` is the middleware's, not a route)."""
    return blueprint_of("staff_pages", "/staff", [
        ("/signin", ["GET", "POST"], signin),
        ("/signout", ["POST"], signout),
        ("/api/me", ["GET"], me),
    ])
