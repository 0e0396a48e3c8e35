"""The chat widget at /chat/ through a whole interview: typing and chips, the result card with the engine's
amounts, its WeChat look, the copied summary, and screenshots at phone and desktop width."""

from __future__ import annotations

import json
import re

import pytest

from policy_db import evaluate
from tests.browser.conftest import DESKTOP, FIRST, PHONE, ChatPage, axe_violations

pytestmark = pytest.mark.browser

# Situations of the checklist this restaurant ticks (by their text, so the test does not depend on their order).
TICKED = ("给员工缴纳了失业保险", "租的是国有企业的经营性房产")
# Typed answers to the figure questions that follow.
TYPED = {"layoffs": "没有裁员", "ui_premium_last_year": "去年交了7200元", "monthly_rent": "每月房租8000元",
         "monthly_employer_si": "单位部分每月五千", "legal_form": "公司"}


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
        if fact == "consent":  # the last question: may the assistant tell of new measures
            chat.click(".chips:not(.chips-done) .chip >> text=不用了")
        elif fact in TYPED:
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
    # One block per document (the payload's `policies`), each headed by its level, title and number; within it,
    # eligible first, then unknown, then ineligible folded.
    documents = [d for d in result["policies"] if any(g["measures"] for g in d["groups"])]
    assert card.locator(".doc-title").all_inner_texts() == [
        f"【{d['level']}】《{d['short_title']}》" + (f"（{d['number']}）" if d["number"] else "") for d in documents]
    order = card.locator(".doc-head, .group").evaluate_all("els => els.map(e => e.className)")
    blocks = " ".join(re.sub(r"^group group-(\w+).*", r"\1", c) for c in order).split("doc-head")
    for block in filter(str.strip, blocks):
        statuses = block.split()
        assert statuses == sorted(statuses, key=["eligible", "unknown", "ineligible"].index)
    folded = card.locator("details.group-ineligible")
    assert truth.by_status("ineligible"), "this restaurant has measures that do not apply"
    assert folded.count() >= 1 and folded.first.get_attribute("open") is None
    assert not folded.first.locator(".measure").first.is_visible()
    # Sections and their titles are each document's groups: "可以享受" holds only benefits; one total closes the card.
    titles = card.locator(".group-title").all_inner_texts()
    assert titles == [f"{g['title']}（{len(g['measures'])}项）" for d in documents for g in d["groups"] if g["measures"]]
    kinds = set(card.locator(".group-kind-benefit .measure").evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert kinds == {"benefit"}
    total = card.locator(":scope > .total")
    assert float(total.get_attribute("data-amount")) == truth.total.amount_yuan == result["total"]["amount_yuan"]
    assert result["total"]["label"] in total.inner_text()
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
    # WeChat's greys and greens, darkened where its own fail WCAG AA contrast (axe: see the accessibility test).
    assert style(".time", "color") == "rgb(102, 102, 102)" and re.fullmatch(r"(\S+ )?\d\d:\d\d",
                                                                          chat.page.locator(".time").first.inner_text())
    assert style(".composer-send", "backgroundColor") == "rgb(6, 129, 63)"  # #06813f: white text at 5:1


def test_the_result_summary_is_copied_to_the_clipboard(interview):
    chat, result = interview
    card = chat.page.locator(".result-card").last
    card.get_by_role("button", name="复制结果摘要").click()
    chat.page.wait_for_function("() => document.getElementById('status').textContent.includes('已复制')")
    copied = chat.page.evaluate("() => navigator.clipboard.readText()")
    assert copied == chat.page.evaluate("r => window.HuiqiChat.resultSummary(r)", result)
    assert "1.1 稳岗返还" in copied and "3,600" in copied and "5.1" in copied and "仅供参考" in copied


# --------------------------------------------------------------------------------------------- (b) clause text


# --------------------------------------------------------------------------------------------- accessibility


def test_after_a_whole_interview_axe_finds_no_violation(interview, axe_source, artifacts):
    """axe-core (from npm, test-only) on the page as an owner leaves it: every card, the folded sections opened too,
    at phone and desktop width. Owners read it on small phones. Not only no serious or critical violation (colour
    contrast): none at all, so also one main landmark and nothing outside landmarks."""
    chat, _ = interview
    chat.type("转人工")  # the hand-off card too
    chat.page.locator(".handoff-card .facts").wait_for()  # the facts, as the assistant words them
    chat.page.evaluate("() => document.querySelectorAll('#messages details').forEach(d => { d.open = true; })")
    found = {}
    every = ("minor", "moderate", "serious", "critical")
    for size in (PHONE, DESKTOP):
        chat.page.set_viewport_size(size)
        for v in axe_violations(chat.page, axe_source, impacts=every):
            found.setdefault(v["id"], v)
    # And with a clause open in its dialog.
    chat.page.locator(".result-card .clause-link").first.click()
    chat.page.wait_for_function("() => document.getElementById('clause-text').textContent.length > 0")
    for v in axe_violations(chat.page, axe_source, impacts=every):
        found.setdefault(v["id"], v)
    chat.page.keyboard.press("Escape")
    (artifacts / "chat-axe.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    chat.page.set_viewport_size(PHONE)
    chat.page.locator(".handoff-card").evaluate("e => e.scrollIntoView({block: 'start'})")
    chat.page.screenshot(path=str(artifacts / "chat-375-handoff.png"))
    chat.page.evaluate("() => document.querySelectorAll('#messages details').forEach(d => { d.open = false; })")
    report = "\n".join(f"{v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}\n    " +
                       "\n    ".join(f"{n['target']}: {n['summary']}" for n in v["nodes"][:5]) for v in found.values())
    assert not found, report
