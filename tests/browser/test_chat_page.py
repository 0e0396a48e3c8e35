"""The chat widget at /chat/ as a person uses it: typing and chips, the result card, clauses, reload, restart,
hostile input, the security headers, the hand-off card, the embed script, and screenshots at phone and desktop width."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from policy_db import evaluate
from policy_db import store as policy_store_module

from tests.browser.conftest import DESKTOP, PHONE, ChatPage

pytestmark = pytest.mark.browser

FIRST = "我们是饭店，12个人，去年营收180万，受疫情影响挺大"
# Situations of the checklist this restaurant ticks (by their text, so the test does not depend on their order).
TICKED = ("给员工缴纳了失业保险", "租的是国有企业的经营性房产")
# Typed answers to the figure questions that follow.
TYPED = {"layoffs": "没有裁员", "ui_premium_last_year": "去年交了7200元", "monthly_rent": "每月房租8000元"}
XSS = "<img src=x onerror=alert(1)>"


def _chip(chat, text: str):
    return chat.page.locator(".checklist:not(.chips-done) .chip-toggle", has_text=text)


def _interview(chat, on_figure_question=None) -> dict:
    """The whole interview through the page: first message typed, checklist by chips + send, figures typed."""
    chat.type(FIRST)
    assert chat.pending_ask() == "checklist", chat.bot_texts()
    numbers = []
    for text in TICKED:
        chip = _chip(chat, text)
        chip.click()
        assert chip.get_attribute("aria-pressed") == "true"
        numbers.append(int(chip.get_attribute("data-number")))
    chat.click(".checklist:not(.chips-done) .checklist-send")
    assert chat.user_texts()[-1] == "、".join(str(n) for n in sorted(numbers))
    for _ in range(12):
        fact = chat.pending_ask()
        if fact is None:
            break
        if on_figure_question:
            on_figure_question(fact)
        if fact in TYPED:
            chat.type(TYPED[fact])
        elif chat.page.locator(".chips:not(.chips-done) .chip", has_text="否").count():
            chat.click(".chips:not(.chips-done) .chip >> text=否")
        else:
            pytest.fail(f"unexpected question {fact!r}: {chat.bot_texts()[-1]}")
    result = chat.last_result()
    assert result is not None and result["type"] == "result", chat.bot_texts()
    return result


@pytest.fixture(scope="module")
def interview(browser, assistant, artifacts):
    """One finished interview in a phone-sized tab, shared by the tests that look at its result."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN",
                                  permissions=["clipboard-read", "clipboard-write"])
    chat = ChatPage(context.new_page(), assistant.url)
    chat.open()
    shot = {"taken": False}

    def phone_screenshot(fact):
        # Mid-interview is when the page looks most like a chat: bubbles both ways, avatars, the input bar.
        if fact == "monthly_rent" and not shot["taken"]:
            chat.page.screenshot(path=str(artifacts / "chat-375.png"))
            shot["taken"] = True

    result = _interview(chat, phone_screenshot)
    # The start of it: the time, the welcome, the first message, the head of the first result card.
    chat.page.evaluate("() => { document.getElementById('messages').scrollTop = 0; }")
    chat.page.screenshot(path=str(artifacts / "chat-375-start.png"))
    if not shot["taken"]:
        chat.page.screenshot(path=str(artifacts / "chat-375.png"))
    yield chat, result
    context.close()


# --------------------------------------------------------------------------------------------- (a) the interview


