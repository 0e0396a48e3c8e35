"""Answers, questions, explanations, hypotheticals, corrections, the profile, handoff, bad input."""

from actions.conversation import ActionSetFocus, ActionStartOver
from actions.corrections import ActionApplyCorrection
from actions.explanations import ActionExplainWhyNot, ActionWhatIf
from actions.guard import ActionRefuseBadInput
from actions.handoff import ActionFallback, ActionHandoff
from actions.profile import ActionShowProfile
from actions.questions import ActionAnswerPolicy
from actions.results import ActionShowResult
from policy_db import evaluate

from tests.actions.trackers import entity, payloads, run, slot_events, texts, tracker

OWNER = {"industry": "餐饮业", "employees": 10, "revenue": 1_800_000, "affected": True, "insured": True,
         "ui_premium_last_year": 6000, "layoffs": 0, "rents_soe_property": True, "monthly_rent": 5000}


def test_the_result_carries_the_engine_payload_and_how_each_fact_was_read(policy_store):
    notes = {"industry": {"how": "trade", "said": "我们是饭店"}, "affected": {"how": "answer", "said": "是"}}
    messages, _ = run(ActionShowResult(), tracker(slots={**OWNER, "fact_notes": notes}))
    (payload,) = [p for p in payloads(messages) if p["type"] == "result"]
    assert payload["enterprise"].pop("read_as") == {"industry": "trade", "affected": "answer"}
    assert payload == evaluate(OWNER, as_of=None, store=policy_store).to_payload()
    text = texts(messages)
    assert "3,000元" in text and "6000 × 50% = 3000" in text and "第1条" in text and "市国资委" in text
    assert "2020年6月30日" in text and "仅供参考" in text


def test_an_unchanged_result_is_not_repeated():
    _, events = run(ActionShowResult(), tracker(slots=OWNER))
    messages, _ = run(ActionShowResult(), tracker(slots={**OWNER, **slot_events(events)}))
    assert messages == []


def test_a_dispute_comes_with_the_hotline_card():
    messages, _ = run(ActionShowResult(), tracker(slots={**OWNER, "contract_dispute": True}))
    (card,) = [p for p in payloads(messages) if p["type"] == "handoff"]
    assert card["hotline"] == "12348" and card["reason"] == "dispute" and "市司法局" in card["departments"]


def test_the_hotline_for_new_orders_alone_brings_no_dispute_card():
    messages, _ = run(ActionShowResult(), tracker(slots={**OWNER, "contract_dispute": False}))
    (result,) = [p for p in payloads(messages) if p["type"] == "result"]
    assert next(m for m in result["measures"] if m["id"] == "16")["status"] == "eligible"
    assert [p for p in payloads(messages) if p["type"] == "handoff"] == []


def test_the_chat_result_groups_by_kind_and_shows_the_total():
    messages, _ = run(ActionShowResult(), tracker(slots=OWNER))
    text = texts(messages)
    assert "可享受金额（估算）：18,000元 = 1.1 稳岗返还3,000元 + 5.1 国有房产减免房租15,000元" in text
    enjoy = text.split("可以享受（")[1].split("可以使用的服务")[0]
    assert "加大信贷支持" not in enjoy and "降低融资成本" not in enjoy


def test_why_not_a_duty_of_the_banks_says_it_applies_not_that_it_can_be_enjoyed():
    messages, _ = run(ActionExplainWhyNot(), tracker(slots=OWNER, text="为什么加大信贷支持不能享受", intent="why_not"))
    assert "按您提供的情况适用" in texts(messages) and "可以享受" not in texts(messages)
    assert "不是给企业的补贴" in texts(messages)


def test_explaining_the_unemployment_benefit_says_its_reading_is_an_interpretation():
    messages, _ = run(ActionExplainWhyNot(), tracker(slots=OWNER, text="失业保险金上调为什么没有我的份", intent="why_not"))
    assert "失业保证金" in texts(messages) and "解读" in texts(messages)


def test_a_policy_question_is_answered_with_figure_clause_and_department():
    messages, _ = run(ActionAnswerPolicy(), tracker(text="社保缓缴最长几个月", intent="ask_policy"))
    assert "6个月" in texts(messages) and "第1条" in texts(messages) and "市人力资源社会保障局" in texts(messages)


def test_a_bank_asking_gets_the_lenders_duty():
    t = tracker(text="我是银行客户经理，降低融资成本对我们有啥要求", intent="ask_policy",
                entities=[entity("is_financial_institution", True)])
    messages, events = run(ActionAnswerPolicy(), t)
    slots = slot_events(events)
    assert "0.5个百分点" in texts(messages) and slots["is_financial_institution"] is True
    assert set(slots) == {"is_financial_institution", "fact_notes"}


def test_why_not_names_the_failing_condition_and_clause():
    slots = {**OWNER, "rents_soe_property": False}
    messages, _ = run(ActionExplainWhyNot(), tracker(slots=slots, text="为什么我不能享受国有房产减免房租", intent="why_not"))
    assert "没有承租国有企业的经营性房产" in texts(messages) and "第5条" in texts(messages)


def test_a_what_if_with_no_supposed_fact_that_asks_about_the_notice_is_answered_from_it():
    messages, _ = run(ActionWhatIf(), tracker(text="失业保险金能涨多少", intent="what_if"))
    assert "第1条" in texts(messages) and "假设哪一项" not in texts(messages)
    messages, _ = run(ActionWhatIf(), tracker(text="那要是换一种情况呢", intent="what_if"))
    assert "假设哪一项" in texts(messages)


