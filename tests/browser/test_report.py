"""The 政策匹配报告 in a real browser: an interview finished on /chat/, the report opened from the result card (a new
tab, POST /chat/report), printed to PDF by Chromium, its text checked against the engine's result, a screenshot."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request

import pytest

from policy_db import evaluate, report
from tests.browser.conftest import DESKTOP, ChatPage, axe_violations
from tests.browser.test_chat_interview import _interview

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def opened(browser, assistant):
    """An interview on /chat/, then the report opened from its result card: (chat, result, report tab, errors)."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    chat = ChatPage(context.new_page(), assistant.url)
    chat.open()
    result = _interview(chat)
    errors: list[str] = []
    card = chat.page.locator(".result-card").last
    with context.expect_page() as info:
        card.locator(".report-button").click()
    tab = info.value
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.wait_for_load_state()
    tab.wait_for_selector("html[data-ready=true]", timeout=30_000)
    yield chat, result, tab, errors
    context.close()


def test_the_report_from_the_result_card_says_what_the_engine_says(opened, policy_store, artifacts):
    chat, result, tab, errors = opened
    assert tab.url.endswith("/chat/report")
    truth = evaluate(result["enterprise"]["facts"], dt.date.fromisoformat(result["as_of"]), store=policy_store)
    tab.emulate_media(media="print")
    pdf = tab.pdf(format="A4", print_background=True)
    (artifacts / "report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    # No PDF text extractor in the environment: the text checked is the page's as printed (print media).
    assert not tab.locator("#print").is_visible()  # the print button stays off paper
    text = tab.locator("body").inner_text()
    day = truth.as_of
    assert f"{day.year}年{day.month}月{day.day}日" in text and policy_store.fingerprint in text
    assert truth.sme_reason in text and report.expiry_notice(truth) in text
    # Grouped by document as the payload's `policies`, each measure in its document's group order.
    documents = tab.locator("[data-policy]").evaluate_all("els => els.map(e => e.dataset.policy)")
    assert documents == [d["id"] for d in result["policies"]]
    for d in result["policies"]:
        ids = tab.locator(f"[data-policy='{d['id']}'] [data-measure]").evaluate_all(
            "els => els.map(e => e.dataset.measure)")
        assert ids == [m for g in d["groups"] for m in g["measures"]]
    for r in truth.results:
        item = tab.locator(f"[data-measure='{r.measure.id}']").inner_text()
        assert truth.state(r) in item and r.measure.excerpt in item and "、".join(r.measure.departments) in item
        if r.amount_yuan is not None:
            assert report.money(r.amount_yuan) in item and r.formula in item, r.measure.id
    for mid in ("1.1", "5.1"):
        r = truth.result(mid)
        assert r.status == "eligible" and r.amount_yuan and "未作规定" in tab.locator(f"[data-measure='{mid}']").inner_text()
    assert report.total_line(truth) in text
    assert result["total"]["amount_yuan"] == truth.total.amount_yuan
    tab.emulate_media(media="screen")
    tab.screenshot(path=str(artifacts / "report.png"), full_page=True)
    assert not errors, errors  # a CSP refusal would show here
    assert not chat.dialogs and not chat.console_errors, (chat.dialogs, chat.console_errors)


def test_the_report_meets_wcag_aa(opened, axe_source):
    _, _, tab, _ = opened
    found = axe_violations(tab, axe_source)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def _post(url: str, body: bytes, content_type: str = "application/json"):
    request = urllib.request.Request(url + "/chat/report", data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def test_the_endpoint_refuses_bad_input_and_sends_the_pages_headers(assistant):
    status, headers, page = _post(assistant.url, json.dumps({"facts": {"employees": 12}, "as_of": "2026-11-30"}).encode())
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in headers["Content-Security-Policy"] and headers["X-Content-Type-Options"] == "nosniff"
    assert "12人" in page
    assert _post(assistant.url, b"{no")[0] == 400
    assert _post(assistant.url, json.dumps({"facts": {"employees": -3}}).encode())[0] == 400
    status, _, page = _post(assistant.url, json.dumps({"facts": {"industry": "<script>alert(1)</script>"}}).encode())
    assert status == 400 and "<script>alert" not in page
    assert _post(assistant.url, json.dumps({"facts": {}, "pad": "x" * 20000}).encode())[0] == 413
