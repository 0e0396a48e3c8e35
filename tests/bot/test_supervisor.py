"""The launchers' supervision: a crashed server comes back after a growing pause, and one that keeps crashing is
given up with a message saying so (bot.ops.supervisor)."""

import sys
import time

from bot.ops.supervisor import Backoff, Server, ServerGroup, Supervisor


def test_the_pause_doubles_with_each_crash_in_a_row_up_to_the_cap():
    backoff = Backoff(first=1, cap=5, stable_after=60, limit=6)
    backoff.started(0)
    assert [backoff.crashed(1 + i) for i in range(6)] == [1, 2, 4, 5, 5, 5]


def test_a_server_that_ran_for_a_stable_while_starts_the_count_again():
    backoff = Backoff(first=1, stable_after=60)
    backoff.started(0)
    assert backoff.crashed(1) == 1 and backoff.crashed(2) == 2
    backoff.started(3)
    assert backoff.crashed(100) == 1


def test_after_too_many_crashes_in_a_row_the_server_is_given_up():
    backoff = Backoff(first=1, limit=3)
    backoff.started(0)
    assert [backoff.crashed(t) for t in (1, 2, 3, 4)] == [1, 2, 4, None]


def _group(tmp_path, code: str) -> ServerGroup:
    server = Server("flaky", "测试服务器", [sys.executable, "-c", code], 0, lambda: True)
    return ServerGroup([server], tmp_path)


def _until(condition, supervisor, ticks=400):
    for _ in range(ticks):
        supervisor.tick()
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_crashed_server_is_started_again_and_its_return_announced(tmp_path):
    group = _group(tmp_path, "import time; time.sleep(60)")
    said = []
    supervisor = Supervisor(group, said.append, lambda: Backoff(first=0.1))
    group.spawn("flaky")
    first = group.processes["flaky"].pid
    try:
        group.kill("flaky")
        assert _until(lambda: any("已恢复" in s for s in said), supervisor)
        assert group.processes["flaky"].pid != first and group.processes["flaky"].poll() is None
        assert "测试服务器意外退出（被信号 9 终止），0.1 秒后自动重启（连续第 1 次）。" in said
    finally:
        group.stop()


def test_a_server_that_keeps_crashing_is_given_up_with_a_clear_message(tmp_path):
    group = _group(tmp_path, "raise SystemExit(3)")
    said = []
    supervisor = Supervisor(group, said.append, lambda: Backoff(first=0.01, limit=2))
    group.spawn("flaky")
    assert _until(lambda: supervisor.given_up, supervisor)
    assert supervisor.given_up == ["flaky"]
    assert sum("自动重启" in s for s in said) == 2
    assert said[-1].startswith("测试服务器连续崩溃 2 次以上（最近一次退出码 3），已放弃重启。")
    group.stop()


def test_stopping_a_group_ends_every_server(tmp_path):
    group = _group(tmp_path, "import time; time.sleep(60)")
    process = group.spawn("flaky")
    group.stop()
    assert process.poll() is not None and group.processes == {}
