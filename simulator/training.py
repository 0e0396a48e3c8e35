"""One training round, the same in the terminal and on the page: a generated case, its simulated owner, the
trainee's questions, then one statement graded against the engine and written to the score book.

The case's true facts stay here until the round is graded; what a client sees before that is the owner's opening
and answers. :class:`Rounds` keeps the open rounds of a server in memory, by unguessable id, bounded.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from policy_db import Store
from policy_db.report import show_value

from . import cases
from .grading import Grade, grade, interview
from .statement_form import Statement
from .owner import SimulatedOwner
from .scores import Scores, trainee_name

MAX_MESSAGE = 200
MAX_SEED = 10**9
ROUND_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")


class RoundError(ValueError):
    """Something a round cannot do now (said in Chinese): asking after grading, grading twice, an empty question."""


@dataclass
class Round:
    trainee: str
    case: cases.Case
    store: Store
    owner: SimulatedOwner
    transcript: list[tuple[str, str]] = field(default_factory=list)
    grade: Grade | None = None

    @classmethod
    def start(cls, trainee: str, store: Store, seed: int | None = None) -> "Round":
        seed = secrets.randbelow(MAX_SEED) if seed is None else seed
        case = cases.case(store, seed)
        owner = SimulatedOwner(case, store, random.Random(f"trainer-owner-{seed}"))
        started = cls(trainee_name(trainee), case, store, owner)
        started.transcript.append(("owner", started.opening))
        return started

    @property
    def opening(self) -> str:
        return self.owner.opening()

    @property
    def as_of(self) -> dt.date:
        return cases.as_of(self.store)

    def ask(self, message: Any) -> str:
        """The owner's answer to one question of the trainee."""
        if self.grade is not None:
            raise RoundError("本案例已评分，请开始新的案例")
        if not isinstance(message, str) or not message.strip():
            raise RoundError("请输入要问的问题")
        text = " ".join(message.split())
        if len(text) > MAX_MESSAGE:
            raise RoundError(f"问题最多{MAX_MESSAGE}个字")
        answer = self.owner.reply(text)
        self.transcript += [("trainee", text), ("owner", answer)]
        return answer

    @property
    def questions(self) -> int:
        """Questions the owner took as asking about a fact (a greeting or an unclear question does not count)."""
        return self.owner.questions

    def given(self) -> dict[str, Any]:
        """The facts the owner's opening states (the case's `states:` tags): no question is needed for them."""
        named = {t.split(":", 1)[1] for t in self.case.tags if t.startswith("states:")}
        return {n: v for n, v in self.case.facts.items() if n in named}

    def submit(self, statement: Statement, scores: Scores | None = None) -> Grade:
        """Grade the statement once, and add it to the trainee's running score."""
        if self.grade is not None:
            raise RoundError("本案例已评分，请开始新的案例")
        needed = interview(self.case.facts, self.store, given=self.given())
        self.grade = grade(self.case.facts, statement, self.store, asked=self.questions, as_of=self.as_of,
                           fewest=len(needed), not_asked=tuple(f for f in needed if f not in self.owner.asked))
        if scores is not None:
            scores.record(self.trainee, self.grade, self.case.id, self.case.seed)
        return self.grade

    def facts_shown(self) -> list[dict[str, str]]:
        """The case's true facts as a person reads them: only once graded."""
        if self.grade is None:
            raise RoundError("评分之后才能查看企业的真实情况")
        specs = self.store.facts
        return [{"name": n, "label": specs[n].label, "value": show_value(specs[n], v)}
                for n, v in self.case.facts.items() if n in specs]


class Rounds:
    """Open rounds of a server by random id; the oldest goes when there are more than ``limit``."""

    def __init__(self, limit: int = 500):
        self.limit = limit
        self._rounds: OrderedDict[str, Round] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, started: Round) -> str:
        key = secrets.token_urlsafe(24)
        with self._lock:
            self._rounds[key] = started
            while len(self._rounds) > self.limit:
                self._rounds.popitem(last=False)
        return key

    def get(self, key: Any) -> Round | None:
        if not isinstance(key, str) or not ROUND_ID.fullmatch(key):
            return None
        with self._lock:
            return self._rounds.get(key)

    def __len__(self) -> int:
        return len(self._rounds)
