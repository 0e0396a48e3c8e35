"""Reads the enterprise facts an owner states in passing: "350人，去年营收8000万，没裁员，租的不是国企的房子".

Pure text → facts, driven by cues.yml; the Rasa component in :mod:`bot.nlu.components` wraps it. Longer cue words
win over shorter ones they contain; a negation just before a yes/no cue makes it false; a number takes the fact of
the nearest cue before it in the same clause, if that fact accepts its unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .numbers import Quantity, find_quantities
from .yes_no import YesNoReader

CUES_PATH = Path(__file__).with_name("cues.yml")
NO_FACT_NUMBERS = "_none"     # numbers after these words are no enterprise fact
NO_FACT_PHRASES = "_neutral"  # phrases that contain a cue but say nothing ("多亏" holds "亏")
_CLAUSE_BREAK = re.compile(r"[，,。.；;！!？?\n]")
_CHOICE_LIST = re.compile(r"^\s*(?:(?:[嗯恩哦噢呃啊]+|那个|就是)[\s，,]*)?(?:第?[0-9一二三四五六七八九十]{1,3}[项个条号]?(?:[\s、，,和及与跟/+&到至-]|还有|以及)*)+")
_CHOICE_REASON = re.compile(r"[。.!！;；]|$")  # what may follow a list the owner ended without a comma or space
_CHOICE_RANGE = re.compile(r"([0-9]{1,2})\s*[到至-]\s*([0-9]{1,2})")
_ALL_SUFFIX = re.compile(r"(都是|都有|都符合|全是|全都有)[的啊吧呀。.!！]*$")
_CHOICE_NUMBER = re.compile(r"[0-9]{1,3}|[一二三四五六七八九十]{1,3}")
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九十")}
# "进不来", "回不去": a 不 between a verb and its complement says it cannot be done, it negates no cue after it
_POTENTIAL_COMPLEMENT = re.compile(r"[\u4e00-\u9fff]不[了来去出进回动起上到掉成]")
_DENIED_BEFORE = re.compile(r"(不是|并非|而不是)$")  # "不是二十二个": the figure after is the value said not to be
_TOPIC_END = re.compile(r"(的话|呢|那块|这块|那一块|这一块|方面|这个|那个|这项|那项|这一项|是)$")


@dataclass(frozen=True)
class Found:
    fact: str
    value: Any
    start: int
    end: int
    quantity: Quantity | None = None  # the number read, with its hedge or range
    phrase: bool = False  # read from words that describe the fact (a cue), not a figure after a fact word
    by_unit: bool = False  # a head-count with no fact word ("两位"): the question pending may say whose
    suggested: bool = False  # words that only hint at the fact ("房子是街道办的"): asked, never taken


def _cn_small(token: str) -> int:
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN_DIGIT[token[1]]
    if token.endswith("十"):
        return _CN_DIGIT[token[0]] * 10
    if "十" in token:
        return _CN_DIGIT[token[0]] * 10 + _CN_DIGIT[token[-1]]
    return _CN_DIGIT[token]


class CueReader:
    def __init__(self, cues: dict, situations: dict[str, list[str]] | None = None, monthly: tuple[str, ...] = ()):
        """``situations``: yes/no facts' own wordings in the policy store (the checklist's items, "给员工缴纳了失业保险"),
        read like the boolean cues, so an answer in the checklist's words (a chip's text) states the fact;
        ``monthly``: the facts counted by the month (facts.yaml `period`), of which a yearly figure is the twelfth."""
        self.number_cues = cues["numbers"]
        self.fact_words = re.compile("|".join(sorted((re.escape(w) for fact, cue in self.number_cues.items()
                                                      if fact != NO_FACT_NUMBERS for w in cue["words"]),
                                                     key=len, reverse=True)))
        self.negations = sorted(cues["negations"], key=len, reverse=True)
        self.all_phrases = cues.get("all_chosen", [])
        self.yearly_words = tuple((cues.get("per_month") or {}).get("yearly_words", ()))
        self.monthly_words = tuple((cues.get("per_year") or {}).get("monthly_words", ()))
        self.this_year_words = tuple((cues.get("per_year") or {}).get("this_year_words", ()))
        self.monthly = monthly
        self.self_correction = cues.get("self_correction", [])
        self.totals = tuple(cues.get("totals", []))
        self.parts = tuple(cues.get("parts", []))
        with_me = cues.get("with_me") or {}
        self.speaker, self.partner, self.people = (re.compile(with_me.get(k) or "$^")
                                                   for k in ("speaker", "partner", "people"))
        self.hedges = sorted(cues.get("hedges", []), key=len, reverse=True)
        self.doubts = {fact: tuple(words) for fact, words in (cues.get("doubts") or {}).items()}
        self.correction = correction_pattern(cues)
        self.asking = re.compile(cues.get("asks") or "$^")
        self.presenting = re.compile("|".join(cues.get("presenting") or ["$^"]))
        self.harm = [(fact, re.compile(p)) for fact, patterns in (cues.get("harm") or {}).items() for p in patterns]
        self.suggests = [(fact, re.compile(p)) for fact, patterns in (cues.get("suggests") or {}).items()
                         for p in patterns]
        self.answers = YesNoReader(cues.get("yes_no") or {})
        self.not_harm = re.compile("|".join(cues.get("not_harm") or ["$^"]))
        phrases = [(w, fact, value) for fact, values in cues["fixed"].items()
                   for value, words in values.items() for w in words]
        phrases += [(w, None if fact == NO_FACT_PHRASES else fact, True)
                    for fact, words in cues["booleans"].items() for w in words]
        phrases += [(w, fact, True) for fact, words in (situations or {}).items() for w in words]
        self.phrases = sorted(phrases, key=lambda p: len(p[0]), reverse=True)

    @classmethod
    def from_file(cls, path: Path = CUES_PATH, situations: dict[str, list[str]] | None = None,
                  monthly: tuple[str, ...] = ()) -> "CueReader":
        with path.open(encoding="utf-8") as f:
            return cls(yaml.safe_load(f), situations, monthly)

    def read(self, text: str) -> list[Found]:
        """Facts stated in the text; the later statement of the same fact wins, but a head count said by its unit
        alone does not override one said with its fact word ("人数说错了，是九个，有两个学徒忘了算")."""
        taken: list[tuple[int, int]] = []
        found = self._phrases(text, taken) + self._suggested(text, taken) + self._harm(text) \
            + self._numbers(text, taken)
        latest: dict[str, Found] = {}
        for f in sorted(found, key=lambda f: f.start):
            if not (f.by_unit and f.fact in latest and not latest[f.fact].by_unit):
                latest[f.fact] = f
        listed = self._with_me(text)
        said = latest.get("employees")
        if listed is not None and (said is None or said.by_unit or listed.start <= said.start < listed.end):
            latest["employees"] = listed  # the figure said is one of those listed with the speaker
        return sorted(latest.values(), key=lambda f: f.start)

    def denied_quantities(self, text: str) -> list[Quantity]:
        """Numbers said not to be the value ("不是二十二个，是二十个"): a correction names its fact by them."""
        out = []
        for q in find_quantities(text):
            clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, q.start)), default=0)
            if _DENIED_BEFORE.search(text[clause_start:q.start]):
                out.append(q)
        return out

    def unassigned_quantities(self, text: str) -> list[Quantity]:
        """Numbers no cue claims: the question being answered decides what they are."""
        claimed: list[tuple[int, int]] = []
        claimed += [(f.start, f.end) for f in self._numbers(text, claimed)]
        out: list[Quantity] = []
        for q in find_quantities(text):
            if (q.start, q.end) in claimed:
                continue
            if out and any(w in text[out[-1].end:q.start] for w in self.self_correction):
                out.pop()  # "一万五？不对，是一万三": the figure corrected is no answer
            if out and any(w in text[out[-1].end:q.start] for w in self.totals):
                out = [o for o in out if not _counts_alike(o, q)]  # "十八个…五个…一共二十三个": the sum answers
            out.append(q)
        return out

    def corrects(self, text: str) -> bool:
        """Whether the message says it corrects something said before ("我说多了", "应该是", "查了下账")."""
        return bool(self.correction.search(text))

    def hedge(self, text: str) -> tuple[int, int] | None:
        """Where the message takes back what it says ("也不算裁吧"), if it does."""
        spans = [(text.find(word), text.find(word) + len(word)) for word in self.hedges if word in text]
        return min(spans, default=None)  # the first said

    def named(self, text: str, choices: dict[str, tuple[str, ...]]) -> list[tuple[str, str, int, int]]:
        """The choices of choice facts the message names and does not deny ("不是公司，是个体工商户": only the
        second): (fact, choice, start, end)."""
        return [(fact, choice, m.start(), m.end()) for fact, options in choices.items() for choice in options
                for m in re.finditer(re.escape(choice), text) if not self._negated(text, m.start())]

    def doubted(self, text: str) -> list[str]:
        """The facts whose figure the message's words cast doubt on ("走了两个": left, not laid off)."""
        return [fact for fact, words in self.doubts.items() if any(w in text for w in words)]

    def per_year(self, text: str, q: Quantity) -> bool:
        """Whether a figure is said for a year ("一年两万四", "两万四一年", not "一年前"): for a monthly fact it is
        read as its twelfth."""
        return self._said_for(text, q, self.yearly_words)

    def per_month(self, text: str, q: Quantity) -> bool:
        """Whether a figure is said for a month ("一个月十来万", "十万一个月", not "一个月前")."""
        return self._said_for(text, q, self.monthly_words)

    def this_year(self, text: str, q: Quantity) -> bool:
        """Whether a figure is said for this year ("今年到现在才三十万")."""
        return any(w in _clause_before(text, q.start) for w in self.this_year_words)

    @staticmethod
    def _said_for(text: str, q: Quantity, words: tuple[str, ...]) -> bool:
        before = _clause_before(text, q.start)
        return any(re.search(re.escape(w) + "(?![前后多来])", before) or text.startswith(w, q.end) for w in words)

    def asks(self, text: str) -> bool:
        """Whether the message ends or begins as a question does (cues.yml `asks`): "…这算不算国企啊？" asks back."""
        return bool(self.asking.search(text))

    def presents(self, text: str) -> re.Match | None:
        """The words with which the message presents the enterprise itself ("我们是", "开了个", "做…的"), if any."""
        return self.presenting.search(text)

    def yes_no(self, text: str) -> tuple[bool, str] | None:
        """The yes or no a message answers with, and the reason (bot.nlu.yes_no)."""
        return self.answers.read(text)

    @staticmethod
    def choices(text: str) -> list[int]:
        """Checklist answers like "1、3", "1和3", "第一和第三项", "1到3都是", also with a reason after a break ("2和3，
        有一笔贷款五月份到期", "第一项跟第三项。")."""
        text = _ALL_SUFFIX.sub("", text)
        listed = _CHOICE_LIST.match(text)
        if not text.strip() or not listed:
            return []
        if listed.group()[-1] not in "，, 、" and not _CHOICE_REASON.match(text, listed.end()):
            return []  # "3个人", "十几个": a figure, not a list
        text = listed.group()
        text = _CHOICE_RANGE.sub(lambda m: "、".join(str(n) for n in range(int(m[1]), int(m[2]) + 1)), text)
        tokens = [t for found in _CHOICE_NUMBER.findall(text)
                  for t in (list(found) if len(found) > 1 and "十" not in found and not found.isdigit() else [found])]
        return list(dict.fromkeys(_cn_small(t) for t in tokens))  # "一二" is items 1 and 2

    def all_chosen(self, text: str) -> bool:
        """"都有", "全都符合": a checklist answer that picks every situation offered."""
        bare = re.sub(r"[\s，,。.!！~啊吧呀嗯的了对]", "", text)
        return any(bare == phrase or bare.endswith(phrase) and len(bare) <= len(phrase) + 2
                   for phrase in self.all_phrases)

    def _negated(self, text: str, start: int) -> bool:
        window = _POTENTIAL_COMPLEMENT.sub("", _CLAUSE_BREAK.split(text[max(0, start - 6):start])[-1])[-4:]
        return any(window.endswith(n) or (n in window and len(window) - window.rindex(n) - len(n) <= 3)
                   for n in self.negations)

    def _phrases(self, text: str, taken: list[tuple[int, int]]) -> list[Found]:
        out = []
        for word, fact, value in self.phrases:
            if word not in text:  # most of the phrases: no pattern to build (Python's cache holds 512, there are more)
                continue
            for m in re.finditer(re.escape(word), text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                if fact is None:  # "多亏了": claims its words so "亏了" inside it says nothing
                    continue
                negated = self._negated(text, m.start())
                if negated and value is not True:  # "还没认定一般纳税人": a fixed value denied says nothing
                    continue
                value_here = False if negated else value
                out.append(Found(fact, _typed(value_here), m.start(), m.end(), phrase=True))
        return out

    def _suggested(self, text: str, taken: list[tuple[int, int]]) -> list[Found]:
        """Facts the words only hint at ("院子是租的供销社的"): held for the owner to confirm; a denial before them
        states the fact ("不在创业园")."""
        out = []
        for fact, pattern in self.suggests:
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                denied = self._negated(text, m.start())
                out.append(Found(fact, not denied, m.start(), m.end(), phrase=True, suggested=not denied))
        return out

    def _harm(self, text: str) -> list[Found]:
        """Harm described in the owner's words ("工人回不去", "入住率几乎为零"): the fact holds."""
        masked = self.not_harm.sub(lambda m: "　" * len(m.group()), text)
        return [Found(fact, True, m.start(), m.end(), phrase=True)
                for fact, pattern in self.harm for m in pattern.finditer(masked)]

    def _numbers(self, text: str, taken: list[tuple[int, int]]) -> list[Found]:
        out = []
        named: set[int] = set()  # where the fact words already given a figure end: one word names one figure
        quantities = find_quantities(text)
        for at, q in enumerate(quantities):
            said = quantities[:at]
            if any(q.start < e and s < q.end for s, e in taken):
                continue
            clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, q.start)), default=0)
            before = text[clause_start:q.start]
            if _DENIED_BEFORE.search(before):  # "是2个不是3个": the value said not to be
                taken.append((q.start, q.end))
                continue
            fact, word_end = self._nearest_cue(before, q.kind)
            if fact not in (None, NO_FACT_NUMBERS):
                if clause_start + word_end in named:  # "人数说错了 是九个 有两个学徒忘了算": 两个 is no head count
                    fact = None
                named.add(clause_start + word_end)
            if fact is None and out and (any(w in text[out[-1].end:q.start] for w in self.self_correction)
                                         or self._sums(said, q, text[out[-1].end:q.start])):
                fact = out[-1].fact  # "…一万五？不对，是一万三", "店员两个，加上我四个": the figure just said, corrected
            if fact is None and self._joined_to_clause_before(text, clause_start):
                fact = self._named_before(text, clause_start, q.kind)  # "员工人数我说多了，实际八十个"
            by_unit = fact is None and q.kind == "people"
            part_of_last = by_unit or bool(out) and out[-1].fact == fact  # "总共一百三十人，其中车间一百人"
            if part_of_last and any(w in before for w in self.parts):  # "44人，含劳务派遣6人": a part, not the count
                taken.append((q.start, q.end))
                continue
            if by_unit:
                fact = "employees"
            if fact == NO_FACT_NUMBERS:  # "员工工资一个月四千": a wage, not a head-count
                taken.append((q.start, q.end))
                continue
            if fact is not None:
                out.append(replace(self._per_month(fact, text, q), by_unit=by_unit))
        return out

    def _with_me(self, text: str) -> Found | None:
        """A head count said as the speaker with others ("我和两个徒弟" is three, "我和我爱人，还雇了一个人" three),
        unless a total word says the whole ("加上我一共四个": the sum is read as said)."""
        speaker = self.speaker.search(text)
        if speaker is None or any(w in text for w in self.totals):
            return None
        partner = self.partner.search(text)
        counted = [q for q in find_quantities(text) if q.kind == "people" or q.kind == "plain"
                   and self.people.match(text, q.end)]
        if partner and counted and not text[partner.end():counted[0].start].strip():
            return None  # "我和我爱人两个人": the count is the whole
        if not counted or _the_whole(text, counted[-1]):
            return None  # "我跟两个店员，三个人": a count standing alone after the others is the whole
        value = 1 + bool(partner) + sum(q.value for q in counted)
        return Found("employees", value, speaker.start(), counted[-1].end, by_unit=True)

    def _sums(self, said: list[Quantity], q: Quantity, between: str) -> bool:
        """Whether a total word makes the figure the sum of those said before it: there must be parts to sum, two
        figures alike, or one and the speaker ("店员两个，加上我四个"); "营收六十六万，加起来八百六十万" sums nothing."""
        words = [w for w in self.totals if w in between]
        parts = [p for p in said if _counts_alike(p, q)]
        return bool(words) and (len(parts) >= 2 or bool(parts) and any("我" in w for w in words))

    def _joined_to_clause_before(self, text: str, clause_start: int) -> bool:
        """A correction ("…我说多了，实际八十个") or a topic ("房租的话，每月八千") carries a fact word across a break."""
        previous = _CLAUSE_BREAK.split(text[:clause_start].rstrip(",，。.;；:： "))[-1]
        return clause_start > 0 and (self.corrects(text) or bool(_TOPIC_END.search(previous)))

    def _named_before(self, text: str, clause_start: int, kind: str) -> str | None:
        """The fact named in the clauses just before a number that has no fact word of its own, when a correction
        or a topic ("房租的话，…") joins them; a clause that already holds a number stops the search."""
        clauses = [c for c in _CLAUSE_BREAK.split(text[:clause_start]) if c.strip()]
        for clause in reversed(clauses[-2:]):
            if find_quantities(clause):
                return None
            fact = self._nearest_cue(clause, kind)[0]
            if fact is not None:
                return None if fact == NO_FACT_NUMBERS else fact
        return None

    def _per_month(self, fact: str, text: str, q: Quantity) -> Found:
        """A yearly figure for a monthly fact ("一年房租六万", "房租一万二一年") is read as its twelfth, said as
        approximate."""
        if fact in self.monthly and self.per_year(text, q):
            q = replace(q, value=twelfth(q.value), approximate=True)
        return Found(fact, q.value, q.start, q.end, q)

    def _nearest_cue(self, before: str, kind: str) -> tuple[str | None, int]:
        """The fact of the cue word nearest before the number, and where that word ends; a word saying the number
        is no fact ("一天流水", "工资") anywhere in the clause before it wins, unless it is inside a fact word ("车"
        of "车贷") or a space parts them, as phone typists part clauses ("修车保养那种 店里 七个人")."""
        outside_fact_words = self.fact_words.sub(lambda m: "　" * len(m.group()), re.split(r"\s+", before.rstrip())[-1])
        if any(word in outside_fact_words for word in self.number_cues.get(NO_FACT_NUMBERS, {}).get("words", [])):
            return NO_FACT_NUMBERS, -1
        best, best_end, best_len = None, -1, 0
        for fact, cue in self.number_cues.items():
            if kind not in cue["kinds"] or fact == NO_FACT_NUMBERS:  # its words were weighed above
                continue
            for word in cue["words"]:
                at = before.rfind(word)
                if at >= 0 and (at + len(word), len(word)) > (best_end, best_len):
                    best, best_end, best_len = fact, at + len(word), len(word)
        return best, best_end


