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
