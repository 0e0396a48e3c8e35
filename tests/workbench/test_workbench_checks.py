"""The store's checks as a library: a complete draft passes them; each check refuses a spoilt draft with a clear
Chinese message, and nothing is published."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_db import workbench
from policy_db.versions import PublishError


def _messages(problems) -> list[str]:
    return [p.message for p in problems]


def test_the_completed_notice_passes_every_check(pilot, shared_versions):
    assert workbench.check(pilot, shared_versions) == []


def _refused(document, versions, check: str) -> list[str]:
    """The messages of one check that refuse the draft, after making sure publishing it changes nothing."""
    problems = workbench.check(document, versions)
    with pytest.raises(PublishError) as refused:
        workbench.publish(document, dt.date.today(), versions)
    assert refused.value.problems and versions.all() == ()
    assert not (versions.root / "published").exists()
    mine = [p.message for p in problems if p.check == check]
    assert mine, _messages(problems)
    return mine


def test_a_clause_not_verbatim_is_refused(document, shared_versions):
    document["clauses"][2]["text"] = document["clauses"][2]["text"].replace("10%", "20%")
    document["parameters"]["pilot_rate"]["text"] = "20%"  # the figure as the altered clause has it
    document["measures"][0]["excerpt"] = document["measures"][0]["excerpt"].replace("10%", "20%")
    assert _refused(document, shared_versions, "verbatim") == [
        "条款“第一项”的文字在原文中找不到：条款必须逐字摘自原文。", "措施“试点示范补贴”的摘要写了条款里没有的数字：10。"]


def test_a_figure_not_in_its_clause_is_refused(document, shared_versions):
    document["parameters"]["pilot_rate"]["text"] = "15%"
    assert _refused(document, shared_versions, "parameters") == [
        "参数“pilot_rate”的原文“15%”不在它引用的条款（第一项）中。"]


def test_a_figure_whose_value_is_not_the_one_its_clause_writes_is_refused(document, shared_versions):
    document["parameters"]["pilot_cap"]["values"] = {"2020-03-01": 5000}
    assert _refused(document, shared_versions, "parameters") == [
        "参数“pilot_cap”的数值是 5000，但条款中“最高5万元”写的是 50000。"]


def test_an_undefined_fact_is_refused(document, shared_versions):
    document["measures"][0]["conditions"][1]["test"] = "on_pilot_lists"
    assert "措施“试点示范补贴”用到的“on_pilot_lists”既不是已定义的企业情况，也不是本文件的参数。" in _refused(
        document, shared_versions, "facts")


def test_a_condition_never_shown_failing_is_refused(document, shared_versions):
    document["cases"] = [c for c in document["cases"] if "没有列入名单" not in c["name"]]
    assert _refused(document, shared_versions, "cases") == [
        "措施“试点示范补贴”的条件“on_pilot_list”还缺一个不成立的专家案例（现有案例里它总是成立）。"]


def test_a_case_the_engine_answers_otherwise_is_refused(document, shared_versions):
    document["cases"][0]["expect"]["measures"]["pilot7-1"]["amount_yuan"] = 900
    [message] = _refused(document, shared_versions, "cases")
    assert message.startswith("专家案例“列入名单、月租8000元的小型餐馆，补贴800元”与引擎的回答不符：措施 pilot7-1：金额应为 900，实际为 800.0")


def test_dates_that_run_backwards_are_refused(document, shared_versions):
    document["policy"]["in_force_until"] = "2020-02-29"
    messages = _refused(document, shared_versions, "dates")
    assert "执行期限的开始日期（2020-03-01）晚于结束日期（2020-02-29）。" in messages
    assert "文件写的结束日期是 2020-02-29，但它引用的条款（第一项）写的是 2020-08-31。" in messages


def test_a_second_base_for_the_same_rent_is_refused(document, shared_versions):
    document["measures"][0]["amount"]["total"] = {"base": "房租减免"}
    assert _refused(document, shared_versions, "double_counting") == [
        "措施“试点示范补贴”与措施“5.1 国有房产减免房租”像是同一笔钱（都按“每月房租”计算，合计口径的名称相近），"
        "但计入合计的口径不同（“房租减免”与“房租”）：这笔钱会在合计里算两次。请用相同的口径（total.base），或在 see_also 中写明是同一笔钱（same_money）。",
        "措施“试点示范补贴”与措施“5.2 创业园区、示范基地减免房租”像是同一笔钱（都按“每月房租”计算，合计口径的名称相近），"
        "但计入合计的口径不同（“房租减免”与“房租”）：这笔钱会在合计里算两次。请用相同的口径（total.base），或在 see_also 中写明是同一笔钱（same_money）。"]


@pytest.mark.parametrize("spoil, message", [
    (lambda d: d["policy"].update(title=""), "文件信息缺少“title”。"),
    (lambda d: d["measures"][0].update(kind="gift"),
     "措施“试点示范补贴”的“kind”是“gift”，应为以下之一：benefit、service、lender_duty、encouraged、for_workers、for_lenders。"),
    (lambda d: d["measures"][0].update(id="5.1"), "措施编号“5.1”已被《聊城市支持中小企业十六条》使用：每项措施的编号在全库唯一。"),
    (lambda d: d["measures"][0].update(clause="九"), "措施“试点示范补贴”引用的条款“九”不在本文件的条款中。"),
    (lambda d: d["measures"][0]["amount"].update(formula="__import__('os')"),
     "措施“试点示范补贴”的表达式“__import__('os')”写法有误"),
    (lambda d: d["facts"]["on_pilot_list"].update(words=[]), "新增的企业情况“on_pilot_list”还没有写企业主会怎么说（words），助手听不懂。"),
    (lambda d: d["facts"].update(affected={"type": "bool", "label": "x", "ask": "x", "words": ["x"]}),
     "新增的企业情况“affected”与已有的同名，请换一个名称，或直接使用已有的。"),
])
def test_an_incomplete_draft_is_told_what_is_missing_before_it_is_read(document, shared_versions, spoil, message):
    spoil(document)
    assert any(m.startswith(message) for m in _refused(document, shared_versions, "shape"))
