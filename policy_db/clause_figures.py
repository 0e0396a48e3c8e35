"""The figures a clause states, found and typed, each with its span in the clause so a page can highlight it.

Staff turn a notice into parameters from these: "最高50万元" is an amount of 500,000 yuan that is a cap,
"减半" a rate of 50%, "自2020年3月1日至5月31日" a period of three whole months, "市财政局" a department the store
already knows. Numbers written in Chinese ("三个月", "百分之三十") are read with cn2an. A number with no unit the
notice gives meaning to (a hotline "12348", "三不一优") is not a figure.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Iterable

import cn2an

_CN = "零〇一二两三四五六七八九十百千"
NUMBER = rf"(?<![\d.])(?:\d+(?:\.\d+)?|[{_CN}]+(?:点[{_CN}]+)?)"
_AT_MOST = ("最长不超过", "最高不超过", "原则上不超过", "最长", "最高", "最多", "不超过", "不高于", "上限为", "上限")
_AT_LEAST = ("不低于", "不少于", "最低", "至少")
_LIMIT = "|".join(sorted(_AT_MOST + _AT_LEAST, key=len, reverse=True))
_MAGNITUDE = {"": 1, "千": 1_000, "万": 10_000, "亿": 100_000_000}
PARAMETER_UNITS = {"amount": "yuan", "percent": "percent", "months": "months", "period": "months",
                   "people": "people", "days": "days", "years": "years"}


@dataclass(frozen=True)
class Figure:
    """One figure of a clause. ``value``: yuan for an amount, a fraction for a percent (0.5 for 50%), a count for
    months, days, years and people, an ISO date for a date, the name for a department, the whole months of a period
    (None when it is not whole months); ``limit``: at_most / at_least when the clause caps or floors it; ``since`` and
    ``until``: the ISO dates a period or a dated bound gives ("自2020年2月起": since 2020-02-01; "自发布之日起": since
    the day of issue, written ``issued``)."""

    kind: str
    text: str
    start: int
    end: int
    value: float | int | str | None
    unit: str
    limit: str | None = None
    since: str | None = None
    until: str | None = None

    @property
    def parameter_unit(self) -> str | None:
        """The unit a parameter made of this figure has (parameters.yaml `unit`)."""
        return PARAMETER_UNITS.get(self.kind)

    def as_dict(self) -> dict:
        return {**asdict(self), "parameter_unit": self.parameter_unit}


def number(written: str) -> float:
    """'50', '0.5', '三', '百分之' excluded: the number a figure's digits or Chinese numerals say."""
    try:
        return float(written)
    except ValueError:
        return float(cn2an.cn2an(written.replace("〇", "零"), "smart"))


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _ymd(p: str) -> str:
    """A date as notices write it, with or without its year and day ("2020年3月1日", "5月31日", "2020年2月")."""
    return (rf"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}}|[{_CN}]{{1,3}})月"
            rf"(?:(?P<{p}d>\d{{1,2}}|[{_CN}]{{1,3}})日)?")


_FROM_DATE, _TO_DATE = _ymd("a"), _ymd("b")
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("period", rf"自?{_FROM_DATE}(?:起)?(?:至|到|—|－|-|~)(?:执行至)?(?P<next>次年|翌年)?{_TO_DATE}(?:止)?"),
    ("issued_from", r"自(?:印发|发布|公布|下发)之日起"),
    ("date", rf"(?P<bound_before>自|执行至|实施至|截至|至|到)?{_FROM_DATE}(?P<bound_after>起)?"),
    ("year", r"(?P<y>\d{4})年(?:度)?(?![\d月])"),
    ("percent_points", rf"(?P<limit>{_LIMIT})?(?P<n>{NUMBER})个百分点"),
    ("percent", rf"(?P<limit>{_LIMIT})?(?:(?P<n>{NUMBER})[%％]|(?P<per>百分之|千分之)(?P<n2>{NUMBER}))"),
    ("half", r"减半"),
    ("amount", rf"(?P<limit>{_LIMIT})?(?P<n>{NUMBER})(?P<mag>[千万亿]?)元"),
    ("months", rf"(?P<limit>{_LIMIT})?(?P<n>{NUMBER})个(?:自然)?月"),
    ("days", rf"(?P<limit>{_LIMIT})?(?P<n>{NUMBER})(?:个工作日|个自然日|天|日内)"),
    ("years", rf"(?P<limit>{_LIMIT})?(?P<n>\d{{1,2}}|[{_CN}]{{1,3}})年(?:内|以内)?(?![\d月度])"),
    ("people", rf"(?P<limit>{_LIMIT})?(?P<n>{NUMBER})(?:名|个)?人(?:及)?(?:以下|以上)?"),
))


