"""Dependency audit (`make audit`): pip-audit over the project's virtual environment, failing only on a vulnerability
that has a fix the installed packages allow (every installed package that requires the vulnerable one, Rasa 3.6
first of all, accepts a fixed version); the others are listed as known and not fixable within Rasa 3.6.

pip-audit runs from its own environment (build/audit-venv, installed from PyPI when missing), so its dependencies
never mix with Rasa's pins. It asks PyPI for each installed version's advisories; where that service cannot be
reached, nothing can be audited and the command says so (exit 2) rather than pass. `--advisories DIR` reads a
checkout of PyPA's advisory database instead (the OSV records PyPI's service serves, `vulns/<package>/*.yaml`), for a
machine that reaches the package index but not that service; the verdicts are the same.

Run: python -m tools.dependency_audit [--advisories DIR]     (make audit [ADVISORIES=DIR])
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Mapping

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
import yaml

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
    aliases: list[str] = field(default_factory=list)


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


def findings(report: Mapping, requirements: Mapping[str, list[Requirement]],
             installable: Callable[[str, str], bool] = lambda package, version: True) -> list[Finding]:
    """Each advisory of each audited package; fixable when a fixed version is one every package requiring it accepts
    and that `installable` (a resolver's dry run, in main) can install beside the rest: a fix may itself require
    what Rasa forbids (pytest 9.0.3 needs packaging>=22, wheel 0.46.2 >=24; Rasa 3.6 wants <21)."""
    out = []
    for dependency in report.get("dependencies", []):
        name = canonicalize_name(dependency["name"])
        for vuln in dependency.get("vulns", []):
            fixes = list(vuln.get("fix_versions") or [])
            candidates = [fix for fix in fixes if allowed(fix, requirements.get(name, []))]
            out.append(Finding(name, dependency.get("version", "?"), vuln["id"], fixes,
                               any(installable(name, fix) for fix in candidates),
                               list(vuln.get("aliases") or [])))
    return out


def installable_beside(installed: Iterable[metadata.Distribution]) -> Callable[[str, str], bool]:
    """Whether pip can install package==version with every other installed package kept at its version (pip's
    resolver, a dry run against the configured index); each answer asked once."""
    pins = {canonicalize_name(d.metadata["Name"] or ""): d.version for d in installed}
    pins.pop(canonicalize_name(OURS), None)
    answers: dict[tuple[str, str], bool] = {}

    def installable(package: str, version: str) -> bool:
        if (package, version) not in answers:
            with tempfile.NamedTemporaryFile("w", suffix=".txt") as constraints:
                constraints.write("\n".join(f"{name}=={v}" for name, v in sorted(pins.items()) if name != package))
                constraints.flush()
                done = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-input",
                                       f"{package}=={version}", "-c", constraints.name], capture_output=True)
            answers[(package, version)] = done.returncode == 0
        return answers[(package, version)]

    return installable


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


def affects(advisory: Mapping, name: str, version: str) -> list[str] | None:
    """The fixed versions when the OSV `advisory` covers `name` at `version` (listed, or inside an ECOSYSTEM range:
    introduced <= version < fixed, or <= last_affected); None when it does not."""
    try:
        parsed = Version(version)
    except InvalidVersion:
        return None
    for entry in advisory.get("affected", []):
        if canonicalize_name(entry.get("package", {}).get("name", "")) != name:
            continue
        fixes = [str(event["fixed"]) for r in entry.get("ranges", []) for event in r.get("events", [])
                 if "fixed" in event and _later(str(event["fixed"]), parsed)]
        if version in [str(v) for v in entry.get("versions", [])]:
            return fixes
        for span in entry.get("ranges", []):
            try:
                if span.get("type") == "ECOSYSTEM" and _inside(parsed, span.get("events", [])):
                    return fixes
            except InvalidVersion:
                continue
    return None


def _later(fix: str, version: Version) -> bool:
    try:
        return Version(fix) > version
    except InvalidVersion:
        return False


def _inside(version: Version, events: list) -> bool:
    inside = False
    for event in events:
        if "introduced" in event:
            inside = inside or event["introduced"] == "0" or version >= Version(str(event["introduced"]))
        elif "fixed" in event and inside and version >= Version(str(event["fixed"])):
            inside = False
        elif "last_affected" in event and inside and version > Version(str(event["last_affected"])):
            inside = False
    return inside


def database_report(database: Path, installed: Iterable[metadata.Distribution]) -> dict:
    """pip-audit's JSON report, made from a checkout of PyPA's advisory database (withdrawn advisories left out)."""
    folders = {canonicalize_name(folder.name): folder for folder in (database / "vulns").iterdir() if folder.is_dir()}
    dependencies = []
    for dist in sorted(installed, key=lambda d: canonicalize_name(d.metadata["Name"] or "")):
        name, version = canonicalize_name(dist.metadata["Name"] or ""), dist.version
        vulns = []
        for path in sorted(folders[name].glob("*.yaml")) if name in folders else []:
            advisory = yaml.safe_load(path.read_text(encoding="utf-8"))
            fixes = None if advisory.get("withdrawn") else affects(advisory, name, version)
            if fixes is not None:
                vulns.append({"id": advisory["id"], "fix_versions": fixes, "aliases": advisory.get("aliases", [])})
        dependencies.append({"name": name, "version": version, "vulns": vulns})
    return {"dependencies": dependencies, "fixes": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="依赖审计：已安装的包有无公开的漏洞通告")
    parser.add_argument("--advisories", type=Path, help="PyPA advisory-database 的本地副本（不连 PyPI 的漏洞接口）")
    args = parser.parse_args(argv)
    report = database_report(args.advisories, metadata.distributions()) if args.advisories else pip_audit_report()
    if not could_audit(report):
        print(f"依赖审计无法进行：{len(report.get('dependencies', []))} 个包全部跳过"
              "（pip-audit 查不到 PyPI 上各版本的漏洞信息，例如按版本的 JSON 接口不可达）。")
        return 2
    installed = list(metadata.distributions())
    results = findings(report, requirements_on(installed), installable_beside(installed))
    for finding in results:
        verdict = "可修复，需升级" if finding.fixable else "已知，Rasa 3.6 的依赖约束不允许修复版本"
        aliases = f"（{', '.join(finding.aliases)}）" if finding.aliases else ""
        print(f"{finding.package} {finding.version}  {finding.advisory}{aliases}  "
              f"修复版本 {', '.join(finding.fixes) or '无'}  —— {verdict}")
    fixable = [f for f in results if f.fixable]
    audited = sum(1 for d in report["dependencies"] if "skip_reason" not in d)
    print(f"已审计 {audited} 个包：{len(results)} 个漏洞，其中 {len(fixable)} 个可在现有约束内修复。")
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main())
