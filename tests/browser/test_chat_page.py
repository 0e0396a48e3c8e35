"""The chat page's own behaviour around the interview: clauses, reload, restart, the hand-off card, folding a
report into its card, the typing indicator, keyboard and screen-reader use, industry chips, the embed script."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import FIRST

pytestmark = pytest.mark.browser


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
    sender = chat.page.evaluate("() => window.HuiqiChat.sender()")
    assert sender.startswith("owner-")  # the server's, bound to this browser by an HttpOnly cookie (contract E14)
    assert "huiqi_conversation" not in chat.page.evaluate("() => document.cookie")
    before_users, before_bots = chat.user_texts(), chat.bot_texts()
    chat.reload()
    assert chat.page.evaluate("() => window.HuiqiChat.sender()") == sender
    assert chat.user_texts() == before_users == [FIRST]
    assert chat.bot_texts() == before_bots
    assert chat.page.locator(".result-card").count() == 1
    # The checklist is still the open question: its chips work after the reload.
    assert chat.pending_ask() == "checklist"
    chat.click(".checklist:not(.chips-done) .chip-none")
    # not insured: no exemption, so no premium figure is asked (issue 19); only the last question is left
    assert chat.pending_ask() == "consent"
    result = chat.last_result()
    assert result["enterprise"]["facts"]["insured"] is False
    before_users, before_bots = chat.user_texts(), chat.bot_texts()
    chat.reload()
    assert chat.user_texts() == before_users == [FIRST, "都没有"]
    assert chat.bot_texts() == before_bots
    assert chat.page.locator(".result-card").count() == 2
    assert chat.page.locator(".checklist.chips-done").count() == 1
    assert chat.last_result() == result


def test_the_greeting_is_the_assistants_own(chat, policy_store):
    from actions.conversation import greeting

    chat.open()
    assert chat.bot_texts() == [greeting(policy_store)]


def test_restart_clears_the_view_and_the_conversation(chat):
    chat.open()
    chat.type(FIRST)
    assert chat.user_texts() == [FIRST]
    chat.page.get_by_role("button", name=re.compile("重新开始")).click()
    chat.idle()
    assert chat.user_texts() == []
    assert chat.page.locator(".result-card, .checklist").count() == 0
    assert len(chat.bot_texts()) == 1  # the welcome only
    assert chat.page.request.get(f"{chat.url}/chat/history").json() == []  # this browser's conversation
    chat.reload()
    assert chat.user_texts() == []
    chat.type(FIRST)  # and a new interview starts from nothing
    assert chat.last_result()["enterprise"]["facts"]["employees"] == 12


# --------------------------------------------------------------------------------------------- (e) hostile input


def test_a_handoff_payload_renders_as_a_card_with_the_hotline_and_departments(chat, policy_store):
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
    # The reason and the hotline's name are the store's words (the page holds none).
    words = policy_store.words.pages
    assert card.locator(".card-sub").inner_text() == words["handoff_reasons"]["dispute"]
    assert hotline.get_attribute("aria-label") == "拨打12348" + words["hotline_label"]
    assert card.locator(".facts dt").first.inner_text() == words["class_heading"]
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
    report = "企业规模：餐饮业，属于小型企业。\n可以向金融机构提出（1项）：\n• 7 加大信贷支持（第7条）"
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


def test_a_reply_lost_on_its_way_back_comes_with_the_retry_and_the_assistant_keeps_the_message_once(chat):
    chat.open()
    chat.type("我们是饭店")
    lost = []

    def answered_then_lost(route):
        lost.append(route.request.post_data_json)
        route.fetch()  # the assistant gets the message and answers it; the answer never reaches the page
        route.abort()

    chat.page.route("**/webhooks/rest/webhook", answered_then_lost)
    chat.page.fill("#input", "12个人")
    chat.page.press("#input", "Enter")
    retry = chat.page.get_by_role("button", name="重新发送这条消息")
    retry.wait_for()
    chat.page.unroute("**/webhooks/rest/webhook")
    with chat.page.expect_request("**/webhooks/rest/webhook") as resent:
        retry.click()
    chat.idle()
    assert resent.value.post_data_json["message_id"] == lost[0]["message_id"]
    assert chat.user_texts() == ["我们是饭店", "12个人"] and chat.pending_ask() not in (None, "employees")
    history = chat.page.request.get(f"{chat.url}/chat/history").json()
    assert [item["text"] for item in history if item["from"] == "user"] == ["我们是饭店", "12个人"]


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


# --------------------------------------------------------------------------------------------- kinds and the total


def test_a_bank_sees_its_duties_under_the_payloads_titles_and_no_benefit_or_total(chat, policy_store):
    from policy_db import evaluate

    chat.open()
    payload = evaluate({"is_financial_institution": True}, store=policy_store).to_payload()
    chat.page.evaluate("p => window.HuiqiChat.renderBotMessages([{custom: p}])", payload)
    card = chat.page.locator(".result-card").last
    titles = card.locator(".group-title").all_inner_texts()
    assert "贵机构的责任（4项）" in titles
    # As an insured unit other than an SME, a bank has the halving of premiums and nothing else to enjoy (issue 19).
    benefits = card.locator(".group-kind-benefit [data-measure]")
    assert sorted(benefits.evaluate_all("els => els.map(e => e.dataset.measure)")) == ["rsb11-1.2", "sd-si-2"]
    assert card.locator(".total").count() == 0  # the premiums are not known yet
    assert "金融机构应当" in card.locator("[data-measure='7']").inner_text()


def test_figures_are_shown_as_given_never_rounded_into_the_next_row(chat, policy_store):
    from policy_db import report

    chat.open()
    chat.page.wait_for_load_state("networkidle")
    chat.page.evaluate("() => window.HuiqiChat.renderBotMessages([{custom: {type: 'handoff', reason: 'user_request',"
                       " departments: [], facts: {revenue: 399999999}, sme_class: 'medium'}}])")
    facts = chat.page.locator(".handoff-card").last.locator(".facts").inner_text()
    # Written by the assistant's own code (the page formats no fact): 399,999,999元（39999.9999万元）.
    assert report.show_value(policy_store.facts["revenue"], 399999999) in facts
    assert "39999.9999万元" in facts and "40000万" not in facts and "40,000万" not in facts
