"""A notice's text turned into a draft document: its clauses as the notice numbers them, each with its figures.

The draft is what staff start from in the workbench: every clause is a slice of the text as given (so it stands
verbatim in the source by construction), numbered as the notice numbers it (第X条, 一、, （一）, 1., （1）, ①);
the lines before the body (title, document number), the addressees, the preamble, the closing paragraph and the
signature (issuer, date) are told apart, and the dates of validity proposed from the figures found. The draft is the
store's YAML shape (policy, clauses, parameters, measures), so the same checks and the same publish take it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable

import cn2an

from .clause_figures import Figure, find_figures

_CN = "一二三四五六七八九十百零〇"
_STYLES: tuple[tuple[str, re.Pattern], ...] = (
    ("chapter", re.compile(rf"第([{_CN}\d]+)[章节][\s\u3000]*")),
    ("article", re.compile(rf"第([{_CN}\d]+)条[\s\u3000]*")),
    ("cn", re.compile(rf"([{_CN}]+)、")),
    ("cn_paren", re.compile(rf"[（(]([{_CN}]+)[)）]")),
    ("num", re.compile(r"(\d{1,3})[.．、](?!\d)")),
    ("num_paren", re.compile(r"[（(](\d{1,3})[)）]")),
    ("circled", re.compile(r"([\u2460-\u2473])")),
)
_SENTENCE_END = re.compile(r"[。；;]")
_FORMULA = re.compile(r"^(特此(通知|公告|函告|批复|说明)。?|[（(]此件[^）)]*[）)])$")
_DOCUMENT_NUMBER = re.compile(r"〔\d{4}〕\d+号|公告\d{4}年第\d+号|〔\d{4}〕第?\d+号")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_KINDS_OF_TEXT = ("通知", "公告", "意见", "办法", "措施", "决定", "规定", "细则", "方案", "说明", "函")


@dataclass(frozen=True)
class Paragraph:
    """A line of the text with its place in it, surrounding spaces left out."""

    text: str
    start: int
    end: int


@dataclass
class DraftClause:
    """A clause of the draft: clauses.yaml's fields, where it stands in the source, and the figures it states."""

    number: str
    label: str
    section: str | None
    heading: str
    text: str
    start: int
    end: int
    figures: tuple[Figure, ...] = ()

    def record(self) -> dict:
        """As clauses.yaml holds it."""
        return {"number": self.number, "label": self.label, "section": self.section, "heading": self.heading,
                "text": self.text}

    def as_dict(self) -> dict:
        return {**self.record(), "start": self.start, "end": self.end, "figures": [f.as_dict() for f in self.figures]}


@dataclass
class Draft:
    """A notice as staff start to write it into the store; see the module's docstring."""

    source: str
    clauses: list[DraftClause]
    title: str | None = None
    number: str | None = None
    issuer: str | None = None
    issued: str | None = None
    in_force_from: str | None = None
    in_force_until: str | None = None
    in_force_reference: str | None = None
    period: str | None = None
    called: str | None = None
    notes: list[str] = field(default_factory=list)

    def policy_record(self) -> dict:
        """policy.yaml as far as the text tells it; what only staff can say (level, area) is left empty."""
        short = self.title.split("关于", 1)[1] if self.title and "关于" in self.title else self.title
        digest = hashlib.sha1(self.source.encode("utf-8")).hexdigest()[:8]
        return {"id": f"notice-{digest}", "title": self.title or "", "short_title": short or "",
                "number": self.number, "called": self.called or "文件", "issuer": self.issuer or "",
                "level": "", "area": None, "issued": self.issued, "in_force_from": self.in_force_from,
                "in_force_until": self.in_force_until, "in_force_reference": self.in_force_reference,
                "period": self.period}

    def document(self) -> dict:
        """The draft in the store's folder shape (policy.yaml, clauses.yaml, parameters.yaml, measures.yaml and
        source.txt, and the facts and expert cases it brings), with no parameters, measures, facts or cases yet:
        staff make those from the figures."""
        return {"policy": self.policy_record(), "clauses": [c.record() for c in self.clauses], "parameters": {},
                "measures": [], "facts": {}, "cases": [], "source": self.source}

    def as_dict(self) -> dict:
        return {"document": self.document(), "clauses": [c.as_dict() for c in self.clauses], "notes": self.notes}


def paragraphs(text: str) -> list[Paragraph]:
    """Every non-empty line with its offsets in ``text``, surrounding spaces (full-width too) left out."""
    found, at = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = at + len(line) - len(line.lstrip())
            found.append(Paragraph(stripped, start, start + len(stripped)))
        at += len(line)
    return found


def _marker(text: str) -> tuple[str, str, re.Match] | None:
    for style, pattern in _STYLES:
        m = pattern.match(text)
        if m and len(text) > m.end():
            return style, m.group(1), m
    return None


def _arabic(written: str) -> str:
    if written.isdigit():
        return str(int(written))
    if "\u2460" <= written <= "\u2473":
        return str(ord(written) - 0x2460 + 1)
    return str(int(cn2an.cn2an(written.replace("〇", "零"), "smart")))


