"""The training simulator at ``/trainer/`` (docs/contract.md E8): a new hotline operator interviews a simulated
owner, states what applies, and is graded against the engine.

The page and its static files sit beside this module in ``bot/web/trainer/``; the JSON endpoints under
``/trainer/api/`` are for staff accounts whose role bot/staff/roles.py admits (trainees, supervisors), and thin: each
reads its request, hands it to a :class:`simulator.training.Round`, and answers. A round lives in this server's
memory under a random id and belongs to the account that started it; its case's true facts never leave the server
before the round is graded. Scores go to the trainer's SQLite book (``build/trainer.db`` unless
``HUIQI_TRAINER_DB`` says otherwise) under the account's login: a trainee sees only their own progress, a
supervisor anyone's.

Every route is registered in :func:`blueprint`; mounted with the other pages by :mod:`bot.web.pages` (and served by
a bare Sanic app in tests).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.staff.accounts import SUPERVISOR
from policy_db import load
from simulator import statement_form
from simulator.scores import Scores, TraineeNameError, trainee_name
from simulator.training import MAX_SEED, Round, RoundError, Rounds

from ..files import served
from ..replies import json_object, json_reply, secure
from ..routes import blueprint_of

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent
MAX_BODY = 16_384


def _error(message: str, status: int = 400) -> HTTPResponse:
    return json_reply({"error": message}, status=status)


def _seed(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).isdigit():
        raise ValueError("案例编号应为数字")
    seed = int(value)
    if seed >= MAX_SEED:
        raise ValueError("案例编号过大")
    return seed


def _measure_names(store) -> dict[str, str]:
    """Every measure the trainer grades, by id (the documents in force on the cases' day)."""
    return {m["id"]: m["name"] for m in statement_form.options(store)["measures"]}


class Trainer:
    """The trainer's handlers and what they share: the score book, the policy store and the rounds being played."""

    def __init__(self, scores: Scores | None, store, rounds: Rounds) -> None:
        self.scores, self.store, self.rounds = scores, store, rounds

    def book(self) -> Scores:
        """The score book, opened on first use."""
        if self.scores is None:
            self.scores = Scores()
        return self.scores

    def policy_store(self):
        return self.store or load()

    def open_round(self, request: Request, body: dict) -> Round | HTTPResponse:
        """The asker's own round (another account's round id is as good as none)."""
        found = self.rounds.get(body.get("round"))
        if found is None or found.trainee != request.ctx.actor.login:
            return _error("案例不存在或已过期，请开始新的案例", 404)
        return found

    async def index(self, request: Request) -> HTTPResponse:
        if not request.path.endswith("/"):
            return secure(response.redirect("/trainer/"))
        return served("index.html", WEB_DIR)

    async def static(self, request: Request, asset: str) -> HTTPResponse:
        return served(asset or "index.html", WEB_DIR)

    async def options(self, request: Request) -> HTTPResponse:
        return json_reply(statement_form.options(self.policy_store()))

    async def new_round(self, request: Request) -> HTTPResponse:
        body = json_object(request, MAX_BODY)
        if not isinstance(body, dict):
            return body
        try:
            seed = _seed(body.get("seed"))
            started = Round.start(request.ctx.actor.login, self.policy_store(), seed)
        except (TraineeNameError, ValueError) as e:
            return _error(str(e))
        key = self.rounds.add(started)
        return json_reply({"round": key, "trainee": started.trainee, "case": started.case.id,
                           "seed": started.case.seed, "opening": started.opening})

    async def ask(self, request: Request) -> HTTPResponse:
        body = json_object(request, MAX_BODY)
        if not isinstance(body, dict):
            return body
        found = self.open_round(request, body)
        if not isinstance(found, Round):
            return found
        try:
            answer = found.ask(body.get("message"))
        except RoundError as e:
            return _error(str(e), 409 if found.grade is not None else 400)
        return json_reply({"answer": answer, "questions": found.questions})

    async def grade(self, request: Request) -> HTTPResponse:
        body = json_object(request, MAX_BODY)
        if not isinstance(body, dict):
            return body
        found = self.open_round(request, body)
        if not isinstance(found, Round):
            return found
        if found.grade is not None:
            return _error("本案例已评分，请开始新的案例", 409)
        try:
            statement = statement_form.read_statement(body.get("statement"), found.store)
        except statement_form.StatementError as e:
            return _error(str(e))
        sheet = found.submit(statement, self.book())
        return json_reply({**sheet.to_payload(), "case": found.case.id, "seed": found.case.seed,
                           "trainee": found.trainee, "facts": found.facts_shown(),
                           "progress": self.book().progress(found.trainee)})

    async def progress(self, request: Request) -> HTTPResponse:
        """The asker's own progress; a supervisor's, anyone's (``?name=<login>``)."""
        actor = request.ctx.actor
        asked = request.args.get("name") if actor.role == SUPERVISOR and request.args.get("name") else actor.login
        try:
            name = trainee_name(asked)
        except TraineeNameError as e:
            return _error(str(e))
        return json_reply({**self.book().progress(name), "names": _measure_names(self.policy_store())})

    async def unknown(self, request: Request, rest: str) -> HTTPResponse:
        return _error("未找到", 404)


def blueprint(scores: Scores | None = None, store=None, rounds: Rounds | None = None) -> Blueprint:
    """Every route of the trainer; ``scores``, ``store`` and ``rounds`` default to the trainer database, the policy
    store and a fresh in-memory set of rounds."""
    trainer = Trainer(scores, store, rounds or Rounds())
    return blueprint_of("trainer_pages", "/trainer", [
        ("/", ["GET"], trainer.index),
        ("/api/options", ["GET"], trainer.options),
        ("/api/round", ["POST"], trainer.new_round),
        ("/api/ask", ["POST"], trainer.ask),
        ("/api/grade", ["POST"], trainer.grade),
        ("/api/progress", ["GET"], trainer.progress),
        ("/api/<rest:path>", ["GET", "POST", "PUT", "DELETE", "PATCH"], trainer.unknown),
        ("/<asset:str>", ["GET"], trainer.static),
    ])
