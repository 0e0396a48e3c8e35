"""The policy workbench at ``/workbench/`` (docs/contract.md E13): policy staff turn a notice into measures — draft
from its text or .docx, edit, check, preview what publishing would change, publish as a new version of the store.

The page is for signed-in policy editors and its static files are public (they hold no data and no secret); every
endpoint under ``/workbench/api/`` admits the roles bot/staff/roles.py gives it (the policy editor's), checked by
the request middleware with the session's CSRF token on every change, and each draft and publish is a line of the
audit trail under the editor's account. The page's words come from policy_db/workbench_words.yaml through
``/workbench/api/words``. The handlers are thin: each reads its request and hands it to :mod:`policy_db.workbench`;
the slow steps (building a candidate store, judging hundreds of profiles) run in a worker thread, so the server's
conversations are not held up.

Every route is registered in :func:`blueprint`; mounted with the other pages by :mod:`bot.web.pages`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import logging
import zipfile
from functools import partial
from pathlib import Path
from typing import Any, Callable

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.staff import migrations, outreach, records
from policy_db import checks, store as policy_store, workbench
from policy_db.docx_text import text_of_docx
from policy_db.preview import Profile
from policy_db.versions import PublishError, Versions
from simulator import cases as simulated

from ..files import served
from ..replies import NOT_FRAMEABLE, json_object, json_reply, secure
from ..routes import blueprint_of
from ..staff.server import log

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).parent
MAX_BODY = 4_000_000  # a .docx of a few hundred kilobytes, base64-encoded, with room
MAX_TEXT = 200_000
MAX_SIMULATED = 500
RECORDS_PREVIEWED = 200
MAX_NOTE = 200


def _json(body: Any, status: int = 200) -> HTTPResponse:
    return json_reply(body, status, NOT_FRAMEABLE)


def _error(message: str, status: int = 400, problems: list | None = None) -> HTTPResponse:
    return _json({"error": message, "problems": [p.as_dict() for p in problems or []]}, status)


def _page_word(name: str, **values) -> str:
    return checks.say(name, "page", **values)


def _refusal(name: str, **values) -> str:
    return checks.say(name, "errors", **values)


def _day(value: Any) -> dt.date | None:
    """A YYYY-MM-DD date, or None when absent; ValueError when it is not one."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(value)
    return dt.date.fromisoformat(value)


def _text_of(body: dict) -> str:
    """The notice's text: ``text`` as given, or the text of the .docx in ``docx`` (base64); ValueError else."""
    if isinstance(body.get("docx"), str):
        try:
            return text_of_docx(base64.b64decode(body["docx"], validate=True))
        except (binascii.Error, zipfile.BadZipFile, KeyError, ValueError) as e:
            raise ValueError("docx") from e
    text = body.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise ValueError("text")
    return text