def test_what_if_reports_the_difference_and_stores_nothing():
    slots = {**OWNER, "layoffs": 3}
    messages, events = run(ActionWhatIf(), tracker(slots=slots, text="如果我们没裁员呢", intent="what_if",
                                                   entities=[entity("layoffs", 0)]))
    assert "1.1 稳岗返还" in texts(messages) and "3,000元" in texts(messages) and events == []


def test_a_correction_replaces_the_fact_and_says_what_changed():
    messages, events = run(ActionApplyCorrection(), tracker(slots=OWNER, text="不对，月租是六千", intent="correct",
                                                            entities=[entity("monthly_rent", 6000)]))
    assert slot_events(events)["monthly_rent"] == 6000
    assert "15,000元" in texts(messages) and "18,000元" in texts(messages)
    (result,) = [p for p in payloads(messages) if p["type"] == "result"]
    assert result["enterprise"]["read_as"] == {"monthly_rent": "stated"}  # the note recorded in the same turn


def test_a_correction_of_something_never_said_is_recorded_and_its_question_answered():
    messages, events = run(ActionApplyCorrection(), tracker(text="去年其实裁了两个人，那稳岗返还还能拿吗", intent="correct",
                                                            entities=[entity("layoffs", 2)]))
    assert "已记录（裁员人数：2人）" in texts(messages) and "未填写" not in texts(messages)
    assert "第1条" in texts(messages) and slot_events(events)["layoffs"] == 2


def test_an_impossible_correction_keeps_the_old_value():
    messages, events = run(ActionApplyCorrection(), tracker(slots=OWNER, text="其实我们裁了20个人", intent="correct",
                                                            entities=[entity("layoffs", 20)]))
    assert "不能多于" in texts(messages) and events == []


def test_the_profile_is_read_back():
    messages, _ = run(ActionShowProfile(), tracker(slots=OWNER))
    assert "从业人员人数：10人" in texts(messages) and "小型企业" in texts(messages)


def test_handoff_carries_the_facts_and_departments():
    messages, _ = run(ActionHandoff(), tracker(slots={**OWNER, "focus_measures": ["5.1"]}, text="转人工",
                                               intent="handoff"))
    (card,) = payloads(messages)
    assert card["type"] == "handoff" and card["facts"]["employees"] == 10
    assert card["departments"] == ["市人力资源社会保障局", "市财政局", "市国资委", "市商务投资促进局", "市科技局"]  # item 5's


def test_two_misunderstandings_in_a_row_go_to_people():
    user = {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    once, _ = run(ActionFallback(), tracker(events=[user]))
    twice, _ = run(ActionFallback(), tracker(events=[user, user]))
    assert payloads(once) == [] and payloads(twice)[0]["reason"] == "repeated_misunderstanding"


def test_bad_input_gets_a_polite_chinese_reply_and_changes_nothing():
    messages, events = run(ActionRefuseBadInput(), tracker(intent="bad_input",
                                                           entities=[entity("input_problem", "hostile")]))
    assert "已忽略" in texts(messages) and events == []


def test_naming_a_measure_makes_it_the_focus():
    _, events = run(ActionSetFocus(), tracker(text="稳岗返还能不能拿", intent="ask_eligibility",
                                              entities=[entity("measure", "稳岗返还")]))
    assert slot_events(events) == {"focus_measures": ["1.1"]}


def test_starting_over_forgets_everything():
    _, events = run(ActionStartOver(), tracker(slots=OWNER))
    assert events == [{"event": "restart", "timestamp": None}]


def test_out_of_scope_naming_a_measure_is_answered_from_the_notice():
    from actions.questions import ActionOutOfScope

    about, _ = run(ActionOutOfScope(), tracker(text="纾困做得好的银行有奖励吗，谁发", intent="out_of_scope"))
    other, _ = run(ActionOutOfScope(), tracker(text="今天天气咋样", intent="out_of_scope"))
    assert "第11条" in texts(about) and "市财政局" in texts(about)
    assert "只解答" in texts(other) and "第" not in texts(other)


def test_a_message_the_classifier_is_unsure_of_is_answered_when_it_names_a_measure():
    messages, _ = run(ActionFallback(), tracker(text="没参加失业保险的公司能领稳岗返还吗", intent="nlu_fallback"))
    assert "参保企业" in texts(messages) and "第1条" in texts(messages)


def test_handoff_answers_the_question_in_the_same_message_first():
    messages, _ = run(ActionHandoff(), tracker(text="新签的单子想找人看看合同风险，打哪个电话", intent="handoff"))
    assert "12348" in texts(messages) and "第16条" in texts(messages) and payloads(messages)[0]["type"] == "handoff"


def test_a_policy_question_inside_the_interview_is_answered_and_the_question_asked_again():
    from actions.forms import ValidateProfileForm

    t = tracker(slots={"industry": "餐饮业"}, text="房租能免几个月", intent="ask_eligibility", requested="employees")
    messages, events = run(ValidateProfileForm(), t)
    assert "3个月" in texts(messages) and slot_events(events)["requested_slot"] == "employees"


def test_yes_or_dont_know_with_no_question_pending_is_never_met_with_silence():
    from actions.corrections import ActionNoQuestionPending

    about, _ = run(ActionNoQuestionPending(), tracker(text="会计回不来，这个月报税能往后推不", intent="dont_know"))
    plain, _ = run(ActionNoQuestionPending(), tracker(text="是的", intent="affirm"))
    assert "第3条" in texts(about) and "市税务局" in texts(about)
    assert "企业的情况" in texts(plain)
