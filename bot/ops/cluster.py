"""`make cluster`: the assistant the way Rasa scales out, on one machine, kept running by bot.ops.supervisor.

PostgreSQL holds every conversation (Rasa's SQL tracker store), Redis holds the conversation locks shared by the
Rasa servers (Rasa's Redis lock store; the in-memory one is for one process only), two Rasa servers and two
stateless action servers sit behind nginx (deploy/nginx-cluster.conf), which keeps a conversation on one Rasa server
by its sender id and fails over when a server is down. Everything lives under build/cluster (data, logs, the
generated endpoints and nginx config); `make run` keeps SQLite and the in-memory lock store.

    python -m bot.ops.cluster start    # in the background (make cluster); prints the addresses when ready
    python -m bot.ops.cluster stop     # make cluster-stop
    python -m bot.ops.cluster run      # in the foreground (what start runs)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg2
import redis

from bot.staff.access import operator_token, token_source
from bot.web.chat.conversations import conversation_key
from bot.unavailable import actions_unavailable, words

from .model import ensure
from .serve import action_server, rasa_server
from .supervisor import Server, ServerGroup, Supervisor, port_in_use

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
HOME = ROOT / "build" / "cluster"
DATABASE = "huiqi"
DB_USER = "huiqi"


@dataclass(frozen=True)
class Ports:
    front: int = 5880
    rasa: tuple = (5805, 5806)
    actions: tuple = (5855, 5856)
    actions_front: int = 5850
    postgres: int = 5832
    redis: int = 5879

    def shifted(self, by: int) -> "Ports":
        """Every port moved by `by`, for a second cluster beside the first (tests)."""
        return replace(self, front=self.front + by, rasa=tuple(p + by for p in self.rasa),
                       actions=tuple(p + by for p in self.actions), actions_front=self.actions_front + by,
                       postgres=self.postgres + by, redis=self.redis + by)


def endpoints_text(ports: Ports) -> str:
    """The cluster's endpoints.yml: actions through nginx, conversations in PostgreSQL, locks in Redis."""
    return (
        "# The cluster's endpoints (make cluster; bot/ops/cluster.py writes this with its ports into build/cluster).\n"
        "# The action servers sit behind nginx; every Rasa server shares the tracker store and the lock store.\n"
        "action_endpoint:\n"
        f'  url: "http://127.0.0.1:{ports.actions_front}/webhook"\n'
        "  enable_selective_domain: true\n"
        "tracker_store:\n"
        "  type: bot.stores.PatientSQLTrackerStore  # Rasa's SQL store, waiting through a database restart\n"
        '  dialect: "postgresql"\n'
        '  url: "127.0.0.1"\n'
        f"  port: {ports.postgres}\n"
        f'  username: "{DB_USER}"\n'
        f'  db: "{DATABASE}"\n'
        '  login_db: "postgres"\n'
        "lock_store:\n"
        "  type: bot.stores.PatientRedisLockStore  # Rasa's Redis lock store, waiting through a Redis restart\n"
        '  url: "127.0.0.1"\n'
        f"  port: {ports.redis}\n"
        "  db: 1\n"
        '  key_prefix: "huiqi"\n')


def _nginx_string(value: object) -> str:
    """JSON for an nginx single-quoted string."""
    return json.dumps(value, ensure_ascii=False).replace("\\", "\\\\").replace("'", "\\'")


def nginx_text(ports: Ports, home: Path) -> str:
    said = words()
    values = {
        "HOME": str(home / "nginx"), "FRONT": ports.front, "ACTIONS_FRONT": ports.actions_front,
        "RASA_1": ports.rasa[0], "RASA_2": ports.rasa[1], "ACTIONS_1": ports.actions[0], "ACTIONS_2": ports.actions[1],
        "ACTIONS_UNAVAILABLE": _nginx_string(actions_unavailable(said["actions_unavailable"])),
        "ASSISTANT_UNAVAILABLE": _nginx_string([{"recipient_id": "", "text": said["assistant_unavailable"]}]),
    }
    text = (DEPLOY / "nginx-cluster.conf").read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    return text


def _program(name: str) -> str:
    """A PostgreSQL, Redis or nginx program: on PATH, or where Debian's packages put it."""
    found = shutil.which(name) or next((str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                                                                reverse=True)), None)
    if found is None and Path(f"/usr/sbin/{name}").exists():
        found = f"/usr/sbin/{name}"
    if found is None:
        raise RuntimeError(f"找不到 {name}。请安装 Debian 软件包：apt-get install -y postgresql redis-server nginx")
    return found


