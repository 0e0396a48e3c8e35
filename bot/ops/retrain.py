"""The NLU learns a published document's fact words in the background (issue 22): after a publish whose document
brings facts with the words owners use for them (the versions table's ``new_facts``), the Rasa server rebuilds the
NLU assets from the store it serves (jieba's dictionary, the spaCy rules), trains a model on them, and switches to
it; the old model answers every message until the new one is loaded, and the switch is logged.

One server of a cluster trains (a lock file in build/); it records the model it made in the versions table, and
every server that is not serving that model yet loads it. A failed training changes nothing: the version stays
pending, the old model keeps serving, and the next look tries again.

The retrained model's name says what it was trained for: ``huiqi-<fingerprint of the repository>-v<version>``.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

from policy_db.versions import Versions

from .model import MODELS, ROOT, fingerprint

logger = logging.getLogger(__name__)

LOCK = ROOT / "build" / "retrain.lock"
RETRAINED = ROOT / "build" / "retrained"  # per version: the assets its model was trained on, and its config
ASSETS = ("jieba-dict", "spacy-zh")
INTERVAL_ENV = "HUIQI_RETRAIN_SECONDS"  # how often a server looks for a pending retrain; 0 turns it off
INTERVAL = 10.0


def model_for(version: int) -> Path:
    return MODELS / f"huiqi-{fingerprint()}-v{version}.tar.gz"


def train(version: int) -> Path:
    """Builds the NLU assets of the store as served now (POLICY_VERSIONS) in a folder of this version's own (the
    running model keeps build/'s) and trains the model for ``version`` on them (Rasa's cache keeps what did not
    change); CalledProcessError when either step fails."""
    target, assets = model_for(version), RETRAINED / f"v{version}"
    subprocess.run([sys.executable, "-m", "bot.ops.assets", "--out", str(assets)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    config = (ROOT / "config.yml").read_text(encoding="utf-8")
    for asset in ASSETS:
        config = config.replace(f"build/{asset}", str(assets / asset))
    (assets / "config.yml").write_text(config, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "rasa", "train", "--config", str(assets / "config.yml"),
                    "--fixed-model-name", target.name[: -len(".tar.gz")], "--out", str(target.parent)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return target


class Retrainer:
    """Looks every ``interval`` seconds for a version whose fact words the NLU has not learnt, trains for it under
    the lock, and switches the server's agent to the model the latest retrain made."""

    def __init__(self, app, versions: Optional[Versions] = None, interval: float = INTERVAL) -> None:
        self.app, self.versions, self.interval = app, versions or Versions(), interval

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.look()
            except Exception:  # the next look tries again; the old model keeps serving
                logger.exception("retrain: the look for a pending retrain failed")

    async def look(self) -> None:
        pending = self.versions.pending_retrain()
        loop = asyncio.get_running_loop()
        if pending and await loop.run_in_executor(None, self._train_under_lock, pending[-1].number):
            logger.info("retrain: trained for version %s (fact words %s)", pending[-1].number,
                        "、".join(w for v in pending for ws in v.new_facts.values() for w in ws))
        latest = next((v for v in reversed(self.versions.all()) if v.retrained_model), None)
        if latest is not None and Path(latest.retrained_model).is_file():
            await self._switch(Path(latest.retrained_model))

    def _train_under_lock(self, version: int) -> bool:
        """Trains for ``version`` unless another server is; marks every version up to it retrained with the model."""
        LOCK.parent.mkdir(parents=True, exist_ok=True)
        with open(LOCK, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            if not any(v.number == version for v in self.versions.pending_retrain()):
                return False  # another server finished it while this one waited
            made = train(version)
            for v in self.versions.pending_retrain():
                if v.number <= version:
                    self.versions.mark_retrained(v.number, str(made))
            return True

    async def _switch(self, model: Path) -> None:
        agent = self.app.ctx.agent
        serving = getattr(agent.processor, "model_path", None)
        if serving is not None and Path(serving).name == model.name:
            return
        await asyncio.get_running_loop().run_in_executor(None, agent.load_model, str(model))
        logger.info("retrain: switched the NLU from %s to %s", Path(serving).name if serving else None, model.name)


async def start(app, _loop) -> None:
    """After the server starts (a listener of bot.web.pages): watches for retrains when the server has a model."""
    interval = float(os.environ.get(INTERVAL_ENV, INTERVAL))
    agent = getattr(app.ctx, "agent", None)
    if interval > 0 and agent is not None and callable(getattr(agent, "is_ready", None)) and agent.is_ready():
        app.add_task(Retrainer(app, interval=interval).watch())
