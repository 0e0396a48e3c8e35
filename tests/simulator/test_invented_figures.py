"""Invented figures: what the assistant says that neither the owner, nor the engine, nor the policy data holds."""

from __future__ import annotations

import datetime as dt

import policy_db
from policy_db import evaluate
from simulator.figures import figures, invented

FACTS = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True, "insured": True, "layoffs": 0,
         "ui_premium_last_year": 7_200}


def test_figures_are_read_as_written_and_as_values():
    found = {(f.written, f.value) for f in figures("营业收入按约1,800,000元（180万元）计算，裁员率不高于5.5%，80w，1.2个亿，三千五")}
    assert found == {(1_800_000, 1_800_000), (180, 1_800_000), (5.5, 0.055), (80, 800_000), (1.2, 120_000_000),
                     (3500, 3500)}


def test_list_numbers_and_examples_are_not_figures():
    assert figures("1. 有银行贷款\n2. 招工难\n请回复金额，比如“48000”“4.8万”") == []


def test_only_figures_from_nowhere_are_invented():
    store = policy_db.load()
    payload = evaluate(FACTS, dt.date(2020, 3, 1), store=store).to_payload()
    owner = ["我们是饭馆，十二个人，去年一百八十万", "失业保险去年交了7200块"]
    said = ["从业人员12人、营业收入180万元，属于小型企业（从业人员10人及以上且营业收入100万元及以上为小型企业）",
            "稳岗返还：7200 × 50% = 3600元，依据第1条，执行至2020年6月30日，法律援助热线12348"]
    assert invented(said, owner, payload, store) == []
    assert invented(["可返还4321元，缓缴27个月"], owner, payload, store) == ["4321", "27"]


def test_the_simulators_ranges_in_facts_yaml_are_no_policy_figures():
    """facts.yaml's `simulator` keys say how generated owners look (700 to 1500 yuan of social insurance a head each
    month): a figure found only there is invented; the facts' bounds still count."""
    store = policy_db.load()
    assert store.facts["monthly_si_premium"].simulator["between"] == ["employees * 700", "employees * 1500"]
    assert invented(["每人每月社保在700到1500元之间"], [], {}, store) == ["700", "1500"]
    assert invented(["人数不可能超过5000000人"], [], {}, store) == []
