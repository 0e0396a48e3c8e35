"""One cluster (make cluster's launcher, on ports and a directory of its own) for the fault tests."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from bot.cluster import Cluster, Ports
from bot.model import ensure

PORTS = Ports(front=5881, rasa=(5811, 5812), actions=(5861, 5862), actions_front=5851, postgres=5833, redis=5878)


def _missing() -> list:
    programs = {"postgres": shutil.which("postgres") or any(Path("/usr/lib/postgresql").glob("*/bin/postgres")),
                "redis-server": shutil.which("redis-server"),
                "nginx": shutil.which("nginx") or Path("/usr/sbin/nginx").exists()}
    return [name for name, found in programs.items() if not found]


@pytest.fixture(scope="session")
def cluster():
    missing = _missing()
    if missing:
        pytest.skip(f"the cluster needs {', '.join(missing)} (make cluster-deps installs them as root)")
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
