"""The result names the SME class with the rule row of 工信部联企业〔2011〕300号 that gives it, and while the class is
open, the indicators and rules that decide it (issue 9: owners and hotline records want the class)."""

from policy_db import evaluate


def test_a_settled_class_comes_with_its_rule_row(policy_store):
    a = evaluate({"industry": "餐饮业", "employees": 12, "revenue": 1_800_000}, store=policy_store)
    assert a.sme_class == "small"
    assert "属于小型企业（从业人员10人及以上且营业收入100万元及以上为小型企业）" in a.sme_reason


def test_an_open_class_says_what_decides_it(policy_store):
    a = evaluate({"industry": "餐饮业", "employees": 12}, store=policy_store)
    assert a.sme_class is None
    assert "还要看营业收入：从业人员10人及以上且营业收入100万元及以上为小型企业" in a.sme_reason


def test_a_large_enterprise_is_told_the_row_that_makes_it_large(policy_store):
    a = evaluate({"industry": "工业", "employees": 5000, "revenue": 6e8}, store=policy_store)
    assert "从业人员1000人及以上且营业收入40000万元及以上为大型企业" in a.sme_reason


def test_a_micro_enterprise_is_told_the_small_threshold_it_does_not_reach(policy_store):
    a = evaluate({"industry": "零售业", "employees": 5, "revenue": 500_000}, store=policy_store)
    assert a.sme_class == "micro" and "未达到从业人员10人及以上且营业收入100万元及以上的为微型企业" in a.sme_reason
