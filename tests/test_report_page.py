"""The 政策匹配报告 (policy_db/report_page.py, POST /chat/report): every measure of the engine's assessment with its
status, amount, formula, clause excerpt and departments, document by document; what the text does not say only where
the data allows it; the as-of day and the store's fingerprint; every value escaped."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pytest

from bot.web.chat import server as chat
from policy_db import evaluate, report, report_page

AS_OF = dt.date(2026, 11, 30)
RESTAURANT = {"industry": "餐饮业", "employees": 12, "revenue": 1800000, "affected": True, "insured": True,
              "layoffs": 0, "ui_premium_last_year": 7200, "rents_soe_property": True, "monthly_rent": 8000,
              "monthly_employer_si": 5000, "is_small_scale_taxpayer": True, "monthly_sales_at_3pct": 100000}


class _Page(HTMLParser):
    """The page's text, each measure's text by id, each document's ids, and every tag seen."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.measures: dict[str, list[str]] = {}
        self.documents: dict[str, list[str]] = {}
        self._stack: list[tuple[str, str | None]] = []
        self._document: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in {"meta", "link", "br", "input"}:
            return
        measure = attrs.get("data-measure")
        if attrs.get("data-policy"):
            self._document = attrs["data-policy"]
            self.documents[self._document] = []
        if measure:
            self.measures[measure] = []
            self.documents[self._document].append(measure)
        self._stack.append((tag, measure))

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        for _, measure in self._stack:
            if measure:
                self.measures[measure].append(data)

    def measure_text(self, mid: str) -> str:
        return "".join(self.measures[mid])


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.fixture
def restaurant(policy_store):
    a = evaluate(RESTAURANT, AS_OF, store=policy_store)
    html = report_page.render_page(a, policy_store, RESTAURANT)
    return a, html, _parse(html)


def test_every_measure_has_its_status_amount_formula_excerpt_and_departments(restaurant, policy_store):
    a, _, page = restaurant
    assert set(page.measures) == {r.measure.id for r in a.results}
    for r in a.results:
        text = page.measure_text(r.measure.id)
        assert r.measure.name in text and a.state(r) in text, r.measure.id
        assert r.measure.excerpt in text and r.clause_label in text, r.measure.id
        assert "、".join(r.measure.departments) in text, r.measure.id
        if r.amount_yuan is not None:
            assert report.money(r.amount_yuan) in text and r.formula in text, r.measure.id
        if r.months:  # the period in its clause's words, never a made-up "最长N个月"
            assert r.months_text in text and (f"最长{r.months}个月" not in text or "最长" in r.months_text)
    eligible = [r for r in a.results if r.status == "eligible" and r.amount_yuan]
    assert {"1.1", "5.1"} <= {r.measure.id for r in eligible}
    assert "7200 × 50% = 3600" in page.measure_text("1.1")


def test_grouped_by_document_in_the_results_order_with_validity_as_of_and_data_version(restaurant, policy_store):
    a, html, page = restaurant
    assert list(page.documents) == [v.policy.id for v in a.views]
    for v in a.views:
        assert page.documents[v.policy.id] == [r.measure.id for g in a.groups(v.results) for r in g.results]
    text = "".join(page.text)
    assert "2026年11月30日" in text and policy_store.fingerprint in text
    for v in a.views:
        assert f"至{v.policy.in_force_until.year}年{v.policy.in_force_until.month}月{v.policy.in_force_until.day}日" in text
        assert "已执行期满" in text
    assert report.total_line(a) in text
    assert a.sme_reason in text and a.sme_label in text  # the class with its rule row
    for name, value in RESTAURANT.items():
        spec = policy_store.facts[name]
        assert spec.label in text and report.show_value(spec, value) in text


def test_what_the_text_does_not_say_names_whom_the_data_says_to_ask(restaurant, policy_store):
    a, _, page = restaurant
    said = 0
    for r in a.results:
        text = page.measure_text(r.measure.id)
        if "未作规定" not in text:
            continue
        said += 1
        p = r.policy
        whom = report_page.whom_to_ask(policy_store, p, r.measure)
        assert whom and f"请向{'、'.join(whom)}咨询" in text, r.measure.id
        clause = p.clauses[r.measure.clause].text
        if "申请材料" in text:
            assert "材料" not in clause  # never claimed where the clause speaks of it
    assert said >= 2
    # A document naming only its issuers points to the local department place.yaml names for its matter.
    national = next(r for r in a.results if r.policy.department_role != "责任单位" and r.status == "eligible"
                    and r.measure.kind == "benefit")
    assert policy_store.place.consult[national.policy.matter] in page.measure_text(national.measure.id)
    # The data's own not_given, as data says it.
    given = [r for r in a.results if r.measure.not_given and r.status != "ineligible" and r.measure.kind == "benefit"]
    for r in given:
        assert r.measure.not_given in page.measure_text(r.measure.id)


def test_hostile_values_are_escaped(policy_store):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    a = evaluate({"industry": "餐饮业"}, AS_OF, store=policy_store)
    # Not a value validation lets through; the renderer escapes whatever it is given all the same.
    html = report_page.render_page(a, policy_store, {"industry": hostile, "employees": 3},
                                   extra=[report_page.Extra(hostile, ((hostile, hostile),))])
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    page = _parse(html)
    assert "img" not in page.tags and page.tags.count("script") == 1  # only the page's own /chat/report.js
    assert hostile in "".join(page.text)


def test_the_endpoint_validates_facts_and_dates(policy_store, monkeypatch):
    monkeypatch.setattr("policy_db.store.load", lambda *a, **k: policy_store)
    body = json.dumps({"facts": RESTAURANT, "as_of": "2026-11-30"}).encode()
    facts, day = chat.report_request(body, "application/json")
    assert facts["industry"] == "餐饮业" and day == AS_OF
    assert chat.report_request(b"", "application/x-www-form-urlencoded", body.decode()) == (facts, day)
    for bad in ({"facts": {"employees": -1}}, {"facts": {"nothing": 1}}, {"facts": [1]}, [],
                {"facts": {}, "as_of": "30/11/2026"}, {"facts": {}, "as_of": "3026-01-01"},
                {"facts": {"industry": "<script>"}}):
        with pytest.raises(chat.BadReport):
            chat.report_request(json.dumps(bad).encode(), "application/json")
    with pytest.raises(chat.BadReport):
        chat.report_request(b"{not json", "application/json")
    html = chat.report_html(facts, day)
    assert html.startswith("<!doctype html>") and "3,600元" in html