def _numbering(style: str, written: str) -> tuple[str, str]:
    """The clause's number and label as the notice writes it: 第三条 → ("3", "第三条"); 一、 → ("一", "第一项");
    （一） → ("（一）", "第（一）项"); 1. → ("1", "第1条"); （1） → ("（1）", "第（1）项"); ① → ("①", "第1项")."""
    if style in ("chapter", "article"):
        return _arabic(written), f"第{written}{'条' if style == 'article' else '章'}"
    if style == "cn":
        return written, f"第{written}项"
    if style in ("cn_paren", "num_paren"):
        return f"（{written}）", f"第（{written}）项"
    if style == "num":
        return str(int(written)), f"第{int(written)}条"
    return written, f"第{_arabic(written)}项"


def _heading(rest: str) -> str:
    """The item's own title: its first sentence when short ("1.实施援企稳岗政策。…" → 实施援企稳岗政策)."""
    first = _SENTENCE_END.split(rest, 1)[0].strip()
    return first if len(first) <= 30 and not re.search(r"[，,：:]", first) else ""


def _is_heading_only(rest: str) -> bool:
    return len(rest) <= 30 and not _SENTENCE_END.search(rest) and not re.search(r"[，,：:]", rest)


def draft(text: str, departments: Iterable[str] = ()) -> Draft:
    """The draft of a notice's text (see the module's docstring); ``departments``: those the store knows, found in
    each clause and in a title that names its issuers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    known = sorted(set(departments))
    body, signature = _split_signature([p for p in paragraphs(text) if not _FORMULA.match(p.text)])
    header, body = _split_header(body)
    first = next((i for i, p in enumerate(body) if _marker(p.text)), len(body))
    result = Draft(source=text, clauses=[])
    _read_header(result, header, known)
    _read_signature(result, signature)
    year = int(result.issued[:4]) if result.issued else _first_year(text)
    numbered, closing = _items_and_closing(body[first:])
    clauses = _intro_clauses(body[:first], has_items=bool(numbered)) + _item_clauses(text, numbered)
    clauses += [DraftClause("closing" if i == 0 else f"closing-{i + 1}", "末段" if i == 0 else f"末段{i + 1}",
                            None, "", p.text, p.start, p.end) for i, p in enumerate(closing)]
    for clause in clauses:
        clause.figures = tuple(find_figures(clause.text, known, year))
    result.clauses = clauses
    _read_validity(result)
    result.notes = [name for name, missing in (("no_title", not result.title), ("no_issuer", not result.issuer),
                                               ("no_issued", not result.issued),
                                               ("no_in_force_from", not result.in_force_from),
                                               ("no_in_force_until", not result.in_force_until)) if missing]
    return result


def _first_year(text: str) -> int | None:
    m = re.search(r"(\d{4})年", text)
    return int(m.group(1)) if m else None


def _split_signature(paras: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """The signature block: the short unpunctuated lines at the end (issuer, date)."""
    end = len(paras)
    while end > 1 and len(paras[end - 1].text) <= 40 and not re.search(r"[。；;：:，,]", paras[end - 1].text) \
            and not _marker(paras[end - 1].text):
        end -= 1
    return paras[:end], paras[end:]


def _split_header(paras: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """The lines above the text: issuers, title, document number (no sentence punctuation, or the number)."""
    end = 0
    while end < len(paras) - 1 and not _marker(paras[end].text) and (
            _DOCUMENT_NUMBER.search(paras[end].text) or not re.search(r"[。，,；;：:]", paras[end].text)):
        end += 1
    return paras[:end], paras[end:]


def _read_header(result: Draft, header: list[Paragraph], known: list[str]) -> None:
    lines = [p.text for p in header]
    result.number = next((line for line in lines if _DOCUMENT_NUMBER.search(line)), None)
    named = [line for line in lines if line != result.number]
    at = next((i for i, line in enumerate(named) if "关于" in line or line.endswith(_KINDS_OF_TEXT)), None)
    if at is None:
        return
    result.title = "".join(named[: at + 1])
    result.called = next((k for k in _KINDS_OF_TEXT if result.title.endswith(k)), None)
    issuers = result.title.split("关于", 1)[0] if "关于" in result.title else ""
    if issuers:
        result.issuer = _issuers(issuers, known)


def _issuers(written: str, known: list[str]) -> str:
    """"财政部 税务总局" → 财政部、税务总局; "人力资源社会保障部财政部税务总局" → the known names in it."""
    found = sorted(((written.find(name), name) for name in known if name in written), key=lambda t: t[0])
    parts = [name for at, name in found if not any(a <= at < a + len(n) and n != name and len(n) > len(name)
                                                    for a, n in found)]
    if parts and len("".join(parts)) == len(re.sub(r"\s", "", written)):
        return "、".join(parts)
    return "、".join(written.split())


def _read_signature(result: Draft, signature: list[Paragraph]) -> None:
    """The date of issue and the issuers as signed ("财政部 税务总局" → 财政部、税务总局), over the title's."""
    names = []
    for p in signature:
        m = _DATE_LINE.match(p.text)
        if m:
            result.issued = dt.date(*map(int, m.groups())).isoformat()
        else:
            names += p.text.split()
    if names:
        result.issuer = "、".join(names)


