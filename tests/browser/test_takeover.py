"""A person takes over a chat conversation (docs/contract.md E7), in two browser contexts: an owner on /chat/ asks
for a person; the conversation appears in an operator's console queue; the operator takes it, replies, the owner
sees the reply and answers, the operator corrects a fact and gives the conversation back, and the assistant's next
answer uses the corrected fact. The owner's page can reach no console endpoint; axe on the console after it all."""

from __future__ import annotations

import pytest

from bot.staff.access import operator_token
from policy_db import evaluate, store as policy_store_module
from tests.browser.conftest import DESKTOP, PHONE, ChatPage, axe_violations
from tests.browser.test_console import OPERATOR, Console

pytestmark = pytest.mark.browser

OPENING = "我们是饭店，12个人，去年营收180万，受疫情影响挺大"
REPLY = "您好，我是人工客服。请问去年的营业收入准确是多少？"
OWNER_ANSWER = "我刚核对了，去年营收其实只有80万"


@pytest.fixture(scope="module")
def token(assistant) -> str:
    return operator_token()


@pytest.fixture(scope="module")
def wang(make_staff):
    return make_staff("operator", OPERATOR)


@pytest.fixture
def owner(browser, assistant):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    yield ChatPage(context.new_page(), assistant.url)
    context.close()


@pytest.fixture
def desk(browser, assistant):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    yield Console(context.new_page(), assistant.url)
    context.close()


def _words():
    return policy_store_module.load().words.pages


def test_an_operator_takes_over_a_chat_replies_corrects_a_fact_and_gives_it_back(owner, desk, token, wang, artifacts,
                                                                                 axe_source):
    words = _words()
    owner.open()
    owner.type(OPENING)
    owner.type("转人工")
    owner.page.wait_for_selector(".system-line")
    assert words["handoff_waiting"] in owner.page.locator(".system-line").last.inner_text()
    sender = owner.page.evaluate("() => window.HuiqiChat.sender()")

    desk.sign_in(wang)
    desk.page.click("#nav-queue")
    item = desk.page.locator(f"#queue-list .queue-item[data-sender='{sender}']")
    item.wait_for(timeout=10_000)
    assert item.get_attribute("data-status") == "waiting"
    assert desk.page.inner_text("#queue-count") != "0"
    item.locator("button").click()
    desk.page.wait_for_selector("html[data-view=chat]")
    desk.page.wait_for_function("t => document.getElementById('transcript').innerText.includes(t)", arg=OPENING)
    # the panel shows the owner's facts as the assistant understood them
    desk.page.wait_for_selector("#facts [data-fact=revenue]")
    assert desk.facts_shown()["revenue"] == "1,800,000元（180万元）"

    # The owner's page says a person has joined.
    joined = words["operator_joined"].format(operator=OPERATOR)
    owner.page.wait_for_function("t => [...document.querySelectorAll('.system-line')].some(e => e.textContent === t)",
                                 arg=joined, timeout=10_000)
    assert owner.page.inner_text("#chat-title") == words["operator_label"] + OPERATOR

    # The operator's reply appears in the owner's chat, as a person's words.
    desk.page.fill("#caller-input", REPLY)
    desk.page.press("#caller-input", "Enter")
    owner.page.wait_for_function(
        "t => [...document.querySelectorAll('.row-operator .bubble')].some(e => e.textContent.endsWith(t))",
        arg=REPLY, timeout=10_000)
    assert owner.page.locator(".row-operator .speaker").last.inner_text() == words["operator_label"] + OPERATOR

    # The owner's answer reaches the console; the assistant says nothing while the person is there.
    bot_before = len(owner.bot_texts())
    owner.type(OWNER_ANSWER)
    desk.page.wait_for_function("t => document.getElementById('transcript').innerText.includes(t)",
                                arg=OWNER_ANSWER, timeout=10_000)
    assert len(owner.bot_texts()) == bot_before

    # The operator corrects the revenue inline: the owner sees the change before → after and the new result.
    desk.page.click("#facts [data-fact=revenue] .fact-edit")
    desk.page.fill("#edit-revenue", "80万")
    desk.page.click("#facts [data-fact=revenue] .fact-editor button[type=submit]")
    desk.page.wait_for_function("() => window.HuiqiConsole.state().result.enterprise.facts.revenue === 800000")
    owner.page.wait_for_function(
        "() => [...document.querySelectorAll('.row-operator .bubble')].some(e => e.textContent.includes('已更正'))",
        timeout=10_000)
    echo = owner.page.locator(".row-operator .bubble").last.inner_text()
    assert "上年度营业收入：1,800,000元（180万元） → 800,000元（80万元）" in echo
    owner.page.wait_for_function("() => window.HuiqiChat.lastResult().enterprise.facts.revenue === 800000")
    desk.page.set_viewport_size({"width": 1280, "height": 800})
    desk.page.screenshot(path=str(artifacts / "console-takeover-1280.png"))
    found = axe_violations(desk.page, axe_source)
    assert found == [], found

    # Giving it back files the record, and the owner is told the assistant goes on.
    desk.page.click("#release")
    desk.page.wait_for_selector("html[data-view=records]")
    record = desk.page.evaluate("() => window.HuiqiConsole.record()")
    assert record["kind"] == "chat" and record["sender"] == sender and record["facts"]["revenue"] == 800000
    assert OWNER_ANSWER in record["caller_said"]
    left = words["operator_left"].format(operator=OPERATOR)
    owner.page.wait_for_function("t => [...document.querySelectorAll('.system-line')].some(e => e.textContent === t)",
                                 arg=left, timeout=10_000)
    owner.page.wait_for_function("t => document.getElementById('chat-title').textContent !== t",
                                 arg=words["operator_label"] + OPERATOR)
    desk.page.click("#nav-queue")
    desk.page.wait_for_function(
        "s => !document.querySelector(`#queue-list .queue-item[data-sender='${s}']`)", arg=sender, timeout=10_000)

    # The assistant answers again, with the corrected fact.
    owner.type("汇总一下")
    result = owner.last_result()
    facts = result["enterprise"]["facts"]
    assert facts["revenue"] == 800_000 and facts["employees"] == 12
    assert result["enterprise"]["sme_class"] == evaluate(facts, store=policy_store_module.load()).sme_class == "micro"

    assert owner.console_errors == [] and desk.errors == []

    # The owner's page can reach no console endpoint: it holds no session, and the endpoints refuse it.
    statuses = owner.page.evaluate("""async () => {
        const paths = ['/console/api/queue', '/console/api/session', '/console/api/history',
                       '/console/api/records?q='];
        const out = [];
        for (const p of paths) out.push((await fetch(p)).status);
        out.push((await fetch('/console/api/takeover/reply', {method: 'POST', headers: {'Content-Type':
            'application/json'}, body: JSON.stringify({sender: window.HuiqiChat.sender(), operator: 'x',
            text: 'hi'})})).status);
        return out;
    }""")
    assert statuses == [401] * 5
    stored = owner.page.evaluate("() => JSON.stringify({...localStorage, ...sessionStorage})")
    assert token not in stored


