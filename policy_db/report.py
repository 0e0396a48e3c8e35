"""An assessment as concise Chinese text: document by document, what applies, grouped by kind of help ("可以享受"
only for benefits), the total an owner could actually receive, what is still open, what does not apply."""

from __future__ import annotations

from .amounts import grouped, wan
from .assessment import Assessment, Group, MeasureResult, PolicyView


def money(amount: float) -> str:
    """3000 → '3,000元'; 150000 → '150,000元（15万元）'; never rounded (399999.99 → '399,999.99元（39.999999万元）')."""
    text = f"{grouped(amount)}元"
    return f"{text}（{wan(amount)}万元）" if amount >= 100_000 else text


def source(result: MeasureResult, assessment: Assessment) -> str:
    policy = result.policy or assessment.policy
    clause = policy.clauses[result.measure.clause].label
    return f"依据{clause}，{policy.department_role}：{'、'.join(result.measure.departments)}"


def _mark(r: MeasureResult, a: Assessment) -> str:
    """The kind's mark (✅ for a benefit), or the not-yet mark for a measure whose document is not in force yet."""
    return a.words.documents["not_yet_mark"] if a.pending(r) else a.words.kinds[r.measure.kind].mark


def eligible_line(r: MeasureResult, a: Assessment) -> str:
    parts = [f"{_mark(r, a)} {r.measure.name}"]
    if r.amount_yuan is not None:
        parts.append(f"：{r.measure.amount.label}{money(r.amount_yuan)}（{r.formula}）")
    elif r.missing:
        parts.append(f"：金额还需{'、'.join(r.missing_labels)}才能估算")
    if r.months_text:
        parts.append(f"，{r.months_text}")
    if r.measure.approval:
        parts.append(f"，须{r.measure.approval}")
    parts.append(f"。{source(r, a)}。")
    parts += [f"{link}。" for link in r.links]
    if r.measure.note:
        parts.append(f"注：{r.measure.note}。")
    return "".join(parts)


def other_line(r: MeasureResult, a: Assessment, *, compact: bool) -> str:
    """A measure that applies but is not a benefit: what it is (or, to a lender, what it says to it)."""
    if a.for_lender:
        detail = r.why
    elif r.parts:
        detail = f"适用于{'、'.join(p.part.title for p in r.applying_parts)}"
    else:
        detail = "" if compact else r.measure.summary
    clause = r.clause_label
    text = f"{_mark(r, a)} {r.measure.name}"
    return f"{text}：{detail.rstrip('。')}（{clause}）" if detail else f"{text}（{clause}）"


def total_line(a: Assessment) -> str | None:
    """'可享受金额（估算）：18,000元 = 1.1 稳岗返还3,000元 + 5.1 国有房产减免房租15,000元（未计入：…）'."""
    t = a.total
    if t is None or not t.parts:
        return None
    line = f"{a.words.total['label']}：{money(t.amount_yuan)}"
    if len(t.parts) > 1:
        line += " = " + " + ".join(f"{a.name(r)}{money(r.amount_yuan)}" for r in t.parts)
    else:
        line += f"（{a.name(t.parts[0])}）"
    note = a.total_payload()["note"]
    return f"{line}（{note}）。" if note else f"{line}。"


def unknown_line(r: MeasureResult, a: Assessment) -> str:
    return f"❔ {r.measure.name}：{r.why}（{r.clause_label}）"


def ineligible_line(r: MeasureResult, a: Assessment) -> str:
    return f"✖ {r.measure.name}：{r.why}"


def expiry_notice(a: Assessment) -> str:
    until, since = day_text(a.policy.in_force_until), day_text(a.policy.in_force_from)
    if a.expired:
        return f"提示：《{a.policy.short_title}》已于{until}执行期满，以下金额仅供参考。"
    if a.not_yet_in_force:
        return (f"提示：《{a.policy.short_title}》自{since}起执行，{day_text(a.as_of)}时尚未施行，"
                f"以下按通知内容测算，仅供参考。")
    return f"本政策执行至{until}。"


def day_text(day) -> str:
    """2020-06-30 → '2020年6月30日', as every page and answer writes a day."""
    return f"{day.year}年{day.month}月{day.day}日"


def _grouped(results: list[MeasureResult]) -> list[str]:
    """Measures sharing one reason on one line: "1.2 失业保险金上调、5.4 孵化基地运营补贴：…"."""
    groups: dict[str, list[str]] = {}
    for r in results:
        groups.setdefault(r.why, []).append(r.measure.name)
    return [f"{'、'.join(names)}：{why}" for why, names in groups.items()]


