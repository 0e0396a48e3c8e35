"""The Rasa NLU components on real Message objects, as the pipeline runs them."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.components import ChineseNormalizer, FactExtractor, InputGuard


def _message(text, intent="inform"):
    m = Message(data={TEXT: text})
    m.set(INTENT, {"name": intent, "confidence": 0.6})
    return m


def _entities(message):
    return {e["entity"]: e["value"] for e in message.get(ENTITIES, [])}


def test_normalizer_simplifies_traditional_script():
    (m,) = ChineseNormalizer({"jieba_dictionary": None}).process([_message("我們是飯店")])
    assert m.get(TEXT) == "我们是饭店"


def test_fact_extractor_adds_facts_and_bare_numbers_as_entities():
    extractor = FactExtractor({})
    (m,) = extractor.process([_message("我们35个人，没裁员")])
    assert _entities(m) == {"employees": 35, "layoffs": 0}
    (bare,) = extractor.process([_message("大概四万八")])
    number = next(e for e in bare.get(ENTITIES) if e["entity"] == "number")
    assert (number["value"], number["role"]) == (48_000, "money")


def test_a_bare_figure_said_for_a_year_carries_its_twelfth_for_a_monthly_fact():
    (m,) = FactExtractor({}).process([_message("一年两万四，年初一次交清")])
    number = next(e for e in m.get(ENTITIES) if e["entity"] == "number")
    assert number["value"] == 24_000 and number["additional_info"]["monthly"] == 2000
    (plain,) = FactExtractor({}).process([_message("两万四")])
    assert "monthly" not in (next(e for e in plain.get(ENTITIES) if e["entity"] == "number").get("additional_info") or {})


@pytest.mark.parametrize("text, named", [
    ("不是公司，是个体工商户", ["个体工商户"]), ("就是个小店，没注册公司", []), ("公司，有限责任的", ["公司"]),
])
def test_a_choice_is_named_only_where_no_negation_denies_it(text, named):
    (m,) = FactExtractor({}).process([_message(text)])
    assert [e["value"] for e in m.get(ENTITIES) if e["entity"] == "named" and e["role"] == "legal_form"] == named


def test_a_bare_figure_said_for_a_month_or_for_this_year_says_so():
    (m,) = FactExtractor({}).process([_message("一个月十来万吧")])
    number = next(e for e in m.get(ENTITIES) if e["entity"] == "number" and e["role"] == "money")
    assert number["value"] == 100_000 and number["additional_info"]["yearly"] == 1_200_000
    (m,) = FactExtractor({}).process([_message("今年到现在才三十万")])
    number = next(e for e in m.get(ENTITIES) if e["entity"] == "number")
    assert number["additional_info"]["this_year"] is True and "yearly" not in number["additional_info"]
    (m,) = FactExtractor({}).process([_message("一个月前还有三十万")])
    number = next(e for e in m.get(ENTITIES) if e["entity"] == "number" and e["role"] == "money")
    assert "yearly" not in (number.get("additional_info") or {})


def test_fact_extractor_reads_nothing_from_hostile_input():
    (m,) = FactExtractor({}).process([_message("<script>员工12个</script>")])
    assert m.get(ENTITIES, []) == []


def test_guard_turns_hostile_input_into_bad_input_without_entities():
    m = _message("DROP TABLE facts; 员工12个")
    m.set(ENTITIES, [{"entity": "employees", "value": 12}])
    InputGuard({}).process([m])
    assert m.get(INTENT)["name"] == "bad_input"
    assert _entities(m) == {"input_problem": "hostile"}


def test_guard_makes_a_bare_value_an_answer():
    (m,) = InputGuard({}).process([_message("6000", intent="goodbye")])
    assert m.get(INTENT)["name"] == "inform"


def _torn(text, ranking):
    """A message the FallbackClassifier took from the classifier because its first two intents were too close."""
    (m,) = FactExtractor({}).process([_message(text, intent="nlu_fallback")])
    m.set(INTENT_RANKING_KEY, [{"name": "nlu_fallback", "confidence": 0.9}] + [
        {"name": name, "confidence": c} for name, c in ranking])
    return m


def test_guard_lets_a_message_stating_the_enterprise_start_the_interview_though_the_classifier_was_torn():
    m = _torn("我们是连锁超市，员工九十人，去年销售额六千万，有笔贷款下个月到期", [("ask_eligibility", 0.549), ("inform", 0.451)])
    InputGuard({}).process([m])
    assert m.get(INTENT)["name"] == "ask_eligibility"


def test_guard_leaves_the_fallback_where_a_torn_message_states_little_or_leans_elsewhere():
    few = _torn("员工九十人怎么办", [("inform", 0.52), ("ask_policy", 0.48)])
    asks = _torn("员工九十人，去年销售额六千万，税怎么交", [("ask_policy", 0.52), ("inform", 0.48)])
    InputGuard({}).process([few, asks])
    assert few.get(INTENT)["name"] == "nlu_fallback" and asks.get(INTENT)["name"] == "nlu_fallback"