def test_a_second_operator_cannot_take_or_answer_a_conversation_already_taken(browser, assistant, owner, make_staff):
    owner.open()
    owner.type("转人工")
    sender = owner.page.evaluate("() => window.HuiqiChat.sender()")
    first, second = (Console(browser.new_context(viewport=DESKTOP).new_page(), assistant.url) for _ in range(2))
    first.sign_in(make_staff("operator", "王工"))
    second.sign_in(make_staff("operator", "李工"))
    for tab in (first, second):
        tab.page.click("#nav-queue")
        tab.page.locator(f"#queue-list .queue-item[data-sender='{sender}']").wait_for(timeout=10_000)
    first.page.locator(f"#queue-list .queue-item[data-sender='{sender}'] button").click()
    first.page.wait_for_selector("html[data-view=chat]")
    second.page.wait_for_function("""s => {
        const b = document.querySelector(`#queue-list .queue-item[data-sender='${s}'] button`);
        return b && b.disabled && b.textContent.includes('王工');
    }""", arg=sender, timeout=10_000)
    refused = second.page.evaluate("""async (s) => {
        const me = await (await fetch('/staff/api/me')).json();
        const r = await fetch('/console/api/takeover/reply', {method: 'POST', headers: {'Content-Type':
            'application/json', 'X-CSRF-Token': me.csrf}, body: JSON.stringify({sender: s, operator: '王工',
            text: '我来答'})});
        return [r.status, (await r.json()).error];
    }""", sender)
    assert refused[0] == 409 and "王工" in refused[1]
    assert not any("我来答" in t for t in owner.page.locator(".bubble").all_text_contents())
    for tab in (first, second):
        tab.page.context.close()
