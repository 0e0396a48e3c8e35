"""Reads the policy data as written by staff (YAML under policy_db/) into flat records for the store.

A policy is a folder under ``policies/`` with policy.yaml, clauses.yaml, parameters.yaml and measures.yaml, and a
facts.yaml when it brings facts of its own (a document added in the workbench); a classification standard is a YAML
file under ``reference/``; the enterprise facts are facts.yaml; the place served is place.yaml. Adding a policy means
adding a folder: no code changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import yaml

DATA_DIR = Path(__file__).parent
POLICY_FILES = ("policy.yaml", "clauses.yaml", "parameters.yaml", "measures.yaml")
WORDS = "words.yaml"
DOCUMENT_FACTS = "facts.yaml"  # the facts a document brings, beside its four files
PLACE = "place.yaml"


@dataclass
class SourceRecords:
    """Everything the store holds, as lists of plain dicts keyed by table name."""

    tables: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, record: dict) -> None:
        self.tables.setdefault(table, []).append(record)


def _load(path: Path):
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def data_files(root: Path = DATA_DIR, documents: Sequence[Path] = ()) -> list[Path]:
    """Every file the store is built from, in a stable order."""
    files = [root / "facts.yaml", root / WORDS, root / PLACE, *sorted((root / "reference").glob("*.yaml"))]
    for folder in _folders(root, documents):
        files += [folder / name for name in POLICY_FILES]
        files += [folder / DOCUMENT_FACTS] if (folder / DOCUMENT_FACTS).exists() else []
    return files


def _folders(root: Path, documents: Sequence[Path] = ()) -> list[Path]:
    """The document folders: the repository's, and ``documents`` published on top of them (a folder is named by
    its document's id, so a published one with the name of a held one replaces it), in order of name."""
    chosen = {p.name: p for p in (root / "policies").iterdir() if p.is_dir()}
    chosen.update((p.name, p) for p in documents)
    return [chosen[name] for name in sorted(chosen)]


