"""The training simulator at ``/trainer/`` (docs/contract.md E8): a new hotline operator interviews a simulated
owner, states what applies, and is graded against the engine.

The page and its static files sit beside this module in ``bot/web/trainer/``; the JSON endpoints under
``/trainer/api/`` are thin: each reads its request, hands it to a :class:`simulator.training.Round`, and answers. A
round lives in this server's memory under a random id; its case's true facts never leave the server before the round
is graded. Scores go to the trainer's SQLite book (``build/trainer.db`` unless ``HUIQI_TRAINER_DB`` says otherwise).

Mounted with the other pages by :mod:`bot.web.pages` (and served by a bare Sanic app in tests).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from policy_db import load
from simulator import grading
from simulator.scores import Scores, TraineeNameError, trainee_name
from simulator.training import MAX_SEED, Round, RoundError, Rounds

from ..files import served
from ..replies import json_object, json_reply, secure

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
    return {m["id"]: m["name"] for m in grading.options(store)["measures"]}


def blueprint(scores=None, store=None, rounds=None) -> Blueprint:
    """The trainer's routes; ``scores`` (a simulator.scores.Scores), ``store`` and ``rounds`` default to the
    trainer database, the policy store and a fresh in-memory set of rounds."""
    bp = Blueprint("trainer_pages", url_prefix="/trainer")
    state: dict[str, Any] = {"scores": scores, "store": store, "rounds": rounds or Rounds()}

    def book() -> Scores:
        if state["scores"] is None:
            state["scores"] = Scores()
        return state["scores"]

    def policy_store():
        return state["store"] or load()

    def open_round(body: dict) -> Round | HTTPResponse:
        found = state["rounds"].get(body.get("round"))
        return found if found is not None else _error("案例不存在或已过期，请开始新的案例", 404)

    @bp.route("/", methods=["GET"])
    async def index(request: Request) -> HTTPResponse:
        if not request.path.endswith("/"):
            return secure(response.redirect("/trainer/"))
        return served("index.html", WEB_DIR)

    @bp.route("/api/options", methods=["GET"])
    async def options(request: Request) -> HTTPResponse:
        return json_reply(grading.options(policy_store()))

    @bp.route("/api/round", methods=["POST"])
    async def new_round(request: Request) -> HTTPResponse:
        body = json_object(request, MAX_BODY)
        if not isinstance(body, dict):
            return body
        try:
            seed = _seed(body.get("seed"))
            started = Round.start(body.get("name"), policy_store(), seed)
        except (TraineeNameError, ValueError) as e:
            return _error(str(e))
        key = state["rounds"].add(started)
        return json_reply({"round": key, "trainee": started.trainee, "case": started.case.id,
                           "seed": started.case.seed, "opening": started.opening})

    @bp.route("/api/ask", methods=["POST"])
    async def ask(request: Request) -> HTTPResponse:
        body = json_object(request, MAX_BODY)
        if not isinstance(body, dict):
            return body
        found = open_round(body)
        if not isinstance(found, Round):
            return found
        try:
            answer = found.ask(body.get("message"))
        except RoundError as e:
            return _error(str(e), 409 if found.grade is not None else 400)
        return json_reply({"answer": answer, "questions": found.questions})

    @bp.route("/api/grade", methods=["POST"])
    async def grade(request: Request) -> HTTPResponse:
        body = json_object(request, MAX_BODY)
        if not isinstance(body, dict):
            return body
        found = open_round(body)
        if not isinstance(found, Round):
            return found
        if found.grade is not None:
            return _error("本案例已评分，请开始新的案例", 409)
        try:
            statement = grading.read_statement(body.get("statement"), found.store)
        except grading.StatementError as e:
            return _error(str(e))
        sheet = found.submit(statement, book())
        return json_reply({**sheet.to_payload(), "case": found.case.id, "seed": found.case.seed,
                           "trainee": found.trainee, "facts": found.facts_shown(),
                           "progress": book().progress(found.trainee)})

    @bp.route("/api/progress", methods=["GET"])
    async def progress(request: Request) -> HTTPResponse:
        try:
            name = trainee_name(request.args.get("name"))
        except TraineeNameError as e:
            return _error(str(e))
        return json_reply({**book().progress(name), "names": _measure_names(policy_store())})

    @bp.route("/api/<rest:path>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    async def unknown(request: Request, rest: str) -> HTTPResponse:
        return _error("未找到", 404)

    @bp.route("/<asset:str>", methods=["GET"])
    async def static(request: Request, asset: str) -> HTTPResponse:
        return served(asset or "index.html", WEB_DIR)

    return bp
