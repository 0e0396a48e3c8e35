"""The servers the e2e tests and benchmarks start (bot.ops.serve.write_endpoints) use the stores `make run` uses:
the project's endpoints.yml with their own ports and conversation file, so what is tested is what is served."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.ops.serve import ROOT, write_endpoints


def test_a_test_pair_runs_the_served_stores_on_its_own_port_and_file(tmp_path):
    served = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    written = yaml.safe_load(write_endpoints(tmp_path / "endpoints.yml", 5999, tmp_path / "c.db").read_text())
    assert written["tracker_store"] == {**served["tracker_store"], "db": str(tmp_path / "c.db")}
    assert written["lock_store"] == served["lock_store"]
    assert written["action_endpoint"] == {**served["action_endpoint"], "url": "http://127.0.0.1:5999/webhook"}
    assert Path(written["tracker_store"]["db"]) != ROOT / served["tracker_store"]["db"]
