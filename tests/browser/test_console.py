"""The hotline console at /console/ (docs/contract.md E7, E13) in a real browser: without a session every console
endpoint answers 401 (the operator token only where it is admitted), an operator signs in with their own account,
a phone call typed line by line keeps a panel that agrees with the engine, two tabs' calls stay apart, and
screenshots at 1280 and 1920 px."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
from pathlib import Path
import urllib.request

import pytest

from bot.staff import roles
from bot.staff.access import operator_token
from policy_db import evaluate
from tests.browser.conftest import FIRST, sign_in

pytestmark = pytest.mark.browser

# What the caller says to each question, as the operator types it (the checklist's situations are picked by text).
TICKED = ("给员工缴纳了失业保险", "租的是国有企业的经营性房产")
SAID = {"layoffs": "没裁员", "ui_premium_last_year": "去年交了7200多", "monthly_rent": "月租八千块",
        "monthly_employer_si": "单位部分每月六千", "legal_form": "公司"}
LATER = ("社保缓缴最长几个月", "汇总一下")  # a question about a measure, then the current result
ENDPOINTS = [("GET", "/console/api/session", None), ("GET", "/console/api/history", None),
             ("POST", "/console/api/message", {"sender": "call-x1", "message": "你好"}),
             ("GET", "/console/api/state", None), ("GET", "/console/api/queue", None),
             ("POST", "/console/api/takeover/take", {"sender": "web-x1", "operator": "王工"}),
             ("POST", "/console/api/takeover/reply", {"sender": "web-x1", "operator": "王工", "text": "您好"}),
             ("POST", "/console/api/takeover/release", {"sender": "web-x1", "operator": "王工"}),
             ("POST", "/console/api/takeover/fact", {"sender": "call-x1", "operator": "王工", "fact": "employees",
                                                     "value": "3"}),
             ("GET", "/console/api/records?q=", None), ("POST", "/console/api/records", {"sender": "call-x1"}),
             ("GET", "/console/api/records/0123456789ab.json", None),
             ("GET", "/console/api/records/0123456789ab.html", None),
             ("GET", "/console/api/accounts", None), ("GET", "/console/api/audit", None),
             ("PUT", "/console/api/records/0123456789ab", {"notes": "x"}),
             ("GET", "/console/api/anything", None)]
OPERATOR = "王工"


@pytest.fixture(scope="module")
def token(assistant) -> str:
    return operator_token()  # the server's: the same variable or file (it made the file when it started)


@pytest.fixture(scope="module")
def desk(make_staff):
    """The operator who signs in for these tests."""
    return make_staff("operator", OPERATOR)


def _status(url: str, method: str, body, headers: dict) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


class Console:
    """One browser tab on /console/: sign in, type the caller's lines, read the panel."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # refusals the page handles and shows (a wrong token, a value a fact cannot take) are no page errors
        page.on("console", lambda m: m.type == "error" and not any(code in m.text for code in ("401", "400 (Bad"))
                and self.errors.append(m.text))

    def sign_in(self, who):
        sign_in(self.page, self.url, who)
        self.page.wait_for_selector("html[data-view=call]", timeout=10_000)

    def say(self, text: str):
        self.page.fill("#caller-input", text)
        self.page.press("#caller-input", "Enter")
        self.page.evaluate("() => window.HuiqiConsole.idle()")

    def state(self):
        return self.page.evaluate("() => window.HuiqiConsole.state()")

    def last_result(self):
        state = self.state()
        return state["result"] if state and state["facts"] else None

    def last_ask(self):
        state = self.state()
        return state and state["ask"]

    def call_id(self) -> str:
        return self.page.evaluate("() => window.HuiqiConsole.call()")

    def facts_shown(self) -> dict[str, str]:
        rows = self.page.locator("#facts .fact")
        return {rows.nth(i).get_attribute("data-fact"): rows.nth(i).locator(".fact-value").inner_text()
                for i in range(rows.count())}