def _items_and_closing(rest: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """The numbered run and the closing paragraphs after its last item; in a notice written in articles a
    paragraph after an article is part of it."""
    if not rest:
        return [], []
    if any(_marker(p.text) and _marker(p.text)[0] == "article" for p in rest):
        return rest, []
    last = max(i for i, p in enumerate(rest) if _marker(p.text))
    return rest[: last + 1], rest[last + 1:]


def _intro_clauses(intro: list[Paragraph], has_items: bool) -> list[DraftClause]:
    """The addressees ("各县（市、区）人民政府……:"), the preamble ("为……如下:") and, in a notice without numbered
    items, its paragraphs."""
    clauses: list[DraftClause] = []
    paragraphs_seen = 0
    for p in intro:
        ends_colon = p.text.endswith((":", "："))
        if ends_colon and "如下" not in p.text and len(p.text) <= 100 and not clauses:
            clauses.append(DraftClause("addressees", "抬头", None, "主送单位", p.text, p.start, p.end))
        elif (has_items or ends_colon) and not any(c.number == "preamble" for c in clauses):
            clauses.append(DraftClause("preamble", "开头", None, "", p.text, p.start, p.end))
        else:
            paragraphs_seen += 1
            clauses.append(DraftClause(f"p{paragraphs_seen}", f"第{paragraphs_seen}段", None, "", p.text, p.start,
                                       p.end))
    return clauses


def _item_clauses(text: str, numbered: list[Paragraph]) -> list[DraftClause]:
    """One clause per numbered item; a short item whose next item is deeper is the heading of those below it
    ("一、稳定职工队伍"), not a clause; an unnumbered paragraph continues the item before it."""
    items: list[dict] = []
    styles: list[str] = []
    for p in numbered:
        marked = _marker(p.text)
        if marked is None:
            if items:
                items[-1]["end"] = p.end
            continue
        style, written, m = marked
        styles = styles[: styles.index(style) + 1] if style in styles else [*styles, style]
        number, label = _numbering(style, written)
        items.append({"start": p.start, "end": p.end, "style": style, "depth": len(styles) - 1, "number": number,
                      "label": label, "rest": p.text[m.end():], "text": p.text})
    clauses, parents = [], []
    for i, item in enumerate(items):
        deeper_next = i + 1 < len(items) and items[i + 1]["depth"] > item["depth"]
        item["section_only"] = item["style"] == "chapter" or (deeper_next and _is_heading_only(item["rest"]))
        parents = [a for a in parents if a["depth"] < item["depth"]]
        parent = parents[-1] if parents else None
        item["parent"] = parent
        parents.append(item)
        if item["section_only"]:
            continue
        section = (parent["text"] if parent["section_only"] else parent["label"]) if parent else None
        clauses.append(DraftClause(item["number"], item["label"], section, _heading(item["rest"]),
                                   text[item["start"]:item["end"]], item["start"], item["end"]))
        item["clause"] = clauses[-1]
    _make_numbers_unique([it for it in items if "clause" in it])
    return clauses


def _make_numbers_unique(items: list[dict]) -> None:
    """Items numbered again under each heading ("1." under every "（一）") are told apart by their heading's
    number: "（一）.1", labelled 第（一）项第1条."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item["number"]] = counts.get(item["number"], 0) + 1
    for item in items:
        parent, clause = item["parent"], item["clause"]
        if counts[item["number"]] > 1 and parent is not None:
            clause.number = f"{parent['number']}.{item['number']}"
            clause.label = f"{parent['label']}{item['label']}"


def _read_validity(result: Draft) -> None:
    """From the figures: in force from the earliest start a clause gives ("自发布之日起" is the day of issue) to
    the latest end; the clause that says it and its words."""
    bounds = [(c, f) for c in result.clauses for f in c.figures if f.since or f.until]
    since = [(f.since if f.since != "issued" else result.issued, c, f) for c, f in bounds if f.since]
    until = [(f.until, c, f) for c, f in bounds if f.until]
    since = [t for t in since if t[0]]
    if since:
        result.in_force_from = min(t[0] for t in since)
    if until:
        result.in_force_until = max(t[0] for t in until)
    said = [t for t in (*since, *until) if t[0] in (result.in_force_from, result.in_force_until)]
    if not said:
        return
    clause = said[-1][1]
    result.in_force_reference = clause.number
    figures = sorted({f for _, c, f in said if c is clause}, key=lambda f: f.start)
    result.period = clause.text[figures[0].start:figures[-1].end] if figures[-1].start - figures[0].end <= 4 \
        else "，".join(f.text for f in figures)
