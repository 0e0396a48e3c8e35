"""The dependency audit's verdicts (tools/dependency_audit.py), on pip-audit reports written by hand: a vulnerability
fails the audit only when a fixed version is one every installed package that requires it accepts."""

from __future__ import annotations

from packaging.requirements import Requirement

from tools import dependency_audit as audit

REQUIRES = {"aiohttp": [Requirement("aiohttp<3.10,>=3.9.0")], "sanic": [Requirement("sanic~=21.12")]}


def report(*dependencies) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_fix_within_every_requirement_fails_the_audit():
    found = audit.findings(report({"name": "aiohttp", "version": "3.9.1",
                                   "vulns": [{"id": "GHSA-1", "fix_versions": ["3.9.4"]}]}), REQUIRES)
    assert [(f.advisory, f.fixable) for f in found] == [("GHSA-1", True)]


def test_a_fix_only_outside_rasa_s_range_is_known_not_fixable():
    found = audit.findings(report({"name": "Sanic", "version": "21.12.2",
                                   "vulns": [{"id": "PYSEC-2", "fix_versions": ["23.12.0"]}]}), REQUIRES)
    assert [(f.package, f.fixable) for f in found] == [("sanic", False)]


def test_a_vulnerability_without_any_fix_is_not_fixable():
    found = audit.findings(report({"name": "aiohttp", "version": "3.9.1", "vulns": [{"id": "X", "fix_versions": []}]}),
                           REQUIRES)
    assert not found[0].fixable


def test_a_package_nothing_else_requires_can_take_any_fix():
    found = audit.findings(report({"name": "jinja2", "version": "3.1.2",
                                   "vulns": [{"id": "Y", "fix_versions": ["3.1.3"]}]}), REQUIRES)
    assert found[0].fixable


def test_a_run_where_every_package_was_skipped_audited_nothing():
    skipped = {"name": "absl-py", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    assert not audit.could_audit(report(skipped, skipped))
    assert audit.could_audit(report(skipped, {"name": "rasa", "version": "3.6.21", "vulns": []}))


def test_requirements_are_read_from_installed_packages_but_not_from_this_project():
    class Dist:
        def __init__(self, name, requires):
            self.metadata, self.requires = {"Name": name}, requires

    found = audit.requirements_on([Dist("rasa", ["aiohttp<3.9,>=3.6", "pytest; extra == 'test'"]),
                                   Dist("huiqi-assistant", ["jsonschema==3.2.0"])])
    assert {name: [str(r.specifier) for r in reqs] for name, reqs in found.items()} == {"aiohttp": ["<3.9,>=3.6"]}


def test_a_fix_the_resolver_cannot_install_beside_rasa_is_not_fixable():
    """pytest 9.0.3 fixes its advisory and nothing requires pytest, but it needs packaging>=22 (Rasa: <21)."""
    found = audit.findings(report({"name": "pytest", "version": "8.4.2",
                                   "vulns": [{"id": "PYSEC-3", "fix_versions": ["9.0.3"]}]}), REQUIRES,
                           installable=lambda package, version: False)
    assert not found[0].fixable


ADVISORY = """\
id: PYSEC-2026-9
aliases: [CVE-2026-9]
affected:
- package: {name: AIOHTTP, ecosystem: PyPI}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: "0"}, {fixed: 3.8.6}, {introduced: "3.9.0"}, {fixed: 3.10.11}]
"""


class Installed:
    def __init__(self, name, version):
        self.metadata, self.version = {"Name": name}, version


def advisories(tmp_path, text=ADVISORY):
    (tmp_path / "vulns" / "aiohttp").mkdir(parents=True)
    (tmp_path / "vulns" / "aiohttp" / "PYSEC-2026-9.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_advisory_database_finds_a_version_inside_a_range_with_the_fixes_after_it(tmp_path):
    found = audit.database_report(advisories(tmp_path), [Installed("aiohttp", "3.9.5"), Installed("rasa", "3.6.21")])
    assert found["dependencies"] == [
        {"name": "aiohttp", "version": "3.9.5",
         "vulns": [{"id": "PYSEC-2026-9", "fix_versions": ["3.10.11"], "aliases": ["CVE-2026-9"]}]},
        {"name": "rasa", "version": "3.6.21", "vulns": []}]


def test_the_advisory_database_passes_a_version_between_ranges_or_fixed_or_withdrawn(tmp_path):
    database = advisories(tmp_path)
    for version in ("3.8.6", "3.10.11", "3.11.0"):
        assert audit.database_report(database, [Installed("aiohttp", version)])["dependencies"][0]["vulns"] == []
    (database / "vulns" / "aiohttp" / "PYSEC-2026-9.yaml").write_text(ADVISORY + "withdrawn: '2026-01-01'\n")
    assert audit.database_report(database, [Installed("aiohttp", "3.9.5")])["dependencies"][0]["vulns"] == []


def test_a_version_listed_by_the_advisory_is_affected_and_last_affected_ends_a_range():
    listed = {"affected": [{"package": {"name": "keras"}, "versions": ["2.12.0"], "ranges": []}]}
    assert audit.affects(listed, "keras", "2.12.0") == []
    capped = {"affected": [{"package": {"name": "x"},
                            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"},
                                                                       {"last_affected": "1.4"}]}]}]}
    assert audit.affects(capped, "x", "1.4") == [] and audit.affects(capped, "x", "1.5") is None
    assert audit.affects(capped, "x", "0.9") is None
