"""Measures of several documents on the same ground, told together: a deferral net of the relief that waives part of
the same premium, one figure where two measures act on the same money, and the links that name each other's measure
("另见…", "落实…", "具体执行见…"). Run by the engine over the results of one evaluation, in place."""

from __future__ import annotations

from typing import Callable

from .amounts import plain
from .assessment import MeasureResult
from .prepared import Links, PreparedStore


def _net_of(d: MeasureResult, relief: MeasureResult, per_month: float, months: int, value: float
            ) -> Callable[[], str]:
    return lambda: f"{d.formula.rsplit(' = ', 1)[0]} - {plain(per_month)} × {months} = {plain(value)}"


def net_of_reliefs(prepared: PreparedStore, links: Links, results: list[MeasureResult]):
    """A deferral defers only what is still due: the share an applying relief waives of the same premium (its
    `amount.total.within`) is taken off for the months both run (both from the same month), said in a link; while
    that share is unknown, the deferral has no figure. A relief still undecided leaves the figure an upper bound."""
    judged = results  # as judged, copied before the first change
    for i, reliefs in links.reliefs:
        if results[i].status != "eligible" or not results[i].months:
            continue
        for j in reliefs:
            if judged[j].status != "eligible":
                continue
            if judged is results:
                judged = list(results)
            d, relief = results[i], judged[j]
            if relief.amount_yuan is None or d.amount_yuan is None:
                missing = tuple(dict.fromkeys((*d.missing, *relief.missing)))
                results[i] = d.but(amount_yuan=None, _formula=None, missing=missing, _labels=prepared.labels)
                continue
            per_month = relief.amount_yuan / relief.months
            months = min(d.months, relief.months)
            value = round(max(0.0, d.amount_yuan - per_month * months), 2)
            link = prepared.words.coverage["net_of"].format(measure=_named(relief), per_month=plain(per_month),
                                                            months=months)
            results[i] = d.but(amount_yuan=value, links=(*d.links, link),
                               _formula=_net_of(d, relief, per_month, months, value))


def _named(r: MeasureResult) -> str:
    return f"{r.policy.cited}{r.measure.name}"


def one_deferral(links: Links, results: list[MeasureResult]) -> None:
    """Two measures acting on the same money (a see_also's `same_money`) that both apply show one figure: the first
    shown keeps it, the other says where it is."""
    before = results  # copied before the first change
    for first, second, link in links.same_money:
        if results[first].status == "eligible" and results[second].status == "eligible":
            if before is results:
                before = list(results)
            r = before[second]
            results[second] = r.but(amount_yuan=None, _formula=None, missing=(), links=(*r.links, link))


def linked(links: Links, results: list[MeasureResult]) -> None:
    """Each applying measure names the measures of other documents on the same ground: the one it sets the figures
    of (`implements`), those that set its own, those listed as `see_also` (both ways); its links are said in its
    `why` too."""
    notes: dict[int, list[str]] = {}
    for i, text, needs in links.notes:
        if results[i].status == "eligible" and all(results[j].status == "eligible" for j in needs):
            notes.setdefault(i, []).append(text)
    for i in links.linking:
        if results[i].status == "eligible" and (results[i].links or i in notes):
            r = results[i]
            said = (*r.links, *notes.get(i, ()))
            results[i] = r.but(_why=_with_links(r, said), links=said)


def _with_links(r: MeasureResult, links: tuple[str, ...]) -> Callable[[], str]:
    return lambda: f"{r.why}；{'；'.join(links)}"
