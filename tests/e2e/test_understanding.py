"""How messages are read, over REST with the real servers (issue 9): no silent change of a known fact, magnitudes
as people say them, implied answers, the class pinned down, one-shot computed answers, the summary on request.
Texts here are written fresh, not taken from the training data or the held-out sets."""

from __future__ import annotations


def _facts(conversation) -> dict:
    return conversation.last_result()["enterprise"]["facts"]


def test_a_word_with_a_numeral_in_it_changes_no_known_count(conversation):
    opening = conversation.say("我们是开超市的，店里15个人，去年营业额三百万")
    assert "已更正" not in conversation.texts(opening)  # read once, by the profile and again by the follow-up
    replies = conversation.say("一些老顾客都不来了，一直没怎么开张")
    assert "15人 → 1人" not in conversation.texts(replies)
    conversation.say("汇总一下")
    assert _facts(conversation)["employees"] == 15 and _facts(conversation)["affected"] is True


def test_a_revenue_said_in_yi_classes_a_large_chain(conversation):
    replies = conversation.say("我们是连锁超市，员工五百多人，去年营收3个多亿，受疫情影响挺大")
    assert conversation.payloads(replies, "confirm")[0]["value"] == "零售业"  # the row makes it large: asked first
    assert not conversation.payloads(replies, "result")
    result = conversation.payloads(conversation.say("对"), "result")[-1]
    assert result["enterprise"]["facts"]["revenue"] == 300_000_000 and result["enterprise"]["sme_class"] == "large"


def test_an_open_class_asks_its_deciding_indicators_together_and_the_result_names_the_class(conversation):
    replies = conversation.say("我们是开饭馆的，受疫情影响挺大")
    ask = conversation.payloads(replies, "ask")[-1]
    assert ask["fact"] == "employees" and ask["together"] == ["revenue"]
    replies = conversation.say("十二个人，去年一百八十万左右")
    assert "营业收入按约1,800,000元（180万元）计算" in conversation.texts(replies)
    assert conversation.last_result()["enterprise"]["sme_class"] == "small"
    assert "为小型企业" in conversation.texts(replies)  # the rule row that gives the class


def test_a_range_across_the_class_line_is_asked_again_with_both_ends(conversation):
    conversation.say("我们是开饭馆的，十二个人，受疫情影响挺大")
    replies = conversation.say("八十万到一百二十万吧")
    text = conversation.texts(replies)
    assert "800,000元（80万元）到1,200,000元（120万元）之间" in text and "企业划型" in text
    assert conversation.payloads(replies, "ask")[-1]["fact"] == "revenue"


def test_a_question_carrying_its_facts_gets_the_class_computed(conversation):
    replies = conversation.say("20个人的软件公司，年收入800万，算小微吗")
    text = conversation.texts(replies)
    assert "属于小型企业" in text and "工信部联企业〔2011〕300号" in text and "为小型企业" in text


def test_a_question_carrying_its_facts_gets_the_amount_computed_with_what_it_assumed(conversation):
    replies = conversation.say("没裁员，去年失业保险交了3万6，稳岗返还能拿多少")
    text = conversation.texts(replies)
    assert "18,000元" in text and "36000 × 50%" in text and "第1条" in text and "还没有核实" in text


def test_the_summary_can_be_asked_for_mid_interview(conversation):
    conversation.say("我们是做物流的，三十个人，去年营收两千万，疫情期间停运了一个多月")
    replies = conversation.say("先汇总一下吧")
    result = conversation.payloads(replies, "result")
    assert result and result[-1]["enterprise"]["facts"]["industry"] == "交通运输业"
