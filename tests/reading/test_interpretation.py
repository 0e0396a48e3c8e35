"""interpret(message, turn, store): what a parsed message is and which facts it sets, given the turn. Plain tables."""

import pytest

from reading.interpretation import Turn, interpret

RESTAURANT = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000, "affected": True}
SHOP = {"industry": "零售业", "employees": 15, "affected": True}


def number(value, role, **said):
    e = {"entity": "number", "value": value, "role": role}
    if said:
        e["additional_info"] = {"approximate": True, **said}
    return e


def fact(name, value, **said):
    e = {"entity": name, "value": value}
    if said:
        e["additional_info"] = {"approximate": True, **said}
    return e


def message(intent, *entities, text=""):
    return {"text": text, "intent": {"name": intent}, "entities": list(entities)}


ROWS = [
    # (what it shows, message, turn, facts it sets, facts it replaces (their old values))
    ("a bare number answers the question asked",
     message("inform", number(7200, "plain")), Turn("ui_premium_last_year", (), {**RESTAURANT, "insured": True}),
     {"ui_premium_last_year": 7200}, {}),
    ("premiums paid say the firm is insured, a principal that it has a loan",
     message("inform", fact("ui_premium_last_year", 36000), fact("loan_principal", 500_000)), Turn(None, (), {}),
     {"ui_premium_last_year": 36000, "insured": True, "loan_principal": 500_000, "has_loan": True}, {}),
    ("a bank saying who it is, inside a question, is taken",
     message("ask_policy", fact("is_financial_institution", True), text="我们是农商行的，第九条对我们有什么要求"),
     Turn(None, (), {}), {"is_financial_institution": True}, {}),
    ("a bare number with nothing pending changes nothing",
     message("inform", number(1, "plain")), Turn(None, (), SHOP), {}, {}),
    ("a bare number does not answer a question of another unit",
     message("inform", number(3, "months")), Turn("monthly_rent", (), SHOP), {}, {}),
    ("a number answering the pending question replaces nothing else",
     message("inform", number(2, "plain")), Turn("layoffs", (), SHOP), {"layoffs": 2}, {}),
    ("yes answers a yes/no question", message("affirm"), Turn("insured", (), {}), {"insured": True}, {}),
    ("no answers a yes/no question", message("deny"), Turn("insured", (), {}), {"insured": False}, {}),
    ("no to a headcount question means zero", message("deny"), Turn("layoffs", (), RESTAURANT), {"layoffs": 0}, {}),
    ("a stated harm answers being affected whatever the intent",
     message("deny", fact("affected", True), text="一单生意都没有"), Turn("affected", (), {"industry": "零售业"}),
     {"affected": True}, {}),
    ("checklist numbers pick situations, the rest become false",
     message("inform", {"entity": "choice", "value": 1}, {"entity": "choice", "value": 3}),
     Turn("checklist", ("has_loan", "insured", "rents_soe_property"), RESTAURANT),
     {"has_loan": True, "insured": False, "rents_soe_property": True}, {}),
    ("none of them makes every situation false", message("deny"),
     Turn("checklist", ("has_loan", "insured"), RESTAURANT), {"has_loan": False, "insured": False}, {}),
    ("a 'no' about a fact the checklist does not offer is not '都没有'",
     message("deny", fact("layoffs", 0), text="没有裁员"), Turn("checklist", ("has_loan", "insured"), RESTAURANT),
     {"layoffs": 0}, {}),
    ("a fact named outright replaces the known value, and says so",
     message("inform", fact("employees", 20)), Turn("affected", (), SHOP), {"employees": 20}, {"employees": 15}),
    ("a word for a known value is no change ('饭店' for 餐饮业)",
     message("inform", fact("industry", "饭店"), fact("employees", 12)), Turn(None, (), RESTAURANT), {}, {}),
    ("a trade mentioned in passing does not change a known industry",
     message("inform", fact("industry", "工业"), fact("affected", True), text="客户的厂都没开工"),
     Turn("affected", (), {"industry": "其他未列明行业"}), {"affected": True}, {}),
    ("a correction does change it",
     message("correct", fact("industry", "工业"), text="不对，我们是工厂"), Turn(None, (), {"industry": "零售业"}),
     {"industry": "工业"}, {"industry": "零售业"}),
    ("facts inside a question are taken (one-shot)",
     message("ask_policy", fact("industry", "软件和信息技术服务业"), fact("employees", 20), fact("revenue", 8e6),
             text="20个人的软件公司，年收入800万，算小微吗"), Turn(None, (), {}),
     {"industry": "软件和信息技术服务业", "employees": 20, "revenue": 8_000_000}, {}),
    ("a situation named in a question is its topic, not a statement",
     message("ask_policy", fact("has_loan", True), text="有银行贷款的能延期吗"), Turn(None, (), {}), {}, {}),
    ("a hypothesis changes nothing",
     message("what_if", fact("layoffs", 3), text="要是裁了3个人呢"), Turn(None, (), RESTAURANT), {}, {}),
    ("bad input changes nothing",
     message("bad_input", fact("employees", 3)), Turn("employees", (), {}), {}, {}),
]


