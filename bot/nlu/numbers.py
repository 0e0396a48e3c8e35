"""Finds amounts and counts in colloquial Chinese and reads them as numbers.

"一百八十万", "大概四万八", "1.2亿", "8千", "十二个人", "月租八千块", "去年交了7200多", "三个月". The span is found
first, then converted with cn2an (smart, then normal mode), as its modes each miss some colloquial forms; the
unit after the span says what kind of quantity it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

_FIRST = "零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾"
_DIGITS = f"0-9{_FIRST}百千万亿点佰仟"
SPAN = re.compile(rf"(?:(?<![\d{_FIRST}])[-−负](?=[\d{_FIRST}]))?(?:\d+(?:\.\d+)?|[{_FIRST}])"
                  rf"(?:[{_DIGITS}.]|(?<=\d)[,，](?=\d{{3}}))*")
_TRAILING_DIGIT = re.compile(r"^(.+)([万亿千百])([一二两三四五六七八九\d])$")
_APPROX = re.compile(r"^(多|来|余|左右|上下|出头)")
_UNITS = (
    ("money", re.compile(r"^(多|来|余)?(万元|万块|元|块钱|块|圆|rmb|RMB)")),
    ("people", re.compile(r"^(多|来|余)?(个人|号人|号工人|号员工|名员工|个员工|名工人|个工人|名|位|人|个伙计|口人)")),
    ("months", re.compile(r"^(多|来)?(个月|月)")),
    ("other", re.compile(r"^(年|岁|家|号|点|天|层|次|条|项|%|个百分点|平|平米|平方)")),
)
_SCALE = {"亿": 100_000_000, "万": 10_000, "千": 1_000, "百": 100}


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    kind: str  # money | people | months | plain (no unit: the question decides)
    text: str


def to_number(span: str) -> float | None:
    """One span to a number, or None when it is not one ("一" alone in "一家" is still 1)."""
    span = span.replace(",", "").replace("，", "")
    if not span:
        return None
    if span[0] in "-−负":
        magnitude = to_number(span[1:])
        return None if magnitude is None else -magnitude
    for mode in ("smart", "normal"):
        try:
            return float(cn2an.cn2an(span, mode))
        except (ValueError, KeyError, IndexError, TypeError):
            continue
    shorthand = _TRAILING_DIGIT.match(span)
    if shorthand:  # 一亿二 = 1.2亿, as 四万八 = 4.8万
        head, scale, digit = to_number(shorthand.group(1)), _SCALE[shorthand.group(2)], to_number(shorthand.group(3))
        return None if head is None or digit is None else head * scale + digit * scale / 10
    unit = span[-1:]
    if unit in _SCALE and len(span) > 1:
        head = to_number(span[:-1])
        return None if head is None else head * _SCALE[unit]
    return None


def find_quantities(text: str) -> list[Quantity]:
    out = []
    for match in SPAN.finditer(text):
        span = match.group(0).rstrip("点")
        value = to_number(span)
        if value is None or not span:
            continue
        end = match.start() + len(span)
        rest = _APPROX.sub("", text[end:end + 6])
        if rest[:1] in ("万", "亿") and span[-1] not in "万亿":  # 七十来万, 九十多万
            value *= _SCALE[rest[0]]
            rest = rest[1:]
            span_kind = "money"
        else:
            span_kind = None
        kind = next((k for k, pattern in _UNITS if pattern.match(rest)), span_kind)
        if kind == "other":
            continue
        if kind is None:
            kind = "money" if ("万" in span or "亿" in span) else "plain"
        if kind == "money" and re.match(r"^(多|来|余)?万", rest):
            value *= 10_000
        out.append(Quantity(match.start(), end, int(value) if value.is_integer() else value, kind, span))
    return out
