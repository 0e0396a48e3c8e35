"""`make cluster` / `make cluster-stop` (python -m bot.ops.cluster start|stop): the cluster comes up in the background
with its addresses printed, answers through nginx, restarts a Rasa server killed with -9 and says so in its log,
and stops completely."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from testing.rest import post, texts
from bot.ops.cluster import Ports
from bot.ops.supervisor import port_in_use

ROOT = Path(__file__).parents[2]
# Ports after the fault tests' (conftest.py), as an offset from make cluster's own.
OFFSET = int(os.environ.get("E2E_ACTION_PORT", "5155")) + 31 - Ports().rasa[0]
PORTS = Ports().shifted(OFFSET)


def _cluster(home: Path, command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.ops.cluster", "--home", str(home), "--port-offset", str(OFFSET),
                           command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def _pid_on_port(port: int) -> int:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"bot.rasa_server" in args and str(port).encode() in args:
            return int(cmdline.parent.name)
    raise LookupError(port)


def _log_says(log: Path, text: str) -> bool:
    for _ in range(240):
        if text in log.read_text(encoding="utf-8"):
            return True
        threading.Event().wait(0.5)
    return False


def test_make_cluster_starts_restarts_a_killed_server_and_stops(cluster_programs):
    home = Path(tempfile.mkdtemp(prefix="huiqi-make-cluster-"))
    started = _cluster(home, "start")
    try:
        assert "惠企政策助手（集群）已启动" in started.stdout, started.stdout + started.stderr
        assert f"http://127.0.0.1:{PORTS.front}/chat/" in started.stdout
        url = f"http://127.0.0.1:{PORTS.front}"
        assert texts(post(url, "make-cluster", "我们是开超市的，十五个人，去年营收四百万"))
        os.kill(_pid_on_port(PORTS.rasa[0]), signal.SIGKILL)
        log = home / "logs" / "cluster.log"
        assert _log_says(log, f"Rasa 服务器 1（{PORTS.rasa[0]}）意外退出（被信号 9 终止），1 秒后自动重启")
        assert _log_says(log, f"Rasa 服务器 1（{PORTS.rasa[0]}）已恢复")
        assert "零售业" in texts(post(url, "make-cluster", "你都记了我们哪些情况"))
    finally:
        stopped = _cluster(home, "stop")
        shutil.rmtree(home / "postgres", ignore_errors=True)  # the logs stay, for a failure's story
    assert "集群已停止" in stopped.stdout
    ports = [PORTS.front, PORTS.actions_front, PORTS.postgres, PORTS.redis, *PORTS.rasa, *PORTS.actions]
    assert [port for port in ports if port_in_use(port)] == []