def test_a_whole_interview_by_typing_and_chips_ends_in_a_result_card_with_the_engines_amounts(interview,
                                                                                                 policy_store):
    chat, result = interview
    truth = evaluate(result["enterprise"]["facts"], store=policy_store)
    card = chat.page.locator(".result-card").last
    for mid in ("1.1", "5.1"):
        expected = truth.result(mid)
        assert expected.status == "eligible" and expected.amount_yuan, (mid, expected.why)
        item = card.locator(f".group-eligible [data-measure='{mid}']")
        amount = item.locator(".measure-amount")
        assert float(amount.get_attribute("data-amount")) == expected.amount_yuan
        assert f"{expected.amount_yuan:,.0f}" in amount.inner_text()
        assert expected.formula in item.locator(".measure-formula").inner_text()
        assert item.locator(".clause-link").inner_text() == policy_store.default_policy.clauses[
            expected.measure.clause].label
    assert result["enterprise"]["facts"]["ui_premium_last_year"] == 7200
    assert result["enterprise"]["facts"]["monthly_rent"] == 8000
    # Eligible first, then unknown, then ineligible folded.
    order = card.locator(".group").evaluate_all("els => els.map(e => e.className)")
    statuses = [re.search(r"group-(\w+)", c).group(1) for c in order]
    assert statuses == sorted(statuses, key=["eligible", "unknown", "ineligible"].index)
    folded = card.locator("details.group-ineligible")
    assert truth.by_status("ineligible"), "this restaurant has measures that do not apply"
    assert folded.count() == 1 and folded.get_attribute("open") is None
    assert not folded.locator(".measure").first.is_visible()
    # The expiry banner, from the payload's valid_until.
    assert result["expired"] is True and result["valid_until"] == "2020-06-30"
    assert "2020年6月30日" in card.locator(".banner").inner_text()
    assert not chat.dialogs and not chat.console_errors, (chat.dialogs, chat.console_errors)


def test_desktop_width_screenshot(interview, artifacts):
    chat, _ = interview
    chat.page.set_viewport_size(DESKTOP)
    # The last answers above, the result card's head below them.
    chat.page.evaluate("""() => { const m = document.getElementById('messages');
        const cards = m.querySelectorAll('.result-card'); const card = cards[cards.length - 1];
        m.scrollTop = card.getBoundingClientRect().top - m.getBoundingClientRect().top + m.scrollTop - 330; }""")
    chat.page.screenshot(path=str(artifacts / "chat-1280.png"))
    # Desktop: the conversation is a centred column; bubbles and the input bar stay inside it.
    box = chat.page.locator("#app").bounding_box()
    assert box["width"] <= 820 and box["x"] > 0
    composer = chat.page.locator("#composer").bounding_box()
    assert composer["y"] + composer["height"] == DESKTOP["height"]
    chat.page.set_viewport_size(PHONE)
    composer = chat.page.locator("#composer").bounding_box()
    assert composer["y"] + composer["height"] == PHONE["height"] and composer["width"] == PHONE["width"]


def test_it_looks_like_wechat(interview):
    chat, _ = interview

    def style(selector: str, prop: str) -> str:
        return chat.page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")

    assert style("#app", "backgroundColor") == "rgb(237, 237, 237)"  # #ededed
    assert style(".row-user .bubble", "backgroundColor") == "rgb(149, 236, 105)"  # #95ec69
    assert style(".row-bot .bubble", "backgroundColor") == "rgb(255, 255, 255)"
    assert style(".row-user", "flexDirection") == "row-reverse"  # the user's bubbles on the right
    assert chat.page.locator(".row-user .avatar").count() and chat.page.locator(".row-bot .avatar").count()
    assert style(".time", "color") == "rgb(158, 158, 158)" and re.fullmatch(r"(\S+ )?\d\d:\d\d",
                                                                          chat.page.locator(".time").first.inner_text())
    assert style(".composer-send", "backgroundColor") == "rgb(7, 193, 96)"


def test_the_result_summary_is_copied_to_the_clipboard(interview):
    chat, result = interview
    card = chat.page.locator(".result-card").last
    card.get_by_role("button", name="复制结果摘要").click()
    chat.page.wait_for_function("() => document.getElementById('status').textContent.includes('已复制')")
    copied = chat.page.evaluate("() => navigator.clipboard.readText()")
    assert copied == chat.page.evaluate("r => window.HuiqiChat.resultSummary(r)", result)
    assert "1.1 稳岗返还" in copied and "3,600" in copied and "5.1" in copied and "仅供参考" in copied


# --------------------------------------------------------------------------------------------- (b) clause text


