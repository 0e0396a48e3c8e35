"""`make run`'s launcher: it stops both servers on SIGTERM or Ctrl-C, even when the signal comes twice."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from bot.ops.model import ROOT


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_two_interrupts_stop_both_servers_cleanly():
    if _up("http://127.0.0.1:5005/chat/"):
        pytest.skip("an assistant already runs on 5005")
    launcher = subprocess.Popen([sys.executable, "-m", "bot.ops.serve"], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.time() + 240
        while not _up("http://127.0.0.1:5005/chat/"):
            assert launcher.poll() is None and time.time() < deadline, launcher.stdout.read()
            time.sleep(1)
        launcher.send_signal(signal.SIGINT)
        time.sleep(0.2)
        launcher.send_signal(signal.SIGTERM)
        output, _ = launcher.communicate(timeout=60)
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
    assert "Traceback" not in output and "正在停止" in output
    assert not _up("http://127.0.0.1:5005/chat/") and not _up("http://127.0.0.1:5055/health")
