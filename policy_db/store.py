"""The SQLite policy store: built from the YAML sources with sqlite-utils, read back into the engine's model.

This is the only module that touches the store's SQLite (the versions' table is policy_db.version_table). Every query
takes its values as parameters; full-text search runs on jieba-segmented text in an FTS5 index, so Chinese words
match as words. The default store is the version in force (published from the workbench), else the repository's data.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Sequence

import jieba
import sqlite_utils

from . import model, version_table
from .words import Words, words_from_record
from .prepared import PreparedStore
from .sources import DATA_DIR, SourceRecords, fingerprint, read_sources

DEFAULT_DB = Path(os.environ.get("POLICY_DB", DATA_DIR.parent / "build" / "policy.db"))
JSON_COLUMNS = {"parameters", "keywords", "measures", "choices", "default", "indicators", "reading_rules", "references",
                "values", "parts", "amount_total", "words", "implies", "area", "implements_ref", "see_also", "cues",
                "within", "levels", "consult", "trade_phrases", "simulator"}
jieba.setLogLevel(logging.WARNING)
_WORD = re.compile(r"[\w%.]+", re.UNICODE)
_FILLER = frozenset("的 了 吗 呢 吧 啊 么 是 有 能 可以 我 我们 你 你们 请问 怎么 什么 多少 哪些 哪个 一下 这个 那个 和 与 及 或".split())


@dataclass(frozen=True)
class SearchHit:
    policy: str
    clause: str
    label: str
    heading: str
    text: str
    measures: tuple[str, ...]
    rank: float


@dataclass(frozen=True)
class Store:
    """Everything the engine needs, loaded once from the SQLite file."""

    path: Path
    fingerprint: str
    facts: dict[str, model.FactSpec]
    classifications: dict[str, model.Classification]
    policies: dict[str, model.Policy]
    terms: tuple[str, ...]
    words: Words
    place: model.Place
    fact_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # how owners say a document's own facts
    fact_documents: dict[str, str] = field(default_factory=dict)  # a fact a document brought → that document

    @cached_property
    def prepared(self) -> PreparedStore:
        """The store as the engine runs it (prepared once per store, see policy_db.prepared)."""
        return PreparedStore(self.facts, list(self.policies.values()), tuple(p.id for p in self.place_policies()),
                             self.measures_here, self.classification_for, self.words, self.place)

    @property
    def default_policy(self) -> model.Policy:
        """The place's own document (the first of its levels): the one a single-document client means."""
        return self.place_policies()[0]

    def place_policies(self) -> list[model.Policy]:
        """The documents that apply to the place, in the order of its levels (place.yaml)."""
        here = [p for p in self.policies.values() if p.area.covers(self.place)]
        rank = {level: i for i, level in enumerate(self.place.levels)}
        return sorted(here, key=lambda p: rank.get(p.level, len(rank)))

    def measures_here(self, policy: model.Policy) -> tuple[model.Measure, ...]:
        """A document's measures that apply to the place (a measure may name a narrower area than its document)."""
        return tuple(m for m in policy.measures if m.area is None or m.area.covers(self.place))

    def find(self, ref: model.Ref | str) -> tuple[model.Policy, model.Measure] | None:
        """A measure by its reference or its id (ids are unique across documents)."""
        mid = ref.measure if isinstance(ref, model.Ref) else ref
        for p in self.policies.values():
            for m in p.measures:
                if m.id == mid:
                    return p, m
        return None

    def classification_for(self, policy: model.Policy) -> model.Classification:
        """The policy's classification; a document that names none is read with the first (the SME rules)."""
        return self.classifications[policy.classification or next(iter(self.classifications))]

    def facts_with_role(self, role: str) -> list[str]:
        return [name for name, spec in self.facts.items() if spec.role == role]

    @property
    def industry_fact(self) -> str:
        """The fact that names the enterprise's row of the classification (facts.yaml: its type is `industry`)."""
        return next(name for name, spec in self.facts.items() if spec.type == "industry")

    def asks_as_lender(self, facts: dict) -> bool:
        """Whether the facts say the asker is a lender (a fact with the role `lender` holds)."""
        return any(facts.get(name) for name in self.facts_with_role("lender"))

    def measures_named(self, word: str) -> list[str]:
        """Ids of the measures whose title or keywords are this word, e.g. 房租 → ["5.1", ...]."""
        return [m.id for p in self.place_policies() for m in self.measures_here(p) if word == m.title or word in m.keywords]

    def search(self, text: str, limit: int = 5, policy: str | None = None) -> list[SearchHit]:
        return search(self.path, text, limit=limit, policy=policy)


