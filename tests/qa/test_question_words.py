"""How a message is read as a question (policy_db/qa_words.py, qa_cues.py): the words that mark a question, and the
Q&A's own segmentation, which never changes how the NLU cuts the next message."""

from __future__ import annotations

import jieba
import pytest

from policy_db import qa_reading
from policy_db.qa_words import SEGMENTATION_FREQ, segmenter


def test_reading_a_question_leaves_the_process_s_jieba_as_it_was(policy_store):
    """The NLU segments with the process's jieba; the Q&A learns its cue words in its own. When it taught the
    process's, "几个月" became a word after the first question, and the same message was then cut otherwise and read
    as a greeting (ask_policy 0.998 → greet 0.39 on one model)."""
    text = "税款能晚交几个月"
    known, cut = jieba.dt.FREQ.get("几个月"), list(jieba.cut(text))
    qa_reading.asked(text, policy_store)
    assert segmenter().FREQ["几个月"] >= SEGMENTATION_FREQ  # the Q&A did learn it
    assert (jieba.dt.FREQ.get("几个月"), list(jieba.cut(text))) == (known, cut)


@pytest.mark.parametrize("text, asks", [
    ("银行会不会直接给我们断贷", True), ("缓缴社保要不要先交申请", True), ("我们这种够不够小微", True),
    ("不知道是否符合条件", True), ("交材料最晚哪天截止", True),
    ("我们去年营收三百万，受疫情影响挺大", False), ("贷款下个月到期，还不上", False),
])
def test_a_question_in_everyday_wording_is_read_as_a_question(policy_store, text, asks):
    """会不会 / 要不要 / 够不够 / 是否 / 哪天 ask as 吗 does: an owner who says the loan is due and asks whether the bank
    will cut it gets the clause, not the next interview question; a plain statement is still no question."""
    assert qa_reading.asked(text, policy_store).question is asks
