"""Normalises what users type before anything reads it: traditional to simplified script (OpenCC), full-width
letters and digits to half-width, runs of spaces to one; a greeting in front of a request is dropped, so
"老师好，稳岗返还怎么申请" is read as the question it is."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from opencc import OpenCC

_t2s = OpenCC("t2s")
CUES_PATH = Path(__file__).with_name("cues.yml")
MIN_REQUEST = 4  # characters after the greeting that make it a request, not chit-chat


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _t2s.convert(text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _greeting() -> re.Pattern:
    with CUES_PATH.open(encoding="utf-8") as f:
        words = sorted(yaml.safe_load(f)["greetings"], key=len, reverse=True)
    return re.compile(r"^(?:(?:%s)+[啊呀哈]?[\s,，.。!！~?？]+)+" % "|".join(map(re.escape, words)), re.IGNORECASE)


def without_greeting(text: str) -> str:
    """The request after a leading greeting ("您好，帮我看看…" → "帮我看看…"); a greeting alone stays as it is."""
    rest = _greeting().sub("", text)
    return rest if len(rest) >= MIN_REQUEST else text
