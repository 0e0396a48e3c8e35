"""A call record (工单) groups measures by kind exactly as the chat card and the report do (issue 19): the record keeps
the result's sections as the card receives them, its text and printable page show the same sections with the same
measures, the console's list titles what applies by section, and a record filed before records kept sections still
opens (bot/staff/records.py, bot/web/console/record_views.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from bot.staff import records
from bot.web.console import record_views
from policy_db import evaluate, store as policy_store

# A small restaurant with a loan: the answer holds lenders' duties (7, 8, 9), an encouragement (10), measures for
# workers (1.2, 11号 item 五) beside its benefits.
WITH_LOAN = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True, "insured": True,
             "layoffs": 0, "ui_premium_last_year": 6000, "has_loan": True}
HEADING = re.compile(r"^(?P<title>[^【\s][^ ：]*?)（(?P<count>\d+)项）：")


@pytest.fixture(scope="module")
def store():
    return policy_store.load()


def _cases():
    """The facts of tests/cases (the policy officer's scenarios) and the loan case above."""
    yield pytest.param(WITH_LOAN, None, id="with a loan")
    for path in sorted((Path(__file__).parents[1] / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if "refused" not in case and case.get("expect", {}).get("measures"):
                as_of = case.get("as_of")
                yield pytest.param(case["facts"], dt.date.fromisoformat(str(as_of)) if as_of else None,
                                   id=f"{path.stem}: {case['name'][:40]}")


def _sections(groups: list[dict]) -> list[tuple[str, tuple[str, ...]]]:
    return [(g["title"], tuple(g["measures"])) for g in groups]


def text_sections(text: str, store) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The sections of a record's text, document by document (by the document's short title): each heading
    '可以享受（1项）：' with the ids of the measures listed under it."""
    docs: dict[str, list] = {}
    current, names = None, {}
    for line in text.split("\n"):
        if line.startswith("【"):
            policy = next(p for p in store.policies.values() if f"《{p.short_title}》" in line)
            current, names = docs.setdefault(policy.id, []), {m.name: m.id for m in policy.measures}
        elif current is not None and HEADING.match(line):
            current.append([HEADING.match(line)["title"], []])
        elif current and len(line.partition(" ")[0]) <= 2:  # a measure's line opens with its mark: '✅ 1.1 稳岗返还…'
            said = line.partition(" ")[2]
            current[-1][1] += [mid for name, mid in names.items() if re.match(re.escape(name) + r"(?:[：（，。]|$)", said)]
    return {pid: [(t, tuple(ids)) for t, ids in sections] for pid, sections in docs.items()}


def page_sections(page: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The sections of the printable page, document by document: each group's title and its measures' ids."""
    docs = {}
    for doc in page.split('<section class="document" data-policy="')[1:]:
        pid, _, body = doc.partition('"')
        docs[pid] = [(re.search(r"<h3>(.*?)（\d+项）</h3>", g)[1], tuple(re.findall(r'data-measure="([^"]+)"', g)))
                     for g in body.split('<section class="group ')[1:]]
    return docs


def test_a_record_keeps_the_results_sections_and_each_measures_kind_as_the_card_receives_them(store):
    record = records.fill(store, "call-1", "call", "王工", [], WITH_LOAN)
    payload = evaluate(WITH_LOAN, store=store).to_payload()
    assert record.groups == payload["groups"] and record.policies == payload["policies"]
    assert record.total == payload["total"]
    kinds = {m["id"]: m["kind"] for m in payload["measures"]}
    assert {m["id"]: m["kind"] for m in record.answered} == kinds
    benefit = store.words.kinds["benefit"].heading
    shown_as_benefit = {mid for g in record.groups if g["title"] == benefit for mid in g["measures"]}
    assert shown_as_benefit and {kinds[mid] for mid in shown_as_benefit} == {"benefit"}
    for mid, heading in (("7", "lender_duty"), ("9", "lender_duty"), ("10", "encouraged"), ("1.2", "for_workers"),
                         ("rsb11-5", "for_workers")):
        assert next(g["title"] for g in record.groups if mid in g["measures"]) == store.words.kinds[heading].heading


@pytest.mark.parametrize("facts,as_of", list(_cases()))
def test_the_records_text_and_printable_page_show_the_sections_the_record_keeps(store, facts, as_of):
    record = records.fill(store, "call-case", "call", "王工", [], facts, as_of=as_of)
    kept = {p["id"]: _sections(p["groups"]) for p in record.policies}
    assert page_sections(records.as_page(record, store)) == kept
    in_text = text_sections(records.as_text(record, store), store)
    assert in_text and all(kept[pid] == sections for pid, sections in in_text.items())


def test_the_printable_page_marks_each_section_with_its_kind_as_the_card_does(store):
    page = records.as_page(records.fill(store, "call-1", "call", "王工", [], WITH_LOAN), store)
    duty = store.words.kinds["lender_duty"].heading
    assert f'<section class="group group-eligible group-kind-lender_duty" data-kind="lender_duty"><h3>{duty}（' in page


def test_the_console_opens_a_record_with_its_rows_and_sections_and_lists_what_applies_by_section(store, monkeypatch):
    monkeypatch.setattr("policy_db.store.load", lambda *a, **k: store)
    record = records.fill(store, "call-1", "call", "王工", [], WITH_LOAN)
    opened = record_views.with_links(record)
    assert opened["groups"] == record.groups and opened["policies"] == record.policies
    assert opened["rows"][:2] == [("工单编号", record.id), ("类型", "电话来电")]
    assert (store.words.pages["class_heading"], f"{record.sme_class}（{record.sme_rule}）") in opened["rows"]
    line = record_views.summary(record)
    assert line["kind_label"] == "电话来电"
    applying = {g["title"]: g["measures"] for g in line["applying"]}
    titles = {m["id"]: f"{m['id']} {m['title']}" for m in record.answered}
    assert applying == {g["title"]: [titles[mid] for mid in g["measures"]]
                        for g in record.groups if g["status"] == "eligible"}
    assert "1.1 稳岗返还" in applying[store.words.kinds["benefit"].heading]
    assert "7 加大信贷支持" in applying[store.words.kinds["lender_duty"].heading]
    assert "1.2 失业保险金上调" in applying[store.words.kinds["for_workers"].heading]
    assert not any("7 " in m for m in applying[store.words.kinds["benefit"].heading])


def _filed_before(record: records.Record) -> dict:
    """A record's body as records were kept before they held the result's sections."""
    body = dataclasses.asdict(record)
    for name in ("groups", "policies", "total"):
        body.pop(name)
    body["answered"] = [{k: m.get(k) for k in ("id", "title", "status", "amount_yuan", "formula", "clause",
                                               "departments", "why")} for m in record.answered]
    return body


def test_a_record_filed_before_records_kept_sections_still_opens_grouped_as_its_text(store, tmp_path, monkeypatch):
    monkeypatch.setattr("policy_db.store.load", lambda *a, **k: store)
    db = records.database(tmp_path / "records.db")
    old = records.Record(**_filed_before(records.fill(store, "call-1", "call", "王工", [], WITH_LOAN)))
    records.save(old, db)
    found = records.get(old.id, db)
    assert found.groups == [] and found.total is None
    opened = record_views.with_links(found)
    payload = evaluate(WITH_LOAN, dt.date.fromisoformat(found.as_of), store=store).to_payload()
    assert opened["groups"] == payload["groups"]
    assert {m["id"]: m["kind"] for m in opened["answered"]} == {m["id"]: m["kind"] for m in payload["measures"]}
    assert [m["status"] for m in opened["answered"]] == [m["status"] for m in found.answered]
    assert record_views.summary(found)["applying"] == []
    assert records.as_text(found, store) and records.as_page(found, store)


def test_an_old_record_the_engine_now_judges_otherwise_opens_as_filed_ungrouped(store, monkeypatch):
    monkeypatch.setattr("policy_db.store.load", lambda *a, **k: store)
    body = _filed_before(records.fill(store, "call-1", "call", "王工", [], WITH_LOAN))
    body["answered"][0] = {**body["answered"][0], "status": "unknown", "amount_yuan": None}
    old = records.Record(**body)
    opened = record_views.with_links(old)
    assert opened["groups"] == [] and opened["answered"] == old.answered