@pytest.mark.parametrize("shows, msg, turn, sets, replaces", ROWS, ids=[r[0] for r in ROWS])
def test_reading(policy_store, shows, msg, turn, sets, replaces):
    reading = interpret(msg, turn, policy_store)
    assert (reading.facts, reading.replaced) == (sets, replaces)


def test_an_impossible_value_is_refused_and_changes_nothing(policy_store):
    reading = interpret(message("inform", fact("employees", 12), fact("revenue", -5)), Turn(None, (), {}),
                        policy_store)
    assert reading.kind == "unfit" and reading.error is not None and reading.facts == {}


def test_a_checklist_number_out_of_range_is_refused(policy_store):
    reading = interpret(message("inform", {"entity": "choice", "value": 9}), Turn("checklist", ("has_loan",), {}),
                        policy_store)
    assert reading.error is not None and reading.facts == {}


def test_dont_know_leaves_the_fact_unknown(policy_store):
    reading = interpret(message("dont_know"), Turn("revenue", (), SHOP), policy_store)
    assert (reading.kind, reading.unknown, reading.facts) == ("dont_know", ["revenue"], {})


def test_a_hedged_figure_is_used_as_said_and_reported(policy_store):
    reading = interpret(message("inform", number(1_250_000, "money", low=None, high=None)),
                        Turn("revenue", (), RESTAURANT | {"revenue": None}), policy_store)
    assert reading.facts == {"revenue": 1_250_000} and reading.approximate == {"revenue": 1_250_000}


def test_a_range_within_one_class_band_reads_as_its_middle(policy_store):
    reading = interpret(message("inform", number(1_350_000, "money", low=1_200_000, high=1_500_000)),
                        Turn("revenue", (), {"industry": "餐饮业", "employees": 12, "affected": True}), policy_store)
    assert reading.facts == {"revenue": 1_350_000} and reading.straddles is None


def test_a_range_across_a_class_line_is_asked_again(policy_store):
    reading = interpret(message("inform", number(850_000, "money", low=800_000, high=1_100_000)),
                        Turn("revenue", (), {"industry": "餐饮业", "employees": 12, "affected": True}), policy_store)
    assert reading.facts == {} and reading.straddles.fact == "revenue" and "企业划型" in reading.straddles.decides


def test_a_question_asked_together_takes_each_number_by_its_unit(policy_store):
    turn = Turn("employees", (), {"industry": "餐饮业"}, ("revenue",))
    reading = interpret(message("inform", number(12, "plain"), number(1_800_000, "money")), turn, policy_store)
    assert reading.facts == {"employees": 12, "revenue": 1_800_000}


def test_a_number_without_unit_answers_only_the_question_itself(policy_store):
    turn = Turn("employees", (), {"industry": "餐饮业"}, ("revenue",))
    reading = interpret(message("inform", number(12, "plain"), number(180, "plain")), turn, policy_store)
    assert reading.facts == {"employees": 12}