@pytest.fixture
def operator(browser, assistant):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield lambda: Console(context.new_page(), assistant.url)
    context.close()


def test_without_a_session_every_console_endpoint_answers_401_and_the_page_sends_to_sign_in(operator, assistant,
                                                                                           token, desk):
    for method, path, body in ENDPOINTS:
        url = assistant.url + path
        assert _status(url, method, body, {}) == 401, path
        assert _status(url, method, body, {"Authorization": "Bearer " + token[:-1]}) == 401, path
        assert _status(url, method, body, {"Authorization": token}) == 401, path  # no scheme
        sep = "&" if "?" in path else "?"
        assert _status(url + sep + "token=" + token, method, body, {}) == 401, path  # never from the address
        route = path if "records/" not in path else "/console/api/records/<record_id:str>"
        route = "/console/api/takeover/<step:str>" if "takeover/" in route else route
        route = "/console/api/<rest:path>" if route.endswith("anything") else route
        with_token = _status(url, method, body, {"Authorization": "Bearer " + token})
        assert (with_token == 403) == (roles.TOKEN not in roles.admitted(method, route)), (path, with_token)
    # The chat page's own endpoints know nothing of the console, and open no conversation by an id in the address.
    assert _status(assistant.url + "/chat/history?sender=call-x1", "GET", None, {}) == 403

    tab = operator()
    tab.page.goto(assistant.url + "/console/")
    tab.page.wait_for_selector("form[action='/staff/signin']")
    assert tab.page.url.endswith("/staff/signin?next=/console/")
    tab.page.fill("#login", desk.login)
    tab.page.fill("#password", "not-the-password")
    tab.page.click("form[action='/staff/signin'] button[type=submit]")
    tab.page.wait_for_selector(".signin-error")
    assert "登录名或密码不正确" in tab.page.inner_text(".signin-error")
    tab.sign_in(desk)
    assert tab.page.locator("#conversation").is_visible() and tab.call_id().startswith("call-")
    assert desk.password not in tab.page.url and "huiqi_staff" not in tab.page.evaluate("() => document.cookie")
    assert tab.page.inner_text("#operator-label").endswith(OPERATOR)
    assert not tab.page.locator("#nav-accounts").is_visible() and not tab.page.locator("#nav-audit").is_visible()
    # Signing out ends the session on the server: the page goes back to the sign-in, and so does a reload.
    tab.page.click("#sign-out")
    tab.page.wait_for_selector("form[action='/staff/signin']", timeout=10_000)
    tab.page.goto(assistant.url + "/console/")
    tab.page.wait_for_selector("form[action='/staff/signin']", timeout=10_000)
    assert tab.errors == []


def _answer(tab) -> str:
    ask = tab.last_ask()
    assert ask is not None, tab.page.locator("#transcript").inner_text()
    if ask.get("multi"):
        return "、".join(str(ask["options"].index(t) + 1) for t in TICKED if t in ask["options"])
    if ask["fact"] in SAID:
        return SAID[ask["fact"]]
    if "否" in (ask.get("options") or []):
        return "没有"
    pytest.fail(f"unexpected question {ask!r}")


def _panel_agrees_with_the_engine(tab, policy_store):
    result = tab.last_result()
    facts = result["enterprise"]["facts"]
    truth = evaluate(facts, dt.date.fromisoformat(result["as_of"]), store=policy_store)
    page = tab.page
    assert page.get_attribute("#sme-class", "data-sme-class") == (truth.sme_class or "")
    assert page.inner_text("#sme-class") == truth.sme_label
    shown = page.locator("#measures .measure").evaluate_all(
        "els => els.map(e => [e.dataset.measure, e.className.match(/measure-(eligible|unknown|ineligible)/)[1]])")
    assert shown and dict(shown) == {m["id"]: m["status"] for m in result["measures"]}
    for mid, status in shown:
        assert truth.result(mid).status == status, (mid, truth.result(mid).why)
    for r in truth.by_status("eligible"):
        if r.amount_yuan:
            amount = page.locator(f"#measures [data-measure='{r.measure.id}'] .measure-amount")
            assert float(amount.get_attribute("data-amount")) == r.amount_yuan
    departments = []
    for m in result["measures"]:
        if m["status"] == "eligible":
            departments += [d for d in m["departments"] if d not in departments]
    assert page.locator("#departments li").all_inner_texts() == departments
    shown_facts = tab.facts_shown()
    assert set(shown_facts) == {k for k, v in facts.items() if v is not None}
    return result, truth


