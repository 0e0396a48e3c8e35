"""A page's static files, served by name from its own folder: exactly the files in it (no sub-folders, no
traversal), of the kinds listed, with the pages' security headers. A page's Python modules sit beside its files and
are never served (``.py`` is no kind listed)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict

from sanic import response
from sanic.response import HTTPResponse

from .replies import FRAMEABLE, secure

SHARED_DIR = Path(__file__).parent / "shared"
ASSET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*\.[a-z0-9]+$")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}


def assets(folder: Path) -> Dict[str, Path]:
    """The files that may be served, by name."""
    if not folder.is_dir():
        return {}
    return {p.name: p for p in folder.iterdir()
            if p.is_file() and ASSET.match(p.name) and p.suffix in CONTENT_TYPES}


def served(name: str, folder: Path, headers: dict[str, str] = FRAMEABLE) -> HTTPResponse:
    """The file ``name`` of ``folder``, or 404."""
    path = assets(folder).get(name)
    if path is None:
        return secure(response.text("未找到", status=404), headers)
    return secure(response.raw(path.read_bytes(), content_type=CONTENT_TYPES[path.suffix],
                               headers={"Cache-Control": "no-cache"}), headers)