def _as_postgres_user(args: list) -> list:
    """PostgreSQL refuses to run as root: as root, it runs as the `postgres` user Debian's package made."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _postgres_ready(port: int) -> bool:
    try:
        psycopg2.connect(host="127.0.0.1", port=port, user=DB_USER, dbname="postgres", connect_timeout=2).close()
        return True
    except psycopg2.OperationalError:
        return False


def _redis_ready(port: int) -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def _numbered(server: Server, number: int) -> Server:
    """'Rasa 服务器 2（5806）': which of the two a message on the console is about."""
    return replace(server, label=f"{server.label} {number}（{server.port}）")


class Cluster:
    """The cluster's files under `home` and its servers; `start` brings them up in order, `stop` takes them down."""

    def __init__(self, model: Path, home: Path = HOME, ports: Ports = Ports()) -> None:
        self.model, self.home, self.ports = model, home, ports
        self.logs = home / "logs"
        self.group = ServerGroup(self._servers(), self.logs)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.front}"

    def _servers(self) -> list:
        p, data, endpoints = self.ports, self.home / "postgres", self.home / "endpoints.yml"
        nginx = self.home / "nginx"
        postgres = Server("postgres", "PostgreSQL", _as_postgres_user([
            _program("postgres"), "-D", str(data), "-p", str(p.postgres), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories="]), p.postgres, lambda: _postgres_ready(p.postgres),
            stop_signal=signal.SIGINT)  # a fast shutdown: the default waits for every client to leave
        redis = Server("redis", "Redis", [_program("redis-server"), "--port", str(p.redis), "--bind", "127.0.0.1",
                                          "--save", "", "--appendonly", "no", "--dir", str(self.home / "redis")],
                       p.redis, lambda: _redis_ready(p.redis))
        front = Server("nginx", "nginx", [_program("nginx"), "-p", str(nginx), "-c", str(nginx / "nginx.conf"),
                                          "-e", str(nginx / "logs" / "error.log"), "-g", "daemon off;"],
                       p.front, lambda: port_in_use(p.front) and port_in_use(p.actions_front))
        actions = [_numbered(action_server(f"actions-{i}", port), i) for i, port in enumerate(p.actions, 1)]
        rasas = [_numbered(rasa_server(f"rasa-{i}", port, self.model, endpoints), i)
                 for i, port in enumerate(p.rasa, 1)]
        return [postgres, redis, *actions, front, *rasas]

    def prepare(self) -> None:
        """Writes the endpoints and nginx config and makes the PostgreSQL data directory on first use."""
        for folder in (self.logs, self.home / "redis", self.home / "nginx" / "logs", self.home / "nginx" / "tmp"):
            folder.mkdir(parents=True, exist_ok=True)
        (self.home / "endpoints.yml").write_text(endpoints_text(self.ports), encoding="utf-8")
        (self.home / "nginx" / "nginx.conf").write_text(nginx_text(self.ports, self.home), encoding="utf-8")
        data = self.home / "postgres"
        if os.geteuid() == 0:
            self.home.chmod(0o755)  # the postgres user enters it to reach its data
            if subprocess.run(_as_postgres_user(["test", "-x", str(self.home)])).returncode != 0:
                raise RuntimeError(f"postgres 用户无法进入 {self.home}：请把集群目录放在所有用户都能进入的位置。")
        if not (data / "PG_VERSION").exists():
            data.mkdir(mode=0o700, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(data, "postgres", "postgres")
            made = subprocess.run(_as_postgres_user([_program("initdb"), "-D", str(data), "-U", DB_USER,
                                                     "--auth=trust", "-E", "UTF8", "--locale=C"]),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if made.returncode != 0:
                raise RuntimeError(f"PostgreSQL 数据目录初始化失败：\n{made.stdout[-1500:]}")

    def start(self, timeout: float = 300) -> "Cluster":
        busy = self.group.busy_ports()
        if busy:
            raise RuntimeError(f"端口 {'、'.join(map(str, busy))} 已被占用：集群可能已在运行，请先 make cluster-stop。")
        self.prepare()
        names = list(self.group.servers)
        self.group.start([["postgres", "redis"], [n for n in names if n.startswith("actions-")] + ["nginx"],
                          [n for n in names if n.startswith("rasa-")]], timeout)
        return self

    def stop(self) -> None:
        self.group.stop()


def lost_service(supervisor: Supervisor) -> str | None:
    """Why the cluster cannot serve any more: a store or nginx given up, or every server of one kind."""
    gone = set(supervisor.given_up)
    labels = supervisor.group.servers
    for name in ("postgres", "redis", "nginx"):
        if name in gone:
            return f"{labels[name].label}无法恢复"
    for kind in ("rasa-", "actions-"):
        names = [n for n in labels if n.startswith(kind)]
        if set(names) <= gone:
            return f"所有{labels[names[0]].label}都无法恢复"
    return None


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


READY = "惠企政策助手（集群）已启动"


def run(home: Path, ports: Ports) -> None:
    """Starts the cluster in the foreground and keeps it running until SIGTERM or Ctrl-C."""
    operator_token()  # one token file for both Rasa servers, made before either starts
    conversation_key()  # likewise the key that binds owners' conversations to their browsers
    cluster = Cluster(ensure(), home, ports)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    (home / "cluster.pid").parent.mkdir(parents=True, exist_ok=True)
    (home / "cluster.pid").write_text(str(os.getpid()))
    failure = None
    try:
        cluster.start()
        print(f"{READY}：\n  聊天页面    {cluster.url}/chat/\n"
              f"  REST 接口   POST {cluster.url}/webhooks/rest/webhook\n"
              f"  接线员控制台 {cluster.url}/console/（工作人员登录 {cluster.url}/staff/signin；"
              f"脚本用的操作员令牌见 {token_source()}）\n"
              f"  培训页面    {cluster.url}/trainer/\n  政策工作台  {cluster.url}/workbench/\n"
              f"  数据与日志  {home}\n停止：make cluster-stop", flush=True)
        supervisor = Supervisor(cluster.group, _say)
        while failure is None:
            supervisor.tick()
            lost = lost_service(supervisor)
            failure = f"集群已停止：{lost}。请查看日志：{cluster.logs}" if lost else None
            time.sleep(0.5)
    except (RuntimeError, TimeoutError) as problem:
        failure = str(problem)
    except KeyboardInterrupt:
        print("正在停止集群……", flush=True)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)
        cluster.stop()
        (home / "cluster.pid").unlink(missing_ok=True)
    if failure:
        sys.exit(failure)
    print("集群已停止。", flush=True)


def start_in_background(home: Path, ports: Ports, offset: int, timeout: float = 400) -> None:
    """Runs `run` detached, its output in home/logs/cluster.log, and returns once it is ready (or says why not)."""
    (home / "logs").mkdir(parents=True, exist_ok=True)
    log_path = home / "logs" / "cluster.log"
    print(f"==> 启动集群（PostgreSQL、Redis、两个动作服务器、两个 Rasa 服务器、nginx），约需一两分钟；日志 {log_path}",
          flush=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot.ops.cluster", "--home", str(home), "--port-offset",
                                    str(offset), "run"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + timeout
    while READY not in log_path.read_text(encoding="utf-8"):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(log_path.read_text(encoding="utf-8")[-2000:] + "\n集群没有启动。")
        time.sleep(1)
    text = log_path.read_text(encoding="utf-8")
    print(text[text.index(READY):], end="", flush=True)


def stop_background(home: Path, timeout: float = 90) -> None:
    pid_file = home / "cluster.pid"
    if not pid_file.exists():
        print("集群没有在运行。")
        return
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink()
        print("集群没有在运行。")
        return
    deadline = time.monotonic() + timeout
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    print("集群已停止。" if not pid_file.exists() else f"集群没有在 {timeout:.0f} 秒内停止，请查看 {home}/logs")


def main(argv: list | None = None) -> None:
    parser = argparse.ArgumentParser(description="惠企政策助手集群：PostgreSQL、Redis、两个 Rasa 服务器、两个动作服务器、nginx")
    parser.add_argument("--home", type=Path, default=HOME, help="数据、配置和日志的目录")
    parser.add_argument("--port-offset", type=int, default=0, help="所有端口加上这个数（与另一个集群并存时）")
    parser.add_argument("command", choices=["start", "stop", "run"])
    args = parser.parse_args(argv)
    home, ports = args.home.resolve(), Ports().shifted(args.port_offset)
    if args.command == "run":
        run(home, ports)
    elif args.command == "start":
        start_in_background(home, ports, args.port_offset)
    else:
        stop_background(home)


if __name__ == "__main__":
    main()