def test_a_range_across_a_cap_is_asked_again(policy_store):
    operator = {"industry": "租赁和商务服务业", "employees": 50, "total_assets": 5_000_000, "affected": True,
                "incubator_operator": True, "rent_waived_months": 3}
    across = interpret(message("inform", number(550_000, "money", low=500_000, high=600_000)),
                       Turn("rent_waived_monthly", (), operator), policy_store)
    below = interpret(message("inform", number(250_000, "money", low=200_000, high=300_000)),
                      Turn("rent_waived_monthly", (), operator), policy_store)
    assert across.facts == {} and across.straddles is not None
    assert below.facts == {"rent_waived_monthly": 250_000} and below.straddles is None


def yes_no(value, reason=""):
    return {"entity": "yes_no", "value": value, "additional_info": {"reason": reason}}


def cue(name, value):
    return {"entity": name, "value": value, "additional_info": {"phrase": True}}


def test_an_opening_yes_answers_the_question_whatever_reason_follows(policy_store):
    reading = interpret(message("affirm", yes_no(True, "客人全跑了"), text="是，客人全跑了"),
                        Turn("affected", (), {"industry": "餐饮业"}), policy_store)
    assert reading.facts == {"affected": True} and reading.reason == "客人全跑了"


def test_the_opening_no_decides_over_a_cue_in_the_reason(policy_store):
    reading = interpret(message("deny", yes_no(False, "俩小工都留着嘞"), number(2, "plain"), text="没有，俩小工都留着嘞"),
                        Turn("layoffs", (), RESTAURANT), policy_store)
    assert reading.facts == {"layoffs": 0}


def test_a_no_read_from_a_description_is_held_back_to_confirm(policy_store):
    reading = interpret(message("inform", cue("affected", False), text="我们生意照常营业"),
                        Turn(None, (), {"industry": "餐饮业", "employees": 12}), policy_store)
    assert reading.facts == {} and reading.to_confirm == {"affected": False}


def test_a_plain_no_to_the_question_asked_is_recorded(policy_store):
    reading = interpret(message("deny", cue("affected", False), text="没受什么影响"),
                        Turn("affected", (), {"industry": "餐饮业", "employees": 12}), policy_store)
    assert reading.facts == {"affected": False} and reading.to_confirm == {}
    assert reading.how == {"affected": "answer"}


def test_a_description_that_answers_the_question_asked_is_recorded(policy_store):
    reading = interpret(message("inform", cue("affected", False), text="照常营业"),
                        Turn("affected", (), {"industry": "餐饮业", "employees": 12}), policy_store)
    assert reading.facts == {"affected": False} and reading.to_confirm == {}


def test_a_no_whose_reason_says_the_opposite_is_confirmed_before_it_is_recorded(policy_store):
    reading = interpret(message("deny", yes_no(False, "就是停了俩月"), cue("affected", True), text="没有，就是停了俩月"),
                        Turn("affected", (), {"industry": "餐饮业", "employees": 12}), policy_store)
    assert reading.facts == {} and reading.to_confirm == {"affected": False}


def test_the_choice_named_answers_and_a_denied_one_does_not(policy_store):
    named = {"entity": "named", "value": "个体工商户", "role": "legal_form"}
    turn = Turn("legal_form", (), {"industry": "零售业", "employees": 8})
    assert interpret(message("inform", named, text="不是公司，是个体工商户"), turn, policy_store).facts == \
        {"legal_form": "个体工商户"}
    assert interpret(message("inform", text="就是个小店，没注册公司"), turn, policy_store).facts == {}


def test_a_monthly_figure_for_last_years_revenue_is_twelve_times_it_and_a_guess(policy_store):
    monthly = message("inform", number(100_000, "money", yearly=1_200_000), text="一个月十来万吧")
    reading = interpret(monthly, Turn("revenue", (), {"industry": "零售业", "employees": 8, "affected": True}),
                        policy_store)
    taken = {**reading.facts, **reading.to_confirm}
    assert taken == {"revenue": 1_200_000} and reading.how.get("revenue", "described") == "described"
    this_year = message("inform", number(300_000, "money", this_year=True), text="今年到现在才三十万")
    reading = interpret(this_year, Turn("revenue", (), {"industry": "零售业", "employees": 8}), policy_store)
    assert reading.facts == {} and reading.to_confirm == {} and reading.kind == "unfit"


