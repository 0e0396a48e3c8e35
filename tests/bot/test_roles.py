"""The one table of who may do what (bot/staff/roles.py). That every route the server registers is in it and each
role gets exactly what it admits, over HTTP, is tests/bot/test_roles_walk.py."""

from __future__ import annotations

from bot.staff import roles
from bot.staff.accounts import OPERATOR, POLICY_EDITOR, ROLES, SUPERVISOR, TRAINEE


def test_every_entry_names_known_roles_and_methods_only():
    for route, methods in roles.ENDPOINTS.items():
        assert route.startswith(roles.GUARDED_PREFIXES), route
        for method, admitted in methods.items():
            assert method in {"GET", "POST", "PUT", "DELETE", "PATCH"}
            assert admitted and admitted <= set(ROLES) | {roles.TOKEN}, (route, method)


def test_the_automation_token_reaches_only_what_scripts_need_and_never_a_record():
    with_token = sorted((route, method) for route, methods in roles.ENDPOINTS.items()
                        for method, admitted in methods.items() if roles.TOKEN in admitted)
    assert with_token == [("/console/api/message", "POST"), ("/console/api/queue", "GET"),
                          ("/console/api/session", "GET"), ("/console/api/state", "GET")]


def test_each_role_reaches_only_what_it_needs():
    assert roles.admits("GET", "/console/api/audit", SUPERVISOR)
    assert not roles.admits("GET", "/console/api/audit", OPERATOR)
    assert not roles.admits("POST", "/console/api/accounts", OPERATOR)
    assert roles.admits("PUT", "/console/api/records/<record_id:str>", OPERATOR)
    assert not roles.admits("GET", "/console/api/records", TRAINEE)
    assert not roles.admits("GET", "/console/api/records", POLICY_EDITOR)
    assert roles.admits("POST", "/trainer/api/round", TRAINEE)
    assert not roles.admits("POST", "/trainer/api/round", OPERATOR)
    assert roles.admits("GET", "/staff/api/me", POLICY_EDITOR)
    assert roles.page_roles("/console") == {OPERATOR, SUPERVISOR}
    assert roles.page_roles("/trainer/") == {TRAINEE, SUPERVISOR}
    assert roles.page_roles("/chat/") is None


def test_a_route_or_method_not_in_the_table_admits_nobody():
    assert roles.admitted("GET", "/console/api/somewhere-new") == frozenset()
    assert roles.admitted("DELETE", "/console/api/records/<record_id:str>") == frozenset()
    assert roles.admitted("get", "/console/api/queue") == roles.admitted("GET", "/console/api/queue")


def test_every_role_has_a_home_page_it_may_open():
    for role in ROLES:
        home = roles.home(role)
        assert home in roles.PAGES
        if role != POLICY_EDITOR:  # the workbench, their page, is not served yet
            assert role in roles.PAGES[home]