def test_a_clause_link_opens_the_clauses_full_text(chat, policy_store):
    chat.open()
    chat.type(FIRST)
    link = chat.page.locator(".result-card .clause-link[data-clause='第5条']").first
    assert link.get_attribute("aria-label") == "查看第5条原文"
    link.click()
    dialog = chat.page.locator("#clause-dialog")
    dialog.wait_for(state="visible")
    clause = next(c for c in policy_store.default_policy.clauses.values() if c.label == "第5条")
    chat.page.wait_for_function("t => document.getElementById('clause-text').textContent === t", arg=clause.text)
    assert chat.page.locator("#clause-title").inner_text() == "第5条"
    assert chat.page.locator("#clause-heading").inner_text() == clause.heading
    chat.page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert chat.page.evaluate("() => document.activeElement.dataset.clause") == "第5条"  # focus goes back


# --------------------------------------------------------------------------------------------- (c) reload, (d) restart


def test_the_conversation_survives_a_reload(chat):
    chat.open()
    chat.type(FIRST)
    sender = chat.page.evaluate("() => localStorage.getItem('huiqi-chat-sender')")
    before_users, before_bots = chat.user_texts(), chat.bot_texts()
    chat.reload()
    assert chat.page.evaluate("() => window.HuiqiChat.sender()") == sender
    assert chat.user_texts() == before_users == [FIRST]
    assert chat.bot_texts() == before_bots
    assert chat.page.locator(".result-card").count() == 1
    # The checklist is still the open question: its chips work after the reload.
    assert chat.pending_ask() == "checklist"
    chat.click(".checklist:not(.chips-done) .chip-none")
    result = chat.last_result()
    assert result["enterprise"]["facts"]["insured"] is False
    before_users, before_bots = chat.user_texts(), chat.bot_texts()
    chat.reload()
    assert chat.user_texts() == before_users == [FIRST, "都没有"]
    assert chat.bot_texts() == before_bots
    assert chat.page.locator(".result-card").count() == 2
    assert chat.page.locator(".checklist.chips-done").count() == 1
    assert chat.last_result() == result


def test_restart_clears_the_view_and_the_conversation(chat):
    chat.open()
    chat.type(FIRST)
    assert chat.user_texts() == [FIRST]
    chat.page.get_by_role("button", name=re.compile("重新开始")).click()
    chat.idle()
    assert chat.user_texts() == []
    assert chat.page.locator(".result-card, .checklist").count() == 0
    assert len(chat.bot_texts()) == 1  # the welcome only
    sender = chat.page.evaluate("() => window.HuiqiChat.sender()")
    with urllib.request.urlopen(f"{chat.url}/chat/history?sender={sender}") as response:
        assert json.loads(response.read()) == []
    chat.reload()
    assert chat.user_texts() == []
    chat.type(FIRST)  # and a new interview starts from nothing
    assert chat.last_result()["enterprise"]["facts"]["employees"] == 12


# --------------------------------------------------------------------------------------------- (e) hostile input


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
    for asset, kind in (("chat.js", "javascript"), ("chat.css", "text/css"), ("avatar-bot.svg", "image/svg+xml")):
        with urllib.request.urlopen(f"{chat.url}/chat/{asset}") as r:
            assert kind in r.headers["Content-Type"] and "default-src 'self'" in r.headers["Content-Security-Policy"]
    # No inline script or style anywhere: the browser would report each as a CSP violation.
    assert not [e for e in chat.console_errors if "Content Security Policy" in e], chat.console_errors
    assert chat.page.locator("script:not([src]), style, [style]").count() == 0


@pytest.mark.parametrize("path", ["/chat/..%2Fcredentials.yml", "/chat/%2e%2e/credentials.yml", "/chat/.env",
                                  "/chat/pages.py", "/chat/nothing.js"])
def test_only_the_pages_own_files_are_served(assistant, path):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(assistant.url + path)
    assert err.value.code == 404


@pytest.mark.parametrize("sender", ["../x", "a b", "x" * 65, "", "abc\n"])
def test_history_refuses_a_malformed_sender_id(assistant, sender):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{assistant.url}/chat/history?sender={urllib.parse.quote(sender)}")
    assert err.value.code == 400


