"""What the engine answers for many random profiles, as one JSON-able record: the payload of `evaluate`, each
result's labels, links and state, the questions `next_questions` ranks (with and without the assessment given), and
`estimate` of two measures. Written by the engine before a rewrite of its inner workings, compared after: the
answers must not move by a byte.

Write: .venv/bin/python -m tests.engine_golden tests/fixtures/engine_golden.json.gz   (300 profiles, seed 7)
Check a bigger set: write it before a change (/tmp/engine_golden.json --n 3000 --seed 20 --whole 3000), then run the
same with --check. The fixture changes on purpose only with the data or the engine's answers: write it again then,
and read what moved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
from dataclasses import asdict
from pathlib import Path

from bench.profiles import random_profile
from policy_db import FactError, evaluate, next_questions
from policy_db.engine import estimate
from policy_db.store import Store

DAYS = (dt.date(2020, 1, 15), dt.date(2020, 2, 20), dt.date(2020, 4, 1), dt.date(2020, 7, 15), dt.date(2021, 3, 1))
KEEP = (0.0, 0.2, 0.5, 0.8, 1.0)


def _result(r) -> dict:
    return {"id": r.measure.id, "status": r.status, "why": r.why, "formula": r.formula, "amount": r.amount_yuan,
            "missing": list(r.missing), "labels": list(r.missing_labels), "links": list(r.links),
            "open_part_facts": list(r.open_part_facts), "months": r.months,
            "parts": [[p.part.title, p.status, p.why, list(p.missing)] for p in r.parts]}


def _case(store: Store, rng: random.Random) -> dict:
    facts = random_profile(store, rng, keep=rng.choice(KEEP))
    if rng.random() < 0.15:
        facts["is_financial_institution"] = rng.random() < 0.7
    if rng.random() < 0.03:
        facts["employees"] = -rng.randint(1, 5)
    as_of = rng.choice(DAYS)
    policy = rng.choice([None] * 6 + [p.id for p in store.place_policies()])
    focus = rng.sample([m.id for p in store.place_policies() for m in store.measures_here(p)], 3) \
        if rng.random() < 0.2 else None
    case = {"facts": facts, "as_of": as_of.isoformat(), "policy": policy, "measures": focus}
    try:
        a = evaluate(facts, as_of, store=store, policy=policy)
    except FactError as e:
        return {**case, "refused": [e.fact, e.message]}
    case["payload"] = a.to_payload()
    case["assessment"] = {"sme_label": a.sme_label, "sme_reason": a.sme_reason, "lender": a.lender,
                          "scope_missing": list(a.scope_missing),
                          "results": [[list(r.missing_labels), list(r.links), list(r.open_part_facts), a.state(r)]
                                      for r in a.results]}
    case["questions"] = [asdict(q) for q in next_questions(facts, store=store, policy=policy, measures=focus)]
    case["questions_given"] = [asdict(q) for q in next_questions(facts, store=store, assessment=a, measures=focus)]
    pick = rng.sample([m.id for p in store.place_policies() for m in store.measures_here(p)], 2)
    case["estimates"] = [_result(estimate(facts, mid, as_of, store=store)) for mid in pick]
    return case


# what a measure's or a document's payload copies from the data, the same in every case: kept whole in the first
# cases, then left out (the file stays small; what the facts decide is kept in all)
STATIC = {"title", "summary", "reading", "note", "departments", "kind", "number", "implements", "see_also", "clause",
          "policy", "months_text"}
WHOLE = 25


def _lean(case: dict) -> dict:
    payload = case.get("payload")
    if payload:
        payload["measures"] = [{k: v for k, v in m.items() if k not in STATIC} for m in payload["measures"]]
        payload["policies"] = [{k: p[k] for k in ("id", "expired", "measures", "groups")} for p in payload["policies"]]
    return case


def snapshot(store: Store, n: int, seed: int = 7, whole: int = WHOLE) -> list[dict]:
    rng = random.Random(seed)
    cases = [json.loads(json.dumps(_case(store, rng), ensure_ascii=False, default=list)) for _ in range(n)]
    return cases[:whole] + [_lean(c) for c in cases[whole:]]


def write(path: Path, cases: list[dict], data: str) -> None:
    """The cases with the fingerprint of the data they were answered from (policy_db.sources.fingerprint)."""
    text = json.dumps({"data": data, "cases": cases}, ensure_ascii=False, sort_keys=True)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        path.write_text(text, encoding="utf-8")


def read(path: Path) -> dict:
    raw = path.read_bytes()
    return json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)


def main() -> None:
    from policy_db import store
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--whole", type=int, default=WHOLE, help="cases kept whole (the rest without the data's text)")
    parser.add_argument("--check", action="store_true", help="compare with OUT instead of writing it")
    args = parser.parse_args()
    loaded = store.load()
    cases = snapshot(loaded, args.n, args.seed, args.whole)
    if not args.check:
        write(args.out, cases, loaded.fingerprint)
        return
    stored = read(args.out)
    differ = [i for i, (a, b) in enumerate(zip(stored["cases"], cases)) if a != b]
    print(f"{len(cases)} cases, {len(differ)} differ: {differ[:10]}; data {stored['data']} then, "
          f"{loaded.fingerprint} now")
    raise SystemExit(1 if differ or len(stored["cases"]) != len(cases) else 0)


if __name__ == "__main__":
    main()
