"""Normalises what users type before anything reads it: traditional to simplified script (OpenCC), full-width
letters and digits to half-width, runs of spaces to one."""

from __future__ import annotations

import re
import unicodedata

from opencc import OpenCC

_t2s = OpenCC("t2s")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _t2s.convert(text)
    return re.sub(r"\s+", " ", text).strip()
