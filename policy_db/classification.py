"""SME classification (中小企业划型) as a mechanism over the thresholds in the store.

With some indicators unknown the class may not be pinned down yet: :func:`possible_classes` returns every class the
enterprise could still be in, by trying each unknown indicator at every threshold of its row (the only points where
the answer can change). Knowing more can only shrink that set, never grow it.
"""

from __future__ import annotations

from itertools import product
from typing import Mapping

from .amounts import wan
from .expressions import Possible
from .model import IndustryRow

CLASS_LABELS = {"medium": "中型企业", "small": "小型企业", "micro": "微型企业", "large": "大型企业"}
SME_CLASSES = frozenset({"medium", "small", "micro"})


def classify(row: IndustryRow, values: Mapping[str, float]) -> str:
    """The class of an enterprise whose row indicators are all known: large when no indicator is below the SME
    limit, else the first class whose floors it reaches (loops, not generators: it runs once per candidate)."""
    for k, limit in row.sme_below.items():
        if values[k] < limit:
            break
    else:
        return "large"
    for k, floor in row.medium_at_least.items():
        if not values[k] >= floor:
            break
    else:
        return "medium"
    for k, floor in row.small_at_least.items():
        if not values[k] >= floor:
            break
    else:
        return "small"
    return "micro"


def possible_classes(row: IndustryRow, facts: Mapping[str, object]) -> frozenset[str]:
    candidates = {}
    for indicator, probes in row.probes.items():
        known = facts.get(indicator)
        candidates[indicator] = probes if known is None else (known,)
    names = list(candidates)
    return frozenset(classify(row, dict(zip(names, combo))) for combo in product(*candidates.values()))


def missing_indicators(row: IndustryRow, facts: Mapping[str, object]) -> list[str]:
    return [i for i in row.indicators if facts.get(i) is None]


def class_value(classes: frozenset[str]) -> str | Possible:
    """One class when settled, else the candidates (which conditions compare one by one)."""
    return next(iter(classes)) if len(classes) == 1 else Possible(classes)


def is_sme(classes: frozenset[str]) -> bool | None:
    if classes == {"large"}:
        return False
    return None if "large" in classes else True


def class_label(classes: frozenset[str] | None) -> str:
    if not classes:
        return "企业（规模待定）"
    if len(classes) == 1:
        return CLASS_LABELS[next(iter(classes))]
    if "large" not in classes:
        named = "或".join(CLASS_LABELS[c][:1] for c in ("medium", "small", "micro") if c in classes)
        return f"中小企业（{named}型）"
    return "企业（规模待定）"


def _show_indicator(row: IndustryRow, indicator: str, value: float) -> str:
    """Money in the table's unit (yuan → 万元, never rounded), counts whole, each with its unit."""
    if indicator in row.money:
        return f"{wan(value)}{row.units[indicator]}"
    return f"{int(value)}{row.units.get(indicator) or ''}"


def _limits(row: IndustryRow, limits: Mapping[str, float], names: Mapping[str, str]) -> str:
    return "且".join(f"{names[i]}{_show_indicator(row, i, v)}及以上" for i, v in limits.items())


def class_rule(row: IndustryRow, sme_class: str, names: Mapping[str, str]) -> str:
    """The row's rule for a class, in its own figures: '从业人员10人及以上且营业收入100万元及以上为小型企业'."""
    if sme_class == "large":
        return f"{_limits(row, row.sme_below, names)}为大型企业"
    if sme_class == "micro":
        return f"未达到{_limits(row, row.small_at_least, names)}的为微型企业"
    limits = row.medium_at_least if sme_class == "medium" else row.small_at_least
    return f"{_limits(row, limits, names)}为{CLASS_LABELS[sme_class]}"


def describe(row: IndustryRow, facts: Mapping[str, object], indicator_names: Mapping[str, str]) -> str:
    """The class with the rule row that gives it, or, while it is open, the rules that decide it: '餐饮业：从业人员
    12人、营业收入180万元，属于小型企业（从业人员10人及以上且营业收入100万元及以上为小型企业）'."""
    known = [f"{indicator_names[i]}{_show_indicator(row, i, facts[i])}" for i in row.indicators if facts.get(i) is not None]
    classes = possible_classes(row, facts)
    verdict = "达到大型企业标准" if classes == {"large"} else f"属于{class_label(classes)}"
    if len(classes) == 1:
        verdict += f"（{class_rule(row, next(iter(classes)), indicator_names)}）"
    else:
        deciding = [class_rule(row, c, indicator_names) for c in ("large", "medium", "small") if c in classes]
        verdict += f"，还要看{'、'.join(indicator_names[i] for i in missing_indicators(row, facts))}：{'；'.join(deciding)}"
    return f"{row.name}：{'、'.join(known)}，{verdict}" if known else f"{row.name}，{verdict}"
