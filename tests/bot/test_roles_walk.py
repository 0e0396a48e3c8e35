"""Every route the server registers under the console, the trainer and the staff API, walked with every role, the
automation token and nobody, over HTTP (tests/bot/staff_app.py: the real pages and middleware, Rasa's in-memory
stores): admitted as bot/staff/roles.py says, refused with 403 (401 for nobody) otherwise, never a 500. Then the
sign-in itself: the cookie's flags, a wrong password, the lock and what it says, the CSRF token, sign-out, and a
disabled account's open session."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlencode

import pytest
from argon2 import PasswordHasher

from bot.staff import accounts, audit, migrations, roles, sessions
from testing.app_process import serving, staff_app
from testing.staff import session_headers
from tests.security.http_client import call

TOKEN = "walk-token-Zx9-automation"
PASSWORD = "walk password 1"
IDENTITIES = ("nobody", "token", *accounts.ROLES)
PARAMS = {"record_id": "0123456789ab", "step": "take", "login": "nobody-here", "rest": "x", "task_id": "1"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("staff")
    records = work / "records.db"
    db = migrations.open_records(records)
    kept, accounts.HASHER = accounts.HASHER, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        for role in accounts.ROLES:
            accounts.create(db, role.replace("_", "-"), f"<b>{role}</b>", role, PASSWORD, by="test")
    finally:
        accounts.HASHER = kept
    env = {"HUIQI_RECORDS_DB": str(records), "HUIQI_TRAINER_DB": str(work / "trainer.db"),
           "HUIQI_OPERATOR_TOKEN": TOKEN, "HUIQI_CONVERSATION_KEY": "walk-conversation-key", "HUIQI_ACCESS": ""}
    with serving(staff_app, env) as url:
        yield url, db, work


def signed(db, role: str) -> dict:
    """The headers of a fresh session of the role's account: its cookie and CSRF token."""
    return session_headers(db, role.replace("_", "-"))


def headers_of(db, who: str) -> dict:
    if who == "nobody":
        return {}
    if who == "token":
        return {"Authorization": f"Bearer {TOKEN}"}
    return signed(db, who)


def guarded_routes(url: str) -> list[tuple[str, str, str]]:
    """(method, route as registered, path to request) for every guarded route of the running app."""
    listed = json.loads(call(url, "GET", "/__routes").body)
    walk = []
    for route in listed:
        if not roles.guarded(route["path"]):
            continue
        path = re.sub(r"<(\w+):[^>]+>", lambda m: PARAMS[m.group(1)], route["path"])
        walk += [(method, route["path"], path) for method in route["methods"] if method not in ("HEAD", "OPTIONS")]
    return walk


def test_every_guarded_route_is_in_the_table(server):
    url, _, _ = server
    walk = guarded_routes(url)
    assert len(walk) >= 25
    missing = sorted({(m, r) for m, r, _ in walk if not roles.admitted(m, r)})
    assert missing == [], f"add these routes to bot/staff/roles.py ENDPOINTS: {missing}"


@pytest.mark.parametrize("who", IDENTITIES)
def test_each_identity_gets_what_the_table_admits_and_a_refusal_elsewhere_never_a_500(server, who):
    url, db, _ = server
    wrong = []
    for method, route, path in guarded_routes(url):
        body = b"{}" if method in roles.STATE_CHANGING else None
        headers = headers_of(db, who)  # a session of its own: the walk signs out too
        reply = call(url, method, path, body, {**headers, "Content-Type": "application/json",
                                               "X-Huiqi-Sender": "call-walk1"})
        admitted = who in roles.admitted(method, route)
        if reply.status >= 500:
            wrong.append((method, path, reply.status, reply.text[:200]))
        elif not admitted and reply.status != (401 if who == "nobody" else 403):
            wrong.append((method, path, reply.status, "should be refused"))
        elif admitted and reply.status in (401, 403) and "不是您经办的" not in reply.text:
            wrong.append((method, path, reply.status, reply.text[:200]))
    assert wrong == []


@pytest.mark.parametrize("who", IDENTITIES)
def test_the_pages_open_for_their_roles_and_send_others_to_sign_in(server, who):
    url, db, _ = server
    for page in roles.PAGES:
        reply = call(url, "GET", page, None, headers_of(db, who))
        if who not in ("nobody", "token") and who in roles.PAGES[page]:
            assert reply.status == 200 and "<!doctype html>" in reply.text.lower()
        elif who in ("nobody", "token"):
            assert (reply.status, reply.headers["location"]) == (303, f"/staff/signin?next={page}")
        else:
            assert reply.status == 403 and "不能使用这个页面" in reply.text


def test_a_change_without_the_sessions_csrf_token_is_refused_and_changes_nothing(server):
    url, db, _ = server
    headers = signed(db, accounts.SUPERVISOR)
    body = json.dumps({"login": "csrf-victim", "display": "某", "role": "operator", "password": PASSWORD}).encode()
    for given in ({}, {"X-CSRF-Token": "guessed"}):
        plain = {k: v for k, v in headers.items() if k != "X-CSRF-Token"}
        reply = call(url, "POST", "/console/api/accounts", body, {**plain, **given, "Content-Type": "application/json"})
        assert reply.status == 403 and "刷新" in reply.json()["error"]
    assert accounts.get(db, "csrf-victim") is None