def test_a_phone_call_typed_line_by_line_keeps_the_panel_in_step_with_the_engine(operator, desk, policy_store,
                                                                                 artifacts):
    tab = operator()
    tab.sign_in(desk)
    lines = [FIRST]
    tab.say(FIRST)
    for _ in range(12):
        ask = tab.last_ask()
        if ask is None:
            break
        # the script line is the bot's question, as said in the transcript
        script = tab.page.text_content("#script")
        assert script and script in tab.page.locator("#transcript .line-bot .line-text").all_text_contents()
        assert tab.page.get_attribute("#script", "data-ask") == ("checklist" if ask.get("multi") else ask["fact"])
        if tab.last_result():
            _panel_agrees_with_the_engine(tab, policy_store)
        line = _answer(tab)
        lines.append(line)
        tab.say(line)
    for line in LATER:
        lines.append(line)
        tab.say(line)
    assert len(lines) >= 8
    assert tab.page.locator("#transcript .line-caller .line-text").all_inner_texts() == lines
    result, truth = _panel_agrees_with_the_engine(tab, policy_store)
    assert result["enterprise"]["facts"]["ui_premium_last_year"] == 7200
    assert result["enterprise"]["facts"]["monthly_rent"] == 8000
    assert {"1.1", "5.1"} <= {r.measure.id for r in truth.by_status("eligible")}
    assert truth.sme_class == "small"
    # The panel's measures are the chat's result card (the shared module), amounts with their formulas.
    item = tab.page.locator("#measures [data-measure='1.1']")
    assert truth.result("1.1").formula in item.locator(".measure-formula").inner_text()
    # An inline edit is a correction: told before → after, and the whole panel re-evaluated.
    tab.page.click("#facts [data-fact=revenue] .fact-edit")
    tab.page.fill("#edit-revenue", "八十万")
    tab.page.click("#facts [data-fact=revenue] .fact-editor button[type=submit]")
    tab.page.wait_for_function("() => window.HuiqiConsole.state().result.enterprise.facts.revenue === 800000")
    assert "已更正（上年度营业收入：1,800,000元（180万元） → 800,000元（80万元））" in tab.page.locator(
        "#transcript").inner_text()
    assert tab.facts_shown()["revenue"] == "800,000元（80万元）"
    # Beside each fact, where it came from: the caller's words, or the operator who typed it.
    assert tab.page.locator("#facts [data-fact=revenue] .fact-source").inner_text() == f"接线员{OPERATOR}修改：“八十万”"
    assert tab.page.locator("#facts [data-fact=ui_premium_last_year] .fact-source").inner_text().startswith("企业主")
    _, edited = _panel_agrees_with_the_engine(tab, policy_store)
    assert (truth.sme_class, edited.sme_class) == ("small", "micro")
    assert "营业收入100万元" in tab.page.inner_text("#class-rule")
    tab.page.click("#facts [data-fact=employees] .fact-edit")
    tab.page.fill("#edit-employees", "很多人")
    tab.page.click("#facts [data-fact=employees] .fact-editor button[type=submit]")
    tab.page.wait_for_function("() => document.querySelector('#facts .fact-error').textContent.length > 0")
    assert tab.state()["result"]["enterprise"]["facts"]["employees"] == 12  # a value it cannot take changes nothing
    assert tab.errors == []
    for width, height in ((1280, 800), (1920, 1080)):
        tab.page.set_viewport_size({"width": width, "height": height})
        tab.page.evaluate("() => window.scrollTo(0, 0)")
        tab.page.screenshot(path=str(artifacts / f"console-{width}.png"))


