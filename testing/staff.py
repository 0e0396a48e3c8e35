"""Staff over HTTP, as a test needs them (docs/contract.md E14): an account made in the servers' records database,
and a signed-in session that calls the console's endpoints with its cookie and CSRF token, the way the console page
does. The browser tests sign the same accounts in through the form itself."""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from argon2 import PasswordHasher

from bot.staff import accounts, migrations, sessions

SENDER_HEADER = "X-Huiqi-Sender"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Staff:
    """A staff account made for a test, and its password."""

    login: str
    display: str
    role: str
    password: str


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # verifying reads the cost from the hash


def create_accounts(db, *people: tuple[str, str, str, str]) -> None:
    """Accounts (login, display name, role, password) in a records database a test's servers will open, hashed
    cheaply: a test signs in many times, and the production cost would only slow it down."""
    kept, accounts.HASHER = accounts.HASHER, CHEAP_HASHER
    try:
        for login, display, role, password in people:
            accounts.create(db, login, display, role, password, by="test")
    finally:
        accounts.HASHER = kept


def make_staff(role: str, display: str) -> Staff:
    """An account in the records database the servers use (HUIQI_RECORDS_DB, set when they started), with a login
    of its own."""
    login = f"{role.replace('_', '-')}-{secrets.token_hex(4)}"  # unique across the run's test files and servers
    password = f"pw-{login}-correct"
    db = migrations.open_records()
    try:
        accounts.create(db, login, display, role, password, by="test")
    finally:
        db.conn.close()
    return Staff(login, display, role, password)


class StaffSession:
    """A signed-in person's calls: the session cookie on each, the CSRF token on each change, a conversation id in
    the header for reads."""

    def __init__(self, url: str, who: Staff):
        self.url, self.who, self.csrf = url, who, None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = self._open(urllib.request.Request(url + "/staff/signin")).read().decode()
        csrf = re.search(r'name="csrf" type="hidden" value="([^"]+)"', form).group(1)
        fields = urllib.parse.urlencode({"login": who.login, "password": who.password, "next": "/console/",
                                         "csrf": csrf}).encode()
        self._open(urllib.request.Request(url + "/staff/signin", data=fields,
                                          headers={"Content-Type": "application/x-www-form-urlencoded"}))
        status, me = self.call("/staff/api/me")
        assert status == 200, (status, me)
        self.csrf = me["csrf"]

    def _open(self, request: urllib.request.Request, timeout: float = 120):
        return self.opener.open(request, timeout=timeout)

    def call(self, path: str, body=None, method: str | None = None, sender: str | None = None):
        """(status, the JSON answer or the page's text)."""
        method = method or ("POST" if body is not None else "GET")
        headers = {"Content-Type": "application/json"}
        if method != "GET" and self.csrf:
            headers[CSRF_HEADER] = self.csrf
        if sender is not None:
            headers[SENDER_HEADER] = sender
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        try:
            with self._open(urllib.request.Request(self.url + path, data=data, headers=headers,
                                                   method=method)) as response:
                raw = response.read().decode()
                return response.status, json.loads(raw) if "json" in response.headers["Content-Type"] else raw
        except urllib.error.HTTPError as e:
            raw = e.read() or b"null"
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode()


def session_headers(db, login: str) -> dict:
    """The headers of a fresh session of ``login``'s account, made straight in the records database: its cookie and
    CSRF token (what a browser that signed in sends)."""
    session_id, session = sessions.start(db, accounts.get(db, login))
    return {"Cookie": f"huiqi_staff={session_id}", "X-CSRF-Token": session.csrf}