def build(db_path: Path = DEFAULT_DB, root: Path = DATA_DIR, documents: Sequence[Path] = ()) -> Path:
    """Write the store from the YAML sources (and the published ``documents``, sources._folders); the file is
    replaced in one step, so a reader never sees half."""
    records = read_sources(root, documents)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".db", dir=db_path.parent)
    os.close(fd)
    db = sqlite_utils.Database(tmp)
    _write(db, records, fingerprint(root, documents))
    db.close()
    os.replace(tmp, db_path)
    return db_path


def is_current(db_path: Path = DEFAULT_DB, root: Path = DATA_DIR, documents: Sequence[Path] = ()) -> bool:
    if not db_path.exists():
        return False
    db = sqlite_utils.Database(db_path)
    try:
        row = db.execute("select value from meta where key = ?", ["fingerprint"]).fetchone()
    except Exception:
        return False
    finally:
        db.close()
    return bool(row) and row[0] == fingerprint(root, documents)


def ensure_built(db_path: Path = DEFAULT_DB, root: Path = DATA_DIR, documents: Sequence[Path] = ()) -> Path:
    if not is_current(db_path, root, documents):
        build(db_path, root, documents)
    return db_path


def policy_terms(records: SourceRecords) -> list[str]:
    """Words jieba must keep whole: industry words, measure titles, departments, fact labels."""
    words = {r["word"] for r in records.tables["synonyms"]} | {r["name"] for r in records.tables["industries"]}
    words |= {r["title"] for r in records.tables["measures"]}
    words |= {k for r in records.tables["measures"] for k in r["keywords"]}
    words |= {r["department"] for r in records.tables["measure_departments"]}
    return sorted(w for w in words if len(w) > 1)


def _segment(text: str) -> str:
    return " ".join(t for t in jieba.cut_for_search(text) if _WORD.fullmatch(t))


def _write(db: sqlite_utils.Database, records: SourceRecords, digest: str) -> None:
    terms = policy_terms(records)
    for word in terms:
        jieba.add_word(word)
    _index_clauses(records)
    pks = {"facts": "name", "policies": "id", "classifications": "id", "words": "id"}
    for table, rows in records.tables.items():
        db[table].insert_all(rows, pk=pks.get(table), alter=True)
    db["clauses"].enable_fts(["search_text"], tokenize="unicode61", create_triggers=False)
    names = sorted({r["department"] for r in records.tables["measure_departments"]})
    db["departments"].insert_all(({"name": n} for n in names), pk="name")
    db["meta"].insert_all([{"key": "fingerprint", "value": digest},
                           {"key": "terms", "value": json.dumps(terms, ensure_ascii=False)}], pk="key")


def _index_clauses(records: SourceRecords) -> None:
    """Give each clause its segmented search text, including the titles and summaries of its measures."""
    by_clause: dict[tuple, list[dict]] = {}
    for m in records.tables["measures"]:
        by_clause.setdefault((m["policy"], m["clause"]), []).append(m)
    for clause in records.tables["clauses"]:
        related = by_clause.get((clause["policy"], clause["number"]), [])
        extra = " ".join(f"{m['title']} {' '.join(m['keywords'])} {m['summary']}" for m in related)
        clause["search_text"] = _segment(f"{clause['heading']} {clause['text']} {extra}")
        clause["measures"] = [m["id"] for m in related]


def _rows(db: sqlite_utils.Database, table: str, where: str | None = None, args: list | None = None) -> list[dict]:
    rows = []
    for row in db[table].rows_where(where, args or [], order_by="rowid"):
        rows.append({k: (json.loads(v) if k in JSON_COLUMNS and isinstance(v, str) else v) for k, v in row.items()})
    return rows


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> Store:
    db = sqlite_utils.Database(path)
    try:
        loaded = _load(db, Path(path))
    finally:
        db.close()
    loaded.prepared  # prepared when loaded, not on a user's first question
    return loaded


