"""Finds amounts and counts in colloquial Chinese and reads them as numbers.

Spans are found on jieba's segmentation, not on characters: a numeral inside a word ("一些", "一直", "统一",
"第一次", "十分", "七成") is no quantity. Such words are masked: those of the tested list `not_quantities` in
cues.yml, and any word that joins a numeral to a character that is neither a numeral nor a unit. The span left is
read with cn2an (smart, then normal mode), after the colloquial magnitudes are put in its terms: "1.2个亿",
"三个多亿", "一亿二", "七十来万", "千把块", "五十万出头", "四万八", "3万6", "1千2百万", and halves of a
magnitude: "两个半亿", "两万半", "半个亿". A range ("八九十万", "一百二十万到一百五十万") keeps both ends and reads as
its middle; so does 几 where it stands for a digit ("十几万" 11万–19万, "几十万" 20万–90万, "二十几个人" 21–29), while
"几个" says no figure at all. The unit after the span says what kind of quantity it is; "一个都没裁",
"连一个顾客都没来" are emphatic negations, not the number one; "百十号人" is about a hundred. Idioms of numerals ("七七八八", "三三两两") are no
quantity: the listed ones are masked wherever jieba cuts them, and a doubled digit word is never read as an amount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cn2an
import jieba
import yaml

CUES_PATH = Path(__file__).with_name("cues.yml")
_DIGIT_WORDS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖俩仨"
_NUMERALS = f"0-9{_DIGIT_WORDS}十百千万亿拾佰仟"
_NUMERAL_CHAR = re.compile(rf"[{_NUMERALS}]")
# Characters a number's word may carry besides numerals ("十二个", "八千块", "三个月", "七十来万"): the rest mask it.
_NUMBER_WORD_EXTRA = set("个多来余把块元人月号名位.点,，wWkK")
_GLUED = re.compile(r"(左右|上下|出头)")
_MAGNITUDES = "十百千万亿拾佰仟"
# 几 standing for a digit next to a magnitude ("几十万", "十几", "一百几十万", "一万几"); "几个", "第几" say no figure.
_FEW = re.compile(rf"几(?=[{_MAGNITUDES}])|(?<=[{_MAGNITUDES}])几")
# 半 as half of the magnitude it goes with: "两个半亿", "两万半"; not of a compound one ("一千万半").
_HALF = re.compile(r"(?<=个)半(?=[万亿])|(?<=[0-9一二两三四五六七八九十][万亿])半")
SPAN = re.compile(
    rf"(?:(?<![0-9{_DIGIT_WORDS}])[-−负](?=[0-9{_DIGIT_WORDS}]))?"
    rf"(?:[千万]把|半个?亿|(?=[0-9{_DIGIT_WORDS}十拾百千]|几[{_MAGNITUDES}])"
    rf"(?:[{_NUMERALS}]|(?<=[0-9])\.(?=[0-9])|点(?=[{_DIGIT_WORDS}0-9])|(?<=[0-9])[,，](?=[0-9]{{3}})|{_FEW.pattern}"
    rf"|{_HALF.pattern}|个(?=[多来余把半]?[万亿])|(?<=[{_NUMERALS}个])[多来余把](?=[万亿千百块元])"
    rf"|(?<=[0-9])[wWkK](?![a-zA-Z]))+)")
_RANGE_JOIN = re.compile(r"^\s*(到|至|-|~|～|—)\s*")
_PAIR = re.compile(r"^(.*?)([一二两三四五六七八九])([一二两三四五六七八九])(.*)$")
_PAIR_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_DOUBLED = re.compile(r"([一二两三四五六七八九])\1")  # 七七八八, 三三两两: said by place values, no amount doubles a digit
_HALF_SPAN = re.compile(r"^(.*?)(?:个半([万亿])|([万亿])半|半个?(亿))$")
_TRAILING_DIGIT = re.compile(r"^(.+)([万亿千百])([一二两三四五六七八九\d])$")
# A figure said for a period ("三千五一个月", "两万四一年"): the last 一 is the period's, unless it ends the figure
# ("十一个月", "一百零一天").
_ONE_OF_PERIOD = re.compile(r"(?<=[^十零])一$")
_PERIOD_AFTER = re.compile(r"(个月|年|月|天|周|星期|季度)")
_APPROX_AFTER = re.compile(r"^(多一点|多点|多|来|余|左右|上下|出头|把)")
_APPROX_BEFORE = re.compile(r"(大概|大约|差不多|将近|估计|约|接近|至少|不到|快)$")
_EMPHATIC_NEGATION = re.compile(r"^[^，。,.；;！!？?]{0,4}?[都也]?(没|不)")
_UNITS = (
    ("money", re.compile(r"^(万元|万块|元|块钱|块|圆|rmb|RMB)")),
    ("people", re.compile(r"^((个|名|号)(人|员工|工人|伙计|职工|服务员|司机|师傅|店员|营业员|保安|保洁|技工|厨师|员)"
                          r"|名|位|人|口人)")),
    ("months", re.compile(r"^(个月|月)")),
    ("other", re.compile(r"^(年|岁|家|号|点|天|层|次|条|项|%|个百分点|平|平米|平方|成|倍|分|小时|周|公里|吨|辆|台|套|间)")),
)
_SCALE = {"亿": 100_000_000, "万": 10_000, "千": 1_000, "百": 100}
_SPOKEN = str.maketrans({"俩": "两", "仨": "三"})


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    kind: str  # money | people | months | plain (no unit: the question decides)
    text: str
    low: float | None = None   # a range's ends ("八九十万"); None for a single figure
    high: float | None = None
    approximate: bool = False  # hedged ("大概", "七千多", "出头") or a range: the reply says which value it used

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None and self.low != self.high


@lru_cache(maxsize=1)
def not_quantities(path: Path = CUES_PATH) -> frozenset[str]:
    """Words with a numeral that are never a quantity (cues.yml), kept as data so the list is tested and grown."""
    with path.open(encoding="utf-8") as f:
        return frozenset(yaml.safe_load(f).get("not_quantities") or [])


def _masked(text: str) -> str:
    """The text with every numeral that belongs to a non-numeric word replaced by a blank, offsets kept: a listed
    word ("一些", "统一"), or a word that starts with a numeral and goes on with other characters ("一直", "七成");
    units and hedges jieba glues to a number ("一万左右", "80w") are not such characters."""
    chars = list(text)
    stop = not_quantities()
    # positions of 几 and 半 that belong to a number ("十几万", "两个半亿"): not the characters that mask a word
    in_number = {m.start() for pattern in (_FEW, _HALF) for m in pattern.finditer(text)}
    for word, start, end in jieba.tokenize(text):
        if not _NUMERAL_CHAR.search(word):
            continue
        point = word.find("点")
        decimal = point > 0 and _NUMERAL_CHAR.match((word[point + 1:] or text[end:end + 1])[:1])  # 一点二亿, 一点五万
        if decimal and not [c for c in word if not _NUMERAL_CHAR.match(c) and c != "点"]:
            continue
        listed = any(_stops_here(text, start + at) for w in stop if len(w) > 1 for at in _find_all(word, w))
        glued = {i for m in _GLUED.finditer(word) for i in range(m.start(), m.end())}
        foreign = [c for i, c in enumerate(word) if _NUMERAL_CHAR.match(word[0]) and i not in glued
                   and not _NUMERAL_CHAR.match(c) and c not in _NUMBER_WORD_EXTRA and start + i not in in_number]
        few = [at for at in range(start - 1 if start else 0, end) if text[at] == "几"]  # in the word or just before
        vague = any(at not in in_number for at in few)  # 几个, 几乎: no figure to take
        if listed or vague or (start > 0 and text[start - 1] == "第"):
            chars[start:end] = "\u3000" * (end - start)
        elif foreign:  # "五万四对吧": jieba glued the number's last digit to the next word; keep the digits
            continuing = start > 0 and _NUMERAL_CHAR.match(text[start - 1])
            keep = len(word) - len(word.lstrip("".join(c for c in word if _NUMERAL_CHAR.match(c)))) if continuing else 0
            chars[start + keep:end] = "\u3000" * (end - start - keep)
    for word in (w for w in stop if not _NUMERAL_CHAR.match(w[0]) or len(w) >= 4):  # "加一块", "九九八十一"
        for at in _find_all(text, word):  # whatever jieba made of them
            if not _NUMERAL_CHAR.match(word[0]) or _stops_here(text, at):
                chars[at:at + len(word)] = "\u3000" * len(word)
    return "".join(chars)


def _find_all(word: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(part), word)]


def _stops_here(text: str, at: int) -> bool:
    """A listed word at `at` is no quantity unless a numeral runs into it ("两千万" is no "千万别")."""
    return not (at > 0 and _NUMERAL_CHAR.match(text[at - 1]))


def to_number(span: str) -> float | None:
    """One span to a number, or None when it is not one ("一" alone in "一家" is still 1)."""
    span = span.replace(",", "").replace("，", "").translate(_SPOKEN)
    span = re.sub(r"(?<=[0-9])[wW]", "万", re.sub(r"(?<=[0-9])[kK]", "千", span))  # 80w, 6k
    if not span:
        return None
    if span[0] in "-−负":
        magnitude = to_number(span[1:])
        return None if magnitude is None else -magnitude
    if span in ("千把", "万把"):  # 千把块, 万把块: about a thousand, ten thousand
        return float(_SCALE[span[0]])
    half = _HALF_SPAN.match(span)
    if half:  # 两个半亿, 两万半, 半个亿
        head, scale = half.group(1), half.group(2) or half.group(3) or half.group(4)
        count = to_number(head) if head else 0
        return None if count is None else (count + 0.5) * _SCALE[scale]
    span = re.sub(r"[多来余把](?=[万亿千百])|[多来余]$", "", span)  # 三个多亿, 七十来万, 两千来: kept as `approximate`
    span = re.sub(r"个(?=[万亿])", "", span)
    if span[:1] in ("百", "千"):  # 百来万 = 一百万
        span = "一" + span
    for mode in ("smart", "normal"):
        try:
            return float(cn2an.cn2an(span, mode))
        except (ValueError, KeyError, IndexError, TypeError):
            continue
    if re.search(r"\d", span) and re.search(r"[十百千万亿]", span) and "." not in span:  # 1千2百万
        chinese = re.sub(r"\d+", lambda m: cn2an.an2cn(m.group(0)), span)
        if chinese != span:
            return to_number(chinese)
    shorthand = _TRAILING_DIGIT.match(span)
    if shorthand:  # 一亿二 = 1.2亿, as 四万八 = 4.8万
        head, scale, digit = to_number(shorthand.group(1)), _SCALE[shorthand.group(2)], to_number(shorthand.group(3))
        return None if head is None or digit is None else head * scale + digit * scale / 10
    unit = span[-1:]
    if unit in _SCALE and len(span) > 1:
        head = to_number(span[:-1])
        return None if head is None else head * _SCALE[unit]
    return None


def _read_span(span: str) -> tuple[float, float] | None:
    """(low, high) of a span; equal for a single figure. "八九十万" → 80万–90万, "七八" → 7–8, "十几万" → 11万–19万
    (a leading 几 is at least two: "几十万" → 20万–90万, as 10万–19万 is said "十几万")."""
    if _DOUBLED.search(span):
        return None
    if "几" in span:
        low = to_number(("二" + span[1:] if span[0] == "几" else span).replace("几", "一"))
        high = to_number(span.replace("几", "九"))
        return (low, high) if low is not None and high is not None and low < high else None
    pair = _PAIR.match(span)
    if pair:
        head, first, second, rest = pair.groups()
        a, b = _PAIR_VALUES[first], _PAIR_VALUES[second]
        if (b == a + 1 or (a, b) == (3, 5)) and (not head or head[-1] in "十百千万"):  # 十五六, 一百二三十万, 三五个
            low, high = to_number(head + first + rest), to_number(head + second + rest)
            if low is not None and high is not None:
                return low, high
    value = to_number(span)
    return None if value is None else (value, value)


def _integral(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in the text, in order. Read once per text: the cue reader, the checklist and the bare-answer
    test all ask for the same message's numbers."""
    return list(_quantities(text))


