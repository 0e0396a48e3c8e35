"""The policy workbench at /workbench/ (docs/contract.md E13) in a real browser: a policy editor signs in, pastes a
notice, makes its figures parameters, writes the measure of its first article with its conditions, amount, new fact
and expert cases, runs the checks, previews and publishes, all in the page; axe finds no serious or critical
violation; screenshots in test-artifacts/. An operator who opens the page is refused.

Served by the pages and the access middleware as the Rasa server mounts them, without a model
(tests/bot/staff_app.py), with their own versions folder and records, so nothing is published into the servers'
store."""

from __future__ import annotations


import pytest

from bot.staff import accounts, migrations
from testing.app_process import serving, staff_app
from testing.staff import create_accounts
from tests.browser.conftest import DESKTOP, axe_violations
from tests.workbench.conftest import NOTICE

pytestmark = pytest.mark.browser

EDITOR = ("editor-browser", "周编辑", accounts.POLICY_EDITOR, "editor password 1")
OPERATOR = ("operator-browser", "王工", accounts.OPERATOR, "operator password 1")


@pytest.fixture(scope="module")
def bench_url(tmp_path_factory):
    work = tmp_path_factory.mktemp("workbench")
    db = migrations.open_records(work / "records.db")
    create_accounts(db, EDITOR, OPERATOR)
    db.conn.close()
    env = {"POLICY_VERSIONS": str(work / "versions"), "HUIQI_RECORDS_DB": str(work / "records.db"),
           "HUIQI_TRAINER_DB": str(work / "trainer.db")}
    with serving(staff_app, env) as url:
        yield url


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def page(browser, bench_url, console_errors):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    yield tab
    context.close()
    assert errors == []


def _sign_in(page, url: str, who: tuple) -> None:
    """Opens the workbench, which sends an anonymous browser to the staff sign-in, and signs in there."""
    page.goto(url + "/workbench/")
    page.wait_for_selector("form[action='/staff/signin']", timeout=30_000)
    page.fill("#login", who[0])
    page.fill("#password", who[3])
    page.click("form[action='/staff/signin'] button[type=submit]")


def _field(scope, label: str):
    return scope.get_by_label(label, exact=True)


def test_a_policy_editor_turns_an_article_into_a_measure_previews_and_publishes(page, bench_url, axe_source,
                                                                                 artifacts, console_errors):
    _sign_in(page, bench_url, EDITOR)
    page.wait_for_url(bench_url + "/workbench/", timeout=30_000)
    page.wait_for_selector("#bench:not([hidden])")
    assert page.locator("#who").text_content() == "周编辑（政策编辑）"
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
    assert console_errors == []


def test_an_operator_cannot_open_the_workbench(page, bench_url):
    _sign_in(page, bench_url, OPERATOR)
    page.wait_for_url(bench_url + "/console/", timeout=30_000)  # an operator lands on the console
    page.goto(bench_url + "/workbench/")
    assert "不能使用这个页面" in page.locator("body").inner_text()