def find_figures(text: str, departments: Iterable[str] = (), year: int | None = None) -> list[Figure]:
    """The figures of ``text`` in the order they stand, none overlapping another (the longest wins where two
    start together). ``departments``: the names the store knows; ``year``: the year a date without one is in (else
    the last year the clause named before it)."""
    found: list[Figure] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            figure = _figure(kind, match, text, year)
            if figure is not None:
                found.append(figure)
    found += _departments(text, departments)
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[Figure] = []
    for figure in found:
        if not chosen or figure.start >= chosen[-1].end:
            chosen.append(figure)
    return chosen


def _limit(match: re.Match) -> str | None:
    said = match.groupdict().get("limit")
    if not said:
        return None
    return "at_most" if said in _AT_MOST else "at_least"


def _figure(kind: str, m: re.Match, text: str, year: int | None) -> Figure | None:
    span = dict(text=m.group(0), start=m.start(), end=m.end())
    if kind in ("period", "date"):
        return _dated(kind, m, text, year, span)
    if kind == "issued_from":
        return Figure("date", **span, value=None, unit="日", since="issued")
    if kind == "year":
        return Figure("date", **span, value=m.group("y"), unit="年")
    if kind == "half":
        return Figure("percent", **span, value=0.5, unit="%")
    if kind == "percent_points":
        return Figure("percent", **span, value=_whole(round(number(m.group("n")) / 100, 10)), unit="个百分点",
                      limit=_limit(m))
    if kind == "percent":
        written = m.group("n") or m.group("n2")
        scale = 1000 if m.group("per") == "千分之" else 100
        return Figure("percent", **span, value=_whole(round(number(written) / scale, 10)), unit="%", limit=_limit(m))
    if kind == "amount":
        value = _whole(round(number(m.group("n")) * _MAGNITUDE[m.group("mag")], 4))
        return Figure("amount", **span, value=value, unit=f"{m.group('mag')}元", limit=_limit(m))
    unit = {"months": "个月", "days": "天", "years": "年", "people": "人"}[kind]
    return Figure(kind, **span, value=_whole(number(m.group("n"))), unit=unit, limit=_limit(m))


def _date_of(m: re.Match, prefix: str, year: int | None, end_of_month: bool) -> dt.date | None:
    month = int(number(m.group(f"{prefix}m")))
    day_said = m.group(f"{prefix}d")
    if not year or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(number(day_said)) if day_said else (last if end_of_month else 1)
    return dt.date(year, month, day) if 1 <= day <= last else None


def _year_before(text: str, at: int) -> int | None:
    years = re.findall(r"(\d{4})年", text[:at])
    return int(years[-1]) if years else None


def _dated(kind: str, m: re.Match, text: str, year: int | None, span: dict) -> Figure | None:
    first_year = int(m.group("ay")) if m.group("ay") else (_year_before(text, m.start()) or year)
    if kind == "date":
        bound = "until" if m.group("bound_before") in ("执行至", "实施至", "截至", "至", "到") else (
            "since" if m.group("bound_before") == "自" or m.group("bound_after") else None)
        day = _date_of(m, "a", first_year, end_of_month=bound == "until")
        if day is None:
            return None
        iso = day.isoformat() if m.group("ad") else day.isoformat()[:7]
        return Figure("date", **span, value=iso, unit="日" if m.group("ad") else "月",
                      since=day.isoformat() if bound == "since" else None,
                      until=day.isoformat() if bound == "until" else None)
    start = _date_of(m, "a", first_year, end_of_month=False)
    end_year = int(m.group("by")) if m.group("by") else (first_year + 1 if first_year and m.group("next") else first_year)
    end = _date_of(m, "b", end_year, end_of_month=True)
    if start is None or end is None:
        return None
    if end < start and not m.group("by"):
        end = _date_of(m, "b", end_year + 1, end_of_month=True)
    return Figure("period", **span, value=_whole_months(start, end), unit="个月", since=start.isoformat(),
                  until=end.isoformat())


def _whole_months(start: dt.date, end: dt.date) -> int | None:
    """The calendar months from ``start`` to ``end`` when the period is whole months (the 1st to a month's last
    day): 2020-03-01 to 2020-05-31 is 3; None otherwise."""
    if start.day != 1 or end.day != calendar.monthrange(end.year, end.month)[1] or end < start:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _departments(text: str, known: Iterable[str]) -> list[Figure]:
    """The departments the store knows, named in the text; where one name holds another ("市财政局" in
    "聊城市财政局"), the longer is the department; "财政部门" names no ministry."""
    hits = []
    for name in sorted(set(known), key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            generic = name.endswith("部") and text.startswith("门", m.end())  # "财政部门" is no ministry
            if not generic and not any(s <= m.start() < e or s < m.end() <= e for s, e, _ in hits):
                hits.append((m.start(), m.end(), name))
    return [Figure("department", name, s, e, name, "部门") for s, e, name in hits]