def test_a_figure_the_words_cast_doubt_on_is_confirmed_before_it_is_recorded(policy_store):
    left = message("inform", number(5, "people"), {"entity": "doubted", "value": "layoffs"}, text="走了五个，自己不干的")
    reading = interpret(left, Turn("layoffs", (), RESTAURANT), policy_store)
    assert reading.facts == {} and reading.to_confirm == {"layoffs": 5}
    plain = interpret(message("inform", number(5, "people"), text="裁了五个"), Turn("layoffs", (), RESTAURANT),
                      policy_store)
    assert plain.facts == {"layoffs": 5} and plain.to_confirm == {}


def test_a_yes_whose_reason_says_the_opposite_shuts_nothing_out_and_is_taken(policy_store):
    reading = interpret(message("affirm", yes_no(True, "其实也没受什么影响"), cue("affected", False),
                                text="是，其实也没受什么影响"),
                        Turn("affected", (), {"industry": "餐饮业", "employees": 12}), policy_store)
    assert reading.facts == {"affected": True} and reading.how == {"affected": "described"}


def test_a_guess_that_shuts_nothing_out_is_taken(policy_store):
    reading = interpret(message("inform", cue("affected", True), text="停了一个月"),
                        Turn("employees", (), {"industry": "餐饮业"}), policy_store)
    assert reading.facts == {"affected": True} and reading.to_confirm == {}


@pytest.mark.parametrize("reply, facts", [
    (message("affirm", yes_no(True), text="对"), {"affected": False}),
    (message("deny", yes_no(False), text="不是"), {}),
    (message("deny", yes_no(False, "我们也停了半个月"), cue("affected", True), text="不是，我们也停了半个月"),
     {"affected": True}),
])
def test_the_reply_to_a_confirmation_records_or_drops_the_guess(policy_store, reply, facts):
    turn = Turn(None, (), {"industry": "餐饮业", "employees": 12}, confirming={"affected": False})
    reading = interpret(reply, turn, policy_store)
    assert reading.facts == facts and reading.to_confirm == {}


def test_a_trade_that_fits_two_rows_is_asked_never_guessed(policy_store):
    reading = interpret(message("inform", text="我是做服装的"), Turn(None, (), {}), policy_store)
    assert "industry" not in reading.facts and len(reading.to_confirm["industry"]) == 2
    chosen = interpret(message("inform", text="零售业"),
                       Turn(None, (), {}, confirming={"industry": reading.to_confirm["industry"]}), policy_store)
    assert chosen.facts == {"industry": "零售业"}


PRESENTS = {"entity": "presents", "value": True}  # the NLU's mark of "我们是…", "开了个…", "做…的"


def test_the_head_of_a_trade_phrase_decides_the_row(policy_store):
    reading = interpret(message("inform", {"entity": "industry", "value": "酒水"}, PRESENTS, text="我们是做酒水批发的"),
                        Turn(None, (), {}), policy_store)
    assert reading.facts["industry"] == "批发业"


@pytest.mark.parametrize("msg", [
    message("inform", {"entity": "industry", "value": "仓库"}, text="仓库里的货清得七七八八了"),
    message("inform", {"entity": "affected", "value": True}, text="下游超市都不补货了"),
    message("ask_policy", text="批发企业能享受增值税减免吗"),
    message("inform", text="帮我推荐个好点的汽配供应商"),
])
def test_with_nothing_asked_a_trade_named_in_passing_is_not_the_enterprises(msg, policy_store):
    reading = interpret(msg, Turn(None, (), {}), policy_store)
    assert "industry" not in reading.facts and "industry" not in reading.to_confirm


@pytest.mark.parametrize("msg, row", [
    (message("inform", {"entity": "industry", "value": "仓库"}, PRESENTS, text="我们是做仓库的"), "仓储业"),
    (message("inform", {"entity": "employees", "value": 25}, text="做互联网平台的，员工25人"), "信息传输业"),
    (message("inform", text="饭店"), "餐饮业"),
])
def test_a_trade_is_the_enterprises_when_the_message_presents_it_states_its_size_or_is_only_the_trade(msg, row,
                                                                                                   policy_store):
    assert interpret(msg, Turn(None, (), {}), policy_store).facts["industry"] == row


