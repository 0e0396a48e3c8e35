"""A document as data: the dict the workbench edits, and the folder of YAML files the store is built from.

The dict has one key per file of a folder under ``policies/`` (sources.py reads them): ``policy``, ``clauses``,
``parameters``, ``measures``, ``facts`` (facts the document brings, with the words owners use for them), ``cases``
(its expert cases, the shape of tests/cases/*.yaml) and ``source`` (the notice's text).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

FILES = {"policy": "policy.yaml", "clauses": "clauses.yaml", "parameters": "parameters.yaml",
         "measures": "measures.yaml", "facts": "facts.yaml", "cases": "cases.yaml"}
SOURCE = "source.txt"
EMPTY = {"policy": {}, "clauses": [], "parameters": {}, "measures": [], "facts": {}, "cases": []}
OPTIONAL = ("facts", "cases")  # written only when the document has some


def _plain(value: Any) -> Any:
    """Dates as ISO text, so the files and the JSON the page sends read the same."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def normalised(document: dict) -> dict:
    """Every key present, dates as text: the form the checks, the page and the files share."""
    return {**{k: _plain(document.get(k, v)) for k, v in EMPTY.items()}, "source": document.get("source") or ""}


def write_folder(document: dict, folder: Path) -> Path:
    """Write the document's files into ``folder`` (created; it must not exist yet, so nothing is half-replaced)."""
    doc = normalised(document)
    folder.mkdir(parents=True)
    for key, name in FILES.items():
        if key in OPTIONAL and not doc[key]:
            continue
        with (folder / name).open("w", encoding="utf-8") as f:
            yaml.safe_dump(doc[key], f, allow_unicode=True, sort_keys=False, width=1000)
    (folder / SOURCE).write_text(doc["source"], encoding="utf-8")
    return folder


def read_folder(folder: Path) -> dict:
    """The document a folder holds (the base documents too), to edit or compare."""
    document: dict = {}
    for key, name in FILES.items():
        path = folder / name
        document[key] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else EMPTY[key]
    source = folder / SOURCE
    document["source"] = source.read_text(encoding="utf-8") if source.exists() else ""
    return normalised(document)
