"""The training simulator at /trainer/ (docs/contract.md E8, E13) in a real browser: a trainee signs in with their
account, interviews the simulated owner, states a class and the measures, and sees the grade, the clause of each
mistake and the progress chart; axe finds no serious or critical violation; screenshots of the page and of the chart
in test-artifacts/. An operator's account does not open the trainer."""

from __future__ import annotations

import pytest

from policy_db import load
from simulator import cases, grading, statement_form
from tests.browser.conftest import DESKTOP, axe_violations, sign_in

pytestmark = pytest.mark.browser

QUESTIONS = ("你们是做什么行业的？", "有多少员工？", "去年营业收入多少？")


def pick_case():
    """The first generated case that teaches something here: an enterprise of a settled class with a measure that
    applies and has an amount (the trainee states it right) and another that applies (the trainee misses it)."""
    store = load()
    for seed in range(1, 200):
        case = cases.case(store, seed)
        key = grading.answer_key(case.facts, store, cases.as_of(store))
        with_amount = [m for m, a in key.amounts.items()]
        city = {m.id for m in store.measures_here(store.default_policy)}
        missed = [m for m, s in key.measures.items() if s == "eligible" and m not in key.amounts and m in city]
        if key.sme_class in ("small", "micro", "medium") and with_amount and missed:
            return store, case, key, with_amount[0], missed[0]
    raise AssertionError("no generated case with a measure to state and one to miss")


@pytest.fixture(scope="module")
def trainee(make_staff):
    return make_staff("trainee", "学员甲")


@pytest.fixture
def page(browser, assistant, trainee):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(tab, assistant.url, trainee, "/trainer/")
    yield tab
    context.close()
    refused = "the server responded with a status of 400"   # the page's own polite refusals
    assert [e for e in errors if refused not in e] == []


def play_round(page, seed: int, sme_class: str, measure: str, amount: float) -> None:
    page.fill("#seed", str(seed))
    page.click("#start-button")
    page.wait_for_selector("#round:not([hidden])")
    for n, question in enumerate(QUESTIONS, start=1):
        page.fill("#question", question)
        page.press("#question", "Enter")
        page.wait_for_function("n => document.querySelectorAll('#transcript .line').length === n", arg=1 + 2 * n)
    page.check(f"input[name=sme_class][value={sme_class}]")
    page.check(f"input[name='measure-{measure}'][value=eligible]")
    page.fill(f"input[name='amount-{measure}']", f"{amount:g}")
    page.check("input[name='department'][value='市人力资源社会保障局']")
    page.click("#grade-button")
    page.wait_for_selector("#sheet:not([hidden])")


def test_a_trainee_completes_a_case_and_learns_from_the_clause(page, trainee, axe_source, artifacts):
    store, case, key, stated, missed = pick_case()
    wrong = "micro" if key.sme_class != "micro" else "small"
    labels = {c["key"]: c["label"] for c in statement_form.options(store)["classes"]}
    assert page.locator("#policy-name").text_content() == f"《{store.default_policy.short_title}》"
    every_document = statement_form.options(store)["measures"]  # the city's and the other documents in force (issue 19)
    assert len(every_document) > len(store.measures_here(store.default_policy))
    assert page.locator("#measures tbody tr").count() == len(every_document)
    assert page.input_value("#name") == f"{trainee.display}（{trainee.login}）"
    page.fill("#seed", str(case.seed))
    page.click("#start-button")
    page.wait_for_selector("#round:not([hidden])")
    assert page.locator("#transcript .line-owner .words").first.text_content() == case.narrative
    assert axe_violations(page, axe_source) == []
    page.click("#new-round")

    play_round(page, case.seed, wrong, stated, key.amounts[stated])
    owner_said = page.locator("#transcript .line-owner .words").all_text_contents()
    assert len(owner_said) == 1 + len(QUESTIONS) and all(owner_said)

    # The sheet agrees with the grader on the same statement.
    statement = statement_form.Statement(wrong, {stated: "eligible"}, {stated: key.amounts[stated]},
                                  frozenset({"市人力资源社会保障局"}))
    expected = grading.grade(case.facts, statement, store, asked=len(QUESTIONS), as_of=cases.as_of(store))
    assert page.locator("#score").text_content() == expected.summary()
    assert page.locator("#questions").text_content().startswith(f"您问了{len(QUESTIONS)}个问题")

    wrong_class = page.locator(".mistake[data-kind=class]")
    assert f"正确答案：{labels[key.sme_class]}" in wrong_class.text_content()
    assert wrong_class.locator(".clause-label").text_content() == "《中小企业划型标准规定》（工信部联企业〔2011〕300号）"
    policy = store.default_policy
    measure = policy.measure(missed)
    forgotten = page.locator(f".mistake[data-kind=measure][data-key='{missed}']")
    assert forgotten.locator(".clause-label").text_content() == policy.clauses[measure.clause].label
    assert forgotten.locator(".clause-text").text_content() == measure.excerpt
    assert forgotten.locator(".explanation").text_content().startswith("应判断为适用：")
    assert page.locator(f".mistake[data-kind=amount][data-key='{stated}']").count() == 0   # stated right
    assert store.facts["industry"].label in page.locator("#facts").text_content()   # the truth, once graded

    chart = page.locator("#chart-scores svg")
    assert chart.get_attribute("role") == "img" and "第1个" in chart.get_attribute("aria-label")
    assert page.locator("#chart-measures svg rect.bar").count() == len(every_document)
    assert axe_violations(page, axe_source) == []
    page.screenshot(path=str(artifacts / "trainer.png"), full_page=True)

    page.emulate_media(media="print")
    assert page.locator("#sheet").is_visible() and not page.locator("header.topbar").is_visible()
    assert not page.locator("#print").is_visible()
    page.emulate_media(media="screen")

    # A second round adds a point to the chart.
    page.click("#again")
    play_round(page, case.seed, key.sme_class, stated, key.amounts[stated])
    assert page.locator("#chart-scores svg circle.dot").count() == 2
    assert page.locator(".mistake[data-kind=class]").count() == 0
    page.locator("#progress").screenshot(path=str(artifacts / "trainer-progress.png"))


def test_a_bad_case_number_is_refused_on_the_page(page):
    page.fill("#seed", "1; drop")
    page.click("#start-button")
    page.wait_for_selector("#start-error:not(:empty)")
    assert page.locator("#start-error").text_content() == "案例编号应为数字"
    assert page.locator("#round").is_hidden()


def test_an_operators_account_does_not_open_the_trainer(browser, assistant, make_staff):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    tab = context.new_page()
    sign_in(tab, assistant.url, make_staff("operator", "接线员乙"), "/console/")
    reply = tab.goto(assistant.url + "/trainer/")
    assert reply.status == 403 and "不能使用这个页面" in tab.inner_text("main")
    context.close()