def test_a_trade_named_in_passing_still_answers_the_question_of_the_trade(policy_store):
    reading = interpret(message("inform", text="仓库，主要给超市存货"), Turn("industry", (), {}), policy_store)
    assert reading.facts["industry"] == "仓储业"


@pytest.mark.parametrize("msg, facts", [
    (message("correct", number(20, "plain"), {"entity": "number", "value": 22, "role": "denied"},
             text="不是二十二个，是二十个"), {"employees": 20}),
    (message("correct", number(1_300_000, "money"), {"entity": "correction", "value": True},
             text="查了下账，去年是一百三十万"), {"revenue": 1_300_000}),
    (message("correct", number(10_000, "money"), text="一万个不愿意关店"), {}),
    (message("correct", number(1_300_000, "money"), number(1, "plain"), {"entity": "correction", "value": True},
             text="说多了，去年是一百三十万，有一个单子走的是另一个店的账"), {"revenue": 1_300_000}),
])
def test_a_correction_with_a_bare_figure_finds_the_fact_it_corrects(policy_store, msg, facts):
    known = {"industry": "餐饮业", "employees": 22, "revenue": 1_200_000}
    reading = interpret(msg, Turn(None, (), known), policy_store)
    assert reading.facts == facts and set(reading.replaced) == set(facts)  # the classifier's "correct" alone is no proof


def test_a_trade_named_in_passing_while_answering_another_question_is_not_taken(policy_store):
    reading = interpret(message("affirm", yes_no(True, "冷库里的货出不去"), text="是，冷库里的货出不去"),
                        Turn("affected", (), {"employees": 30}), policy_store)
    assert reading.facts == {"affected": True}


def test_a_head_count_without_a_fact_word_answers_the_count_asked(policy_store):
    said = {"entity": "employees", "value": 2, "additional_info": {"by_unit": True}}
    reading = interpret(message("inform", said, text="两位"), Turn("layoffs", (), RESTAURANT), policy_store)
    assert reading.facts == {"layoffs": 2}


def test_a_count_of_people_without_a_fact_word_changes_no_known_head_count(policy_store):
    said = {"entity": "employees", "value": 2, "additional_info": {"by_unit": True}}
    reading = interpret(message("inform", said, fact("layoffs", 0), text="有两个自己辞职回老家了，我们没裁人"),
                        Turn(None, (), RESTAURANT), policy_store)
    assert reading.facts == {"layoffs": 0}


def test_a_situation_a_question_names_is_its_topic_also_as_a_count(policy_store):
    asked = message("ask_policy", {"entity": "layoffs", "value": 0, "additional_info": {"phrase": True}},
                    text="没裁人的企业稳岗补贴有吗")
    assert interpret(asked, Turn(None, (), {}), policy_store).facts == {}
    stated = message("ask_policy", {"entity": "layoffs", "value": 2}, text="去年其实裁了两个人，那稳岗返还还能拿吗")
    assert interpret(stated, Turn(None, (), {}), policy_store).facts == {"layoffs": 2}


def test_a_figure_taken_back_in_the_same_breath_is_confirmed_before_it_shuts_out_a_measure(policy_store):
    hedged = {"entity": "hedged", "value": True}
    known = {**RESTAURANT, "insured": True}
    reading = interpret(message("inform", fact("layoffs", 3), hedged, text="裁了仨，也不算裁吧，让他们先回家了"),
                        Turn("layoffs", (), known), policy_store)
    assert reading.facts == {} and reading.to_confirm == {"layoffs": 3}
    plain = interpret(message("inform", fact("layoffs", 3), text="裁了仨"), Turn("layoffs", (), known), policy_store)
    assert plain.facts == {"layoffs": 3} and plain.to_confirm == {}  # the answer to the question asked, said outright


