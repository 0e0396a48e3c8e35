"""An assessment as concise Chinese text: what applies and how much, what is still open, what does not apply."""

from __future__ import annotations

from .assessment import Assessment, MeasureResult


def money(amount: float) -> str:
    """3000 → '3,000元'; 150000 → '150,000元（15万元）'."""
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return f"{text}元（{amount / 10_000:g}万元）" if amount >= 100_000 else f"{text}元"


def source(result: MeasureResult, assessment: Assessment) -> str:
    clause = assessment.policy.clauses[result.measure.clause].label
    return f"依据{clause}，责任单位：{'、'.join(result.measure.departments)}"


def eligible_line(r: MeasureResult, a: Assessment) -> str:
    parts = [f"✅ {r.measure.id} {r.measure.title}"]
    if r.amount_yuan is not None:
        parts.append(f"：{r.measure.amount.label}{money(r.amount_yuan)}（{r.formula}）")
    elif r.missing:
        parts.append(f"：金额还需{'、'.join(r.missing_labels)}才能估算")
    if r.months:
        parts.append(f"，期限最长{r.months}个月")
    if r.measure.approval:
        parts.append(f"，须{r.measure.approval}")
    parts.append(f"。{source(r, a)}。")
    return "".join(parts)


def unknown_line(r: MeasureResult, a: Assessment) -> str:
    return f"❔ {r.measure.id} {r.measure.title}：{r.why}（{a.policy.clauses[r.measure.clause].label}）"


def ineligible_line(r: MeasureResult, a: Assessment) -> str:
    return f"✖ {r.measure.id} {r.measure.title}：{r.why}"


def expiry_notice(a: Assessment) -> str:
    until, since = _day(a.policy.in_force_until), _day(a.policy.in_force_from)
    if a.expired:
        return f"提示：《{a.policy.short_title}》已于{until}执行期满，以下金额仅供参考。"
    if a.not_yet_in_force:
        return (f"提示：《{a.policy.short_title}》自{since}起执行，{_day(a.as_of)}时尚未施行，"
                f"以下按通知内容测算，仅供参考。")
    return f"本政策执行至{until}。"


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _grouped(results: list[MeasureResult]) -> list[str]:
    """Measures sharing one reason on one line: "1.2 失业保险金上调、5.4 孵化基地运营补贴：…"."""
    groups: dict[str, list[str]] = {}
    for r in results:
        groups.setdefault(r.why, []).append(f"{r.measure.id} {r.measure.title}")
    return [f"{'、'.join(names)}：{why}" for why, names in groups.items()]


def _titles(results: list[MeasureResult]) -> str:
    return "、".join(f"{r.measure.id} {r.measure.title}" for r in results)


def render(a: Assessment, *, compact: bool = False) -> str:
    """The whole assessment. ``compact`` (for chat) keeps open and ineligible measures to one line each unless
    they share one reason, and points to asking "why not" for the rest."""
    lines = [expiry_notice(a), f"企业规模：{a.sme_reason}。"]
    eligible, unknown, ineligible = a.by_status("eligible"), a.by_status("unknown"), a.by_status("ineligible")
    if eligible:
        lines.append(f"可以享受（{len(eligible)}项）：")
        lines += [eligible_line(r, a) for r in eligible]
    total = sum(r.amount_yuan for r in eligible if r.amount_yuan is not None)
    if total:
        lines.append(f"可估算金额合计约{money(total)}（缓缴、减免、返还性质不同，合计仅供参考）。")
    if unknown:
        lines.append(f"还不能确定（{len(unknown)}项）：")
        if compact and len(unknown) > 5:
            lines.append(f"❔ {_titles(unknown)}")
        else:
            lines += [f"❔ {line}" for line in _grouped(unknown)] if compact else [unknown_line(r, a) for r in unknown]
    if ineligible:
        lines.append(f"不适用（{len(ineligible)}项）：")
        reasons = _grouped(ineligible)
        if compact and len(reasons) > 3:
            lines.append(f"✖ {_titles(ineligible)}（想知道原因，可以问“为什么不能享受××”）")
        else:
            lines += [f"✖ {line}" for line in reasons] if compact else [ineligible_line(r, a) for r in ineligible]
    return "\n".join(lines)


STATUS_WORDS = {"eligible": "可以享受", "unknown": "还不能确定", "ineligible": "不适用"}


def _state(r: MeasureResult) -> str:
    words = STATUS_WORDS[r.status]
    return f"{words}（{money(r.amount_yuan)}）" if r.amount_yuan is not None else words


def changes(before: Assessment, after: Assessment) -> list[str]:
    """What differs between two assessments, measure by measure: '5.1 国有房产减免房租：还不能确定 → 可以享受（15,000元）'."""
    lines = []
    if before.sme_class != after.sme_class and after.sme_class:
        lines.append(f"企业规模：{before.sme_label} → {after.sme_label}")
    for old, new in zip(before.results, after.results):
        if (old.status, old.amount_yuan) != (new.status, new.amount_yuan):
            lines.append(f"{new.measure.id} {new.measure.title}：{_state(old)} → {_state(new)}")
    return lines


def show_value(spec, value) -> str:
    """A fact's value as a person reads it: 是/否, 12人, 1,800,000元."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if spec.type == "money":
        return money(float(value))
    if spec.unit:
        return f"{value}{spec.unit}"
    return str(value)