def _titles(results: list[MeasureResult]) -> str:
    return "、".join(r.measure.name for r in results)


def applying_line(r: MeasureResult, a: Assessment, *, compact: bool = False) -> str:
    """A measure that applies, as what its sentence makes it: a benefit with its amount and formula, else what it is."""
    return eligible_line(r, a) if r.measure.kind == "benefit" else other_line(r, a, compact=compact)


def _eligible_group(g: Group, a: Assessment, compact: bool, with_total: bool) -> list[str]:
    heading = f"{g.title}（{len(g.results)}项）：" + (f"{g.note}。" if g.note else "")
    lines = [applying_line(r, a, compact=compact) for r in g.results]
    total = [total_line(a)] if with_total and g.kind == "benefit" else []
    return [heading, *lines, *filter(None, total)]


def document_heading(view: PolicyView, a: Assessment) -> str:
    """'【国家】《阶段性减免企业社会保险费的通知》（人社部发〔2020〕11号），人力资源社会保障部、财政部、税务总局' and, for
    any document but the first (whose notice opens the answer), its period."""
    words, p = a.words.documents, view.policy
    line = words["heading"].format(level=p.level, cited=p.cited, issuer=p.issuer)
    if p.nature:
        line += words["nature"].format(nature=p.nature)
    if view.policy.id == a.policy.id or not p.period:
        return line
    if view.expired:
        return f"{line}。{words['expired'].format(period=p.period)}"
    if view.not_yet_in_force:
        return f"{line}。{words['not_yet'].format(period=p.period, day=day_text(a.as_of))}"
    return f"{line}。{words['in_force'].format(period=p.period)}"


def render(a: Assessment, *, compact: bool = False) -> str:
    """The whole assessment, document by document (the place's own first), each grouped by kind of help, then the
    total across documents. ``compact`` (for chat) keeps open and ineligible measures to one line each unless they
    share one reason, and points to asking "why not" for the rest."""
    lines = [expiry_notice(a)]
    if not a.for_lender:
        lines.append(f"企业规模：{a.sme_reason}。")
    views = a.views or (PolicyView(a.policy, a.as_of, a.results),)
    several = len(views) > 1
    for view in views:
        groups = a.groups(view.results)
        if several and a.for_lender and not any(g.status == "eligible" for g in groups):
            continue
        if several:
            lines.append(document_heading(view, a))
        lines += _groups(groups, a, compact, with_total=not several)
    if several and total_line(a):
        lines.append(total_line(a))
    return "\n".join(lines)


def _groups(groups: list[Group], a: Assessment, compact: bool, with_total: bool) -> list[str]:
    lines: list[str] = []
    for g in groups:
        results = list(g.results)
        if g.status == "eligible":
            lines += _eligible_group(g, a, compact, with_total)
        elif g.status == "unknown":
            lines.append(f"{g.title}（{len(results)}项）：")
            if compact and len(results) > 5:
                lines.append(f"❔ {_titles(results)}")
            else:
                lines += [f"❔ {line}" for line in _grouped(results)] if compact else [unknown_line(r, a) for r in results]
        else:
            lines.append(f"{g.title}（{len(results)}项）：")
            reasons = _grouped(results)
            if compact and len(reasons) > 3:
                lines.append(f"✖ {_titles(results)}（想知道原因，可以问“为什么不能享受××”）")
            else:
                lines += [f"✖ {line}" for line in reasons] if compact else [ineligible_line(r, a) for r in results]
    return lines


def _state(a: Assessment, r: MeasureResult) -> str:
    words = a.state(r)
    return f"{words}（{money(r.amount_yuan)}）" if r.amount_yuan is not None else words


def changes(before: Assessment, after: Assessment) -> list[str]:
    """What differs between two assessments, measure by measure: '5.1 国有房产减免房租：还不能确定 → 可以享受（15,000元）'."""
    lines = []
    if before.sme_class != after.sme_class and after.sme_class:
        lines.append(f"企业规模：{before.sme_label} → {after.sme_label}")
    for old, new in zip(before.results, after.results):
        if (old.status, old.amount_yuan) != (new.status, new.amount_yuan):
            lines.append(f"{after.name(new)}：{_state(before, old)} → {_state(after, new)}")
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
