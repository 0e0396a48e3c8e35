"""How a message names its trade, by the classification standard's trade words (the reference's `synonyms` and
`trade_phrases`): the rows the trade may be, best first, so that a trade that fits two rows is asked about, not
guessed (Classification.industries_for)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Collection, Mapping


@dataclass(frozen=True)
class TradePhrases:
    """How a message names its trade (the reference's `trade_phrases`): the heads that decide the row of a trade
    phrase, what may follow a head that ends one, and trades that honestly fit two rows."""

    heads: dict[str, str] = field(default_factory=dict)  # word → row
    ends: tuple[str, ...] = ()  # words after a head that close its phrase ("公司", "店", "生意")
    not_after: tuple[str, ...] = ()  # words before a head that make it an event ("刚装修完", "在装修")
    customers: tuple[str, ...] = ()  # words after which a trade named is the customer ("卖给批发商")
    joiners: tuple[str, ...] = ("",)  # words between two heads that join them into one phrase ("和", "又")
    main: tuple[str, ...] = ()  # words after a head that make it the main trade ("为主")
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word → its two rows, likelier first


@dataclass(frozen=True)
class _Hit:
    word: str
    start: int
    end: int
    row: str | None  # None: an ambiguous trade
    head: bool


_CLAUSE = re.compile(r"[^,，。;；!！?？\s]+")
_CLAUSE_END = re.compile(r"(的)?([,，。;；!！?？\s]|$)")


def industries_for(text: str, rows: Collection[str], synonyms: Mapping[str, str],
                   phrases: TradePhrases) -> tuple[str, ...]:
    """The rows the trade a message names may be, best first; two when the trade fits both and nothing decides
    ("卖服装的": 零售业 or 批发业), so the assistant can ask. The trade is read in the first clause that names
    one; a trade named after a customer word ("卖给批发商") is the customer's. In that clause the head that ends
    a trade phrase decides, the goods before it do not ("酒店用品批发" is 批发业), the last such phrase winning
    and two heads joined naming both ("批发零售"); else the longest word names the row, and two trade words as
    long naming two rows give both, the first said first ("开饭店也开旅馆"), unless the clause names an ambiguous
    trade whose two rows hold all the words it names; such a trade gives its two rows, unless the words of the
    message name one of them ("做冷链的，有冷库也有冷藏车" names both, so it is asked). A later clause that says which trade is
    the main one decides ("开五金店，批发为主"); a head said there in passing changes nothing ("开了个超市，也做点
    批发")."""
    text = text.strip()
    if text in rows:
        return (text,)
    hits = _hits(text, synonyms, phrases)
    clauses = [c for c in (_named_in(m, hits, phrases) for m in _CLAUSE.finditer(text)) if c]
    if not clauses:
        return ()
    for clause in clauses[1:]:
        for run in _phrases(text, [h for h in clause if h.head], phrases):
            if phrases.main and text.startswith(phrases.main, run[-1].end):
                return tuple(dict.fromkeys(h.row for h in run))[:2]
    return _rows_of_clause(text, clauses[0], hits, phrases)


def _rows_of_clause(text: str, clause: list[_Hit], hits: list[_Hit], phrases: TradePhrases) -> tuple[str, ...]:
    """The rows the first clause that names a trade gives (industries_for)."""
    ended = _phrases(text, [h for h in clause if h.head], phrases)
    if ended:
        return tuple(dict.fromkeys(h.row for h in ended[-1]))[:2]
    plain = [h for h in clause if h.row is not None]
    two = next((phrases.ambiguous[h.word] for h in clause if h.row is None), ())
    if plain and (not two or not {h.row for h in plain} <= set(two)):
        longest = max(plain, key=lambda h: len(h.word))
        others = [h.row for h in plain if not (h.head or longest.head) and h.row != longest.row
                  and len(h.word) == len(longest.word)]  # a head that ends no phrase is an event or a cost
        return (longest.row, others[0]) if others else (longest.row,)
    named = {h.row for h in hits if h.row in two}
    return (named.pop(),) if len(named) == 1 else two


def _hits(text: str, synonyms: Mapping[str, str], phrases: TradePhrases) -> list[_Hit]:
    """Every listed word the text contains, but one inside a longer one ("批发" in "批发部", "装修" in
    "装修材料"): synonyms, heads and ambiguous trades. A synonym holding a head is a head of its own row
    ("汽修厂", "设备维修")."""
    heads = phrases.heads
    words = [*synonyms, *(w for w in heads if w not in synonyms), *phrases.ambiguous]
    found = [(w, m.start()) for w in dict.fromkeys(words) if w and w in text
             for m in re.finditer(re.escape(w), text)]
    hits = []
    for word, start in found:
        end = start + len(word)
        if any(s <= start and end <= s + len(w) and len(w) > len(word) for w, s in found):
            continue
        row = synonyms.get(word) or heads.get(word)
        hits.append(_Hit(word, start, end, row, row is not None and any(h in word for h in heads)))
    return hits


def _named_in(clause: re.Match, hits: list[_Hit], phrases: TradePhrases) -> list[_Hit]:
    """The hits of a clause, in order, but those after a customer word."""
    said = clause.group(0)
    cut = min((clause.start() + said.find(w) + len(w) for w in phrases.customers if w in said),
              default=clause.end())
    return sorted((h for h in hits if clause.start() <= h.start and h.end <= cut), key=lambda h: (h.start, h.end))


def _phrases(text: str, heads: list[_Hit], phrases: TradePhrases) -> list[list[_Hit]]:
    """Runs of heads joined directly or by a joiner ("批发零售", "服装加工厂", "又批发又零售"), those that end a
    trade phrase: two heads side by side always do; one does at the end of its clause, before 的 that ends it, or
    before one of `ends` ("物业公司", "修车铺"), and never after one of `not_after` ("在装修"). So "刚装修完",
    "物业费" end no phrase: an event and a cost, not a trade."""
    runs: list[list[_Hit]] = []
    for h in heads:
        if runs and (h.start < runs[-1][-1].end or text[runs[-1][-1].end:h.start] in phrases.joiners):
            runs[-1].append(h)
        else:
            runs.append([h])
    return [run for run in runs
            if not any(text[:run[0].start].endswith(w) for w in phrases.not_after)
            and (any(b.start >= a.end for a, b in zip(run, run[1:]))
                 or _CLAUSE_END.match(text, run[-1].end) or text.startswith(phrases.ends, run[-1].end))]
