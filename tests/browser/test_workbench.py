"""The policy workbench at /workbench/ (docs/contract.md E13) in a real browser: a staff member signs in, pastes a
notice, makes its figures parameters, writes the measure of its first article with its conditions, amount, new fact
and expert cases, runs the checks, previews and publishes, all in the page; axe finds no serious or critical
violation; screenshots in test-artifacts/.

Served by a bare Sanic app of the workbench and the chat's shared modules (no Rasa: the page needs none), with its own
versions folder, so nothing is published into the servers' store. (Written on branch h-workbench without a browser
run: the helpers do not run the browser tests.)"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, axe_violations
from tests.workbench.conftest import NOTICE

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
TOKEN = "browser-workbench-token"
SERVE = """
from sanic import Sanic
from bot.web.chat import server as chat
from bot.web.workbench import server as workbench
app = Sanic("workbench_browser")
app.blueprint(chat.blueprint())
app.blueprint(workbench.blueprint())
app.run(host="127.0.0.1", port={port}, access_log=False, motd=False)
"""


@pytest.fixture(scope="module")
def bench_url(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "HUIQI_OPERATOR_TOKEN": TOKEN, "PYTHONPATH": str(ROOT),
           "POLICY_VERSIONS": str(tmp_path_factory.mktemp("versions")),
           "HUIQI_RECORDS_DB": str(tmp_path_factory.mktemp("records") / "records.db")}
    proc = subprocess.Popen([sys.executable, "-c", SERVE.format(port=port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(f"{url}/workbench/api/words", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def page(browser, bench_url):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(bench_url + "/workbench/")
    yield tab
    context.close()
    assert errors == []


def _field(scope, label: str):
    return scope.get_by_label(label, exact=True)


def test_a_staff_member_turns_an_article_into_a_measure_previews_and_publishes(page, axe_source, artifacts):
    page.fill("#token", TOKEN)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#bench:not([hidden])")
    page.fill("#notice-text", NOTICE)
    page.click("#make-draft")
    page.wait_for_selector("#document-step:not([hidden])")
    assert page.locator("#clauses mark.wb-figure-percent").first.text_content() == "10%"
    assert axe_violations(page, axe_source) == []

    document = page.locator("#policy-fields")
    _field(document, "编号（小写字母、数字、连字符）").fill("test-2020-pilot7")
    _field(document, "层级").select_option("省")
    _field(document, "适用地区").select_option("山东省")

    article = page.locator("article.wb-clause", has_text="第一项")
    article.locator("li.wb-figure-row", has_text="10%").get_by_role("button").click()
    article = page.locator("article.wb-clause", has_text="第一项")
    article.locator("li.wb-figure-row", has_text="最高5万元").get_by_role("button").click()
    assert page.locator("#parameters .wb-parameter").count() == 2

    page.click("#add-fact")
    fact = page.locator("#facts fieldset.wb-fact").first
    _field(fact, "名称（小写字母、数字、下划线）").fill("on_pilot_list")
    _field(fact, "说法").fill("列入试点示范名单")
    _field(fact, "怎么问企业").fill("企业是否列入了试点示范名单？")
    _field(fact, "清单里的说法").fill("列入了试点示范名单")
    _field(fact, "企业主会怎么说（用顿号分隔）").fill("试点示范名单、示范名单")

    page.locator("article.wb-clause", has_text="第一项").get_by_role("button", name="按本条添加措施").click()
    measure = page.locator("fieldset.wb-measure").first
    _field(measure, "措施编号（全库唯一）").fill("pilot7-1")
    _field(measure, "名称").fill("试点示范补贴")
    _field(measure, "责任单位（用顿号分隔）").fill("某省测试厅")
    _field(measure, "摘要").fill("列入试点示范名单的中小企业，按每月房租的10%给予试点示范补贴，最高5万元。")
    _field(measure, "原文摘录（须逐字摘自本条）").fill("对列入试点示范名单的中小企业,按每月房租的10%给予试点示范补贴,最高5万元")
    for fact_name, fails in (("sme", None), ("on_pilot_list", "没有列入试点示范名单")):
        page.locator("fieldset.wb-measure").first.get_by_role("button", name="添加条件").click()
        condition = page.locator("fieldset.wb-measure .wb-condition").last
        _field(condition, "企业情况").select_option(fact_name)
        if fails:
            _field(page.locator("fieldset.wb-measure .wb-condition").last, "不满足时的说法").fill(fails)
    measure = page.locator("fieldset.wb-measure").first
    _field(measure, "按哪项金额计算").select_option("monthly_rent")
    measure.locator(".wb-factors input[type=checkbox]").first.check()
    _field(measure, "上限（本条的参数，可不选）").select_option(index=2)
    _field(measure, "计入合计的口径").fill("试点示范补贴")

    for name, facts, status, extra in (
            ("列入名单的小型餐馆", "industry=餐饮业\nemployees=20\nrevenue=3000000\non_pilot_list=true\nmonthly_rent=8000",
             "eligible", ("金额（元，可空）", "800")),
            ("没有列入名单的小型餐馆", "industry=餐饮业\nemployees=20\nrevenue=3000000\non_pilot_list=false",
             "ineligible", ("理由应包含", "没有列入试点示范名单")),
            ("列入名单的大型工厂", "industry=工业\nemployees=1200\nrevenue=500000000\non_pilot_list=true",
             "ineligible", ("理由应包含", "不属于中小企业"))):
        page.click("#add-case")
        case = page.locator("#cases fieldset.wb-case").last
        _field(case, "案例名称（一句话说清情况和结论）").fill(name)
        _field(case, "日期").fill("2020-04-01")
        _field(case, "企业情况（每行一项：名称=值）").fill(facts)
        _field(case, "措施").select_option("pilot7-1")
        _field(case, "结论").select_option(status)
        _field(case, extra[0]).fill(extra[1])

    page.click("#run-check")
    page.wait_for_selector("#check-result p")
    assert page.locator("#check-result p").first.text_content() == "全部检查通过，可以预览和发布。", \
        page.locator("#check-result").text_content()
    page.fill("#simulated", "20")
    page.click("#run-preview")
    page.wait_for_selector("#preview-result .wb-preview-measure")
    assert "新措施" in page.locator("#preview-result .wb-preview-measure").first.text_content()
    assert axe_violations(page, axe_source) == []
    page.screenshot(path=str(artifacts / "workbench.png"), full_page=True)

    page.click("#publish")
    page.wait_for_selector("#publish-result .wb-ok")
    assert page.locator("#publish-result .wb-ok").text_content().startswith("已发布为第 1 版")
    assert page.locator("#versions li").count() == 1
    page.locator("#publish-step").screenshot(path=str(artifacts / "workbench-published.png"))


def test_a_wrong_token_is_refused_on_the_page(page):
    page.fill("#token", "wrong")
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#signin-error:not(:empty)")
    assert page.locator("#signin-error").text_content() == "令牌不正确，请核对后重试。"
    assert page.locator("#bench").is_hidden()
