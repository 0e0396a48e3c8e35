"""Which roles each page and endpoint admits: the one table (issue 23). The request middleware (bot/channels/access.py)
looks every staff request up here by its method and the route it matched, as Sanic registered it; a route that is
not listed admits nobody, and tests/bot/test_roles_walk.py walks every registered route with every role.

- operators take calls and chats and edit their own records;
- supervisors do what operators do, see every record, the audit trail and the accounts;
- policy editors use the workbench: draft, check, preview and publish policy documents;
- trainees use the trainer and see only their own scores.

The operator token (``HUIQI_OPERATOR_TOKEN`` or ``build/operator-token``) is for automation (load tests,
monitoring): it is admitted only where TOKEN is listed, and every request it makes is written to the audit trail
as the token's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from bot.staff.accounts import OPERATOR, POLICY_EDITOR, ROLES, SUPERVISOR, TRAINEE

TOKEN = "token"
DESK = frozenset({OPERATOR, SUPERVISOR})            # the console's own work: calls, chats, records
STAFF = frozenset(ROLES)
TRAINING = frozenset({TRAINEE, SUPERVISOR})
EDITING = frozenset({POLICY_EDITOR})


def _any_method(roles: frozenset[str]) -> dict[str, frozenset[str]]:
    """A page's catch-all route: whatever the method, the page's own roles get its 404, everyone else a refusal."""
    return {method: roles for method in ("GET", "POST", "PUT", "DELETE", "PATCH")}


# route (as Sanic registers it, with a leading /) -> method -> the roles it admits
ENDPOINTS: dict[str, dict[str, frozenset[str]]] = {
    "/staff/signout": {"POST": STAFF},
    "/staff/api/me": {"GET": STAFF},
    "/console/api/session": {"GET": DESK | {TOKEN}},
    "/console/api/message": {"POST": DESK | {TOKEN}},
    "/console/api/state": {"GET": DESK | {TOKEN}},
    "/console/api/queue": {"GET": DESK | {TOKEN}},
    "/console/api/history": {"GET": DESK},
    "/console/api/takeover/<step:str>": {"POST": DESK},
    "/console/api/records": {"GET": DESK, "POST": DESK},
    "/console/api/records/<record_id:str>": {"GET": DESK, "PUT": DESK},
    "/console/api/accounts": {"GET": {SUPERVISOR}, "POST": {SUPERVISOR}},
    "/console/api/accounts/<login:str>": {"PUT": {SUPERVISOR}},
    "/console/api/outreach": {"GET": DESK},
    "/console/api/outreach/<task_id:int>": {"POST": DESK},
    "/console/api/audit": {"GET": {SUPERVISOR}},
    "/console/api/audit.csv": {"GET": {SUPERVISOR}},
    "/console/api/<rest:path>": _any_method(DESK),
    "/trainer/api/options": {"GET": TRAINING},
    "/trainer/api/round": {"POST": TRAINING},
    "/trainer/api/ask": {"POST": TRAINING},
    "/trainer/api/grade": {"POST": TRAINING},
    "/trainer/api/progress": {"GET": TRAINING},
    "/trainer/api/<rest:path>": _any_method(TRAINING),
    "/workbench/api/words": {"GET": EDITING},
    "/workbench/api/options": {"GET": EDITING},
    "/workbench/api/versions": {"GET": EDITING},
    "/workbench/api/draft": {"POST": EDITING},
    "/workbench/api/check": {"POST": EDITING},
    "/workbench/api/preview": {"POST": EDITING},
    "/workbench/api/publish": {"POST": EDITING},
    "/workbench/api/<rest:path>": _any_method(EDITING),
}

# The pages a signed-in person opens (a GET of the page itself; its static files carry no data), by role.
PAGES: dict[str, frozenset[str]] = {
    "/console/": DESK,
    "/trainer/": TRAINING,
    "/workbench/": EDITING,
}

# Where a role lands after signing in.
HOME: dict[str, str] = {OPERATOR: "/console/", SUPERVISOR: "/console/", TRAINEE: "/trainer/",
                        POLICY_EDITOR: "/workbench/"}

GUARDED_PREFIXES = ("/console/api/", "/trainer/api/", "/workbench/api/", "/staff/api/", "/staff/signout")
STATE_CHANGING = frozenset({"POST", "PUT", "DELETE", "PATCH"})


@dataclass(frozen=True)
class Actor:
    """Who makes a request: a signed-in account, or the automation token."""

    login: str
    display: str
    role: str
    via: str                     # "session" | "token"
    csrf: Optional[str] = None   # the session's CSRF token


def guarded(path: str) -> bool:
    return path.startswith(GUARDED_PREFIXES)


def admitted(method: str, route: str) -> frozenset[str]:
    """The roles (and TOKEN) a request by ``method`` to ``route`` admits; none for a route not in the table."""
    return ENDPOINTS.get(route, {}).get(method.upper(), frozenset())


def admits(method: str, route: str, role: str) -> bool:
    return role in admitted(method, route)


def page_roles(path: str) -> Optional[frozenset[str]]:
    """The roles a page admits, or None when ``path`` is no page of the table."""
    return PAGES.get(path if path.endswith("/") else path + "/")


def home(role: str) -> str:
    return HOME.get(role, "/console/")
