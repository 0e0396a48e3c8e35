"""Over REST: owners get the measures of every document in force for Liaocheng (the city's notice, Shandong's
months, 人社部发〔2020〕11号, 财政部 税务总局公告2020年第13号), grouped by document, with one total that counts each
base once and never a deferral (issue 11). The expected outcome is the engine's for the facts the conversation
recorded, and the facts are checked against what the owner said."""

from __future__ import annotations

from policy_db import evaluate


def _summary(conversation, opening: str, confirmed: str | None = None) -> dict:
    """The summary after ``opening``; where the opening's trade word gives a row that changes what applies, the
    assistant asks first (a confirm payload for that row), and the owner says yes."""
    asked = conversation.payloads(conversation.say(opening), "confirm")
    if confirmed is not None:
        assert [(c["fact"], c["value"]) for c in asked] == [("industry", confirmed)], conversation.dump()
        conversation.say("是的")
    replies = conversation.say("先汇总一下")
    results = conversation.payloads(replies, "result")
    assert results, conversation.dump()
    return results[-1]


def _statuses(result: dict) -> dict:
    return {m["id"]: (m["status"], m["amount_yuan"]) for m in result["measures"]}


def _as_engine_says(result: dict, policy_store) -> None:
    truth = evaluate(result["enterprise"]["facts"], store=policy_store).to_payload()
    assert _statuses(result) == _statuses(truth)
    assert result["total"] == truth["total"]
    assert [p["id"] for p in result["policies"]] == [p["id"] for p in truth["policies"]]


def test_a_small_taxpayer_restaurant_gets_the_city_the_province_and_the_vat_cut(conversation, policy_store):
    result = _summary(conversation, "我们是饭店，有限公司，12个人，去年营收180万，受疫情影响挺大。社保单位部分每月五千，"
                                    "我们是小规模纳税人，每月开票十五万")
    facts = result["enterprise"]["facts"]
    assert facts["legal_form"] == "公司" and facts["insured"] is True  # a 个体工商户 is not covered (issue 19)
    assert (facts["monthly_employer_si"], facts["is_small_scale_taxpayer"], facts["monthly_sales_at_3pct"]) == (
        5000, True, 150_000)
    measures = {m["id"]: m for m in result["measures"]}
    assert measures["sd-si-1"]["status"] == "eligible" and measures["sd-si-1"]["amount_yuan"] == 5000 * 11
    assert measures["vat13-1"]["status"] == "eligible" and measures["vat13-1"]["amount_yuan"] == 9000
    assert {"sd-si-1", "vat13-1"} <= set(result["total"]["parts"])
    levels = [p["level"] for p in result["policies"]]
    assert levels[0] == "市" and "省" in levels and "国家" in levels
    _as_engine_says(result, policy_store)
    text = conversation.texts(conversation.transcript[-1][1])
    assert "人社部发〔2020〕11号" in text and "公告2020年第13号" in text


def test_a_large_factory_gets_the_halving_and_none_of_the_sme_measures(conversation, policy_store):
    result = _summary(conversation, "我们是机械厂，两千人，去年营收6个亿，受疫情影响挺大，社保单位部分每月八十万",
                      confirmed="工业")
    assert result["enterprise"]["sme_class"] == "large"
    measures = {m["id"]: m for m in result["measures"]}
    assert measures["sd-si-2"]["status"] == "eligible" and measures["sd-si-2"]["amount_yuan"] == 800_000 * 0.5 * 5
    assert measures["sd-si-1"]["status"] == "ineligible" and measures["1.1"]["status"] == "ineligible"
    _as_engine_says(result, policy_store)


def test_a_deferral_is_shown_with_its_documents_and_never_added(conversation, policy_store):
    result = _summary(conversation, "我们是超市，20个人，去年营收500万，受疫情影响挺大，生产经营出现严重困难，"
                                    "社保交不起了，每月社保四万，单位部分每月三万")
    measures = {m["id"]: m for m in result["measures"]}
    assert measures["1.3"]["status"] == "eligible" and measures["rsb11-3"]["status"] == "eligible"
    assert "1.3" not in result["total"]["parts"] and "rsb11-3" not in result["total"]["parts"]
    _as_engine_says(result, policy_store)
