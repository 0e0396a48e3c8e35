"""Trainee mode in a terminal: ``python -m simulator train --name 张三 [--seed N] [--db PATH]``.

The same round as the /trainer/ page (simulator.training.Round): the owner's opening, free-text questions answered
by the simulated owner, ``结束`` to state the class, the measures of every document that apply or are still open, the kind of
help each that applies is, their amounts and the departments, then the grade sheet and the running score. Reads lines from stdin, so a test can feed a whole round.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, TextIO

import yaml

from policy_db import load

from . import grading, statement_form
from .scores import Scores, TraineeNameError, trainee_name
from .training import Round, RoundError

WORDS_FILE = Path(__file__).with_name("train_cli.yaml")
_SPLIT = re.compile(r"[\s,，、;；]+")


@lru_cache(maxsize=1)
def words() -> dict:
    return yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))


class _Quit(Exception):
    """The trainee left (end of input or 退出) before the statement was complete."""


class Terminal:
    """Prompts on ``out``, lines from ``lines``; the end of input ends the round."""

    def __init__(self, lines: Iterator[str], out: TextIO):
        self.lines, self.out = lines, out

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def ask(self, prompt: str) -> str:
        print(prompt, end="", file=self.out, flush=True)
        try:
            line = next(self.lines).strip()
        except StopIteration:
            raise _Quit from None
        if line in words()["quit_words"]:
            raise _Quit
        return line

    def until_valid(self, prompt: str, read: Callable[[str], object]):
        """Ask again after a polite word until ``read`` accepts the answer (it raises ValueError otherwise)."""
        while True:
            try:
                return read(self.ask(prompt))
            except ValueError as e:
                self.say(str(e))


def _choices(text: str, allowed: list[str]) -> list[str]:
    picked = [t for t in _SPLIT.split(text) if t]
    for value in picked:
        if value not in allowed:
            raise ValueError(words()["not_a_choice"].format(value=value))
    return list(dict.fromkeys(picked))


def _numbered(term: Terminal, labels: list[str]) -> None:
    for i, label in enumerate(labels, start=1):
        term.say(f"  {i}. {label}")


def _interview(term: Terminal, round_: Round) -> None:
    w = words()
    term.say(w["case"].format(seed=round_.case.seed))
    term.say(w["owner"].format(text=round_.opening))
    while True:
        message = term.ask(w["prompt"])
        if message in w["end_words"]:
            return
        try:
            term.say(w["owner"].format(text=round_.ask(message)))
        except RoundError as e:
            term.say(str(e))


def _statement(term: Terminal, options: dict) -> statement_form.Statement:
    w = words()
    term.say(w["statement"])
    classes = options["classes"]
    _numbered(term, [c["label"] for c in classes])
    numbers = [str(i) for i in range(1, len(classes) + 1)]
    picked = term.until_valid(w["class_prompt"], lambda t: _choices(t, numbers)[:1])
    sme_class = classes[int(picked[0]) - 1]["key"] if picked else None
    term.say(w["measures_list"])
    named = {m["id"]: m for m in options["measures"]}
    for doc in options["documents"]:
        term.say(w["document"].format(heading=doc["heading"]))
        for i in doc["measures"]:
            term.say(w["measure"].format(id=i, name=named[i]["name"], clause=named[i]["clause"]))
    ids = list(named)
    applies = term.until_valid(w["applies_prompt"], lambda t: _choices(t, ids))
    still_open = term.until_valid(w["unknown_prompt"], lambda t: [i for i in _choices(t, ids) if i not in applies])
    measures = {**{i: "unknown" for i in still_open}, **{i: "eligible" for i in applies}}
    kinds: dict[str, str] = {}
    if applies:
        term.say(w["kinds_list"])
        for kind in options["kinds"]:
            left = [i for i in applies if i not in kinds]
            if not left:
                break
            picked = term.until_valid(w["kind_prompt"].format(kind=kind["label"]), lambda t: _choices(t, left))
            kinds.update({i: kind["key"] for i in picked})
    amounts = {}
    for m in options["measures"]:
        if m["id"] in applies and m["has_amount"]:
            amount = term.until_valid(w["amount_prompt"].format(measure=m["name"]), _amount)
            if amount is not None:
                amounts[m["id"]] = amount
    term.say(w["departments_list"])
    _numbered(term, options["departments"])
    numbers = [str(i) for i in range(1, len(options["departments"]) + 1)]
    picked = term.until_valid(w["departments_prompt"], lambda t: _choices(t, numbers))
    departments = frozenset(options["departments"][int(i) - 1] for i in picked)
    return statement_form.Statement(sme_class, measures, amounts, departments, kinds)


def _amount(text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "").replace("，", "").removesuffix("元"))
    except ValueError:
        raise ValueError(words()["not_a_number"]) from None
    if not 0 <= value < statement_form.MAX_AMOUNT:
        raise ValueError(words()["not_a_number"])
    return value


def show_sheet(term: Terminal, round_: Round, sheet: grading.Grade, progress: dict) -> None:
    w = words()
    term.say()
    term.say(w["sheet"])
    term.say(sheet.summary())
    term.say(sheet.questions_text())
    if sheet.not_asked:
        term.say(sheet.not_asked_text())
    term.say(w["tolerance"].format(text=sheet.to_payload()["tolerance"]))
    if not sheet.mistakes:
        term.say(w["all_right"])
    else:
        term.say(w["mistakes"])
    for number, item in enumerate(sheet.mistakes, start=1):
        term.say(f"{number}. {item.title}：{item.explanation}")
        if item.clause:
            term.say("   " + w["clause"].format(label=item.clause.label, text=item.clause.text))
        if item.figures:
            term.say("   " + w["figures"].format(text="；".join(item.figures)))
    term.say(w["facts"])
    for fact in round_.facts_shown():
        term.say(w["fact"].format(**fact))
    share = progress["share"] or 0
    term.say(w["running"].format(attempts=len(progress["attempts"]), right=progress["right"],
                                 total=progress["total"], percent=f"{share:.0%}"))


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator train", description="接线员培训：与模拟企业主对话并评分")
    parser.add_argument("--name", required=True, help="学员姓名")
    parser.add_argument("--seed", type=int, help="案例编号（同一编号得到同一个案例）")
    parser.add_argument("--db", type=Path, help="成绩库文件（默认 build/trainer.db）")
    args = parser.parse_args(argv)
    term = Terminal(iter((stdin or sys.stdin).readline, ""), stdout or sys.stdout)
    try:
        name = trainee_name(args.name)
    except TraineeNameError as e:
        term.say(words()["bad_name"].format(error=e))
        return 2
    store = load()
    round_ = Round.start(name, store, args.seed)
    term.say(words()["intro"])
    try:
        _interview(term, round_)
        statement = _statement(term, statement_form.options(store))
    except _Quit:
        term.say()
        term.say(words()["quit"])
        return 1
    scores = Scores(args.db)
    sheet = round_.submit(statement, scores)
    show_sheet(term, round_, sheet, scores.progress(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
