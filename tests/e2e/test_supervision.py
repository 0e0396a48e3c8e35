"""`make run` keeps its servers running: the Rasa server killed with -9 in the middle of an interview is started
again, the launcher says so, and the owner's next message is answered with every fact said before. A message sent
while the action server is down gets the polite request to send it again that the cluster gives (bot/unavailable.py),
and once it is back the interview goes on."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.ops.model import ROOT
from bot.ops.serve import write_endpoints
from bot.ops.supervisor import answers
from bot.unavailable import words
from tests.e2e.conftest import Conversation

RASA_PORT = int(os.environ.get("E2E_RASA_PORT", "5105")) + 30
ACTION_PORT = int(os.environ.get("E2E_ACTION_PORT", "5155")) + 30


def _wait_for(condition, launcher, lines: list, limit: float = 240) -> None:
    deadline = time.time() + limit
    while not condition():
        assert launcher.poll() is None and time.time() < deadline, "\n".join(lines)
        time.sleep(1)


def _pid(module: bytes, port: int) -> int:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:  # a process that ended meanwhile
            continue
        if module in args and str(port).encode() in args:
            return int(cmdline.parent.name)
    raise LookupError(f"no {module.decode()} on the test's port")


def test_a_killed_rasa_server_comes_back_and_the_interview_goes_on(tmp_path):
    endpoints = write_endpoints(tmp_path / "endpoints.yml", ACTION_PORT, tmp_path / "conversations.db")
    output = open(tmp_path / "launcher.out", "w+")
    launcher = subprocess.Popen([sys.executable, "-m", "bot.ops.serve", "--rasa-port", str(RASA_PORT),
                                 "--action-port", str(ACTION_PORT), "--endpoints", str(endpoints)],
                                cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{RASA_PORT}"
    lines = []

    def said(text):
        output.seek(0)
        lines[:] = output.read().splitlines()
        return any(text in line for line in lines)

    try:
        _wait_for(lambda: said("惠企政策助手已启动"), launcher, lines)
        chat = Conversation(url, sender="supervision-check")
        chat.say("我们是开超市的，十五个人，去年营收四百万")
        os.kill(_pid(b"bot.rasa_server", RASA_PORT), signal.SIGKILL)
        _wait_for(lambda: said("Rasa 服务器已恢复"), launcher, lines)
        assert said("Rasa 服务器意外退出（被信号 9 终止），1 秒后自动重启（连续第 1 次）。")
        text = Conversation.texts(chat.say("你都记了我们哪些情况"))
        assert "零售业" in text and "从业人员人数：15人" in text, chat.dump()
        os.kill(_pid(b"bot.action_server", ACTION_PORT), signal.SIGKILL)
        _wait_for(lambda: not answers(f"http://127.0.0.1:{ACTION_PORT}/health"), launcher, lines)
        replies = chat.say("我们受疫情影响很大")
        assert Conversation.texts(replies) == words()["actions_unavailable"] and len(replies) == 1, replies
        _wait_for(lambda: said("动作服务器已恢复"), launcher, lines)
        chat.say("我们受疫情影响很大")
        text = Conversation.texts(chat.say("你都记了我们哪些情况"))
        assert "从业人员人数：15人" in text and "受疫情影响、生产经营遇到困难：是" in text, chat.dump()
    finally:
        launcher.send_signal(signal.SIGTERM)
        try:
            launcher.wait(timeout=60)
        finally:
            if launcher.poll() is None:
                os.killpg(launcher.pid, signal.SIGKILL)
    assert not answers(f"{url}/") and not answers(f"http://127.0.0.1:{ACTION_PORT}/health")