def twelfth(value: float) -> float:
    """A month's share of a yearly figure, to the fen, whole where it is."""
    monthly = round(value / 12, 2)
    return int(monthly) if float(monthly).is_integer() else monthly


def _counts_alike(a: Quantity, b: Quantity) -> bool:
    """Whether two figures may be parts and sum of one thing: the same unit, or one said without a unit."""
    return a.kind == b.kind or "plain" in (a.kind, b.kind)


def correction_pattern(cues: dict) -> re.Pattern:
    """cues.yml `correction_words` as one pattern ("说多了", "应该是", "查了下账")."""
    return re.compile("|".join(cues.get("correction_words") or ["$^"]))


_ALONE_BEFORE = re.compile(r"(^|[,，。;；\s])(就|一共|总共|共|统共|拢共)?$")
_ALONE_AFTER = re.compile(r"^(个|口)?人[吧啊呀嘞了]*([,，。;；!！\s]|$)")


def _the_whole(text: str, q: Quantity) -> bool:
    """Whether a head count is a clause of its own ("…，三个人", "…，俩人"): the whole, not one more group."""
    return bool(_ALONE_BEFORE.search(text[:q.start]) and _ALONE_AFTER.match(text[q.end:]))


def _typed(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return value


_FILLER = re.compile(r"(大概|大约|差不多|将近|估计|约|有|是|就|吧|啊|呀|嗯|哦|左右|上下|多|来|出头|吧|了|的|去年|每月|一个月|一年|总共|一共|\s|[，。,.!！?？~、])")
_UNIT_WORDS = re.compile(r"(万元|万块|元|块钱|块|个人|号人|名|位|人|个月|月|万|亿|千)")


def is_bare_answer(text: str) -> bool:
    """Only a quantity ("6000", "大概四万八", "12个人") or checklist numbers ("1、3"): an answer, not chit-chat."""
    if CueReader.choices(text):
        return True
    rest = text
    for q in find_quantities(text):
        rest = rest.replace(q.text, " ", 1)
    rest = _UNIT_WORDS.sub("", _FILLER.sub("", rest))
    return bool(find_quantities(text)) and not rest.strip()


def _clause_before(text: str, end: int) -> str:
    """The words of the clause that ends at ``end``: a figure's context."""
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, end)), default=0)
    return text[start:end]
