"""Held-out policy questions answered through the running assistant and, in the same run, by a plain BM25 search
over the clauses (rank-bm25, jieba tokens) that replies with the best clause. Prints both accuracies and the ratio.

Held-out sets: tests/qa/paraphrases.yaml (the default; some keywords were tuned after seeing its misses) and
tests/qa/fresh.yaml (written later from the notice alone; its first score was the unbiased figure, and since
2026-12-07 it is tuned on too: question words were added after seeing its misses).

Run: .venv/bin/python -m bench.qa [tests/qa/fresh.yaml]   (starts its own servers on ports 5405/5455)
"""

from __future__ import annotations

import sys
from pathlib import Path

import jieba
from rank_bm25 import BM25Okapi

from bench.servers import running_assistant
from policy_db import store
from testing.rest import Conversation
from testing.qa_checks import PARAPHRASES, judge, load_paraphrases


def bm25_replies(questions: list[str], s: store.Store) -> list[str]:
    clauses = list(s.default_policy.clauses.values())
    index = BM25Okapi([list(jieba.cut_for_search(c.text)) for c in clauses])
    replies = []
    for q in questions:
        scores = index.get_scores(list(jieba.cut_for_search(q)))
        best = clauses[max(range(len(clauses)), key=scores.__getitem__)]
        replies.append(f"{best.label}：{best.text}")
    return replies


def main(held_out: Path = PARAPHRASES) -> None:
    s = store.load()
    cases = load_paraphrases(held_out)
    questions = [c["q"] for c in cases]
    with running_assistant() as assistant:
        bot = [Conversation.texts(Conversation(assistant.url).say(q)) for q in questions]
    baseline = bm25_replies(questions, s)
    right_bot = [not judge(c, r, s) for c, r in zip(cases, bot)]
    right_bm25 = [not judge(c, r, s) for c, r in zip(cases, baseline)]
    invented = sum(1 for c, r in zip(cases, bot) if any("invented" in p for p in judge(c, r, s)))
    acc_bot, acc_bm25 = sum(right_bot) / len(cases), sum(right_bm25) / len(cases)
    print(f"held-out set: {held_out.name}")
    print(f"held-out questions: {len(cases)} ({sum(1 for c in cases if c.get('unanswerable'))} the notice does not answer)")
    print(f"assistant accuracy: {acc_bot:.1%}  (target ≥ 95%: {'met' if acc_bot >= 0.95 else 'MISSED'}); "
          f"replies with an invented figure: {invented}")
    print(f"BM25 baseline accuracy: {acc_bm25:.1%}")
    print(f"ratio assistant / BM25: {acc_bot / acc_bm25:.2f}" if acc_bm25 else "ratio: BM25 answered none")
    for case, ok, reply in zip(cases, right_bot, bot):
        if not ok:
            print(f"  ✗ {case['q']} → {judge(case, reply, s)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else PARAPHRASES)
