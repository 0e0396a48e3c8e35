"""Starts a launcher's servers as child processes and keeps them running.

A server that exits without being asked is started again after a pause that doubles with each crash in a row (1, 2,
4 … s, capped), so a server that crashes at once does not spin; the count starts over once it has run for a stable
while, and after too many crashes in a row it is given up with a clear message instead of being retried forever.
`make run` (bot.ops.serve) and `make cluster` (bot.ops.cluster) both use it; what they run differs, the keeping is
the same.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).parents[2]


@dataclass
class Server:
    """One child process: its name (and log file), what the owner reads, how to run it and how to tell it is up."""

    name: str
    label: str
    args: list
    port: int
    ready: Callable[[], bool]
    env: dict = field(default_factory=dict)
    stop_signal: int = signal.SIGTERM


@dataclass
class Backoff:
    """When to start a crashed server again, or None to give it up."""

    first: float = 1.0
    cap: float = 30.0
    stable_after: float = 60.0
    limit: int = 5
    crashes: int = 0
    started_at: float = 0.0

    def started(self, now: float) -> None:
        self.started_at = now

    def crashed(self, now: float) -> Optional[float]:
        if now - self.started_at >= self.stable_after:
            self.crashes = 0
        self.crashes += 1
        if self.crashes > self.limit:
            return None
        return min(self.cap, self.first * 2 ** (self.crashes - 1))


class ServerGroup:
    """Spawns, restarts and stops named servers, each in its own process group, logs appended under `log_dir`."""

    def __init__(self, servers: list, log_dir: Path) -> None:
        self.servers = {server.name: server for server in servers}
        self.log_dir = log_dir
        self.processes: dict = {}

    def busy_ports(self) -> list:
        return [s.port for s in self.servers.values() if port_in_use(s.port)]

    def spawn(self, name: str) -> subprocess.Popen:
        """Starts the server, once the port a crashed one held is free again (or after ten seconds)."""
        server = self.servers[name]
        for _ in range(50):
            if not port_in_use(server.port):
                break
            time.sleep(0.2)
        with open(self.log_dir / f"{name}.log", "a") as log:
            process = subprocess.Popen(server.args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                       env={**os.environ, **server.env}, start_new_session=True)
        self.processes[name] = process
        return process

    def start(self, stages: list, timeout: float) -> None:
        """Spawns the servers stage by stage, each stage up before the next starts (a database before its users)."""
        deadline = time.monotonic() + timeout
        for stage in stages:
            for name in stage:
                self.spawn(name)
            self.wait_ready(stage, deadline - time.monotonic())

    def wait_ready(self, names: list, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(names)
        while waiting:
            for name in waiting:
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{self.servers[name].label}启动失败，请查看日志：{self.log_dir / name}.log")
            waiting = [name for name in waiting if not self.servers[name].ready()]
            if waiting and time.monotonic() > deadline:
                labels = "、".join(self.servers[name].label for name in waiting)
                raise TimeoutError(f"{labels}没有在 {timeout:.0f} 秒内启动，请查看日志：{self.log_dir}")
            if waiting:
                time.sleep(0.5)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        os.killpg(self.processes[name].pid, sig)

    def stop(self, names: Optional[list] = None, grace: float = 20) -> None:
        """Stops the named servers (all by default, last started first) with their stop signal, then SIGKILL after
        `grace`."""
        names = list(reversed(self.processes)) if names is None else names
        for name in names:
            if self.processes[name].poll() is None:
                _signal_group(self.processes[name], self.servers[name].stop_signal)
        for name in names:
            try:
                self.processes[name].wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(self.processes[name], signal.SIGKILL)
                self.processes[name].wait()
        for name in names:
            self.processes.pop(name)


class Supervisor:
    """Watches a group: restarts what crashed after its backoff, says so, and names what it gave up."""

    def __init__(self, group: ServerGroup, say: Callable[[str], None], backoff: Callable[[], Backoff] = Backoff):
        self.group = group
        self.say = say
        self.backoffs = {name: backoff() for name in group.servers}
        self.due: dict = {}
        self.coming_back: set = set()
        self.given_up: list = []
        now = time.monotonic()
        for policy in self.backoffs.values():
            policy.started(now)

    def tick(self, now: Optional[float] = None) -> None:
        now = time.monotonic() if now is None else now
        for name, process in list(self.group.processes.items()):
            if name in self.due or name in self.given_up or process.poll() is None:
                continue
            self._crashed(name, process.returncode, now)
        for name, at in list(self.due.items()):
            if now >= at:
                del self.due[name]
                self.group.spawn(name)
                self.backoffs[name].started(now)
                self.coming_back.add(name)
        for name in list(self.coming_back):
            if self.group.processes[name].poll() is None and self.group.servers[name].ready():
                self.coming_back.discard(name)
                self.say(f"{self.group.servers[name].label}已恢复，可以继续对话。")

    def _crashed(self, name: str, code: int, now: float) -> None:
        label = self.group.servers[name].label
        how = f"被信号 {-code} 终止" if code < 0 else f"退出码 {code}"
        self.coming_back.discard(name)
        delay = self.backoffs[name].crashed(now)
        if delay is None:
            self.given_up.append(name)
            self.say(f"{label}连续崩溃 {self.backoffs[name].limit} 次以上（最近一次{how}），已放弃重启。"
                     f"请查看日志：{self.group.log_dir / name}.log")
            return
        self.due[name] = now + delay
        self.say(f"{label}意外退出（{how}），{delay:g} 秒后自动重启（连续第 {self.backoffs[name].crashes} 次）。")


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def answers(url: str) -> bool:
    """True when the URL answers 200 within two seconds."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
