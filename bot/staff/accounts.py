"""Staff accounts (issue 23): who signs in to the console, the trainer and the workbench, with which role.

An account lives in the records database (bot/staff/migrations.py, table ``accounts``): a login name, the display
name records and conversations show, a role, an argon2id hash of the password (argon2-cffi's ``PasswordHasher``,
its salt and parameters inside the hash), when and by whom it was created, and when it was disabled. A password is
never stored, logged or returned; a disabled account signs in no more and its sessions end at once
(bot/staff/sessions.py). Accounts are created and disabled by a supervisor in the console; the first supervisor by
``python -m bot.staff.accounts create-supervisor`` (``make admin``), which asks for the password (no default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.staff import migrations

OPERATOR, SUPERVISOR, POLICY_EDITOR, TRAINEE = "operator", "supervisor", "policy_editor", "trainee"
ROLES = (OPERATOR, SUPERVISOR, POLICY_EDITOR, TRAINEE)
LOGIN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._-"
MAX_LOGIN, MAX_DISPLAY = 32, 30
MIN_PASSWORD, MAX_PASSWORD = 10, 200
HASHER = PasswordHasher()  # argon2id, 64 MiB, 3 passes: about a second here, so verified off the event loop
COLUMNS = "login, display, role, created, created_by, disabled, disabled_by"


class AccountError(ValueError):
    """What cannot be done to an account; ``reason`` names the sentence (words ``pages.staff.errors``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Account:
    login: str
    display: str
    role: str
    created: str
    created_by: str
    disabled: Optional[str] = None
    disabled_by: Optional[str] = None

    @property
    def active(self) -> bool:
        return self.disabled is None

    def to_payload(self) -> dict:
        """What the console shows of an account (never the hash)."""
        return {"login": self.login, "display": self.display, "role": self.role, "created": self.created,
                "created_by": self.created_by, "disabled": self.disabled, "disabled_by": self.disabled_by}


def now_text(now: Optional[dt.datetime] = None) -> str:
    return (now or dt.datetime.now().astimezone()).isoformat(timespec="seconds")


def login_name(raw: object) -> str:
    """A login as stored: lower case letters, digits and ``. _ -``, 2–32 characters, starting with a letter or a
    digit (工号 like ``0123`` or ``wangfang``)."""
    login = raw.strip().lower() if isinstance(raw, str) else ""
    if not 2 <= len(login) <= MAX_LOGIN or not login[0].isalnum() or any(c not in LOGIN_CHARS for c in login):
        raise AccountError("bad_login")
    return login


def display_name(raw: object) -> str:
    """The name records and conversations show: 1–30 characters, NFKC-normalised, no control characters. Anything
    else is allowed, so every page must escape it (they do: text nodes only)."""
    name = unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) else ""
    if not 1 <= len(name) <= MAX_DISPLAY or any(unicodedata.category(c)[0] == "C" for c in name):
        raise AccountError("bad_display")
    return name


def role_of(raw: object) -> str:
    if raw not in ROLES:
        raise AccountError("bad_role")
    return raw


def checked_password(raw: object) -> str:
    if not isinstance(raw, str) or not MIN_PASSWORD <= len(raw) <= MAX_PASSWORD:
        raise AccountError("bad_password")
    return raw


def _account(row: dict) -> Account:
    return Account(**{k: row[k] for k in COLUMNS.split(", ")})


def get(db: sqlite_utils.Database, login: str) -> Optional[Account]:
    rows = list(db.query(f"select {COLUMNS} from accounts where login = ?", [login]))
    return _account(rows[0]) if rows else None


def listed(db: sqlite_utils.Database) -> list[Account]:
    """Every account, active ones first, then by role and login."""
    return [_account(r) for r in db.query(
        f"select {COLUMNS} from accounts order by disabled is not null, role, login")]


def create(db: sqlite_utils.Database, login: object, display: object, role: object, password: object,
           by: str) -> Account:
    """A new account; AccountError when a field is not valid or the login is taken."""
    account = Account(login_name(login), display_name(display), role_of(role), now_text(), by)
    hashed = HASHER.hash(checked_password(password))
    with db.atomic():
        if get(db, account.login) is not None:
            raise AccountError("login_taken")
        db.execute("insert into accounts (login, display, role, password_hash, created, created_by) "
                   "values (?, ?, ?, ?, ?, ?)",
                   [account.login, account.display, account.role, hashed, account.created, account.created_by])
    return account


