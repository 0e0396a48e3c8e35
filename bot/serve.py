"""Starts the assistant on localhost: the action server, then the Rasa server with the REST channel and the pages.

`make run` calls ``python -m bot.serve``; the end-to-end tests and benchmarks use :class:`Assistant` to start the
same two servers on ports and files of their own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).parents[1]


def write_endpoints(path: Path, action_port: int, tracker_db: Path) -> Path:
    """endpoints.yml for a server pair on other ports (tests), with its own conversation store."""
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n  enable_selective_domain: true\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
        'lock_store:\n  type: "in_memory"\n', encoding="utf-8")
    return path


@dataclass
class Assistant:
    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    endpoints: Path = ROOT / "endpoints.yml"
    log_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="huiqi-logs-")))
    processes: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def _spawn(self, name: str, args: list[str], env: dict) -> None:
        log = open(self.log_dir / f"{name}.log", "w")
        self.processes.append(subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                               env={**os.environ, **env}, start_new_session=True))

    def start(self, timeout: float = 240) -> "Assistant":
        busy = [port for port in (self.action_port, self.rasa_port) if _port_in_use(port)]
        if busy:
            raise RuntimeError(f"端口 {'、'.join(map(str, busy))} 已被占用：助手可能已在运行，请先停止它。")
        python = sys.executable
        self._spawn("actions", [python, "-m", "bot.action_server", "--actions", "actions",
                                "--port", str(self.action_port)],
                    {"SANIC_HOST": "127.0.0.1"})
        self._spawn("rasa", [python, "-m", "bot.rasa_server", "run", "--model", str(self.model), "--interface", "127.0.0.1",
                             "--port", str(self.rasa_port), "--endpoints", str(self.endpoints),
                             "--credentials", str(ROOT / "credentials.yml")], {})
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        checks = [f"http://127.0.0.1:{self.action_port}/health", f"{self.url}/"]
        while time.monotonic() < deadline:
            for p in self.processes:
                if p.poll() is not None:
                    raise RuntimeError(f"a server exited early; see the logs in {self.log_dir}")
            if all(_answers(url) for url in checks):
                return
            time.sleep(1)
        raise TimeoutError(f"the assistant did not start within {timeout:.0f}s; logs in {self.log_dir}")

    def stop(self) -> None:
        for p in self.processes:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.processes:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        self.processes.clear()


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    from bot.channels.console import operator_token, token_source
    from bot.model import ensure

    model = ensure()
    operator_token()  # made now (build/operator-token) unless HUIQI_OPERATOR_TOKEN is set, so its place can be printed
    assistant = Assistant(model=model)
    for sig in (signal.SIGINT, signal.SIGTERM):  # also when started with SIGINT ignored (from a script, with &)
        signal.signal(sig, _interrupt)
    failure = None
    print("==> 启动动作服务器（5055）和 Rasa 服务器（5005），首次加载模型约需半分钟……", flush=True)
    try:
        assistant.start()
        print(f"\n惠企政策助手已启动：\n  聊天页面    http://localhost:{assistant.rasa_port}/chat/\n"
              f"  REST 接口   POST http://localhost:{assistant.rasa_port}/webhooks/rest/webhook "
              '{"sender": "我", "message": "我们是饭店，12个人"}\n'
              f"  接线员控制台 http://localhost:{assistant.rasa_port}/console/\n"
              f"  操作员令牌  见 {token_source()}\n"
              f"  日志        {assistant.log_dir}\n按 Ctrl-C 停止。", flush=True)
        while all(p.poll() is None for p in assistant.processes):
            time.sleep(1)
        failure = f"有服务器意外退出，请查看日志：{assistant.log_dir}"
    except (RuntimeError, TimeoutError) as problem:
        failure = str(problem)
    except KeyboardInterrupt:
        print("\n正在停止……", flush=True)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the shutdown short
            signal.signal(sig, signal.SIG_IGN)
        assistant.stop()
    if failure:
        sys.exit(failure)


if __name__ == "__main__":
    main()
