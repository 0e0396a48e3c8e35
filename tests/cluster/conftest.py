"""One cluster (make cluster's launcher, on ports and a directory of its own) for the fault tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bot.ops.cluster import Cluster, Ports
from bot.ops.model import ensure

# Eight ports after the e2e action port (E2E_ACTION_PORT, 5155 unless set), so that engineers who give their e2e
# tests ports of their own give their cluster tests their own too.
_BASE = int(os.environ.get("E2E_ACTION_PORT", "5155")) + 21
PORTS = Ports(front=_BASE, rasa=(_BASE + 1, _BASE + 2), actions=(_BASE + 3, _BASE + 4), actions_front=_BASE + 5,
              postgres=_BASE + 6, redis=_BASE + 7)


def _missing() -> list:
    programs = {"postgres": shutil.which("postgres") or any(Path("/usr/lib/postgresql").glob("*/bin/postgres")),
                "redis-server": shutil.which("redis-server"),
                "nginx": shutil.which("nginx") or Path("/usr/sbin/nginx").exists()}
    return [name for name, found in programs.items() if not found]


@pytest.fixture(scope="module")
def cluster_programs():
    missing = _missing()
    if missing:
        pytest.skip(f"the cluster needs {', '.join(missing)} (make cluster-deps installs them as root)")


@pytest.fixture(scope="module")
def cluster(cluster_programs):
    home = Path(tempfile.mkdtemp(prefix="huiqi-cluster-"))  # not under pytest's 0700 folders: postgres must enter
    running = Cluster(ensure(), home, PORTS).start()
    yield running
    running.stop()
    shutil.rmtree(home / "postgres", ignore_errors=True)  # the logs stay, for a failure's story


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent.name == "cluster":
            item.add_marker(pytest.mark.cluster)
            item.add_marker(pytest.mark.e2e)  # real servers: out of the fast suite (-m "not e2e and not browser")