def set_disabled(db: sqlite_utils.Database, login: str, disabled: bool, by: str) -> Account:
    """Disables an account or enables it again. A disabled account's sessions are refused from their next request
    (sessions.current reads this) and ended (sessions.end_all). A supervisor cannot disable their own account, so
    one always remains who can enable the others."""
    if get(db, login) is None:
        raise AccountError("no_account")
    if disabled and login == by:
        raise AccountError("not_yourself")
    if disabled:
        db.execute("update accounts set disabled = ?, disabled_by = ? where login = ? and disabled is null",
                   [now_text(), by, login])
    else:
        db.execute("update accounts set disabled = null, disabled_by = null where login = ?", [login])
    return get(db, login)


@lru_cache(maxsize=1)
def _no_account_hash() -> str:
    """Verified when the login is unknown, so a wrong login costs the time a wrong password costs."""
    return HASHER.hash("no account has this password")


def verify(db: sqlite_utils.Database, login: object, password: object) -> Optional[Account]:
    """The active account whose password this is, else None. Slow on purpose (argon2): call it off the event loop.
    An unknown login is checked against a dummy hash, so it takes as long as a wrong password."""
    try:
        name = login_name(login)
    except AccountError:
        name = ""
    rows = list(db.query("select password_hash from accounts where login = ? and disabled is null", [name])) \
        if name else []
    hashed = rows[0]["password_hash"] if rows else _no_account_hash()
    try:
        HASHER.verify(hashed, password if isinstance(password, str) else "")
    except (VerificationError, InvalidHashError):
        return None
    if not rows:
        return None
    if HASHER.check_needs_rehash(hashed):  # stronger parameters since it was set: rehash while we have it
        db.execute("update accounts set password_hash = ? where login = ?", [HASHER.hash(password), name])
    return get(db, name)


def supervisors(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from accounts where role = ? and disabled is null", [SUPERVISOR]).fetchone()[0]


# ---------------------------------------------------------------- the first supervisor, from a terminal

def _ask_password(ask=getpass.getpass) -> str:
    for _ in range(3):
        first = ask(f"密码（至少 {MIN_PASSWORD} 个字符，输入时不显示）：")
        try:
            checked_password(first)
        except AccountError:
            print(f"密码应为 {MIN_PASSWORD}–{MAX_PASSWORD} 个字符。", file=sys.stderr)
            continue
        if ask("再输入一次：") == first:
            return first
        print("两次输入不一致。", file=sys.stderr)
    raise SystemExit("未设置密码，没有创建账号。")


def main(argv: Optional[list[str]] = None, ask=getpass.getpass) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.staff.accounts", description="工作人员账号")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create-supervisor", help="创建主管账号（第一个账号由此创建，其余在控制台中创建）")
    make.add_argument("--login", required=True, help="登录名：小写字母、数字和 . _ -，2–32 个字符")
    make.add_argument("--name", required=True, help="显示的姓名（工单、对话中可见）")
    make.add_argument("--db", default=None, help="工单库（默认 build/records.db 或 HUIQI_RECORDS_DB）")
    make.add_argument("--url", default="http://localhost:5005", help="助手的地址（用于提示登录页）")
    args = parser.parse_args(argv)
    db = migrations.open_records(args.db)
    try:
        login, display = login_name(args.login), display_name(args.name)
    except AccountError as e:
        raise SystemExit({"bad_login": "登录名应为 2–32 个小写字母、数字或 . _ -，以字母或数字开头。",
                          "bad_display": f"姓名应为 1–{MAX_DISPLAY} 个字符。"}[e.reason])
    if get(db, login) is not None:
        raise SystemExit(f"登录名 {login} 已被使用。")
    create(db, login, display, SUPERVISOR, _ask_password(ask), by="make admin")
    print(f"已创建主管账号 {login}（{display}），请在 {args.url.rstrip('/')}/staff/signin 登录；"
          "其他工作人员的账号由主管在控制台的“账号”页创建。")


if __name__ == "__main__":
    main()
