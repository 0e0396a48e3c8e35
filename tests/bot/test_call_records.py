"""Call records (工单): filled from the conversation and the engine, edited only where the operator may, found by
their words, exported as text and as the report's page (bot/staff/records.py)."""

import json

import pytest
from rasa.shared.core.events import BotUttered, UserUttered

from bot.staff import records
from policy_db import evaluate, store as policy_store

FACTS = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True, "insured": True,
         "layoffs": 0, "ui_premium_last_year": 6000}
EVENTS = [UserUttered("我们是饭店，12个人", timestamp=1),
          BotUttered("去年的营业收入大概是多少？", timestamp=2),
          BotUttered(data={"custom": {"type": "ask", "fact": "revenue"}}, timestamp=2),
          UserUttered("一百八十万左右", timestamp=3)]


@pytest.fixture(scope="module")
def store():
    return policy_store.load()


@pytest.fixture
def db(tmp_path):
    return records.database(tmp_path / "records.db")


def test_a_record_is_filled_with_what_was_asked_said_and_what_the_engine_answers(store):
    record = records.fill(store, "call-1", "call", "王工", EVENTS, FACTS, ["rents_soe_property"])
    assert record.asked == ["去年的营业收入大概是多少？"]
    assert record.caller_said == ["我们是饭店，12个人", "一百八十万左右"]
    assert record.sme_class == "小型企业" and "营业收入100万元及以上为小型企业" in record.sme_rule
    stable = next(m for m in record.answered if m["id"] == "1.1")
    assert (stable["status"], stable["amount_yuan"], stable["formula"], stable["clause"]) == (
        "eligible", 3000.0, "6000 × 50% = 3000", "第1条")
    assert "市人力资源社会保障局" in record.departments
    assert record.open_points[0] == "承租国有企业经营性房产：来电人不清楚"
    assert record.follow_up is True
    assert record.policy_version == store.fingerprint


def test_records_are_found_by_every_word_of_the_query_newest_first(store, db):
    first = records.save(records.fill(store, "call-1", "call", "王工", EVENTS, FACTS), db)
    second = records.save(records.fill(store, "owner-2", "chat", "李工", [], {"industry": "零售业"}), db)
    assert [r.id for r in records.find("王工", db=db)] == [first.id]
    assert [r.id for r in records.find("零售业 李工", db=db)] == [second.id]
    assert records.find("王工 零售业", db=db) == []
    assert {r.id for r in records.find("", db=db)} == {first.id, second.id}
    assert records.find("'; drop table records; --", db=db) == []
    assert len(records.find("", db=db)) == 2


def test_the_operator_edits_the_callers_details_and_the_follow_up_but_not_the_engines_answer(store, db):
    record = records.save(records.fill(store, "call-1", "call", "王工", EVENTS, FACTS), db)
    edited = records.save(records.edit(record, {"caller": "张经理", "phone": "13800000000",
                                                          "follow_up": False, "open_points": ["下周回电"]}), db)
    assert (edited.caller, edited.follow_up, edited.open_points) == ("张经理", False, ["下周回电"])
    assert records.get(record.id, db).caller == "张经理"
    assert [r.id for r in records.find("张经理", db=db)] == [record.id]
    for change in ({"answered": []}, {"sme_class": "微型企业"}, {"follow_up": "yes"}, {"caller": "x" * 41},
                   {"open_points": "下周"}):
        with pytest.raises(records.RecordError):
            records.edit(record, change)


def test_the_text_export_carries_the_header_the_questions_and_the_engines_words(store):
    record = records.fill(store, "call-1", "call", "王工", EVENTS, FACTS)
    text = records.as_text(record, store)
    assert text.startswith("来电记录（工单）\n工单编号：" + record.id)
    assert "  1. 去年的营业收入大概是多少？" in text
    assert "6000 × 50% = 3000" in text and "第1条" in text
    assert json.loads(json.dumps(record.__dict__, ensure_ascii=False))["facts"] == FACTS


def test_the_printable_record_is_the_report_page_with_the_records_sections_escaped(store):
    record = records.fill(store, "call-1", "call", "<b>王工</b>", EVENTS, FACTS)
    page = records.as_page(record, store)
    assert "<title>来电记录（工单）</title>" in page and "<h2>工单信息</h2>" in page
    assert "&lt;b&gt;王工&lt;/b&gt;" in page and "<b>王工</b>" not in page
    assert evaluate(FACTS, store=store).sme_label in page


def _expert_cases():
    import datetime as dt
    from pathlib import Path

    import yaml

    for path in sorted((Path(__file__).parents[1] / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            if "refused" not in case and case.get("expect", {}).get("measures"):
                as_of = case.get("as_of")
                yield pytest.param(case["facts"], dt.date.fromisoformat(str(as_of)) if as_of else None,
                                   case["expect"], id=f"{path.stem}: {case['name'][:40]}")


@pytest.mark.parametrize("facts,as_of,expect", list(_expert_cases()))
def test_every_expert_case_is_recorded_and_exported_as_the_engine_judges_it(store, facts, as_of, expect):
    """The tests/cases scenarios a policy officer wrote: the record, its text and its printable page say what the
    engine says, measure by measure."""
    record = records.fill(store, "call-case", "call", "王工", [], facts, as_of=as_of)
    answered = {m["id"]: m for m in record.answered}
    text, page = records.as_text(record, store), records.as_page(record, store)
    assessment = evaluate(facts, as_of, store=store)
    assert record.sme_class == assessment.sme_label
    assert assessment.for_lender or f"企业规模：{record.sme_class}（{record.sme_rule}）" in text
    for mid, want in expect["measures"].items():
        assert answered[mid]["status"] == want["status"], (mid, answered[mid]["why"])
        if "amount_yuan" in want:
            assert answered[mid]["amount_yuan"] == want["amount_yuan"]
        if want.get("formula"):
            assert answered[mid]["formula"] == want["formula"] and want["formula"] in text and want["formula"] in page
    eligible_departments = {d for m in record.answered if m["status"] == "eligible" for d in m["departments"]}
    assert set(record.departments) == (eligible_departments or {store.default_policy.hotline_department})