def test_history_keeps_the_messages_since_the_last_restart_in_the_rest_channels_order():
    from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, SlotSet, UserUttered

    from bot.channels.pages import history

    ask = {"type": "ask", "fact": "employees"}
    events = [UserUttered("旧的消息"), BotUttered("旧的回答"), UserUttered("/restart"), Restarted(),
              ActionExecuted("action_listen"), UserUttered("我们是饭店", timestamp=1.0), SlotSet("industry", "餐饮业"),
              BotUttered("有多少员工？", timestamp=2.0), BotUttered(data={"custom": ask}, timestamp=2.0)]
    assert history(events) == [{"from": "user", "text": "我们是饭店", "time": 1.0},
                               {"from": "bot", "text": "有多少员工？", "time": 2.0},
                               {"from": "bot", "custom": ask, "time": 2.0}]


def test_clauses_are_served_verbatim(assistant):
    with urllib.request.urlopen(f"{assistant.url}/chat/clauses") as r:
        clauses = json.loads(r.read())
    policy = policy_store_module.load().default_policy
    assert clauses == {c.label: {"heading": c.heading, "text": c.text} for c in policy.clauses.values()}


# --------------------------------------------------------------------------------------------- the hand-off card


def test_a_handoff_payload_renders_as_a_card_with_the_hotline_and_departments(chat):
    chat.open()
    payload = {"type": "handoff", "reason": "dispute", "hotline": "12348", "departments": ["市司法局"],
               "facts": {"industry": "餐饮业", "employees": 12, "contract_dispute": True}, "sme_class": "small"}
    chat.page.evaluate("p => window.HuiqiChat.renderBotMessages([{text: '建议您联系工作人员。'}, {custom: p}])",
                       payload)
    card = chat.page.locator(".handoff-card")
    assert card.count() == 1
    hotline = card.locator("a.hotline")
    assert hotline.get_attribute("href") == "tel:12348" and "12348" in hotline.inner_text()
    assert "市司法局" in card.locator(".departments").inner_text()
    facts = card.locator(".facts").inner_text()
    assert "餐饮业" in facts and "12人" in facts and "小型企业" in facts and "订单" in facts
    # Without a hotline in the payload, the card shows the policy's hotline as /chat/policy (the store) gives it.
    chat.page.wait_for_load_state("networkidle")
    chat.page.evaluate("() => window.HuiqiChat.renderBotMessages([{custom: {type: 'handoff', reason: 'user_request',"
                       " departments: [], facts: {}}}])")
    assert "12348" in chat.page.locator(".handoff-card").last.locator(".hotline").inner_text()


def test_a_correction_before_its_result_stays_a_bubble_and_the_report_folds_into_the_card(chat):
    chat.open()
    result = {"type": "result", "expired": False, "valid_until": "2020-06-30",
              "enterprise": {"sme_class": "small", "facts": {"industry": "餐饮业"}},
              "measures": [{"id": "7", "title": "加大信贷支持", "status": "eligible", "amount_yuan": None, "months": None,
                            "formula": None, "departments": ["市地方金融监管局"], "clause": "第7条", "why": "小型企业",
                            "missing": []}]}
    correction = "已更正（从业人员人数：12人 → 15人）。各项措施的结果没有变化。"
    report = "企业规模：餐饮业，属于小型企业。\n可以享受（1项）：\n✅ 7 加大信贷支持。"
    chat.page.evaluate("a => window.HuiqiChat.renderBotMessages([{text: a[0]}, {custom: a[2]}, {text: a[1]}, {custom: a[2]}])",
                       [correction, report, result])
    assert chat.bot_texts()[-1] == correction
    cards = chat.page.locator(".result-card")
    assert cards.count() == 2
    assert cards.nth(0).locator(".card-text").count() == 0
    assert cards.nth(1).locator(".card-text-body").text_content() == report
    assert cards.nth(1).locator(".banner").count() == 0  # not expired: no banner


