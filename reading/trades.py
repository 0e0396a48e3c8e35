"""How a message names the enterprise's trade: the rows it may be (the head of its trade phrase decides, two rows
are asked, never guessed), whether the message presents the enterprise so the trade is its own ("我们是…", "开了个…",
or in passing: "仓库里的货…"), and the row a reply names among those offered."""

from __future__ import annotations

from typing import Any, Mapping

from policy_db.store import Store

from .entities import NUMBER, PRESENTS, found

_BARE_TRADE = 8  # characters of a message that is nothing but a trade ("小吃店", "酒水批发兼配送")


def industry_among(text: str, rows: Any, store: Store) -> str | None:
    """The row a reply names among those offered: the row's name, or a trade word of it."""
    rows = list(rows) if isinstance(rows, (list, tuple)) else [rows]
    named = [row for row in rows if row in text]
    if len(named) == 1:
        return named[0]
    row = store.classification_for(store.default_policy).industry_for(text)
    return row if row in rows else None


def presents_itself(message: Mapping, store: Store, stated: Mapping[str, Any]) -> bool:
    """Whether the message presents the enterprise, so a trade it names is the enterprise's: words that present it
    ("我们是", "开了个", "做…的", the NLU's `presents`), a figure of its size stated with it ("做互联网平台的，员工25
    人"), or nothing but the trade ("饭店")."""
    if any(e.get("entity") == PRESENTS for e in found(message)):
        return True
    classification = store.classification_for(store.default_policy)
    if any(i in stated for row in classification.rows.values() for i in row.indicators) \
            or any(e.get("entity") == NUMBER and e.get("role") == "people" for e in found(message)):
        return True
    text = (message.get("text") or "").strip(" ，,。！!")
    return text in classification.rows or (len(text) <= _BARE_TRADE and bool(classification.industries_for(text)))


def another_trade(message: Mapping, store: Store, known_row: str) -> tuple[str, str] | None:
    """(the known row, another) when the message presents the enterprise with a trade of another row ("我们公司自己
    也有一个生产车间" of a trading firm): which is the main one decides the class, so it is asked, never assumed."""
    if not any(e.get("entity") == PRESENTS for e in found(message)):
        return None
    rows = trade_candidates(message.get("text") or "", store)
    return (known_row, rows[0]) if rows and known_row not in rows else None


def trade_candidates(text: str, store: Store) -> tuple[str, ...]:
    """The rows the trade a message names may be, best first (two when it fits both)."""
    return tuple(store.classification_for(store.default_policy).industries_for(text))
