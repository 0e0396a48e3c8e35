"""make cluster's generated files: the endpoints Rasa reads, the nginx config, and what nginx answers when no action
server can (it must be a reply Rasa accepts, or the owner would get silence)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.utils.common import class_from_module_path

from bot.ops.cluster import DEPLOY, Ports, endpoints_text, nginx_text
from bot.unavailable import actions_unavailable


def test_the_committed_cluster_endpoints_are_what_the_launcher_writes():
    assert (DEPLOY / "endpoints-cluster.yml").read_text(encoding="utf-8") == endpoints_text(Ports())


def test_rasa_reads_postgresql_a_redis_lock_store_and_the_balanced_action_servers(tmp_path):
    path = tmp_path / "endpoints.yml"
    path.write_text(endpoints_text(Ports().shifted(3)), encoding="utf-8")
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    # Rasa quietly serves from memory when a tracker store's module path does not import: it must.
    assert issubclass(class_from_module_path(endpoints.tracker_store.type), SQLTrackerStore)
    assert endpoints.tracker_store.kwargs["dialect"] == "postgresql" and endpoints.tracker_store.kwargs["port"] == 5835
    assert issubclass(class_from_module_path(endpoints.lock_store.type), RedisLockStore)
    assert endpoints.lock_store.kwargs["port"] == 5882
    assert endpoints.action.url == "http://127.0.0.1:5853/webhook"


def test_the_reply_for_no_action_server_is_one_rasa_accepts_with_the_polite_words():
    words = yaml.safe_load((DEPLOY / "messages.yml").read_text(encoding="utf-8"))
    reply = actions_unavailable(words["actions_unavailable"])
    jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    assert reply["responses"] == [{"text": words["actions_unavailable"]}]
    assert {"event": "followup", "name": "action_listen"} in reply["events"]


def test_the_nginx_config_has_every_port_filled_and_its_replies_are_json(tmp_path):
    text = nginx_text(Ports(), tmp_path)
    assert re.findall(r"@[A-Z_0-9]+@", text) == []
    replies = [line.split("return 200 '", 1)[1].rsplit("'", 1)[0] for line in text.splitlines() if "return 200" in line]
    assert [type(json.loads(reply)) for reply in replies] == [list, dict]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (make cluster-deps)")
def test_nginx_accepts_the_config(tmp_path):
    for folder in ("nginx/logs", "nginx/tmp"):
        (tmp_path / folder).mkdir(parents=True)
    conf = tmp_path / "nginx" / "nginx.conf"
    conf.write_text(nginx_text(Ports().shifted(7), tmp_path), encoding="utf-8")
    check = subprocess.run(["nginx", "-t", "-p", str(tmp_path / "nginx"), "-c", str(conf),
                            "-e", str(tmp_path / "nginx" / "logs" / "error.log")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
