"""The cue reader on figures in their context: a sum after its parts, a part of a head count, a figure said for a
year or a month, words that take back what was said, a word of no fact inside a fact word."""

import pytest

from bot.nlu.components import monthly_facts
from bot.nlu.cues import CueReader
from bot.nlu.numbers import find_quantities

READER = CueReader.from_file(monthly=monthly_facts())


@pytest.mark.parametrize("text, unassigned", [
    ("送件的十八个，分拣的五个，一共二十三个", [23]),
    ("司机十五个，再加上我媳妇管账，总共十六个", [16]),
    ("一年九万六，加上物业费一共十万出头", [100000]),
    ("开了两个店，每个店五个", [2, 5]),  # no word of a sum: both stay for the question to decide
])
def test_a_sum_said_after_its_parts_is_the_figure(text, unassigned):
    assert [q.value for q in READER.unassigned_quantities(text)] == unassigned


@pytest.mark.parametrize("text, hedged", [
    ("裁了俩，也不算裁吧", "也不算"), ("算是吧，也说不好", "算是吧"), ("受影响，这个不好说", "不好说"),
    ("裁了俩", None), ("大概三十个人左右", None), ("营业额一百万上下", None),
])
def test_words_that_take_back_what_was_said_are_found_and_an_approximate_figure_is_no_hedge(text, hedged):
    span = READER.hedge(text)
    assert (text[span[0]:span[1]] if span else None) == hedged


@pytest.mark.parametrize("text, facts", [
    ("从业人员44人，含劳务派遣6人", {"employees": 44}),
    ("员工三十个，其中五个是临时工", {"employees": 30}),
    ("没有减员，年末和现在都是86人", {"layoffs": 0, "employees": 86}),
    ("总共一百三十人左右，其中车间一百人", {"employees": 130}),
])
def test_a_part_of_a_head_count_is_not_the_head_count(text, facts):
    assert {f.fact: f.value for f in READER.read(text)} == facts


@pytest.mark.parametrize("text, facts", [
    ("车贷上个月已经还完了，现在就剩经营贷一百万", {"loan_principal": 1_000_000}),  # 车 of 车贷 is no vehicle
    ("一天流水才两三百", {}),  # a day's takings are no revenue
])
def test_a_word_of_no_fact_inside_a_fact_word_does_not_void_the_figure(text, facts):
    assert {f.fact: f.value for f in READER.read(text)} == facts


@pytest.mark.parametrize("text, per_year", [("一年两万四，年初一次交清", True), ("整栋楼租的，一年三十六万", True),
                                            ("两万四", False), ("一年前涨到两千", False)])
def test_a_figure_said_for_a_year_is_marked_so(text, per_year):
    assert READER.per_year(text, READER.unassigned_quantities(text)[-1]) is per_year


@pytest.mark.parametrize("text, facts", [
    ("验光师一个，店员两个，加上我四个", {"employees": 4}),
    ("员工十八个，加上我一共十九个", {"employees": 19}),
    ("去年失业保险单位部分是四万一千多", {"ui_premium_last_year": 41000}),
    ("车间里二十来个人", {"employees": 20}),
    ("员工十八个，司机五个，一共二十三个", {"employees": 23}),
    ("算上我两百四十一个人，大概加起来九万四千块", {"employees": 241}),  # a sum of money is no head count
    ("去年营收六十六万，差不多加起来860万块", {"revenue": 660_000}),  # one figure before it: nothing to sum
])
def test_a_total_after_its_parts_and_a_fact_named_with_its_share_are_read_whole(text, facts):
    assert {f.fact: f.value for f in READER.read(text)} == facts


@pytest.mark.parametrize("text, employees", [
    ("我和两个徒弟", 3), ("我和我爱人，还雇了一个人", 3), ("平时我和我爱人加一个保洁阿姨", 3),
    ("我和我爱人，再加三个服务员", 5), ("俩店员加我，三个", 3),
    ("我和我爱人两个人", 2),  # the count after the partner is the whole
    ("我跟两个店员，三个人", 3), ("俺跟俺徒弟，俩人", 2),  # a count standing alone after the others is the whole
    ("我跟你说，我们有二十个工人", 20), ("我和会计对了一下，员工二十个", 20),  # no one listed with the speaker
])
def test_a_head_count_said_as_the_speaker_with_others_adds_them_up(text, employees):
    assert {f.fact: f.value for f in READER.read(text)} == {"employees": employees}


def test_a_filler_before_the_opening_no_does_not_hide_it():
    assert READER.yes_no("那就是没交，工人都是自己在村里交的新农合")[0] is False


def test_the_facts_counted_by_the_month_come_from_the_store_and_a_yearly_rent_is_their_twelfth():
    assert {"monthly_rent", "monthly_si_premium"} <= set(monthly_facts())
    reader = CueReader.from_file(monthly=monthly_facts())
    assert {f.fact: f.value for f in reader.read("一年房租六万")} == {"monthly_rent": 5000}


@pytest.mark.parametrize("text, value", [
    ("现在是三千五一个月", 3500), ("两万四一年", 24000), ("五百一个月", 500), ("干了十一个月", 11),
    ("休息了一个月", 1),
])
def test_the_one_of_a_period_after_a_figure_is_the_periods(text, value):
    assert [q.value for q in find_quantities(text)] == [value]


@pytest.mark.parametrize("text, rent", [("房租一万二一年", 1000), ("一年房租一万二", 1000), ("房租三千五一个月", 3500),
                                        ("一年前房租涨到三千", 3000), ("房租一年一万", 833.33)])
def test_a_rent_said_for_the_year_before_or_after_its_figure_is_read_by_the_month(text, rent):
    assert {f.fact: f.value for f in READER.read(text)} == {"monthly_rent": rent}


@pytest.mark.parametrize("text, facts", [
    ("说实话影响不大，2月中旬就复工了，经营上没遇到什么困难。", {"affected": False}),  # 困难 said not to be met
    ("门面房是街道下面的集体资产公司管的，不是国企", {"rents_soe_property": False}),
    ("资金很困难", {"affected": True}),
])
def test_a_difficulty_said_not_to_be_met_is_no_harm_and_a_landlord_said_not_to_be_a_state_firm_is_none(text, facts):
    assert {f.fact: f.value for f in READER.read(text)} == facts


@pytest.mark.parametrize("text, answer", [
    ("老板说没有", (False, "")), ("他说，没有", (False, "")), ("他说是的，一直交着", (True, "一直交着")),
    ("是是是 交着呢", (True, "交着呢")), ("他说没有裁人", None),  # "没有" before a noun is no answer of its own
])
def test_an_operator_relaying_the_callers_yes_or_no_is_read_as_the_callers_answer(text, answer):
    assert READER.yes_no(text) == answer