def test_a_hedged_fact_that_shuts_nothing_out_is_taken_and_noted_as_hedged(policy_store):
    reading = interpret(message("inform", cue("affected", True), {"entity": "hedged", "value": True},
                                text="停了一阵，影响算是吧"), Turn("affected", (), {"industry": "餐饮业"}), policy_store)
    assert reading.facts == {"affected": True} and reading.how == {"affected": "hedged"}


def test_a_count_answered_in_words_leaves_a_head_count_said_in_passing_to_the_known_one(policy_store):
    known = {"industry": "工业", "employees": 300, "affected": True}
    reading = interpret(message("inform", fact("layoffs", 0), fact("employees", 41, by_unit=True),
                                text="疫情以来没有裁员，那41人是年前正常离职"), Turn("layoffs", (), known), policy_store)
    assert reading.facts == {"layoffs": 0} and reading.replaced == {}


def said(value, role, text, words):
    """A number entity where the NLU finds it, the last time ``words`` occur in ``text`` (the reading looks at what
    follows it)."""
    end = text.rindex(words) + len(words)
    return {"entity": "number", "value": value, "role": role, "start": end - len(words), "end": end}


LOANS = "俺记错了，贷的是二十万，那十万是跟俺小舅子借的"
PREMIUM = "我翻了下缴费单，应该是四千二，三千六是前年的"


@pytest.mark.parametrize("msg, facts", [
    (message("correct", said(200_000, "money", LOANS, "二十万"), said(100_000, "money", LOANS, "十万"),
             {"entity": "correction", "value": True}, text=LOANS), {"loan_principal": 200_000}),
    (message("correct", said(4200, "plain", PREMIUM, "四千二"), said(3600, "plain", PREMIUM, "三千六"),
             {"entity": "correction", "value": True}, text=PREMIUM), {"ui_premium_last_year": 4200}),
])
def test_of_two_figures_in_a_correction_the_one_explained_away_is_not_the_value(policy_store, msg, facts):
    known = {"industry": "餐饮业", "employees": 8, "insured": True, "has_loan": True,
             **({"loan_principal": 300_000} if "loan_principal" in facts else {"ui_premium_last_year": 3600})}
    reading = interpret(msg, Turn(None, (), known), policy_store)
    assert reading.facts == facts


@pytest.mark.parametrize("said, rent", [
    ({"monthly": 2000}, 2000),  # "一年两万四": the monthly rent asked is the twelfth the NLU gives
    ({}, 24000),  # "两万四": as said
])
def test_a_yearly_figure_answering_a_monthly_fact_is_read_as_its_twelfth(policy_store, said, rent):
    entity = {"entity": "number", "value": 24000, "role": "money", **({"additional_info": said} if said else {})}
    reading = interpret(message("inform", entity, text="一年两万四" if said else "两万四"),
                        Turn("monthly_rent", (), RESTAURANT), policy_store)
    assert reading.facts == {"monthly_rent": rent}


def test_a_question_back_is_no_yes_to_the_question_asked_whatever_the_classifier_says(policy_store):
    asked_back = interpret(message("affirm", {"entity": "asks", "value": True}, text="院子是租的供销社的，这算不算国企啊？"),
                           Turn("rents_soe_property", (), RESTAURANT), policy_store)
    assert "rents_soe_property" not in asked_back.facts
    said_yes = interpret(message("affirm", yes_no(True, "城投的楼，对吧？"), text="是，城投的楼，对吧？"),
                         Turn("rents_soe_property", (), RESTAURANT), policy_store)
    assert said_yes.facts == {"rents_soe_property": True}


def hint(name, value):
    return {"entity": name, "value": value, "additional_info": {"phrase": True, "suggested": True}}


@pytest.mark.parametrize("pending", [None, "rents_soe_property"])
def test_a_fact_the_words_only_hint_at_is_asked_never_taken_even_as_the_answer(policy_store, pending):
    reading = interpret(message("inform", hint("rents_soe_property", True), text="房子是街道办的"),
                        Turn(pending, (), {**RESTAURANT, "monthly_rent": 3000}), policy_store)
    assert "rents_soe_property" not in reading.facts and reading.to_confirm == {"rents_soe_property": True}
