"""Command line for staff and debugging: build the store, check an enterprise, search the clauses, write the facts
into domain.yml.

Each command opens the store and calls one library function; the printing is all there is here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import domain, report, store
from .engine import evaluate, next_questions, search
from .facts import FactError, parse_assignments


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m policy_db", description="惠企政策库：构建、测算、检索")
    parser.add_argument("--db", type=Path, default=None, help="政策库 SQLite 文件（默认 build/policy.db）")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="由 policy_db/ 下的 YAML 构建政策库")
    build.add_argument("--if-changed", action="store_true", help="数据没有变化时跳过")
    check = sub.add_parser("check", help="测算一家企业可享受的措施")
    check.add_argument("facts", nargs="*", help="事实，如 industry=餐饮业 employees=12 affected=true")
    check.add_argument("--json", action="store_true", help="输出契约中的 result 载荷")
    check.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="测算日期 YYYY-MM-DD")
    find = sub.add_parser("search", help="全文检索条款")
    find.add_argument("text", help="检索词，如 房租")
    find.add_argument("--limit", type=int, default=5)
    written = sub.add_parser("domain", help="由 facts.yaml 重写 domain.yml 的生成段")
    written.add_argument("--check", action="store_true", help="只检查 domain.yml 是否与数据一致，不一致时返回 1")
    return parser


def _build(args) -> int:
    path = args.db or store.DEFAULT_DB
    if args.if_changed and store.is_current(path):
        print(f"政策库已是最新：{path}")
        return 0
    store.build(path)
    print(f"政策库已构建：{path}")
    return 0


def _check(args) -> int:
    s = store.load(args.db)
    try:
        facts = parse_assignments(args.facts, s.facts)
        assessment = evaluate(facts, args.as_of, store=s)
    except FactError as err:
        print(f"输入有误：{err.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(assessment.to_payload(), ensure_ascii=False, indent=2))
        return 0
    print(report.render(assessment))
    questions = [q for q in next_questions(facts, store=s, assessment=assessment) if q.kind == "condition"][:3]
    if questions:
        print("接下来最值得了解：" + "；".join(f"{q.label}（{q.fact}）" for q in questions))
    return 0


def _search(args) -> int:
    hits = search(args.text, limit=args.limit, store=store.load(args.db))
    if not hits:
        print(f"没有找到与“{args.text}”相关的条款。")
        return 1
    for hit in hits:
        print(f"【{hit.label} {hit.heading}】涉及措施 {'、'.join(hit.measures) or '—'}\n{hit.text}\n")
    return 0


def _domain(args) -> int:
    if args.check:
        if domain.is_current():
            return 0
        print(f"{domain.DOMAIN} 与政策数据不一致，请运行 python -m policy_db domain", file=sys.stderr)
        return 1
    print(f"已重写 {domain.DOMAIN} 的生成段" if domain.write() else f"{domain.DOMAIN} 已是最新")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return {"build": _build, "check": _check, "search": _search, "domain": _domain}[args.command](args)
