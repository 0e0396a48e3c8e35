"""How amounts are written for people: exactly as given, never rounded into another figure (39999.9999万元 is not
40000万元, which would cross a threshold of the SME table)."""

from __future__ import annotations

from decimal import Decimal


def wan(value: float) -> str:
    """Yuan as 万: 1800000 → '180'; 399999999 → '39999.9999'."""
    return format((Decimal(repr(float(value))) / 10_000).normalize(), "f")


def grouped(value: float) -> str:
    """3600 → '3,600'; 6172.5 → '6,172.5' (cents kept, trailing zeros dropped)."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def plain(value: float) -> str:
    """As a formula writes it: 3600.0 → '3600'; 6172.5 → '6172.5'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
