"""How a message begins or asks says what it is, over the classifier's lean among a few near intents (cues.yml
`intent_markers`, `intent_needs`, `asks`, `correction_words`). Used by the InputGuard."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .cues import CUES_PATH, correction_pattern


class IntentMarkers:
    """How a message begins or asks says what it is ("要是…呢" a hypothesis, "不对，…" a correction, "怎么没有我们"
    a why-not), over the classifier's lean among a few near intents: cues.yml `intent_markers`."""

    def __init__(self, markers: dict, needs: dict | None = None, correction: re.Pattern | None = None,
                 asks: str = "$^"):
        self.markers = [(name, set(m["over"]), re.compile(m["pattern"])) for name, m in markers.items()]
        self.needs = {name: re.compile(pattern, re.I) for name, pattern in (needs or {}).items()}
        self.correction = correction or re.compile("$^")
        self.asks = re.compile(asks)

    @classmethod
    def from_file(cls, path: Path = CUES_PATH) -> "IntentMarkers":
        with path.open(encoding="utf-8") as f:
            cues = yaml.safe_load(f)
        return cls(cues.get("intent_markers") or {}, cues.get("intent_needs"), correction_pattern(cues),
                   cues.get("asks") or "$^")

    def corrects(self, text: str) -> bool:
        """Whether the message says it corrects something said before (cues.yml `correction_words`)."""
        return bool(self.correction.search(text))

    def intent(self, text: str, leaning: str | None) -> str | None:
        """The intent the text marks; `nlu_fallback` for an intent whose words (cues.yml `intent_needs`) it lacks:
        starting over clears every fact, so "GET" or "从现在开始…" must not do it."""
        need = self.needs.get(leaning or "")
        if need is not None and not need.search(text):
            return "nlu_fallback"
        if leaning == "correct" and self.asks.search(text) and not self.correction.search(text):
            return "ask_policy"  # "没裁人的企业稳岗补贴有吗": a question with no word of correcting is no correction
        return next((name for name, over, pattern in self.markers if leaning in over and pattern.search(text)), None)
