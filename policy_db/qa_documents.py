"""Answers about the documents themselves rather than one measure: which documents the store holds for the place
("国家有什么政策"), documents it does not hold (later extensions: said to be not held, never paraphrased, with whom
to ask), the periods documents state, places the assistant does not serve, and the measures of other documents
on the same ground as one measure."""

from __future__ import annotations

from .model import Measure, Policy
from .qa_cues import Answer
from .store import Store


def documents_held(store: Store, home: Policy) -> str:
    """'本库收录的国家、省政策：…' — the other documents in force for the place, with number and issuer."""
    others = [p for p in store.place_policies() if p.id != home.id]
    if not others:
        return ""
    listed = "；".join(f"{p.cited}，{p.issuer}（{p.level}）" for p in others)
    return f"。本库收录的相关政策：{listed}。"


def overview(store: Store, documents: list[Policy]) -> Answer:
    """'国家有什么政策': each document with its number, issuer and the measures that apply here."""
    lines = []
    for p in documents:
        measures = "；".join(m.title for m in store.measures_here(p))
        nature = f"（{p.nature}）" if p.nature else ""
        lines.append(f"{p.cited}，{p.issuer}{nature}，{p.period or ''}：{measures}")
    levels = "、".join(dict.fromkeys(p.level for p in documents))
    text = f"本库收录的适用于{store.place.name}的{levels}政策：\n" + "\n".join(
        f"{i}. {line}" for i, line in enumerate(lines, 1)) + "\n想了解哪一项，可以直接问我。"
    issuers = tuple(dict.fromkeys(p.issuer for p in documents))
    return Answer(text, tuple(m.id for p in documents for m in store.measures_here(p)), None, issuers, True)


def consult(store: Store, policy: Policy, matter: str | None = None) -> str | None:
    return store.place.consult.get(matter or policy.matter or "")


def not_held(store: Store, doc: dict) -> Answer:
    """A document the store does not hold: said so, nothing of its content stated, and whom to ask."""
    ask = doc.get("ask") or store.place.consult.get(doc.get("matter", ""), "")
    held = f"本库只有其{doc['held']}，" if doc.get("held") else ""
    text = (f"本库没有收录{doc['number']}的原文，{held}无法告诉您其中的具体内容，也无法确认它规定了什么。"
            f"请向{ask}咨询。")
    return Answer(text, (), None, (ask,), False)


def extension(store: Store, documents: list[Policy]) -> Answer:
    """'社保免征后来延长了吗': the periods the held documents state, and that later changes are not held."""
    lines = [f"{p.cited}：{p.period}" for p in documents if p.period]
    asks = tuple(dict.fromkeys(a for p in documents if (a := consult(store, p))))
    text = (f"本库收录的文件规定的期限是——{'；'.join(lines)}。此后是否延长或调整，本库没有收录相关文件的原文，"
            f"无法确认，请向{'、'.join(asks) or documents[0].issuer}咨询。")
    return Answer(text, (), None, asks or (documents[0].issuer,), False)


def family(store: Store, measure: Measure) -> list[tuple[Policy, Measure]]:
    """The measure with those of other documents on the same ground, the implemented (higher) one first: the
    measure it implements or that implement it, and those it names `see_also` or that name it."""
    here = {m.id: (p, m) for p in store.place_policies() for m in store.measures_here(p)}
    if measure.id not in here:
        return []

    def linked(a: Measure, b: Measure) -> bool:
        return (a.implements is not None and a.implements.measure == b.id) or any(r.measure == b.id for r in a.see_also)

    ids = [measure.id] + [i for i, (_, m) in here.items() if i != measure.id and (linked(measure, m) or linked(m, measure))]
    implemented = {here[i][1].implements.measure for i in ids if here[i][1].implements}
    ordered = [i for i in ids if i in implemented] + [i for i in ids if i not in implemented]
    return [here[i] for i in ordered]


def elsewhere_answer(store: Store, place: str) -> Answer:
    """A place the assistant does not serve ("济南那边有啥补贴"): what it serves, and to ask there."""
    documents = "、".join(p.cited for p in store.place_policies())
    text = (f"抱歉，我只解答适用于{store.place.name}的政策：{documents}。{place}的政策请向当地有关部门咨询。")
    return Answer(text, (), None, (), False)
