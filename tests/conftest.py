"""Shared fixtures, and the collector that runs the expert-readable YAML cases under tests/cases/."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from policy_db import expert_cases, store

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
        wrong = expert_cases.mismatches(self.case, session_store(self.config))
        assert not wrong, "；".join(wrong)

    def reportinfo(self):
        return self.path, 0, self.name