@lru_cache(maxsize=1024)
def _quantities(text: str) -> tuple[Quantity, ...]:
    masked = _masked(text)
    out: list[Quantity] = []
    spans = [(m.start(), m.group(0)) for m in SPAN.finditer(masked)]
    i = 0
    while i < len(spans):
        start, span = spans[i]
        span = span.rstrip("点")
        if _PERIOD_AFTER.match(text, start + len(span)) and _ONE_OF_PERIOD.search(span):
            span = span[:-1]  # "三千五一个月", "两万四一年": the 一 is the period's
        rough = span.startswith("百十")  # "百十号人", "百十万": about a hundred, not 110
        read = _read_span("一百" + span[2:] if rough else span) if span else None
        i += 1
        if read is None:
            continue
        low, high = read
        end = start + len(span)
        approximate = low != high or bool(_APPROX_BEFORE.search(text[max(0, start - 3):start]))
        approximate = approximate or rough or bool(re.search(r"[多来余把]", span))
        joined = _RANGE_JOIN.match(text[end:end + 3])
        if joined and i < len(spans) and spans[i][0] == end + joined.end():  # 一百二十万到一百五十万
            other = _read_span(spans[i][1].rstrip("点"))
            if other is not None:
                upper_span = spans[i][1].rstrip("点")
                scale = next((s for s in ("亿", "万") if upper_span.endswith(s) and not span.endswith(s)), None)
                if scale:  # 一百二十到一百五十万: the upper end's magnitude is the lower end's too
                    low *= _SCALE[scale]
                high = other[1]
                end = spans[i][0] + len(upper_span)
                span = text[start:end]
                approximate = True
                i += 1
        rest = text[end:end + 8]
        hedge = _APPROX_AFTER.match(rest)
        if hedge:
            approximate = True
            rest = rest[hedge.end():]
        scaled_after = False
        if rest[:1] in ("万", "亿") and not re.search(r"[万亿]$", span):  # 七十多万 read as 七十 + 多 + 万
            low, high = low * _SCALE[rest[0]], high * _SCALE[rest[0]]
            rest = rest[1:]
            scaled_after = True
        if _APPROX_AFTER.match(rest):  # 五十万出头
            approximate = True
            rest = rest[_APPROX_AFTER.match(rest).end():]
        kind = next((k for k, pattern in _UNITS if pattern.match(rest)), None)
        if kind == "other":
            continue
        if low == high == 1 and _EMPHATIC_NEGATION.match(text[end:end + 8]):  # 一个都没裁, 一个顾客都没来
            continue
        if kind is None:
            kind = "money" if scaled_after or re.search(r"[万亿wW]", span) else "plain"
        value = (low + high) / 2
        out.append(Quantity(start, end, _integral(value), kind, text[start:end],
                            _integral(low) if low != high else None, _integral(high) if low != high else None,
                            approximate))
    return tuple(out)