def fingerprint(root: Path = DATA_DIR, documents: Sequence[Path] = ()) -> str:
    """A hash of the data files: the store is rebuilt, and the model retrained, when it changes."""
    digest = hashlib.sha256()
    for path in data_files(root, documents):
        name = path.relative_to(root) if path.is_relative_to(root) else Path("policies", *path.parts[-2:])
        digest.update(name.as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_sources(root: Path = DATA_DIR, documents: Sequence[Path] = ()) -> SourceRecords:
    """The records of the data under ``root`` and of the published ``documents`` (see _folders)."""
    records = SourceRecords()
    folders = _folders(root, documents)
    _read_facts(root / "facts.yaml", records)
    for folder in folders:
        if (folder / DOCUMENT_FACTS).exists():
            _read_facts(folder / DOCUMENT_FACTS, records, folder.name)
    records.add("words", {"id": "words", "words": _load(root / WORDS)})
    records.add("place", {"id": "place", **_load(root / PLACE)})
    facts = {r["name"]: r for r in records.tables["facts"]}
    for path in sorted((root / "reference").glob("*.yaml")):
        _read_classification(_load(path), records, facts)
    for folder in folders:
        _read_policy(folder, records)
    _check_unique_ids(records)
    return records


def _check_unique_ids(records: SourceRecords) -> None:
    """Measure ids are unique across documents: results and payloads name a measure by its id alone."""
    seen: dict[str, str] = {}
    for m in records.tables.get("measures", []):
        if m["id"] in seen:
            raise ValueError(f"measure id {m['id']!r} is used by {seen[m['id']]} and {m['policy']}")
        seen[m["id"]] = m["policy"]


def _read_facts(path: Path, records: SourceRecords, document: str | None = None) -> None:
    """Facts in the order written, after those read before; ``document``: the folder that brings them, whose
    `words` (how owners say the fact) the NLU learns when it is next trained."""
    known = {r["name"] for r in records.tables.get("facts", [])}
    for position, (name, spec) in enumerate(_load(path).items(), start=len(known)):
        if name in known:
            raise ValueError(f"fact {name!r} of {path} is defined already")
        records.add("facts", {
            "name": name, "position": position, "type": spec["type"], "label": spec["label"], "ask": spec["ask"],
            "situation": spec.get("situation"), "unit": spec.get("unit"), "min": spec.get("min"),
            "max": spec.get("max"), "max_exclusive": spec.get("max_exclusive"), "at_most": spec.get("at_most"),
            "choices": spec.get("choices", []), "default": json.dumps(spec.get("default")),
            "implies": spec.get("implies", {}), "about_asker": bool(spec.get("about_asker", False)),
            "role": spec.get("role"), "denied": spec.get("denied"), "simulator": spec.get("simulator") or {},
            "period": spec.get("period"), "part_of": spec.get("part_of"),
            "words": [str(w) for w in spec.get("words", [])], "document": document,
        })


def _read_classification(data: dict, records: SourceRecords, facts: dict[str, dict]) -> None:
    """Thresholds in the table's unit; indicators that are money facts (facts.yaml) are converted to yuan."""
    cid, scale = data["id"], 10_000 if data["money_unit"] == "万元" else 1
    money = {name for name in data["indicators"] if facts[name]["type"] == "money"}
    records.add("classifications", {
        "id": cid, "title": data["title"], "document": data["document"], "issuer": data["issuer"],
        "money_unit": data["money_unit"], "indicators": data["indicators"], "reading_rules": data["reading_rules"],
        "trade_phrases": data.get("trade_phrases") or {},
    })
    for row in data["industries"]:
        records.add("industries", {"classification": cid, "row": row["row"], "name": row["name"],
                                   "covers": row.get("covers")})
        for kind in ("sme_below", "medium_at_least", "small_at_least"):
            for indicator, written in row[kind].items():
                factor = scale if indicator in money else 1
                records.add("thresholds", {
                    "classification": cid, "industry": row["name"], "kind": kind, "indicator": indicator,
                    "value": written * factor, "as_written": written,
                    "unit": data["money_unit"] if indicator in money else facts[indicator]["unit"],
                })
    for industry, words in data["synonyms"].items():
        for word in words:
            records.add("synonyms", {"classification": cid, "word": str(word), "industry": industry})


def _read_policy(folder: Path, records: SourceRecords) -> None:
    meta = _load(folder / "policy.yaml")
    pid = meta["id"]
    references = {k[: -len("_reference")]: str(v) for k, v in meta.items() if k.endswith("_reference")}
    if meta.get("scope"):
        references["scope"] = str(meta["scope"]["clause"])
    optional = ("number", "implements", "classification", "hotline", "hotline_department", "matter", "nature",
                "period", "issued_note", "lender_refused")
    records.add("policies", {
        "id": pid, "title": meta["title"], "short_title": meta["short_title"], "issuer": meta["issuer"],
        "issued": _iso(meta["issued"]) if meta.get("issued") else None, "in_force_from": _iso(meta["in_force_from"]),
        "in_force_until": _iso(meta["in_force_until"]), "level": meta["level"], "area": meta["area"],
        "scope_quote": (meta.get("scope") or {}).get("quote"), "references": references,
        "department_role": meta.get("department_role", "责任单位"), "called": meta.get("called", "文件"), "cues": [str(c) for c in meta.get("cues", [])],
        **{k: (str(meta[k]) if meta.get(k) is not None else None) for k in optional},
    })
    for scope in ("scope", "lender_scope"):
        for position, cond in enumerate((meta.get(scope) or {}).get("conditions", [])):
            records.add("conditions", {"policy": pid, "owner": f"@{scope}", "position": position, **cond})
    for clause in _load(folder / "clauses.yaml"):
        records.add("clauses", {"policy": pid, **{k: (str(v) if k == "number" else v) for k, v in clause.items()}})
    for name, param in _load(folder / "parameters.yaml").items():
        records.add("parameters", {
            "policy": pid, "name": name, "description": param["description"], "unit": param["unit"],
            "reference": str(param["reference"]), "text": str(param["text"]),
            "values": {_iso(k): v for k, v in param["values"].items()},
        })
    for position, measure in enumerate(_load(folder / "measures.yaml")):
        _read_measure(pid, position, measure, records, bool(meta.get("ids_are_numbers")))


def _read_measure(pid: str, position: int, m: dict, records: SourceRecords, ids_are_numbers: bool) -> None:
    mid = str(m["id"])
    amount = m.get("amount") or {}
    records.add("measures", {
        "policy": pid, "id": mid, "position": position, "title": m["title"], "clause": str(m["clause"]),
        "summary": m["summary"], "excerpt": m["excerpt"], "audience": m.get("for", "enterprise"),
        "kind": m["kind"], "amount_label": amount.get("label"), "amount_formula": amount.get("formula"),
        "amount_total": amount.get("total"), "months_parameter": m.get("months"), "approval": m.get("approval"),
        "to_lender": m.get("to_lender"), "not_given": m.get("not_given"), "reading": m.get("reading"),
        "parts": m.get("parts") or [],
        "keywords": [str(k) for k in m.get("keywords", [])],
        "parameters": list(m.get("parameters", [])),
        "number": str(m.get("number") or (mid if ids_are_numbers else "")), "area": m.get("area"),
        "implements_ref": m.get("implements"), "see_also": m.get("see_also") or [], "note": m.get("note"),
    })
    for i, cond in enumerate(m.get("conditions") or []):
        records.add("conditions", {"policy": pid, "owner": mid, "position": i, **cond})
    for i, dept in enumerate(m["departments"]):
        records.add("measure_departments", {"policy": pid, "measure": mid, "position": i, "department": dept})
