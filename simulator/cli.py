"""`python -m simulator simulate …` (the assistant's self-test) and `python -m simulator train …` (trainee mode,
in simulator/train_cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policy_db import load

from . import train_cli
from .selftest import selftest, table

DEFAULT_OUT = Path("test-artifacts/simulate")


def simulate(args: argparse.Namespace) -> int:
    summary, _ = selftest(args.url.rstrip("/"), args.n, args.seed, load(), out=args.out, workers=args.workers)
    print(table(summary, summary["wall_s"]))
    if summary["failed"]:
        print(f"失败对话已写入 {args.out}/（可重放的 YAML）")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulator", description="模拟企业主：助手自测与培训")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("simulate", help="用 N 个模拟企业主测试正在运行的助手")
    s.add_argument("--n", type=int, default=500, help="对话数（默认 500）")
    s.add_argument("--seed", type=int, default=0, help="生成案例的种子")
    s.add_argument("--url", required=True, help="助手地址，例如 http://127.0.0.1:5005")
    s.add_argument("--out", type=Path, default=DEFAULT_OUT, help="失败对话的目录")
    s.add_argument("--workers", type=int, default=4, help="同时进行的对话数")
    sub.add_parser("train", help="培训模式（终端），参数见 python -m simulator train --help", add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["train"]:
        return train_cli.main(argv[1:]) or 0
    args = parser().parse_args(argv)
    return simulate(args)
