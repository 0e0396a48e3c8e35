"""deploy/helm's values for RasaHQ's charts, checked offline against the charts' own values.yaml (kept in
deploy/helm/chart-values): every key set exists in the chart, and the settings a scaled-out assistant needs hold."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.utils.common import class_from_module_path

HELM = Path(__file__).parents[1] / "deploy" / "helm"
CHARTS = {"values-rasa.yaml": "rasa-1.17.8.values.yaml", "values-actions.yaml": "rasa-action-server-1.0.9.values.yaml"}
# Maps whose keys the charts copy through as they are (the endpoints' settings, channel names, Kubernetes objects).
FREE_FORM = ("applicationSettings.credentials.additionalChannelCredentials.",
             "applicationSettings.endpoints.trackerStore.", "applicationSettings.endpoints.lockStore.", "resources.")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _paths(values: dict, prefix: str = "") -> list:
    found = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        found += _paths(value, path + ".") if isinstance(value, dict) and value else [path]
    return found


def _exists(chart: dict, path: str) -> bool:
    node = chart
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


@pytest.mark.parametrize("ours, theirs", CHARTS.items())
def test_every_key_we_set_exists_in_the_chart(ours, theirs):
    chart = _load(HELM / "chart-values" / theirs)
    unknown = [path for path in _paths(_load(HELM / ours))
               if not _exists(chart, path) and not path.startswith(FREE_FORM)]
    assert unknown == []


def test_several_rasa_servers_share_postgresql_and_a_redis_lock_store():
    values = _load(HELM / "values-rasa.yaml")
    endpoints = values["applicationSettings"]["endpoints"]
    assert values["replicaCount"] >= 2
    assert endpoints["trackerStore"]["enabled"] and endpoints["trackerStore"]["dialect"] == "postgresql"
    assert issubclass(class_from_module_path(endpoints["trackerStore"]["type"]), SQLTrackerStore)
    assert endpoints["lockStore"]["enabled"]
    assert issubclass(class_from_module_path(endpoints["lockStore"]["type"]), RedisLockStore)
    assert values["redis"]["replica"]["replicaCount"] == 0  # no Redis cluster mode (helm-charts#157)


def test_the_rasa_servers_run_our_launcher_with_the_api_off_and_our_channels():
    values = _load(HELM / "values-rasa.yaml")
    assert values["applicationSettings"]["enableAPI"] is False and "--enable-api" not in values["args"]
    assert importlib.util.find_spec(values["command"][-1]) is not None
    channels = set(values["applicationSettings"]["credentials"]["additionalChannelCredentials"])
    assert channels == set(_load(HELM.parents[1] / "credentials.yml"))
    assert not values["applicationSettings"]["initialModel"] and "--model" in values["args"]


def test_the_action_servers_run_ours_and_the_rasa_servers_call_them():
    actions = _load(HELM / "values-actions.yaml")
    rasa = _load(HELM / "values-rasa.yaml")
    assert actions["replicaCount"] >= 2
    assert importlib.util.find_spec(actions["command"][2]) is not None
    assert actions["command"][actions["command"].index("--port") + 1] == str(actions["applicationSettings"]["port"])
    assert rasa["rasa-action-server"]["external"]["enabled"] and rasa["rasa-action-server"]["external"]["url"].endswith(
        rasa["applicationSettings"]["endpoints"]["action"]["endpointURL"])
