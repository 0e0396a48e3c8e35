"""Numbers as owners say them: 十二个人, 一百八十万左右, 1.2个亿, 80w, 三千五 — always the exact value, in words a
listener can read back (a hedge word says the owner is not sure, never that the figure is a range)."""

from __future__ import annotations

import random
import re

import cn2an

_DIGITS = "一二三四五六七八九"
_UNITS = "十百千万亿"


def chinese(n: int, short: bool = True) -> str:
    """Spoken Chinese of a whole number: 两千 not 二千; ``short``: 三千五 not 三千五百 (never before a unit word)."""
    text = cn2an.an2cn(int(n))
    text = re.sub(r"^二(?=[百千万亿])", "两", text)
    if short and len(text) >= 3 and text[-1] in "百千" and text[-2] in _DIGITS and text[-3] in _UNITS:
        text = text[:-1]
    return text


def _decimal(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def money_forms(yuan: float, alone: bool) -> list[str]:
    """Ways to say an amount; ``alone`` (the only figure of the answer) allows a bare number without a unit."""
    n = int(round(yuan))
    forms = [f"{n}块", f"{n}元", f"{chinese(n, False)}块", f"{chinese(n, False)}元"]
    if alone:
        forms.append(chinese(n) if n >= 1000 else str(n))
    if n >= 10_000 and n % 100 == 0:
        wan = _decimal(n / 10_000)
        forms.append(f"{wan}万")
        if n % 10_000 == 0:
            forms += [chinese(n), f"{wan}w", f"{wan}万块"]
    if n >= 100_000_000 and n % 1_000_000 == 0:
        forms += [f"{_decimal(n / 100_000_000)}个亿", f"{_decimal(n / 100_000_000)}亿"]
    if n >= 100_000_000:
        forms = [f for f in forms if not f.endswith(("块", "元")) or "万" in f or "亿" in f] or forms
    return forms


def count_forms(n: int) -> list[str]:
    return [str(n), chinese(n)] if n else ["0", "零"]


def say_money(rng: random.Random, yuan: float, alone: bool = True) -> str:
    forms = money_forms(yuan, alone)
    big = [f for f in forms if "万" in f or "亿" in f or f.endswith("w")]
    return rng.choice(big if big and rng.random() < 0.7 else forms)


def say_count(rng: random.Random, n: int) -> str:
    return rng.choice(count_forms(n))