def _signin_form(url: str) -> tuple[str, str]:
    page = call(url, "GET", "/staff/signin?next=/console/")
    token = re.search(r'name="csrf" type="hidden" value="([^"]+)"', page.text).group(1)
    cookie = page.headers["set-cookie"].split(";")[0]
    assert cookie == f"huiqi_signin={token}"
    return token, cookie


def sign_in(url: str, login: str, password: str, next_page: str = "/console/"):
    token, cookie = _signin_form(url)
    form = urlencode({"login": login, "password": password, "next": next_page, "csrf": token}).encode()
    return call(url, "POST", "/staff/signin", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                      "Cookie": cookie})


def test_signing_in_sets_a_strict_httponly_session_cookie_and_audits_it(server):
    url, db, _ = server
    reply = sign_in(url, "operator", PASSWORD, "/trainer/")
    assert reply.status == 303 and reply.headers["location"] == "/console/"  # not a page an operator may open
    cookie = next(c for c in reply.set_cookies if c.startswith("huiqi_staff="))
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags and "secure" not in flags
    assert "max-age" not in flags and "expires" not in flags  # the server ends the session, not the browser
    session_id = re.search(r"huiqi_staff=([^;]+)", cookie).group(1)
    me = call(url, "GET", "/staff/api/me", None, {"Cookie": f"huiqi_staff={session_id}"}).json()
    assert (me["login"], me["role"], me["display"]) == ("operator", "operator", "<b>operator</b>")
    assert PASSWORD not in json.dumps(me)
    line = audit.find(db, audit.Filter(login="operator", action="signin"))[0]
    assert line["ip"] == "127.0.0.1" and line["via"] == "session"
    out = call(url, "POST", "/staff/signout", b"", {"Cookie": f"huiqi_staff={session_id}",
                                                     "X-CSRF-Token": me["csrf"]})
    assert out.status == 303
    assert call(url, "GET", "/staff/api/me", None, {"Cookie": f"huiqi_staff={session_id}"}).status == 401


def test_a_sign_in_form_without_its_own_csrf_token_is_refused(server):
    url, _, _ = server
    form = urlencode({"login": "operator", "password": PASSWORD, "csrf": "made-up"}).encode()
    reply = call(url, "POST", "/staff/signin", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                       "Cookie": "huiqi_signin=other"})
    assert reply.status == 403 and not any(c.startswith("huiqi_staff=") for c in reply.set_cookies)


def test_failed_sign_ins_lock_the_login_and_the_reply_says_until_when(server):
    url, db, _ = server
    started = time.time()
    replies = [sign_in(url, "trainee", "not the password") for _ in range(sessions.FAILURES_TO_LOCK)]
    assert [r.status for r in replies] == [401] * (sessions.FAILURES_TO_LOCK - 1) + [429]
    assert time.time() - started >= sum(min(sessions.MAX_DELAY, 0.5 * 2 ** i)
                                        for i in range(sessions.FAILURES_TO_LOCK)) - 0.5  # slowed
    assert "登录名或密码不正确" in replies[0].text and PASSWORD not in replies[0].text
    until = time.strftime("%H:%M", time.localtime(sessions.locked_until(db, "trainee")))
    locked = sign_in(url, "trainee", PASSWORD)  # the right password changes nothing while locked
    assert locked.status == 429 and f"锁定至{until}" in locked.text
    assert not any(c.startswith("huiqi_staff=") for c in locked.set_cookies)
    actions = [line["action"] for line in audit.find(db, audit.Filter(login="trainee"))]
    assert actions.count("signin_failed") == sessions.FAILURES_TO_LOCK and "signin_locked" in actions


def test_a_disabled_accounts_open_session_is_refused_at_its_next_request(server):
    url, db, _ = server
    accounts_before = accounts.get(db, "policy-editor")
    headers = signed(db, accounts.POLICY_EDITOR)
    assert call(url, "GET", "/staff/api/me", None, headers).status == 200
    chief = signed(db, accounts.SUPERVISOR)
    change = call(url, "PUT", "/console/api/accounts/policy-editor", json.dumps({"disabled": True}).encode(),
                  {**chief, "Content-Type": "application/json"})
    assert change.status == 200 and change.json()["disabled"]
    assert call(url, "GET", "/staff/api/me", None, headers).status == 401
    assert call(url, "PUT", "/console/api/accounts/policy-editor", json.dumps({"disabled": False}).encode(),
                {**chief, "Content-Type": "application/json"}).status == 200
    assert accounts.get(db, "policy-editor").active and accounts_before.active
    assert [line["action"] for line in audit.find(db, audit.Filter(login="supervisor"))][:2] == [
        "account_enable", "account_disable"]


def test_the_automation_token_is_logged_as_such_and_opens_no_record(server):
    url, db, _ = server
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert call(url, "GET", "/console/api/queue", None, headers).status == 200
    assert call(url, "GET", "/console/api/records", None, headers).status == 403
    line = audit.find(db, audit.Filter(login="token"))[0]
    assert (line["via"], line["action"], line["detail"]) == ("token", "token_use", "GET /console/api/queue")
    assert call(url, "GET", "/console/api/queue", None, {"Authorization": "Bearer wrong"}).status == 401
