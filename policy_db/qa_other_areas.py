"""Answers about an area the place is not in ("湖北的小规模纳税人呢"): what the documents say for that area, set
against their measures that except it (those that apply here). Asked in a conversation about any document, the
question names the area and the documents it points at; their measures for the area answer, not the place's."""

from __future__ import annotations

from . import qa_documents as docs
from .model import Policy
from .qa_citing import quote, source
from .qa_cues import Answer, cue_file
from .qa_reading import Asked
from .store import Store


def other_area(asked: Asked, store: Store, policy: Policy | None = None) -> Answer | None:
    """'湖北的增值税呢': what the documents the message points at (by cue words or a measure named, else ``policy``,
    the one the conversation is about, else all that speak of the area) say for that area, set against their
    measures that except it — those that apply here."""
    found = [(store.policies[pid], there) for pid, there in asked.areas]
    if not found:
        return None
    pointed = [(p, there) for p, there in found if p.id in asked.area_pointed]
    pointed = pointed or [(p, there) for p, there in found if policy is not None and p.id == policy.id]
    home, say = store.default_policy, cue_file()["other_area"]
    texts, shown = [], []
    for p, there in pointed or found:
        areas = {m.area.within for m in there}
        excepting = [m for m in store.measures_here(p) if m.area and areas & set(m.area.excepts)]
        for area in areas:
            inside = [m for m in there if m.area.within == area]
            outside = [m for m in excepting if area in m.area.excepts]
            lines = [say["lead"].format(document=p.cited, area=area)]
            lines.append(say["in"].format(area=area) + "；".join(
                f"{m.title}：{quote(m, p)}{source(p, m, home)}" for m in inside))
            if outside:
                lines.append(say["except"].format(area=area, place=store.place.name) + "；".join(
                    f"{m.title}：{quote(m, p)}{source(p, m, home)}" for m in outside))
            if p.period:
                lines.append(f"执行期：{p.period}。")
            texts.append("\n".join(lines))
            shown += [(p, m) for m in [*inside, *outside]]
    asks = tuple(dict.fromkeys(a for p, _ in shown if (a := docs.consult(store, p))))
    departments = tuple(dict.fromkeys(d for _, m in shown for d in m.departments)) + asks
    first, lead = shown[0]
    return Answer("\n".join(texts), tuple(m.id for _, m in shown), first.clauses[lead.clause].label, departments, True)
