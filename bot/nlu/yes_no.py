"""The yes or no a message answers with (cues.yml `yes_no`): the word it opens with, past a filler or a lead-in
("嗯 没有", "老板说，没有"), or, when none opens it, one said alone in its last clause ("司机都是挂靠的，没给交"); the
rest is kept as the reason. Used by the CueReader."""

from __future__ import annotations

import re

_ANSWER_CLAUSE = re.compile(r"[\s,，。.!！~、…;；]+")
_BREAK_AFTER_ANSWER = re.compile(r"^[\s,，。.!！~、…;；:：啊呀吧呢嘞哈的]*([\s,，。.!！~、…;；:：]|$)")
_ASKS_AT_END = re.compile(r"[吗吧嘛么?？]\W*$")  # "客人全跑了，是吧": a closing word that asks answers nothing
_PARTICLES = " ,，。.!！~、…;；:：啊呀吧呢嘞哈的"


class YesNoReader:
    def __init__(self, answers: dict):
        answers = dict(answers)
        self.fillers = tuple(sorted(answers.pop("fillers", []), key=len, reverse=True))
        self.lead_ins = tuple(answers.pop("lead_ins", []))
        self.words = sorted(((w, value == "affirm", how == "joined") for value, kinds in answers.items()
                             for how, words in kinds.items() for w in words), key=lambda x: -len(x[0]))

    def read(self, text: str) -> tuple[bool, str] | None:
        """The yes or no and the reason: "是，客人全跑了" → (True, "客人全跑了"); a filler before it ("嗯 没有 没交") or
        a lead-in ("那就是没交") is passed over."""
        text = text.strip()
        for filler in self.fillers:
            rest = text[len(filler):].lstrip(" ,，。.!！~、…")
            if text.startswith(filler) and rest and rest != text[len(filler):]:
                after = self._opening(rest)
                if after is not None:
                    return after
        for lead_in in self.lead_ins:
            after = self._opening(text[len(lead_in):].lstrip(" ,，:："))
            if text.startswith(lead_in) and after is not None:  # "那就是没交", "老板说，没有"
                return after
        return self._opening(text) or self._closing(text)

    def _closing(self, text: str) -> tuple[bool, str] | None:
        clauses = [c for c in _ANSWER_CLAUSE.split(text) if c.strip(" 啊呀吧呢嘞哈的")]
        if len(clauses) < 2 or _ASKS_AT_END.search(text):
            return None
        last = self._opening(clauses[-1].strip())
        if last is None or last[1].strip(_PARTICLES):
            return None
        return last[0], "，".join(c.strip() for c in clauses[:-1])

    def _opening(self, text: str) -> tuple[bool, str] | None:
        for word, value, joined in self.words:
            if text.startswith(word):
                rest = text[len(word):]
                if joined or _BREAK_AFTER_ANSWER.match(rest):
                    if len(set(word)) == 1:  # "是是是", "对对对": the word said over again
                        rest = rest.lstrip(word[0])
                    return value, rest.lstrip(_PARTICLES)
        return None
