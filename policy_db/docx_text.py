"""The text of a .docx notice, read with python-docx, with the numbers Word draws itself written back in.

A notice typed in Word often numbers its items with Word's own lists ("一、", "（一）", "1.", "第一条"): the number
is drawn by Word, not stored in the paragraph's text. Without it the draft could not tell the items apart, so each
list paragraph gets its number as Word would draw it (its level's format and pattern in the numbering definitions).
Paragraphs and tables are read in the order they stand; a table's row is one line, its cells joined by a tab.
"""

from __future__ import annotations

import io

import cn2an
import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def text_of_docx(data: bytes) -> str:
    """The document's text, one paragraph (or table row) a line."""
    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering(document)
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(numbering.number(block) + block.text)
        elif isinstance(block, Table):
            lines += ["\t".join(cell.text for cell in row.cells) for row in block.rows]
    return "\n".join(lines)


def _format(value: int, kind: str) -> str:
    if kind in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
                "taiwaneseCountingThousand"):
        return cn2an.an2cn(value)
    if kind == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if kind == "decimalZero":
        return f"{value:02d}"
    return str(value)


class _Numbering:
    """Word's list definitions, and the count each list has reached as the document is read."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counts: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstract = {}
        for a in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt, text, start = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText")), lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[a.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    def number(self, paragraph: Paragraph) -> str:
        """The number Word draws before this paragraph ("一、"), or "" when it is not in a list."""
        num_id, level = self._list_of(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        counts = self.counts.setdefault(num_id, [0] * 9)
        counts[level] += 1
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        kind, pattern, _ = levels[level]
        if kind in ("none", "bullet"):
            return ""
        text = pattern
        for i in range(level + 1):
            start = levels.get(i, ("decimal", "", 1))[2]
            shown = _format(counts[i] + start - 1, levels.get(i, ("decimal", "", 1))[0])
            text = text.replace(f"%{i + 1}", shown)
        return text

    @staticmethod
    def _list_of(paragraph: Paragraph) -> tuple[str | None, int]:
        for holder in (paragraph._p.pPr, getattr(paragraph.style.element, "pPr", None)):
            num = holder.find(qn("w:numPr")) if holder is not None else None
            if num is not None and num.find(qn("w:numId")) is not None:
                ilvl = num.find(qn("w:ilvl"))
                return num.find(qn("w:numId")).get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        return None, 0