@lru_cache(maxsize=8)
def _default_store_checked(path: str, documents: tuple[Path, ...] = ()) -> None:
    """A default store (the repository's, or a version's) is checked against its data once per process, not on
    every load."""
    ensure_built(Path(path), DATA_DIR, documents)


_versions = version_table.Watch(version_table.VERSIONS_DIR)


def watch_versions(root: Path, interval: float = 0.5) -> None:
    """Serve the versions published under ``root`` (a test's folder; the default is POLICY_VERSIONS), looking for a
    new one at most every ``interval`` seconds."""
    global _versions
    _versions = version_table.Watch(root, interval)


def served(as_of: dt.date | None = None) -> tuple[Path, tuple[Path, ...], int]:
    """The default store's file on ``as_of`` (today): the version then in force, with the document folders it adds,
    and its number (0: the repository's data). A publish is seen at the next call: one stat of the versions'
    table at most every half second."""
    versions = _versions.versions()
    version = version_table.in_force(versions, as_of or dt.date.today()) if versions else None
    if version is None:
        return DEFAULT_DB, (), 0
    root = _versions.root
    return (version_table.store_path(root, version.number),
            version_table.documents(root, versions, version.number), version.number)


def load(db_path: Path | None = None, as_of: dt.date | None = None) -> Store:
    """The store at ``db_path``, or the version in force on ``as_of`` (today), built first when missing or stale;
    cached until the file changes."""
    if db_path is None:
        path, documents, _ = served(as_of)
        _default_store_checked(str(path), documents)
    else:
        path = Path(db_path)
    return _load_cached(str(path), path.stat().st_mtime)


def _load(db: sqlite_utils.Database, path: Path) -> Store:
    _teach_jieba(str(path))
    fact_rows = _rows(db, "facts")
    facts = {r["name"]: _fact(r) for r in fact_rows}
    classifications = {c["id"]: _classification(db, c) for c in _rows(db, "classifications")}
    policies = {p["id"]: _policy(db, p) for p in _rows(db, "policies")}
    meta = {r["key"]: r["value"] for r in _rows(db, "meta")}
    words = words_from_record(_rows(db, "words")[0]["words"])
    p = _rows(db, "place")[0]
    place = model.Place(p["name"], tuple(p["within"]), tuple(p["levels"]), p.get("consult") or {})
    return Store(path, meta["fingerprint"], facts, classifications, policies, tuple(json.loads(meta["terms"])), words,
                 place, {r["name"]: tuple(r["words"]) for r in fact_rows if r.get("words")},
                 {r["name"]: r["document"] for r in fact_rows if r.get("document")})


def _fact(r: dict) -> model.FactSpec:
    return model.FactSpec(name=r["name"], type=r["type"], label=r["label"], ask=r["ask"], situation=r["situation"],
                          unit=r["unit"], min=r["min"], max=r["max"], max_exclusive=r["max_exclusive"], at_most=r["at_most"],
                          choices=tuple(r["choices"] or ()), default=r["default"], implies=r["implies"] or {},
                          about_asker=bool(r["about_asker"]), role=r["role"],
                          denied=r.get("denied"), simulator=r.get("simulator") or {}, period=r.get("period"),
                          part_of=r.get("part_of"))


def _classification(db: sqlite_utils.Database, c: dict) -> model.Classification:
    thresholds: dict[str, dict[str, dict[str, float]]] = {}
    units: dict[str, str] = {}
    for t in _rows(db, "thresholds", "classification = ?", [c["id"]]):
        thresholds.setdefault(t["industry"], {}).setdefault(t["kind"], {})[t["indicator"]] = t["value"]
        units[t["indicator"]] = t["unit"]
    money = frozenset(i for i, unit in units.items() if unit == c["money_unit"])
    rows = {}
    order = list(c["indicators"])
    for r in _rows(db, "industries", "classification = ?", [c["id"]]):
        t = {kind: dict(sorted(limits.items(), key=lambda kv: order.index(kv[0])))
             for kind, limits in thresholds[r["name"]].items()}
        rows[r["name"]] = model.IndustryRow(r["row"], r["name"], r["covers"], t.get("sme_below", {}),
                                            t.get("medium_at_least", {}), t.get("small_at_least", {}), units, money)
    synonyms = {s["word"]: s["industry"] for s in _rows(db, "synonyms", "classification = ?", [c["id"]])}
    return model.Classification(c["id"], c["title"], c["document"], c["indicators"], rows, synonyms,
                                tuple(c["reading_rules"]), model.trade_phrases_from_record(c.get("trade_phrases")))


