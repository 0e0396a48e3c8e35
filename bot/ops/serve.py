"""Starts the assistant on localhost: the action server, then the Rasa server with the REST channel and the pages,
and keeps both running (bot.ops.supervisor): a server that crashes is started again, and the owner's next message is
answered from the conversation store, so nothing said before is lost.

`make run` calls ``python -m bot.ops.serve``; the end-to-end tests and benchmarks use :class:`Assistant` to start the
same two servers on ports and files of their own.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.staff.access import operator_token, token_source
from bot.web.chat.conversations import conversation_key

from .model import ensure
from .supervisor import Server, ServerGroup, Supervisor, answers

ROOT = Path(__file__).parents[2]


def write_endpoints(path: Path, action_port: int, tracker_db: Path) -> Path:
    """The project's endpoints.yml for a server pair on other ports (tests, benchmarks), with its own conversation
    store: the same stores as `make run`, so what is tested is what is served."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    endpoints["tracker_store"]["db"] = str(tracker_db)
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def action_server(name: str, port: int) -> Server:
    return Server(name, "动作服务器", [sys.executable, "-m", "bot.action_server", "--actions", "actions",
                                  "--port", str(port)], port,
                  lambda: answers(f"http://127.0.0.1:{port}/health"), {"SANIC_HOST": "127.0.0.1"})


def rasa_server(name: str, port: int, model: Path, endpoints: Path, env: dict | None = None) -> Server:
    return Server(name, "Rasa 服务器", [sys.executable, "-m", "bot.rasa_server", "run", "--model", str(model),
                                     "--interface", "127.0.0.1", "--port", str(port), "--endpoints", str(endpoints),
                                     "--credentials", str(ROOT / "credentials.yml")], port,
                  lambda: answers(f"http://127.0.0.1:{port}/"), env or {})


@dataclass
class Assistant:
    model: Path
    rasa_port: int = 5005
    action_port: int = 5055
    endpoints: Path = ROOT / "endpoints.yml"
    log_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="huiqi-logs-")))
    rasa_env: dict = field(default_factory=dict)
    group: ServerGroup = None

    def __post_init__(self) -> None:
        self.group = ServerGroup([action_server("actions", self.action_port),
                                  rasa_server("rasa", self.rasa_port, self.model, self.endpoints, self.rasa_env)],
                                 self.log_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def processes(self) -> list:
        return list(self.group.processes.values())

    def start(self, timeout: float = 240) -> "Assistant":
        busy = self.group.busy_ports()
        if busy:
            raise RuntimeError(f"端口 {'、'.join(map(str, busy))} 已被占用：助手可能已在运行，请先停止它。")
        self.group.start([["actions", "rasa"]], timeout)
        return self

    def stop(self) -> None:
        self.group.stop()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def supervise(supervisor: Supervisor, essential: list) -> str:
    """Keeps the servers running until interrupted; returns why it stopped when an essential server was given up."""
    while True:
        supervisor.tick()
        lost = [name for name in supervisor.given_up if name in essential]
        if lost:
            return "助手已停止：" + "、".join(supervisor.group.servers[name].label for name in lost) + "无法恢复。"
        time.sleep(0.5)


def main(argv: list | None = None) -> None:
    parser = argparse.ArgumentParser(description="启动惠企政策助手（动作服务器和 Rasa 服务器），崩溃时自动重启")
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml")
    args = parser.parse_args(argv)
    model = ensure()
    operator_token()  # made now (build/operator-token) unless HUIQI_OPERATOR_TOKEN is set, so its place can be printed
    conversation_key()  # made before the server starts (build/conversation-key), like the token
    assistant = Assistant(model=model, rasa_port=args.rasa_port, action_port=args.action_port,
                          endpoints=args.endpoints)
    for sig in (signal.SIGINT, signal.SIGTERM):  # also when started with SIGINT ignored (from a script, with &)
        signal.signal(sig, _interrupt)
    failure = None
    print(f"==> 启动动作服务器（{args.action_port}）和 Rasa 服务器（{args.rasa_port}），首次加载模型约需半分钟……",
          flush=True)
    try:
        assistant.start()
        print(f"\n惠企政策助手已启动：\n  聊天页面    http://localhost:{assistant.rasa_port}/chat/\n"
              f"  REST 接口   POST http://localhost:{assistant.rasa_port}/webhooks/rest/webhook "
              '{"sender": "我", "message": "我们是饭店，12个人"}\n'
              f"  接线员控制台 http://localhost:{assistant.rasa_port}/console/\n"
              f"  培训页面    http://localhost:{assistant.rasa_port}/trainer/\n"
              f"  政策工作台  http://localhost:{assistant.rasa_port}/workbench/\n"
              f"  工作人员登录 http://localhost:{assistant.rasa_port}/staff/signin"
              "（第一个主管账号：make admin LOGIN=登录名 NAME=姓名）\n"
              f"  操作员令牌  仅供脚本和监控，见 {token_source()}\n"
              f"  日志        {assistant.log_dir}\n"
              "服务器意外退出时会自动重启。按 Ctrl-C 停止。", flush=True)
        failure = supervise(Supervisor(assistant.group, _say), ["actions", "rasa"])
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
