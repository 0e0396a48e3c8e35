"""Trains the Rasa model only when none matches what the trained pipeline depends on (a content fingerprint, not a
timestamp), and names the model to serve.

The fingerprint covers what Rasa trains on (config.yml, domain.yml, data/), the policy data
(policy_db.sources.fingerprint), and the code that shapes what the pipeline sees: the modules of the pipeline's own
components named in config.yml and of the NLU assets' builder (bot.ops.assets, which makes build/jieba-dict and
build/spacy-zh), with every module of ours they import, directly or not, at the top or inside a function, the
packages' ``__init__`` they run, and the data files beside that code (bot/nlu/cues.yml, policy_db/facts.yaml …). So a
change to a reader in reading/ or bot/nlu/ retrains the model, and a change to an action or a page does not.

Run: python -m bot.ops.model ensure   (prints the model path; trains first when needed)
"""

from __future__ import annotations

import ast
import hashlib
import subprocess
import sys
from pathlib import Path

import yaml

from policy_db import sources

ROOT = Path(__file__).parents[2]
MODELS = ROOT / "models"
TRAINED_ON = ("config.yml", "domain.yml", "data")
ASSETS_BUILDER = "bot.ops.assets"
DATA_SUFFIXES = {".yml", ".yaml", ".txt", ".json"}


def module_file(root: Path, dotted: str) -> Path | None:
    """The file of one of our modules (``a.b`` → a/b.py or a/b/__init__.py), or None for another's."""
    base = root.joinpath(*dotted.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _package_of(root: Path, path: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1]


def imported_modules(root: Path, path: Path) -> set[str]:
    """The modules of ours a file imports, anywhere in it (``from a import b`` is the module ``a.b`` when there is
    one, else ``a``), with the packages each import runs on the way."""
    package = _package_of(root, path)
    candidates: list[tuple[str, ...]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            candidates += [(alias.name,) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            candidates += [(f"{module}.{alias.name}", module) for alias in node.names]
    found = set()
    for names in candidates:
        dotted = next((n for n in names if module_file(root, n)), "")
        parts = dotted.split(".") if dotted else []
        found |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    return {name for name in found if module_file(root, name)}


def pipeline_modules(root: Path) -> list[str]:
    """The modules of the pipeline's own components (config.yml names them by module and class) and of the NLU
    assets' builder."""
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    names = [step["name"].rpartition(".")[0] for step in config.get("pipeline") or [] if "." in step["name"]]
    return list(dict.fromkeys([*names, ASSETS_BUILDER]))


def code_inputs(root: Path = ROOT) -> list[Path]:
    """Every module the pipeline's components and the assets' builder load, and the data files beside them."""
    seen: set[str] = set()
    waiting = [name for module in pipeline_modules(root)
               for name in (".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 2))]
    while waiting:
        name = waiting.pop()
        if name in seen or module_file(root, name) is None:
            continue
        seen.add(name)
        waiting += imported_modules(root, module_file(root, name))
    code = {module_file(root, name) for name in seen}
    data = {p for folder in {path.parent for path in code} for p in folder.iterdir()
            if p.is_file() and p.suffix in DATA_SUFFIXES}
    return sorted(code | data)


def fingerprint(root: Path = ROOT) -> str:
    """Hash of everything the trained model depends on: config, domain, training data, policy data, and the code
    and data files the pipeline's components load."""
    digest = hashlib.sha256(sources.fingerprint(root / "policy_db").encode())
    files = []
    for name in TRAINED_ON:
        path = root / name
        files += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
    for f in [*files, *code_inputs(root)]:
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
    elif sys.argv[1:] == ["inputs"]:
        print("\n".join(p.relative_to(ROOT).as_posix() for p in code_inputs()))
    else:
        sys.exit("usage: python -m bot.ops.model ensure|path|inputs")


if __name__ == "__main__":
    main()
