"""One reading per message, over REST with the real servers (issue 18): corrections in ordinary words, yes or no with
a reason, harm described with a negative in it, a costly guess confirmed before it is recorded, a trade that fits two
rows asked with two buttons, the head of a trade phrase deciding the row. Texts are written here, not taken from the
corpus or the held-out sets."""

from __future__ import annotations


def _facts(conversation) -> dict:
    conversation.say("汇总一下")
    return conversation.last_result()["enterprise"]["facts"]


def test_a_correction_without_bu_dui_is_taken_and_echoed(conversation):
    conversation.say("我们是机械加工厂，员工一百二十人，去年营业收入三千万，受疫情影响停了一个月")
    replies = conversation.say("不好意思，员工人数我说多了，实际八十个")
    assert "120人 → 80人" in conversation.texts(replies), conversation.dump()
    replies = conversation.say("查了下账，营业收入应该是三千二百万")
    assert "→ 32,000,000元" in conversation.texts(replies), conversation.dump()
    facts = _facts(conversation)
    assert facts["employees"] == 80 and facts["revenue"] == 32_000_000


def test_a_yes_with_its_reason_answers_the_question(conversation):
    replies = conversation.say("我们是开饭店的，十二个人，去年营业额一百八十万")
    asked = [p.get("fact") for p in conversation.payloads(replies, "ask")]
    assert asked == ["affected"], conversation.dump()
    replies = conversation.say("是，客人全跑了")
    assert "没太明白" not in conversation.texts(replies), conversation.dump()
    assert _facts(conversation)["affected"] is True


def test_harm_said_with_a_negative_is_no_no(conversation):
    conversation.say("我们是做汽车配件加工的，三十个人，去年产值两千万，供货进不来，工人回不去，停了好几个星期")
    assert _facts(conversation)["affected"] is True, conversation.dump()


def test_a_no_read_from_a_description_is_confirmed_first(conversation):
    replies = conversation.say("我们是开饭店的，十二个人，去年营业额一百八十万，生意照常营业")
    confirm = conversation.payloads(replies, "confirm")
    assert confirm and confirm[0]["fact"] == "affected" and confirm[0]["value"] is False, conversation.dump()
    assert "没有受到疫情影响" in conversation.texts(replies)
    assert not conversation.payloads(replies, "ask")  # one question at a time
    conversation.say("是的")
    assert _facts(conversation)["affected"] is False, conversation.dump()


def test_a_no_to_a_guess_with_a_reason_records_the_reason(conversation):
    conversation.say("我们是开饭店的，十二个人，去年营业额一百八十万，生意照常营业")
    conversation.say("不是，我们也停了半个月")
    assert _facts(conversation)["affected"] is True, conversation.dump()


def test_a_trade_that_fits_two_rows_is_asked_with_two_buttons(conversation):
    replies = conversation.say("我是做服装的，想问问有啥政策")
    confirm = conversation.payloads(replies, "confirm")
    assert confirm and confirm[0]["fact"] == "industry" and len(confirm[0]["options"]) == 2, conversation.dump()
    choice = confirm[0]["options"][0]
    conversation.say(choice)
    assert _facts(conversation)["industry"] == choice, conversation.dump()


def test_the_head_of_a_trade_phrase_decides_the_row(conversation):
    conversation.say("我们是做酒水批发的，十五个人，去年营业额一千二百万，受疫情影响挺大")
    facts = _facts(conversation)
    assert facts["industry"] == "批发业", conversation.dump()
    assert conversation.last_result()["enterprise"]["sme_class"] == "small"
