"""A made-up notice as staff would turn it into a document in the workbench: drafted from its text, then the
measure, its figure, its new fact and its expert cases written in, as the page would send them."""

from __future__ import annotations

import copy

import pytest

from policy_db import workbench
from policy_db.versions import Versions

NOTICE = """某省测试厅关于发放试点示范补贴的通知
测试〔2020〕7号
各市人民政府:
为支持中小企业复工复产,现就有关事项通知如下:
一、自2020年3月1日至8月31日,对列入试点示范名单的中小企业,按每月房租的10%给予试点示范补贴,最高5万元。(责任单位:某省测试厅)
二、各市要加强宣传,确保政策落实到位。
某省测试厅
2020年2月20日
"""
SMALL = {"industry": "餐饮业", "employees": 20, "revenue": 3_000_000}


def pilot_document(store) -> dict:
    """The notice drafted, then completed by staff (`completed`)."""
    return completed(workbench.draft_from_text(NOTICE, store)["document"])


def completed(doc: dict) -> dict:
    """The drafted notice as staff complete it: the level and area, two figures as parameters, the measure, the new
    fact with the words owners use, and cases on both sides of each condition."""
    doc["policy"].update(id="test-2020-pilot7", level="省", area={"in": "山东省"},
                         classification="sme-classification-2011", department_role="发文单位",
                         cues=["试点示范", "测试〔2020〕7号"])
    doc["parameters"] = {
        "pilot_rate": {"description": "试点示范补贴占每月房租的比例", "unit": "percent", "reference": "一",
                       "text": "10%", "values": {"2020-03-01": 0.1}},
        "pilot_cap": {"description": "试点示范补贴的上限", "unit": "yuan", "reference": "一", "text": "最高5万元",
                      "values": {"2020-03-01": 50000}},
    }
    doc["facts"] = {"on_pilot_list": {"type": "bool", "label": "列入试点示范名单",
                                      "ask": "企业是否列入了试点示范名单？", "situation": "列入了试点示范名单",
                                      "words": ["试点示范名单", "示范名单", "列入试点"],
                                      "simulator": {"chance": 0.3}}}
    doc["measures"] = [{
        "id": "pilot7-1", "title": "试点示范补贴", "keywords": ["试点示范补贴", "示范补贴"], "clause": "一",
        "departments": ["某省测试厅"],
        "summary": "列入试点示范名单的中小企业，按每月房租的10%给予试点示范补贴，最高5万元。",
        "excerpt": "对列入试点示范名单的中小企业,按每月房租的10%给予试点示范补贴,最高5万元", "kind": "benefit",
        "conditions": [{"test": "sme", "holds": "{sme_label}", "fails": "不属于中小企业（{sme_reason}）"},
                       {"test": "on_pilot_list", "holds": "列入试点示范名单", "fails": "没有列入试点示范名单"}],
        "amount": {"label": "试点示范补贴", "formula": "min(monthly_rent * pilot_rate, pilot_cap)",
                   "total": {"base": "试点示范补贴"}},
    }]
    doc["cases"] = [
        {"name": "列入名单、月租8000元的小型餐馆，补贴800元", "as_of": "2020-04-01",
         "facts": {**SMALL, "on_pilot_list": True, "monthly_rent": 8000},
         "expect": {"measures": {"pilot7-1": {"status": "eligible", "amount_yuan": 800}}}},
        {"name": "没有列入名单的小型餐馆不能享受", "as_of": "2020-04-01",
         "facts": {**SMALL, "on_pilot_list": False},
         "expect": {"measures": {"pilot7-1": {"status": "ineligible", "why_contains": "没有列入试点示范名单"}}}},
        {"name": "大型工厂列入名单也不能享受", "as_of": "2020-04-01",
         "facts": {"industry": "工业", "employees": 1200, "revenue": 500_000_000, "on_pilot_list": True},
         "expect": {"measures": {"pilot7-1": {"status": "ineligible", "why_contains": "不属于中小企业"}}}},
    ]
    return doc


@pytest.fixture()
def versions(tmp_path) -> Versions:
    """An empty versions folder over the repository's data."""
    return Versions(tmp_path / "versions")


@pytest.fixture(scope="session")
def shared_versions(tmp_path_factory) -> Versions:
    """One versions folder for the tests that publish nothing: candidates are kept by the draft's digest."""
    return Versions(tmp_path_factory.mktemp("versions"))


@pytest.fixture(scope="session")
def pilot(policy_store) -> dict:
    return pilot_document(policy_store)


@pytest.fixture()
def document(pilot) -> dict:
    """A fresh copy to spoil."""
    return copy.deepcopy(pilot)
