"""Dependency audit (`make audit`): pip-audit over the project's virtual environment, failing only on a vulnerability
that has a fix the installed packages allow (every installed package that requires the vulnerable one, Rasa 3.6
first of all, accepts a fixed version); the others are listed as known and not fixable within Rasa 3.6.

pip-audit runs from its own environment (build/audit-venv, installed from PyPI when missing), so its dependencies
never mix with Rasa's pins. It asks PyPI for each installed version's advisories; where that service cannot be
reached, nothing can be audited and the command says so (exit 2) rather than pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Iterable, Mapping

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).parents[1]
AUDIT_VENV = ROOT / "build" / "audit-venv"
PIP_AUDIT = "pip-audit==2.10.1"
OURS = "huiqi-assistant"


@dataclass
class Finding:
    package: str
    version: str
    advisory: str
    fixes: list[str]
    fixable: bool


def requirements_on(installed: Iterable[metadata.Distribution], ours: str = OURS) -> dict[str, list[Requirement]]:
    """For each package, what the installed packages (not this project, whose pins are ours to move) require of it."""
    found: dict[str, list[Requirement]] = {}
    for dist in installed:
        if canonicalize_name(dist.metadata["Name"] or "") == ours:
            continue
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            found.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return found


def allowed(version: str, requirements: list[Requirement]) -> bool:
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False
    return all(requirement.specifier.contains(parsed, prereleases=True) for requirement in requirements)


def findings(report: Mapping, requirements: Mapping[str, list[Requirement]]) -> list[Finding]:
    out = []
    for dependency in report.get("dependencies", []):
        name = canonicalize_name(dependency["name"])
        for vuln in dependency.get("vulns", []):
            fixes = list(vuln.get("fix_versions") or [])
            out.append(Finding(name, dependency.get("version", "?"), vuln["id"], fixes,
                               any(allowed(fix, requirements.get(name, [])) for fix in fixes)))
    return out


def could_audit(report: Mapping) -> bool:
    dependencies = report.get("dependencies", [])
    return any("skip_reason" not in dependency for dependency in dependencies)


def pip_audit_report() -> dict:
    pip_audit = AUDIT_VENV / "bin" / "pip-audit"
    if not pip_audit.exists():
        subprocess.run([sys.executable, "-m", "venv", str(AUDIT_VENV)], check=True)
        subprocess.run([str(AUDIT_VENV / "bin" / "pip"), "install", "--quiet", PIP_AUDIT], check=True)
    done = subprocess.run([str(pip_audit), "--path", sysconfig.get_paths()["purelib"], "--format", "json",
                           "--progress-spinner", "off"], capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: vulnerabilities found
        raise SystemExit(f"pip-audit 未能运行：{done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def main() -> int:
    report = pip_audit_report()
    if not could_audit(report):
        print(f"依赖审计无法进行：{len(report.get('dependencies', []))} 个包全部跳过"
              "（pip-audit 查不到 PyPI 上各版本的漏洞信息，例如按版本的 JSON 接口不可达）。")
        return 2
    results = findings(report, requirements_on(metadata.distributions()))
    for finding in results:
        verdict = "可修复，需升级" if finding.fixable else "已知，Rasa 3.6 的依赖约束不允许修复版本"
        print(f"{finding.package} {finding.version}  {finding.advisory}  修复版本 {', '.join(finding.fixes) or '无'}"
              f"  —— {verdict}")
    fixable = [f for f in results if f.fixable]
    audited = sum(1 for d in report["dependencies"] if "skip_reason" not in d)
    print(f"已审计 {audited} 个包：{len(results)} 个漏洞，其中 {len(fixable)} 个可在现有约束内修复。")
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main())
