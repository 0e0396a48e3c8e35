"""Rasa's own checks: the training data validates without a warning, and the test stories pass `rasa test`."""

import subprocess
import sys
from pathlib import Path

from bot.ops.model import ensure

ROOT = Path(__file__).parents[2]


def _rasa(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "rasa", *args], cwd=cwd, capture_output=True, text=True)


def test_training_data_and_domain_validate_without_warnings():
    run = _rasa("data", "validate", "--fail-on-warnings")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_the_test_stories_pass(tmp_path):
    run = _rasa("test", "core", "--stories", "tests/stories", "--model", str(ensure()), "--out", str(tmp_path),
                "--fail-on-prediction-errors")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert not (tmp_path / "failed_test_stories.yml").exists() or \
        "None of the test stories failed" in (tmp_path / "failed_test_stories.yml").read_text()
