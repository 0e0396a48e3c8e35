"""Shared fixtures, and the collector that runs the expert-readable YAML cases under tests/cases/."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from policy_db import FactError, evaluate, store

BUILT = pytest.StashKey[store.Store]()


def session_store(config: pytest.Config) -> store.Store:
    """The store built fresh from the YAML sources, once per test run and on first use: the `policy_store` fixture
    and the YAML cases read the same one."""
    if BUILT not in config.stash:
        path = Path(tempfile.mkdtemp(prefix="policy-store-")) / "policy.db"
        store.build(path)
        config.stash[BUILT] = store.load(path)
    return config.stash[BUILT]


def pytest_unconfigure(config):
    if BUILT in config.stash:
        shutil.rmtree(config.stash[BUILT].path.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def policy_store(pytestconfig) -> store.Store:
    """The test run's store (session_store), handed to every test that names it."""
    return session_store(pytestconfig)


@pytest.fixture(scope="session")
def policy(policy_store):
    return policy_store.default_policy


def pytest_collect_file(parent, file_path: Path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "cases":
        return CaseFile.from_parent(parent, path=file_path)


class CaseFile(pytest.File):
    def collect(self):
        for case in yaml.safe_load(self.path.read_text(encoding="utf-8")) or []:
            yield Case.from_parent(self, name=case["name"], case=case)


class Case(pytest.Item):
    """One case: facts in; SME class, statuses, amounts, months, reasons out (or a refused fact)."""

    def __init__(self, *, case: dict, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        s = session_store(self.config)
        as_of = self.case.get("as_of")
        as_of = dt.date.fromisoformat(str(as_of)) if as_of else None
        expect = self.case.get("expect", {})
        if "refused" in self.case:
            with pytest.raises(FactError) as err:
                evaluate(self.case["facts"], as_of, store=s)
            assert err.value.fact == self.case["refused"], err.value.message
            return
        a = evaluate(self.case["facts"], as_of, store=s)
        if "sme_class" in expect:
            assert a.sme_class == expect["sme_class"], f"sme_class {a.sme_class!r} ({a.sme_reason})"
        if "expired" in expect:
            assert a.expired == expect["expired"]
        if "not_yet_in_force" in expect:
            assert a.not_yet_in_force == expect["not_yet_in_force"]
        for mid, want in (expect.get("measures") or {}).items():
            got = a.result(str(mid))
            _check_measure(str(mid), got, want)

    def reportinfo(self):
        return self.path, 0, self.name


def _check_measure(mid, got, want: dict):
    where = f"measure {mid}: {got.status}, {got.why}"
    if "status" in want:
        assert got.status == want["status"], where
    if "amount_yuan" in want:
        assert got.amount_yuan == want["amount_yuan"], f"{where}, amount {got.amount_yuan} ({got.formula})"
    if "months" in want:
        assert got.months == want["months"], f"{where}, months {got.months}"
    if "why_contains" in want:
        assert want["why_contains"] in got.why, where
    if "missing" in want:
        assert set(want["missing"]) <= set(got.missing), f"{where}, missing {got.missing}"
    if "formula" in want:
        assert got.formula == want["formula"], f"{where}, formula {got.formula}"
