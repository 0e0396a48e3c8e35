"""Trains the Rasa model only when none matches the current data and config (a content fingerprint, not a
timestamp), and names the model to serve.

Run: python -m bot.ops.model ensure   (prints the model path; trains first when needed)
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from policy_db import sources

ROOT = Path(__file__).parents[2]
MODELS = ROOT / "models"
INPUTS = ("config.yml", "domain.yml", "data", "bot/nlu")


def fingerprint(root: Path = ROOT) -> str:
    """Hash of everything the trained model depends on: config, domain, training data, NLU code, policy data."""
    digest = hashlib.sha256(sources.fingerprint().encode())
    for name in INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
        for f in files:
            digest.update(f.relative_to(root).as_posix().encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:12]


def model_path(root: Path = ROOT) -> Path:
    return root / "models" / f"huiqi-{fingerprint(root)}.tar.gz"


def ensure(root: Path = ROOT) -> Path:
    target = model_path(root)
    if target.exists():
        print(f"模型已是最新：{target.relative_to(root)}", file=sys.stderr)
        return target
    print(f"==> 训练 Rasa 模型（数据或配置有变化，约需 2–4 分钟）→ {target.relative_to(root)}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "rasa", "train", "--fixed-model-name", target.name[: -len(".tar.gz")],
                    "--out", str(target.parent)], cwd=root, check=True)
    for old in target.parent.glob("huiqi-*.tar.gz"):
        if old != target:
            old.unlink()
    return target


def main() -> None:
    if sys.argv[1:] == ["ensure"]:
        print(ensure())
    elif sys.argv[1:] == ["path"]:
        print(model_path())
    else:
        sys.exit("usage: python -m bot.ops.model ensure|path")


if __name__ == "__main__":
    main()
