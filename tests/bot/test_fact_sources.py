"""The console shows beside each known fact where it came from (slot `fact_notes`): how it was read, the owner's
words, the reason given with a yes or no, or the operator who typed it."""

from bot.web.console import panel

FACTS = {"industry": "餐饮业", "employees": 12, "affected": True, "revenue": 900_000}
NOTES = {"industry": {"how": "trade", "said": "我们是饭店"},
         "affected": {"how": "answer", "said": "是，客人全跑了", "reason": "客人全跑了"},
         "revenue": {"how": "operator", "said": "90万", "operator": "王芳"}}


def _rows(policy_store):
    return {row["name"]: row for row in panel.picture(policy_store, FACTS, notes=NOTES)["facts"]}


def test_each_fact_says_how_it_was_read_and_from_which_words(policy_store):
    rows = _rows(policy_store)
    assert rows["industry"]["source"] == "从企业主说的行业判断：“我们是饭店”"
    assert rows["affected"]["source"] == "企业主回答提问：“是，客人全跑了”（理由：客人全跑了）"


def test_an_operators_edit_names_the_operator(policy_store):
    assert _rows(policy_store)["revenue"]["source"] == "接线员王芳修改：“90万”"


def test_a_fact_with_no_note_has_no_source(policy_store):
    assert "source" not in _rows(policy_store)["employees"]