class Workbench:
    """The workbench's handlers and what they share: the versions published, and where the profiles to preview come
    from (the call records' database, the simulator)."""

    def __init__(self, versions: Versions, records_path: Path | None = None) -> None:
        self.versions = versions
        self.records_path = records_path

    @staticmethod
    async def _in_worker(work: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, work)

    # ---------------------------------------------------------------- the page

    async def index(self, request: Request) -> HTTPResponse:
        if not request.path.endswith("/"):
            return secure(response.redirect("/workbench/"), NOT_FRAMEABLE)
        return served("index.html", WEB_DIR, NOT_FRAMEABLE)

    async def static(self, request: Request, asset: str) -> HTTPResponse:
        return served(asset or "index.html", WEB_DIR, NOT_FRAMEABLE)

    async def words(self, request: Request) -> HTTPResponse:
        """The page's words and the checks' titles."""
        said = checks.words()
        return _json({"page": said["page"], "checks": said["checks"]["titles"]})

    async def unknown(self, request: Request, rest: str) -> HTTPResponse:
        return _json({"error": _refusal("not_found")}, status=404)

    # ---------------------------------------------------------------- what the forms offer

    async def options(self, request: Request) -> HTTPResponse:
        """The choices the forms offer, all from the store as published: levels, areas, kinds, facts, departments,
        the documents held; and the versions."""
        current = self.versions.store()
        facts = [{"name": n, "label": f.label, "type": f.type, "ask": f.ask, "situation": f.situation,
                  "unit": f.unit} for n, f in current.facts.items()]
        return _json({
            "levels": list(current.place.levels), "areas": list(current.place.within),
            "kinds": [{"name": k.name, "heading": k.heading} for k in current.words.kinds.values()],
            "facts": facts, "fact_types": sorted({f["type"] for f in facts if f["type"] != "industry"}),
            "departments": workbench.known_departments(current),
            "documents": [{"id": p.id, "title": p.title, "level": p.level} for p in current.policies.values()],
            **self._versions_payload()})

    def _versions_payload(self) -> dict:
        return {"versions": [v.as_dict() for v in self.versions.all()], "served": policy_store.served()[2],
                "retrain_pending": [v.as_dict() for v in self.versions.pending_retrain()]}

    async def version_list(self, request: Request) -> HTTPResponse:
        return _json(self._versions_payload())

    # ---------------------------------------------------------------- draft, check, preview, publish

    async def draft(self, request: Request) -> HTTPResponse:
        body = json_object(request, MAX_BODY, NOT_FRAMEABLE)
        if not isinstance(body, dict):
            return body
        try:
            text = _text_of(body)
        except ValueError as e:
            return _error(_refusal("bad_docx") if str(e) == "docx" else _refusal("need_text", limit=MAX_TEXT))
        made = await self._in_worker(partial(workbench.draft_from_text, text, self.versions.store()))
        log(request, "policy_draft", detail=(made["document"]["policy"].get("title") or "")[:MAX_NOTE])
        return _json(made)

    @staticmethod
    def _with_document(request: Request) -> tuple[dict, dict] | HTTPResponse:
        """The request's JSON object and the draft document in it, or the answer that says which is missing."""
        body = json_object(request, MAX_BODY, NOT_FRAMEABLE)
        if not isinstance(body, dict):
            return body
        document = body.get("document")
        return (body, document) if isinstance(document, dict) else _error(_refusal("need_document"))

    async def check(self, request: Request) -> HTTPResponse:
        given = self._with_document(request)
        if isinstance(given, HTTPResponse):
            return given
        body, document = given
        problems = await self._in_worker(partial(workbench.check, document, self.versions))
        return _json({"ok": not problems, "problems": [p.as_dict() for p in problems]})

    async def preview(self, request: Request) -> HTTPResponse:
        given = self._with_document(request)
        if isinstance(given, HTTPResponse):
            return given
        body, document = given
        wanted = body.get("simulated", 100)
        if isinstance(wanted, bool) or not isinstance(wanted, int) or not 0 <= wanted <= MAX_SIMULATED:
            return _error(_refusal("bad_simulated", limit=MAX_SIMULATED))
        try:
            day = _day(body.get("as_of"))
        except ValueError:
            return _error(_refusal("bad_as_of"))
        chats = await self._consenting_chats(request)
        try:
            result = await self._in_worker(partial(self._preview, document, wanted, day, chats))
        except workbench.DraftProblems as e:
            return _error(_refusal("cannot_preview"), problems=e.problems)
        return _json(result)

    def _preview(self, document: dict, wanted: int, day: dt.date | None, chats: list[Profile]) -> dict:
        candidate = workbench.candidate(document, self.versions)
        owners = [Profile("simulated", c.id, c.id, c.facts) for c in simulated.generate(candidate, wanted)]
        return workbench.preview(document, self.versions, [*self._records(), *chats, *owners], day)  # real firms first

    async def _consenting_chats(self, request: Request) -> list[Profile]:
        """The chat conversations whose owners agreed to be contacted (政策找企业): the only chats judged."""
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return []
        return await outreach.consenting_chats(agent.tracker_store, self.versions.store(),
                                               _refusal("chat_label", id="{id}"))

    def _records(self) -> list[Profile]:
        """The enterprises of the stored call records (none when no record was ever filed)."""
        where = self.records_path or records.path()
        if not where.exists():
            return []
        found = records.find("", RECORDS_PREVIEWED, records.database(where))
        return [Profile("record", r.id, _refusal("record_label_caller" if r.caller else "record_label", id=r.id,
                                                 caller=r.caller), r.facts) for r in found]

    async def publish(self, request: Request) -> HTTPResponse:
        given = self._with_document(request)
        if isinstance(given, HTTPResponse):
            return given
        body, document = given
        note = body.get("note") or ""
        try:
            effective = _day(body.get("effective")) or dt.date.today()
        except ValueError:
            return _error(_refusal("bad_effective"))
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            return _error(_refusal("bad_note", limit=MAX_NOTE))
        before = self.versions.store()
        try:
            version = await self._in_worker(partial(workbench.publish, document, effective, self.versions, note))
        except PublishError as e:
            return _error(e.message, 409 if not e.problems else 400, e.problems)
        logger.info("workbench: published version %s (%s), in force from %s", version.number, version.document,
                    version.effective)
        log(request, "policy_publish", detail=f"{version.number} {version.document} {version.effective.isoformat()}")
        filed = await self._reach_out(request, before, version, document)
        return _json({"version": version.as_dict(), "outreach": {"filed": filed},
                      "message": _page_word("published", number=version.number,
                                            effective=version.effective.isoformat())
                      + _page_word("outreach_filed", count=filed),
                      **self._versions_payload()})

    async def _reach_out(self, request: Request, before, version, document: dict) -> int:
        """政策找企业: the consenting chats and call records that the new version newly qualifies for a measure
        become 回访 tasks, judged on the day the document takes effect, as the preview judges them."""
        after = self.versions.store(version.number)
        chats = await self._consenting_chats(request)
        try:
            day = _day(str((document.get("policy") or {}).get("in_force_from") or "")) or version.effective
        except ValueError:
            day = version.effective

        def file() -> int:  # in the worker: the database connection is made and used in one thread
            db = migrations.open_records(self.records_path or records.path())
            callers = outreach.consenting_records(db, _refusal("record_label_caller", id="{id}", caller="{caller}"))
            filed = outreach.file_tasks(db, before, after, [*chats, *callers], version.number, version.effective, day)
            logger.info("workbench: version %s reaches %s consenting enterprises: %s 回访 tasks", version.number,
                        len(chats) + len(callers), filed)
            return filed
        return await self._in_worker(file)


def blueprint(versions: Versions | None = None, records_path: Path | None = None) -> Blueprint:
    """Every route of the workbench; ``versions`` and ``records_path`` default to the versions the servers serve
    (POLICY_VERSIONS) and the call records' database."""
    bench = Workbench(versions or Versions(), records_path)
    return blueprint_of("workbench_pages", "/workbench", [
        ("/", ["GET"], bench.index),
        ("/api/words", ["GET"], bench.words),
        ("/api/options", ["GET"], bench.options),
        ("/api/versions", ["GET"], bench.version_list),
        ("/api/draft", ["POST"], bench.draft),
        ("/api/check", ["POST"], bench.check),
        ("/api/preview", ["POST"], bench.preview),
        ("/api/publish", ["POST"], bench.publish),
        ("/api/<rest:path>", ["GET", "POST", "PUT", "DELETE", "PATCH"], bench.unknown),
        ("/<asset:str>", ["GET"], bench.static),
    ])
