"""Several documents at once: a new document is a folder (no code), the place decides which documents and measures
apply, the result groups by document, and nothing is counted twice."""

import shutil
from pathlib import Path

import pytest
import yaml

from policy_db import evaluate, next_questions, qa, qa_reading, store
from policy_db.report import render
from policy_db.sources import DATA_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic-policy"
NEW_FACT = {"on_pilot_list": {"type": "bool", "label": "列入试点示范名单", "ask": "企业是否列入了试点示范名单？",
                              "situation": "列入了试点示范名单"}}


def _copy_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


@pytest.fixture(scope="module")
def with_pilot(tmp_path_factory) -> store.Store:
    """The project's data plus a made-up document folder and its one new fact."""
    tmp = tmp_path_factory.mktemp("pilot")
    root = _copy_data(tmp)
    shutil.copytree(FIXTURE, root / "policies" / "test-2020-pilot")
    facts = root / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + yaml.safe_dump(NEW_FACT, allow_unicode=True),
                     encoding="utf-8")
    return store.load(store.build(tmp / "policy.db", root))


SMALL = {"industry": "餐饮业", "employees": 20, "revenue": 3_000_000, "affected": True}


def test_a_new_document_folder_is_assessed_with_no_code_change(with_pilot):
    open_ = evaluate(SMALL, store=with_pilot)
    assert open_.result("pilot-1").status == "unknown" and open_.result("pilot-1").missing == ("on_pilot_list",)
    a = evaluate({**SMALL, "on_pilot_list": True, "monthly_rent": 8000}, store=with_pilot)
    r = a.result("pilot-1")
    assert (r.status, r.amount_yuan, r.formula) == ("eligible", 800.0, "8000 × 10% = 800")
    assert "pilot-1" in a.total_payload()["parts"]
    payload = a.to_payload()
    pilot = next(p for p in payload["policies"] if p["id"] == "test-2020-pilot")
    assert (pilot["issuer"], pilot["level"], pilot["number"]) == ("某省测试厅", "省", "测试〔2020〕1号")
    assert pilot["measures"] == ["pilot-1"]
    assert "【省】《试点示范补贴通知》（测试〔2020〕1号），某省测试厅" in render(a)
    refused = evaluate({**SMALL, "on_pilot_list": False}, store=with_pilot).result("pilot-1")
    assert refused.status == "ineligible" and "没有列入试点示范名单" in refused.why


def test_the_interview_asks_the_new_documents_fact(with_pilot):
    asked = {q.fact: q for q in next_questions(SMALL, store=with_pilot)}
    assert asked["on_pilot_list"].measures == ("pilot-1",) and asked["on_pilot_list"].kind == "condition"


def test_questions_about_the_new_document_are_answered_from_it(with_pilot):
    answer = qa.answer(qa_reading.asked("试点示范补贴按多少比例发", with_pilot), with_pilot)
    assert "10%" in answer.text and "测试〔2020〕1号" in answer.text and "某省测试厅" in answer.departments
    assert qa_reading.is_about_policy("示范补贴怎么申请", with_pilot)


@pytest.fixture(scope="module")
def in_hubei(tmp_path_factory) -> store.Store:
    """The same documents served in a city of 湖北省: the items for Hubei apply, those "除湖北省外" do not."""
    tmp = tmp_path_factory.mktemp("hubei")
    root = _copy_data(tmp)
    (root / "place.yaml").write_text(yaml.safe_dump(
        {"name": "武汉市", "within": ["武汉市", "湖北省", "全国"], "levels": ["市", "省", "国家"],
         "consult": {"社会保险": "市人力资源社会保障局", "增值税": "市税务局"}}, allow_unicode=True), encoding="utf-8")
    return store.load(store.build(tmp / "policy.db", root))


def test_documents_and_measures_apply_where_they_say(policy_store, in_hubei):
    here = {r.measure.id for r in evaluate(SMALL, store=policy_store).results}
    there = {r.measure.id for r in evaluate(SMALL, store=in_hubei).results}
    assert {"rsb11-1.1", "vat13-1", "sd-si-1", "1.1"} <= here and not {"rsb11-2", "vat13-hb"} & here
    assert {"rsb11-2", "vat13-hb", "rsb11-3"} <= there and not {"rsb11-1.1", "vat13-1", "sd-si-1", "1.1"} & there


def test_the_city_payload_keeps_the_base_contract_and_lists_every_document(policy_store):
    payload = evaluate(SMALL, store=policy_store).to_payload()
    assert payload["policy"] == "liaocheng-2020-sme" and payload["valid_until"] == "2020-06-30"
    assert [p["id"] for p in payload["policies"]] == [
        "liaocheng-2020-sme", "shandong-2020-si-relief", "national-2020-si-relief", "national-2020-vat-small-scale"]
    assert [p["level"] for p in payload["policies"]] == ["市", "省", "国家", "国家"]
    by_policy = {p["id"]: set(p["measures"]) for p in payload["policies"]}
    for m in payload["measures"]:
        assert m["id"] in by_policy[m["policy"]]
    for p in payload["policies"]:
        assert sorted(i for g in p["groups"] for i in g["measures"]) == sorted(p["measures"])
    city = [m["id"] for m in payload["measures"] if m["policy"] == "liaocheng-2020-sme"]
    assert city[:3] == ["1.1", "1.2", "1.3"] and len(city) == 23


def test_the_text_goes_document_by_document_then_kind_and_ends_with_one_total(policy_store):
    facts = {**SMALL, "insured": True, "legal_form": "公司", "layoffs": 0, "ui_premium_last_year": 7200,
             "monthly_employer_si": 3000,
             "is_small_scale_taxpayer": True, "monthly_sales_at_3pct": 50000}
    text = render(evaluate(facts, store=policy_store), compact=True)
    heads = [text.index(h) for h in ("【市】", "【省】", "【国家】《阶段性减免", "【国家】《支持个体工商户")]
    assert heads == sorted(heads)
    assert text.rstrip().splitlines()[-1].startswith("可享受金额（估算）：39,600元 = 1.1 稳岗返还3,600元")
    assert text.count("可享受金额（估算）") == 1


def test_the_interview_ranks_facts_across_documents(policy_store):
    asked = [q.fact for q in next_questions(SMALL, store=policy_store)]
    assert {"is_small_scale_taxpayer", "severe_difficulty"} <= set(asked)
    # the exemption waits for 参保单位 and 个体工商户 (rsb11-1.1 and Shandong's); then only its amount is open
    assert {"insured", "legal_form"} <= set(asked)
    known = {**SMALL, "insured": True, "legal_form": "公司"}
    amounts = {q.fact: q for q in next_questions(known, store=policy_store) if q.kind == "amount"}
    assert amounts["monthly_employer_si"].measures == ("sd-si-1",)