def test_two_tabs_are_two_calls_that_stay_apart(operator, desk):
    a, b = operator(), operator()
    a.sign_in(desk)
    b.page.goto(b.url + "/console/")  # the same browser: signed in already
    b.page.wait_for_selector("html[data-view=call]", timeout=30_000)
    assert a.call_id() != b.call_id()
    a.say(FIRST)
    b.say("我们是软件公司，20个人，去年收入800万，受疫情影响很大")
    fa, fb = a.last_result()["enterprise"]["facts"], b.last_result()["enterprise"]["facts"]
    assert (fa["industry"], fa["employees"]) != (fb["industry"], fb["employees"])
    assert fa["employees"] == 12 and fb["employees"] == 20
    a.say("汇总一下")
    assert a.last_result()["enterprise"]["facts"]["employees"] == 12
    assert a.facts_shown()["employees"] != b.facts_shown()["employees"]
    # Each tab keeps its own call across a reload (its transcript comes back from that call's history only).
    a.page.reload()
    a.page.wait_for_selector("html[data-view=call]", timeout=10_000)
    a.page.wait_for_function("() => document.querySelectorAll('#transcript .line-caller').length === 2")
    assert a.page.locator("#transcript .line-caller .line-text").all_inner_texts() == [FIRST, "汇总一下"]
    assert a.errors == [] and b.errors == []


def test_ending_a_call_files_a_record_that_is_edited_found_and_exported(operator, desk, policy_store, artifacts):
    tab = operator()
    tab.sign_in(desk)
    call = tab.call_id()
    tab.say(FIRST)
    tab.say("没裁员，去年失业保险交了6000")
    facts = tab.state()["result"]["enterprise"]["facts"]
    truth = evaluate(facts, store=policy_store)
    tab.page.click("#end-call")
    tab.page.wait_for_selector("html[data-view=records]")
    record = tab.page.evaluate("() => window.HuiqiConsole.record()")
    assert record["sender"] == call and record["operator"] == OPERATOR and record["facts"] == facts
    assert record["account"] == desk.login
    assert record["sme_class"] == truth.sme_label
    assert {m["id"]: m["status"] for m in record["answered"]} == {r.measure.id: r.status for r in truth.results}
    assert record["caller_said"] == [FIRST, "没裁员，去年失业保险交了6000"]
    tab.page.fill("#record-caller", "张经理")
    tab.page.check("#record-follow")
    tab.page.click("#record-save")
    tab.page.wait_for_function("() => document.getElementById('record-status').textContent === '已保存'")
    tab.page.fill("#records-query", "张经理")
    tab.page.press("#records-query", "Enter")
    tab.page.wait_for_function("() => document.querySelectorAll('#records-list .record-open').length === 1")
    assert tab.page.get_attribute("#records-list .record-open", "data-id") == record["id"]
    with tab.page.expect_download() as download:
        tab.page.click("#record-text")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "来电人：张经理" in text and "需要回访：是" in text
    for r in truth.by_status("eligible"):
        if r.formula and r.amount_yuan:
            assert r.formula in text
    with tab.page.expect_download() as download:
        tab.page.click("#record-json")
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["caller"] == "张经理"
    with tab.page.context.expect_page() as opened:
        tab.page.click("#record-print")
    printed = opened.value
    printed.wait_for_load_state()
    assert printed.title() == "来电记录（工单）" and "张经理" in printed.inner_text("main")
    printed.screenshot(path=str(artifacts / "console-record.png"), full_page=True)
    assert tab.errors == []
