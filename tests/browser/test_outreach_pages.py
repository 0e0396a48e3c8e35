"""政策找企业 in a real browser (docs/contract.md E16): after a publish, an operator opens the console's 回访 view,
reads the consenting enterprise's new measure with its amount and clause, and marks it done; the owner who agreed
opens the chat page again and reads the new measure first. axe finds no serious or critical violation; screenshots
in test-artifacts/.

Served by the pages and the access middleware as the Rasa server mounts them, without a model
(tests/bot/staff_app.py), on a SQL tracker store this test fills, with their own versions folder and records."""

from __future__ import annotations

import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.core.tracker_store import SQLTrackerStore

from bot.staff import accounts, migrations
from bot.web.chat.conversations import COOKIE, secret_of
from policy_db import store, version_table
from testing.app_process import serving, staff_app
from testing.staff import create_accounts
from tests.browser.conftest import DESKTOP, axe_violations
from tests.workbench.test_outreach import AGREED, KEY, ROOT_DOMAIN, _conversation, call, rent_subsidy

pytestmark = pytest.mark.browser

EDITOR = ("editor-reach", "周编辑", accounts.POLICY_EDITOR, "editor password 1")
OPERATOR = ("operator-reach", "王工", accounts.OPERATOR, "operator password 1")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The made-up rent subsidy published over the API to a store whose one conversation agreed to be told."""
    work = tmp_path_factory.mktemp("outreach-pages")
    db = migrations.open_records(work / "records.db")
    create_accounts(db, EDITOR, OPERATOR)
    trackers = SQLTrackerStore(ROOT_DOMAIN, dialect="sqlite", db=str(work / "conversations.db"))
    with ThreadPoolExecutor(1) as apart:  # Playwright's loop runs in this thread
        apart.submit(asyncio.run, trackers.save(_conversation(AGREED, True))).result()
    env = {"POLICY_VERSIONS": str(work / "versions"), "HUIQI_RECORDS_DB": str(work / "records.db"),
           "HUIQI_TRAINER_DB": str(work / "trainer.db"), "HUIQI_CONVERSATION_KEY": KEY,
           "HUIQI_TEST_TRACKER_DB": str(work / "conversations.db")}
    with serving(staff_app, env) as url:
        store.watch_versions(work / "versions", interval=0)
        try:
            status, body = call((url, db), "/workbench/api/publish",
                                {"document": rent_subsidy(store.load()), "effective": dt.date.today().isoformat()},
                                who=EDITOR[0])
            assert status == 200 and body["outreach"] == {"filed": 1}, body
            yield url
        finally:
            store.watch_versions(version_table.VERSIONS_DIR)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def test_an_operator_works_through_the_callback_list(tab, published, axe_source, artifacts):
    tab.goto(published + "/console/")
    tab.wait_for_selector("form[action='/staff/signin']", timeout=30_000)
    tab.fill("#login", OPERATOR[0])
    tab.fill("#password", OPERATOR[3])
    tab.click("form[action='/staff/signin'] button[type=submit]")
    tab.wait_for_selector("#nav:not([hidden])", timeout=30_000)
    tab.click("#nav-outreach")
    item = tab.locator("#outreach-list li.outreach-item")
    item.first.wait_for(timeout=10_000)
    assert item.count() == 1
    text = item.first.text_content()
    assert "在线对话（尾号 aaaaaa）" in text and "试点示范补贴" in text and "800元" in text and "某省测试厅" in text
    assert axe_violations(tab, axe_source) == []
    tab.screenshot(path=str(artifacts / "console-outreach.png"), full_page=True)
    item.first.get_by_role("button", name="已回访：在线对话（尾号 aaaaaa），试点示范补贴").click()
    tab.wait_for_selector("#outreach-empty:not([hidden])", timeout=10_000)
    assert tab.locator("#outreach-list li").count() == 0


def test_the_owner_who_agreed_reads_the_new_measure_first_on_coming_back(browser, published, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies([{"name": COOKIE, "value": f"{AGREED}.{secret_of(AGREED, KEY)}", "url": published}])
    page = context.new_page()
    try:
        page.goto(published + "/chat/")
        page.wait_for_selector("html[data-ready=true]", timeout=30_000)
        last = page.locator("#messages").inner_text()
        assert "欢迎回来！" in last and "试点示范补贴" in last and "800元" in last
        assert last.rindex("欢迎回来！") > last.rindex("我们是饭店")  # after the conversation restored, as the newest
        page.screenshot(path=str(artifacts / "chat-news.png"), full_page=True)
        page.reload()
        page.wait_for_selector("html[data-ready=true]", timeout=30_000)
        assert page.locator("#messages").inner_text().count("欢迎回来！") == 1  # told once, kept in the history
    finally:
        context.close()