def test_a_typing_indicator_shows_while_the_assistant_works_and_a_failed_send_can_be_retried(chat):
    chat.open()
    held = []
    chat.page.route("**/webhooks/rest/webhook", lambda route: held.append(route))
    chat.page.fill("#input", "我们是饭店")
    chat.page.press("#input", "Enter")
    chat.page.wait_for_selector("#typing .typing-dot")
    assert chat.page.locator("#chat-title").inner_text() == "对方正在输入…"
    assert chat.page.locator("#input").is_editable()  # typing stays possible meanwhile
    held.pop().fulfill(json=[{"recipient_id": "x", "text": "企业现在有多少员工？"}])
    chat.page.wait_for_selector("#typing", state="detached")
    assert chat.bot_texts()[-1] == "企业现在有多少员工？"
    assert chat.page.locator("#chat-title").inner_text() == "惠企政策助手"
    # The network fails: a notice with a retry button; the retry goes through once the network is back.
    chat.page.fill("#input", "12个人")
    chat.page.press("#input", "Enter")
    chat.page.wait_for_selector("#typing")
    held.pop().abort()
    retry = chat.page.get_by_role("button", name="重新发送这条消息")
    retry.wait_for()
    chat.page.unroute("**/webhooks/rest/webhook")
    retry.click()
    chat.idle()
    assert chat.page.locator(".notice").count() == 0
    assert chat.user_texts() == ["我们是饭店", "12个人"]
    assert chat.pending_ask() == "industry"  # the real assistant got "12个人" (it never saw the faked first turn)
    assert [e for e in chat.console_errors if "Failed to load resource" not in e] == []


# --------------------------------------------------------------------------------------------- keyboard and labels


def test_keyboard_use_and_screen_reader_labels(chat):
    chat.open()
    log = chat.page.locator("#messages")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    assert chat.page.locator("label[for=input]").count() == 1
    chat.page.focus("#input")
    for text in ("我们是饭店", "12个人"):
        chat.page.keyboard.type(text)
        chat.page.keyboard.press("Enter")
        chat.idle()
    assert chat.user_texts() == ["我们是饭店", "12个人"]
    assert chat.pending_ask() == "affected"
    chips = chat.page.locator(".chips:not(.chips-done) .chip")
    assert chips.all_text_contents() == ["是", "否", "不清楚"]
    assert chips.first.get_attribute("aria-label") == "回复：是"
    # From the input, Shift+Tab goes back to the chips just above it; Enter sends the focused one.
    chat.page.focus("#input")
    chat.page.keyboard.press("Shift+Tab")
    assert chat.page.evaluate("() => document.activeElement.textContent") == "不清楚"
    chat.page.keyboard.press("Shift+Tab")
    chat.page.keyboard.press("Shift+Tab")
    assert chat.page.evaluate("() => document.activeElement.textContent") == "是"
    chat.page.keyboard.press("Enter")
    chat.idle()
    assert chat.user_texts()[-1] == "是"
    assert chat.page.locator(".chips.chips-done .chip:disabled").count() == 3  # spent chips can't be sent again
    names = chat.page.locator("button").evaluate_all(
        "bs => bs.map(b => (b.getAttribute('aria-label') || b.textContent).trim())")
    assert all(names), names


def test_an_industry_question_offers_the_common_industries_as_chips_and_typing_stays_possible(chat):
    chat.open()
    chat.type("我想问问有什么补贴")
    assert chat.pending_ask() == "industry"
    chips = chat.page.locator(".chips:not(.chips-done) .chip")
    assert "餐饮业" in chips.all_text_contents()
    assert chat.page.locator("#input").is_enabled()
    chat.click(".chips:not(.chips-done) .chip >> text=餐饮业")
    assert chat.user_texts()[-1] == "餐饮业"
    assert chat.pending_ask() == "employees"  # the industry was taken; the next question is a figure, typed
    chat.type("十二个人")
    assert chat.pending_ask() not in (None, "employees")


# --------------------------------------------------------------------------------------------- the embed script


def test_embed_js_adds_a_floating_button_that_opens_the_chat(chat):
    chat.page.goto(chat.url + "/chat/embed-demo.html")
    button = chat.page.get_by_role("button", name=re.compile("打开惠企政策助手"))
    button.wait_for()
    assert chat.page.locator("iframe").count() == 0  # nothing loads before it is asked for
    button.click()
    frame = chat.page.frame_locator("iframe[title='惠企政策助手']")
    frame.locator("#input").wait_for()
    assert chat.page.get_by_role("button", name=re.compile("收起")).get_attribute("aria-expanded") == "true"
    chat.page.get_by_role("button", name=re.compile("收起")).click()
    assert not chat.page.locator("iframe").is_visible()
    assert not chat.console_errors, chat.console_errors
