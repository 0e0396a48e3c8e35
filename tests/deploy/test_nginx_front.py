"""The nginx that people reach (deploy/nginx/huiqi.conf, compose's front door) and make cluster's nginx, run in
Debian's nginx against a tiny upstream on loopback: the access log shows no token= or key= value, and a client that
keeps trying to sign in is refused with 429 after a few tries while the chat goes on."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from bot.ops.cluster import DEPLOY, Ports, nginx_text
from bot.unavailable import actions_unavailable

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
FRONT = DEPLOY / "nginx" / "huiqi.conf"
SECRETS = "token=s3cret-channel&next=/trainer/&KEY=s3cret-key&monkey=banana"

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make cluster-deps)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Upstream(BaseHTTPRequestHandler):
    """Answers every request with 200 and a word, as a Rasa server would answer a page."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def upstream():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def front_on_loopback(home: Path, upstream: int) -> tuple[Path, int]:
    """huiqi.conf as compose mounts it, with only its addresses moved: services to the upstream, ports to free ones,
    logs into `home`; wrapped in the main config the nginx image would give it."""
    port = free_port()
    text = FRONT.read_text(encoding="utf-8")
    for name in ("rasa-1:5005", "rasa-2:5005", "actions-1:5055", "actions-2:5055"):
        assert name in text
        text = text.replace(name, f"127.0.0.1:{upstream}")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    text = text.replace("listen 5050;", f"listen 127.0.0.1:{free_port()};")
    text = text.replace("/var/log/nginx/", f"{home}/logs/")
    (home / "site.conf").write_text(text, encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {home}/tmp/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                            "scgi"))
    main = home / "nginx.conf"
    main.write_text(f"pid {home}/nginx.pid;\nerror_log {home}/logs/error.log warn;\nevents {{}}\n"
                    f"http {{\n{temp}\n    include {home}/site.conf;\n}}\n", encoding="utf-8")
    return main, port


def started(home: Path, conf: Path, port: int):
    for folder in ("logs", "tmp"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    check = subprocess.run([NGINX, "-t", "-p", str(home), "-c", str(conf), "-e", str(home / "logs" / "error.log")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-p", str(home), "-c", str(conf), "-e", str(home / "logs" / "error.log"),
                                "-g", "daemon off;"])
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.05)
    process.kill()
    raise AssertionError("nginx did not listen")


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def logged(log: Path, count: int) -> list[str]:
    for _ in range(100):
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        if len(lines) >= count:
            return lines
        time.sleep(0.05)
    return lines


def test_the_front_logs_no_token_or_key_value(tmp_path, upstream):
    conf, port = front_on_loopback(tmp_path, upstream)
    nginx = started(tmp_path, conf, port)
    try:
        assert status(f"http://127.0.0.1:{port}/chat/signin?{SECRETS}") == 200
        assert status(f"http://127.0.0.1:{port}/console/api/records/r1.html?key=a&key=b&key=c") == 200
        assert status(f"http://127.0.0.1:{port}/chat/?%74oken=s3cret-encoded") == 200
        lines = logged(tmp_path / "logs" / "access.log", 3)
    finally:
        nginx.terminate()
        nginx.wait(10)
    text = "\n".join(lines)
    assert "s3cret" not in text and "key=a" not in text
    assert '"GET /chat/signin?token=***&next=/trainer/&KEY=***&monkey=banana HTTP/1.1" 200' in lines[0]
    assert '"GET /console/api/records/r1.html?(withheld) HTTP/1.1" 200' in lines[1]
    assert '"GET /chat/?(withheld) HTTP/1.1" 200' in lines[2]


def test_the_front_refuses_a_client_that_keeps_signing_in_and_still_serves_its_chat(tmp_path, upstream):
    conf, port = front_on_loopback(tmp_path, upstream)
    nginx = started(tmp_path, conf, port)
    try:
        signins = [status(f"http://127.0.0.1:{port}/chat/signin") for _ in range(10)]
        chat = status(f"http://127.0.0.1:{port}/chat/")
    finally:
        nginx.terminate()
        nginx.wait(10)
    # burst 5 at 6 a minute: the first six pass, the rest are refused until the minute moves on
    assert signins[:6] == [200] * 6 and set(signins[6:]) == {429}
    assert chat == 200


def test_the_cluster_nginx_logs_no_token_value(tmp_path, upstream):
    ports = Ports(front=free_port(), rasa=(upstream, upstream), actions=(upstream, upstream),
                  actions_front=free_port())
    home = tmp_path / "nginx"
    conf = home / "nginx.conf"
    home.mkdir()
    conf.write_text(nginx_text(ports, tmp_path), encoding="utf-8")
    nginx = started(home, conf, ports.front)
    try:
        assert status(f"http://127.0.0.1:{ports.front}/chat/signin?sender=abc&{SECRETS}") == 200
        lines = logged(home / "logs" / "access.log", 1)
    finally:
        nginx.terminate()
        nginx.wait(10)
    assert "s3cret" not in lines[0]
    assert '"GET /chat/signin?sender=abc&token=***&next=/trainer/&KEY=***&monkey=banana HTTP/1.1" 200' in lines[0]
    assert " sender=abc " in lines[0]  # tests/cluster reads the route from this field


def test_the_fronts_polite_replies_are_the_words_of_deploy_messages():
    words = yaml.safe_load((DEPLOY / "messages.yml").read_text(encoding="utf-8"))
    text = FRONT.read_text(encoding="utf-8")
    replies = [json.loads(reply) for reply in re.findall(r"return 200 '(.*)';", text)]
    assert replies == [[{"recipient_id": "", "text": words["assistant_unavailable"]}],
                       actions_unavailable(words["actions_unavailable"])], (
        "deploy/nginx/huiqi.conf must answer with deploy/messages.yml's words (as bot/cluster.py writes them)")
