"""Trainee mode in a terminal (simulator/train_cli.py), driven through stdin as a trainee would type."""

from __future__ import annotations

import io

import pytest

from policy_db import load
from simulator import cases, grading, statement_form, train_cli
from simulator.scores import Scores

def _teaching_seed() -> int:
    """The first generated case of a settled class with an amount to state and a measure that does not apply
    without having an amount (so claiming it adds no amount prompt)."""
    store = load()
    amounts = {m.id for m in store.measures_here(store.default_policy) if m.amount is not None}
    for seed in range(1, 200):
        key = grading.answer_key(cases.case(store, seed).facts, store, cases.as_of(store))
        if key.sme_class != "unknown" and key.amounts and any(
                s == "ineligible" and m not in amounts for m, s in key.measures.items()):
            return seed
    raise AssertionError("no generated case to train on")


SEED = _teaching_seed()


def play(lines: list[str], tmp_path, name: str = "张三", seed: int = SEED) -> tuple[int, str]:
    out = io.StringIO()
    code = train_cli.main(["--name", name, "--seed", str(seed), "--db", str(tmp_path / "t.db")],
                          stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    return code, out.getvalue()


def right_answers(seed: int = SEED, claimed=None) -> list[str]:
    """What a trainee who knows the answer types after 结束: the engine's own answer, as the prompts ask for it
    (with ``claimed``, a measure result that does not apply, stated as applying, of its own kind)."""
    store = load()
    case = cases.case(store, seed)
    key = grading.answer_key(case.facts, store, cases.as_of(store))
    if claimed is not None:
        key = statement_form.Statement(key.sme_class, {**key.measures, claimed.measure.id: "eligible"}, key.amounts,
                                key.departments, {**key.kinds, claimed.measure.id: claimed.measure.kind})
    options = statement_form.options(store)
    classes = [c["key"] for c in options["classes"]]
    lines = [str(classes.index(key.sme_class) + 1),
             " ".join(i for i, s in key.measures.items() if s == "eligible"),
             " ".join(i for i, s in key.measures.items() if s == "unknown")]
    lines += kind_lines(key, options)
    lines += [str(key.amounts.get(m["id"], "")) for m in options["measures"]
              if key.measures[m["id"]] == "eligible" and m["has_amount"]]
    lines.append(" ".join(str(options["departments"].index(d) + 1) for d in sorted(key.departments)))
    return lines


def kind_lines(key: statement_form.Statement, options: dict) -> list[str]:
    """One line per kind of help, in the form's order, until every measure that applies has its kind."""
    lines, left = [], set(key.kinds)
    for kind in options["kinds"]:
        if not left:
            break
        picked = [i for i, k in key.kinds.items() if k == kind["key"]]
        lines.append(" ".join(picked))
        left -= set(picked)
    return lines


def test_a_whole_round_with_the_right_answer_scores_full_marks(tmp_path):
    store = load()
    code, shown = play(["你们是做什么行业的？", "有多少员工？", "结束", *right_answers()], tmp_path)
    assert code == 0
    assert f"企业主：{cases.case(store, SEED).narrative}" in shown
    assert shown.count("企业主：") == 3             # the opening and an answer to each question
    assert "全部正确！" in shown and "您问了2个问题" in shown
    missed = shown.split("系统会问而您没有问到的情况：")[1].splitlines()[0].split("、")
    assert "参加失业保险" in missed and "从业人员人数" not in missed and "所属行业" not in missed
    total = int(shown.split("得分：")[1].split("/")[0])
    assert f"得分：{total}/{total}（100%）" in shown
    assert "累计成绩：共1个案例" in shown
    assert len(Scores(tmp_path / "t.db").attempts("张三")) == 1


def test_a_mistake_is_explained_with_its_clause(tmp_path):
    store = load()
    case = cases.case(store, SEED)
    result = {r.measure.id: r for r in grading.assess(case.facts, store, cases.as_of(store)).results}
    claimed = next(r for r in result.values() if r.status == "ineligible" and r.measure.amount is None
                   and r.policy.id == store.default_policy.id)
    answers = right_answers(claimed=claimed)
    code, shown = play(["结束", *answers], tmp_path)
    assert code == 0
    assert f"{claimed.measure.name}：不适用，决定性的条件：{claimed.why}" in shown
    assert f"原文 {claimed.clause_label}：{claimed.measure.excerpt}" in shown
    assert "企业的真实情况：" in shown and f"{store.facts['industry'].label}：" in shown


def test_a_wrong_entry_is_asked_again_politely(tmp_path):
    answers = right_answers()
    store = load()
    first_amount = 3 + len(kind_lines(grading.answer_key(cases.case(store, SEED).facts, store), statement_form.options(store)))
    code, shown = play(["结束", "9", answers[0], "1.1 99", *answers[1:first_amount], "一万", *answers[first_amount:]],
                       tmp_path)
    assert code == 0
    assert "没有这一项：9，请重新输入。" in shown and "没有这一项：99，请重新输入。" in shown
    assert "请输入数字（元），例如 15000。" in shown
    assert "全部正确！" in shown


def test_leaving_before_the_statement_grades_nothing(tmp_path):
    code, shown = play(["有多少员工？"], tmp_path)
    assert code == 1 and shown.rstrip().endswith("已退出，本案例未评分。")
    assert Scores(tmp_path / "t.db").attempts("张三") == []
    code, shown = play(["结束", "退出"], tmp_path)
    assert code == 1 and "已退出，本案例未评分。" in shown


@pytest.mark.parametrize("name", ["", "<b>x</b>", "张" * 30])
def test_an_unusable_name_is_refused_before_the_round(tmp_path, name):
    code, shown = play([], tmp_path, name=name)
    assert code == 2 and shown.startswith("姓名不可用：")
