"""Staff accounts in a real browser (docs/contract.md E13, issue 23): a supervisor creates an operator in the console;
the operator signs in, takes a call and files its record; the supervisor sees the record and the audit lines of each
step; the operator cannot open the audit trail; a hostile display name is shown as text."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, FIRST
from tests.browser.test_console import Console

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=pwned=1>"  # within the 30 characters of a display name


@pytest.fixture
def contexts(browser):
    made = []

    def new():
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        made.append(context)
        return context.new_page()

    yield new
    for context in made:
        context.close()


def test_a_supervisor_creates_an_operator_who_files_a_record_and_every_step_is_in_the_audit_trail(
        contexts, assistant, make_staff, artifacts):
    chief_account = make_staff("supervisor", "张主管")
    chief = Console(contexts(), assistant.url)
    chief.sign_in(chief_account)
    assert chief.page.locator("#nav-accounts").is_visible() and chief.page.locator("#nav-audit").is_visible()

    # The supervisor creates the operator's account in the console.
    login = f"op-{chief_account.login}"
    chief.page.click("#nav-accounts")
    chief.page.fill("#account-login", login)
    chief.page.fill("#account-display", HOSTILE)
    chief.page.select_option("#account-role", "operator")
    chief.page.fill("#account-password", "operator password 1")
    chief.page.click("#account-create")
    row = chief.page.locator(f"#accounts-list tr[data-login='{login}']")
    row.wait_for(timeout=10_000)
    assert row.locator("td").nth(1).inner_text() == HOSTILE  # text, not markup
    assert row.locator("img").count() == 0

    # The operator signs in with it, takes a call and files the record.
    desk = Console(contexts(), assistant.url)
    page = desk.page
    page.goto(assistant.url + "/console/")
    page.fill("#login", login)
    page.fill("#password", "operator password 1")
    page.click("form[action='/staff/signin'] button[type=submit]")
    page.wait_for_selector("html[data-view=call]", timeout=30_000)
    assert page.inner_text("#operator-label").endswith(HOSTILE)
    call = desk.call_id()
    desk.say(FIRST)
    page.click("#end-call")
    page.wait_for_selector("html[data-view=records]")
    record = page.evaluate("() => window.HuiqiConsole.record()")
    assert (record["sender"], record["operator"], record["account"]) == (call, HOSTILE, login)
    with page.context.expect_page() as opened:
        page.click("#record-print")
    printed = opened.value
    printed.wait_for_load_state()
    assert HOSTILE in printed.inner_text("main") and printed.locator("img[src=x]").count() == 0
    assert page.evaluate("() => window.pwned") is None and printed.evaluate("() => window.pwned") is None

    # The operator cannot open the audit trail nor the accounts: the page hides them and the server refuses.
    assert not page.locator("#nav-audit").is_visible()
    refused = page.evaluate("""async () => [(await fetch('/console/api/audit')).status,
                                            (await fetch('/console/api/audit.csv')).status,
                                            (await fetch('/console/api/accounts')).status]""")
    assert refused == [403, 403, 403]
    desk.errors = [e for e in desk.errors if "403" not in e]  # the refusals just asked for

    # The supervisor sees the record and the audit lines of each step.
    chief.page.click("#nav-records")
    chief.page.wait_for_selector(f"#records-list .record-open[data-id='{record['id']}']", timeout=10_000)
    chief.page.click("#nav-audit")
    chief.page.fill("#audit-login", login)
    chief.page.click("#audit-filter button[type=submit]")
    chief.page.wait_for_function("() => document.querySelectorAll('#audit-list tr').length >= 3")
    actions = chief.page.locator("#audit-list tr").evaluate_all("rows => rows.map(r => r.dataset.action)")
    assert {"signin", "record_file", "record_export"} <= set(actions)
    chief.page.fill("#audit-login", "")
    chief.page.fill("#audit-record", record["id"])
    chief.page.click("#audit-filter button[type=submit]")
    chief.page.wait_for_function("() => document.querySelectorAll('#audit-list tr').length >= 2")
    lines = chief.page.locator("#audit-list tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.action, r.cells[2].textContent])")
    assert ("record_file", login) in {tuple(x) for x in lines}
    chief.page.fill("#audit-record", "")
    chief.page.fill("#audit-login", chief_account.login)
    chief.page.click("#audit-filter button[type=submit]")
    chief.page.wait_for_function("() => [...document.querySelectorAll('#audit-list tr')].some("
                                 "r => r.dataset.action === 'account_create')")
    with chief.page.expect_download() as download:
        chief.page.click("#audit-csv")
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "创建账号" in csv_text and login in csv_text
    assert chief.errors == [] and desk.errors == []
    chief.page.screenshot(path=str(artifacts / "console-audit.png"), full_page=True)


def test_a_disabled_operator_is_sent_back_to_the_sign_in_at_the_next_request(contexts, assistant, make_staff):
    chief = Console(contexts(), assistant.url)
    chief.sign_in(make_staff("supervisor", "李主管"))
    operator = make_staff("operator", "被停用的接线员")
    desk = Console(contexts(), assistant.url)
    desk.sign_in(operator)
    chief.page.click("#nav-accounts")
    chief.page.locator(f"#accounts-list tr[data-login='{operator.login}'] button").click()
    chief.page.wait_for_selector(f"#accounts-list tr.account-disabled[data-login='{operator.login}']")
    # Its next request (the queue's count, asked every two seconds while the console is open) ends on the sign-in.
    desk.page.wait_for_selector("form[action='/staff/signin']", timeout=10_000)
    sign_in_again = desk.page
    sign_in_again.fill("#login", operator.login)
    sign_in_again.fill("#password", operator.password)
    sign_in_again.click("form[action='/staff/signin'] button[type=submit]")
    sign_in_again.wait_for_selector(".signin-error")
    assert "不正确" in sign_in_again.inner_text(".signin-error")
