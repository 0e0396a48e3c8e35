"""What the chat page and its helpers refuse or keep safe: markup typed by a user, the security headers, files
outside the page, malformed sender ids, and the notice served verbatim."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from policy_db import store as policy_store_module

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"


def test_markup_typed_by_the_user_shows_as_text_and_runs_nothing(chat):
    chat.open()
    chat.type(XSS)
    assert chat.user_texts()[-1] == XSS
    assert chat.page.locator("#messages img:not(.avatar)").count() == 0
    assert chat.bot_texts()[-1]  # a polite reply (contract §5)
    # Bot text and payload fields are text too.
    chat.page.evaluate("""x => window.HuiqiChat.renderBotMessages([{text: x},
        {custom: {type: 'result', expired: false, enterprise: {sme_class: null, facts: {industry: x}},
                  measures: [{id: '1.1', title: x, status: 'eligible', amount_yuan: 1, formula: x, departments: [x],
                              clause: '第1条', why: x, missing: []}]}},
        {text: x}, {custom: {type: 'ask', fact: 'industry', options: [x]}}])""", XSS)
    assert chat.page.locator("#messages img:not(.avatar)").count() == 0
    assert chat.page.locator(".result-card .measure-title").last.inner_text() == XSS
    assert chat.page.locator(".chips .chip").last.inner_text() == XSS
    chat.page.wait_for_timeout(300)
    assert chat.dialogs == []
    assert not chat.console_errors, chat.console_errors


# --------------------------------------------------------------------------------------------- (f) headers


def test_the_page_is_sent_with_a_content_security_policy(chat):
    response = chat.open()
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("referrer-policy") == "no-referrer"
    assets = (("chat.js", "javascript"), ("chat.css", "text/css"), ("avatar-bot.svg", "image/svg+xml"),
              ("shared/cards.js", "javascript"), ("shared/format.js", "javascript"), ("shared/dom.js", "javascript"),
              ("shared/transport.js", "javascript"))
    for asset, kind in assets:
        with urllib.request.urlopen(f"{chat.url}/chat/{asset}") as r:
            assert kind in r.headers["Content-Type"] and "default-src 'self'" in r.headers["Content-Security-Policy"]
    # No inline script or style anywhere: the browser would report each as a CSP violation.
    assert not [e for e in chat.console_errors if "Content Security Policy" in e], chat.console_errors
    assert chat.page.locator("script:not([src]), style, [style]").count() == 0


@pytest.mark.parametrize("path", ["/chat/..%2Fcredentials.yml", "/chat/%2e%2e/credentials.yml", "/chat/.env",
                                  "/chat/server.py", "/chat/__init__.py", "/console/server.py", "/trainer/server.py",
                                  "/chat/nothing.js", "/chat/shared/nothing.js",
                                  "/chat/shared/..%2Fchat.js", "/chat/shared/%2e%2e/%2e%2e/credentials.yml",
                                  "/chat/shared/chat.js"])
def test_only_the_pages_own_files_are_served(assistant, path):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(assistant.url + path)
    assert err.value.code == 404


@pytest.mark.parametrize("sender", ["../x", "a b", "x" * 65, "", "abc\n", "owner-" + "0" * 24, "e2e-client"])
def test_history_opens_no_conversation_by_an_id_in_the_address(assistant, sender):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{assistant.url}/chat/history?sender={urllib.parse.quote(sender)}")
    assert err.value.code == 403


def test_a_second_browser_with_the_conversations_id_gets_neither_its_history_nor_a_reply(browser, assistant):
    """Issue 23: the owner's conversation belongs to the browser that started it."""
    from tests.browser.conftest import PHONE, ChatPage

    first, second = (browser.new_context(viewport=PHONE, locale="zh-CN") for _ in range(2))
    owner = ChatPage(first.new_page(), assistant.url)
    owner.open()
    owner.type("我们是饭店，12个人")
    sender = owner.page.evaluate("() => window.HuiqiChat.sender()")
    other = second.new_page()
    other.goto(assistant.url + "/chat/")
    other.wait_for_selector("html[data-ready=true]", timeout=30_000)
    answers = other.evaluate("""async (s) => {
        const said = await fetch('/webhooks/rest/webhook', {method: 'POST', headers: {'Content-Type':
            'application/json'}, body: JSON.stringify({sender: s, message: '营业收入改成一个亿'})});
        const read = await fetch('/chat/history', {headers: {'X-Huiqi-Sender': s}});
        return [said.status, read.status, await read.text()];
    }""", sender)
    assert answers[0] == 403 and answers[1] == 403 and "饭店" not in answers[2]
    owner.reload()
    assert owner.user_texts() == ["我们是饭店，12个人"]  # nothing the second browser sent
    first.close()
    second.close()


def test_history_keeps_the_messages_since_the_last_restart_in_the_rest_channels_order():
    from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, SlotSet, UserUttered

    from bot.web.history import history

    ask = {"type": "ask", "fact": "employees"}
    events = [UserUttered("旧的消息"), BotUttered("旧的回答"), UserUttered("/restart"), Restarted(),
              ActionExecuted("action_listen"), UserUttered("我们是饭店", timestamp=1.0), SlotSet("industry", "餐饮业"),
              BotUttered("有多少员工？", timestamp=2.0), BotUttered(data={"custom": ask}, timestamp=2.0)]
    assert history(events) == [{"from": "user", "text": "我们是饭店", "time": 1.0},
                               {"from": "bot", "text": "有多少员工？", "time": 2.0},
                               {"from": "bot", "custom": ask, "time": 2.0}]


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"{" + b"\"a\": 1, " * 4000 + b"\"b\": 2}"],
                         ids=["not-json", "not-an-object", "too-large"])
def test_describe_refuses_what_is_no_small_json_object(assistant, body):
    request = urllib.request.Request(f"{assistant.url}/chat/describe", data=body,
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request)
    assert err.value.code in (400, 413)


def test_clauses_are_served_verbatim(assistant):
    with urllib.request.urlopen(f"{assistant.url}/chat/clauses") as r:
        clauses = json.loads(r.read())
    policy = policy_store_module.load().default_policy
    assert clauses == {c.label: {"heading": c.heading, "text": c.text} for c in policy.clauses.values()}


# --------------------------------------------------------------------------------------------- the hand-off card