def _policy(db: sqlite_utils.Database, p: dict) -> model.Policy:
    pid = [p["id"]]
    conditions: dict[str, list[dict]] = {}
    for c in _rows(db, "conditions", "policy = ?", pid):
        conditions.setdefault(c["owner"], []).append(c)
    departments: dict[str, list[str]] = {}
    for d in _rows(db, "measure_departments", "policy = ?", pid):
        departments.setdefault(d["measure"], []).append(d["department"])
    measures = tuple(model.measure_from_record(m, conditions.get(m["id"], []), departments[m["id"]])
                     for m in _rows(db, "measures", "policy = ?", pid))
    clauses = {c["number"]: model.Clause(c["number"], c["label"], c["section"], c["heading"], c["text"])
               for c in _rows(db, "clauses", "policy = ?", pid)}
    parameters = {r["name"]: model.parameter_from_record(r) for r in _rows(db, "parameters", "policy = ?", pid)}
    return model.Policy(
        id=p["id"], title=p["title"], short_title=p["short_title"], issuer=p["issuer"],
        issued=model._date(p["issued"]) if p["issued"] else None, in_force_from=model._date(p["in_force_from"]),
        in_force_until=model._date(p["in_force_until"]), implements=p["implements"],
        classification=p["classification"], hotline=p["hotline"], hotline_department=p["hotline_department"],
        references=p["references"],
        scope=tuple(model.condition_from_record(c) for c in conditions.get("@scope", [])),
        scope_quote=p["scope_quote"],
        lender_scope=tuple(model.condition_from_record(c) for c in conditions.get("@lender_scope", [])),
        clauses=clauses, measures=measures, parameters=parameters, number=p["number"], level=p["level"],
        area=model.area_from_record(p["area"]), matter=p["matter"], nature=p["nature"], period=p["period"],
        issued_note=p["issued_note"], department_role=p["department_role"], lender_refused=p["lender_refused"],
        cues=tuple(p["cues"] or ()), called=p["called"],
    )


def words(text: str) -> list[str]:
    """The text's words as the index sees them (jieba, search mode), without filler words."""
    return list(dict.fromkeys(w for w in _segment(text).split() if w not in _FILLER))


def fts_query(text: str) -> str:
    """An FTS5 query matching any of the text's words; each word is quoted, so user text is never FTS syntax."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words(text))


@lru_cache(maxsize=4)
def _teach_jieba(db_path: str) -> None:
    """Once per store and process: jieba learns the policy words (so they are whole tokens) and loads its dictionary,
    instead of doing either on a user's question."""
    db = sqlite_utils.Database(db_path)
    try:
        for term in json.loads(db.execute("select value from meta where key = 'terms'").fetchone()[0]):
            jieba.add_word(term)
    finally:
        db.close()
    jieba.initialize()


def search(db_path: Path, text: str, limit: int = 5, policy: str | None = None) -> list[SearchHit]:
    """Clauses ranked by BM25 over jieba-segmented text."""
    query = fts_query(text)
    if not query:
        return []
    _teach_jieba(str(db_path))
    db = sqlite_utils.Database(db_path)
    try:
        rows = db.execute(
            "select c.policy, c.number, c.label, c.heading, c.text, c.measures, bm25(clauses_fts) as rank "
            "from clauses_fts join clauses c on c.rowid = clauses_fts.rowid "
            "where clauses_fts match ? and (? is null or c.policy = ?) order by rank limit ?",
            [fts_query(text), policy, policy, limit],
        ).fetchall()
    finally:
        db.close()
    return [SearchHit(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5] or "[]")), r[6]) for r in rows]
