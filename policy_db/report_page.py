"""The 政策匹配报告: one assessment as a printable HTML page, for owners (the chat's result card) and for the
hotline's call record (工单), which shares this renderer (``render_page(..., extra=...)``).

Everything shown comes from the engine's assessment and the store: the facts as given, the SME class with its rule
row, each document with its validity on the as-of day, each measure with its status, amount, formula, clause excerpt
and departments, what the text does not say (only where the data lets us say it: the clause holds no such words, and
the data names whom to ask), the total, and the store's fingerprint as the version of the policy data.

Every value, of the user or of the store, goes through :func:`html.escape`; the page has no script or style of its
own (it links ``/chat/report.css`` and ``/chat/report.js``, the pages' CSP forbids inline ones). No Rasa here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Iterable, Mapping

from . import report
from .report import day_text
from .assessment import Assessment, Group, MeasureResult, PolicyView
from .store import Store

TITLE = "政策匹配报告"
STYLESHEET = "/chat/report.css"
ICON = "/chat/avatar-bot.svg"
SCRIPT = "/chat/report.js"

# What a text may leave open, with the words that would show it does say it. A topic is reported as "未作规定" for a
# measure only when its clause holds none of these words, and only with someone the data names to ask.
NOT_STATED = (("申请材料", ("材料", "资料", "申请表", "证明")),
              ("办理地点和方式", ("地点", "地址", "窗口", "网址", "网站", "平台", "网上")))


@dataclass(frozen=True)
class Extra:
    """A section a caller adds before the facts (the call record's caller, questions, follow-up): its heading and
    rows of (label, value), both plain text (escaped here)."""

    heading: str
    rows: tuple[tuple[str, str], ...]


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def standing(view: PolicyView) -> str:
    """Whether the document was in force on the as-of day, from its dates."""
    if view.expired:
        return f"截至{day_text(view.as_of)}已执行期满，金额仅供参考"
    if view.not_yet_in_force:
        return f"截至{day_text(view.as_of)}尚未施行"
    return f"截至{day_text(view.as_of)}在执行期内"


def whom_to_ask(store: Store, policy, measure) -> tuple[str, ...]:
    """Whom the data says to ask about a measure: its 责任单位, or for a document naming only its issuers, the local
    department place.yaml names for its matter (as Q&A does), else the issuers."""
    if policy.department_role != "责任单位":
        local = store.place.consult.get(policy.matter or "")
        if local:
            return (local,)
    return tuple(measure.departments)


def not_stated(store: Store, policy, measure) -> list[str]:
    """'申请材料、办理地点和方式：通知未作规定，请向市人力资源社会保障局、市财政局咨询。' — only the topics the clause holds no
    word of, plus the data's own `not_given`; nothing when the data names nobody to ask."""
    whom = whom_to_ask(store, policy, measure)
    if not whom:
        return []
    text = policy.clauses[measure.clause].text + measure.excerpt
    topics = [name for name, words in NOT_STATED if not any(w in text for w in words)]
    lines = []
    if measure.not_given:
        lines.append(f"{policy.called}未作规定：{measure.not_given}。")
    if topics:
        lines.append(f"{'、'.join(topics)}：{policy.called}未作规定，请向{'、'.join(whom)}咨询。")
    return lines


def facts_rows(store: Store, facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value as a person reads it) for each fact, in the order given."""
    rows = []
    for name, value in facts.items():
        spec = store.facts.get(name)
        if spec is None or value is None:
            continue
        rows.append((spec.label, report.show_value(spec, value)))
    return rows


def _state(a: Assessment, m, status: str) -> str:
    return a.words.kinds[m.kind].state if status == "eligible" else a.words.statuses.get(status, status)


def _measure(r: MeasureResult, a: Assessment, store: Store) -> str:
    m, p = r.measure, r.policy or a.policy
    state = a.state(r)
    lines = [f'<section class="measure status-{_e(r.status)}" data-measure="{_e(m.id)}">',
             f'<h4><span class="measure-name">{_e(m.name)}</span> '
             f'<span class="measure-state">{_e(state)}</span></h4>', "<dl>"]

    def row(cls: str, label: str, value: str) -> None:
        lines.append(f'<div class="{cls}"><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>')

    if r.amount_yuan is not None and m.amount:
        row("amount", m.amount.label, report.money(r.amount_yuan))
    if r.formula:
        row("formula", "计算", r.formula)
    if r.months:
        row("months", "期限", r.months_text or f"{r.months}个月")
    if r.status != "eligible" or not (r.amount_yuan is not None or r.formula):
        row("why", "说明", r.why)
    elif r.links:
        row("why", "另见", "；".join(r.links))
    if r.parts:
        row("parts", "分项", "；".join(f"{x.part.title}：{_state(a, m, x.status)}" for x in r.parts))
    if m.approval:
        row("approval", "程序", f"须{m.approval}")
    if r.status != "ineligible":
        row("summary", "内容", m.summary)
    reading = f"（{m.reading}）" if m.reading else ""
    row("excerpt", f"{p.called}原文（{r.clause_label}）", f"“{m.excerpt}”{reading}")
    row("departments", p.department_role, "、".join(m.departments))
    if m.note:
        row("note", "注", m.note)
    if r.status != "ineligible" and m.kind == "benefit":
        for line in not_stated(store, p, m):
            row("not-stated", f"{p.called}未规定", line)
    lines.append("</dl></section>")
    return "\n".join(lines)


def _group(g: Group, a: Assessment, store: Store) -> str:
    note = f'<p class="group-note">{_e(g.note)}</p>' if g.note else ""
    body = "\n".join(_measure(r, a, store) for r in g.results)
    kind = f" group-kind-{_e(g.kind)}" if g.kind else ""
    data = f' data-kind="{_e(g.kind)}"' if g.kind else ""
    return (f'<section class="group group-{_e(g.status)}{kind}"{data}>'
            f"<h3>{_e(g.title)}（{len(g.results)}项）</h3>{note}\n{body}</section>")


def _document(view: PolicyView, a: Assessment, store: Store) -> str:
    p = view.policy
    head = a.words.documents["heading"].format(level=p.level, cited=p.cited, issuer=p.issuer)
    if p.nature:
        head += a.words.documents["nature"].format(nature=p.nature)
    validity = (f"执行期：{p.period or ''}（{day_text(p.in_force_from)}至{day_text(p.in_force_until)}），"
                f"{standing(view)}")
    groups = "\n".join(_group(g, a, store) for g in a.groups(view.results))
    return (f'<section class="document" data-policy="{_e(p.id)}"><h2>{_e(head)}</h2>'
            f'<p class="validity">{_e(validity)}</p>\n{groups}</section>')


def _table(rows: Iterable[tuple[str, str]], cls: str) -> str:
    body = "".join(f"<tr><th scope=\"row\">{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<table class="{cls}"><tbody>{body}</tbody></table>'


def render_page(a: Assessment, store: Store, facts: Mapping[str, Any] | None = None, *,
                title: str = TITLE, extra: Iterable[Extra] = ()) -> str:
    """The whole report as an HTML document. ``facts`` are the facts as given (default: the assessment's)."""
    facts = a.facts if facts is None else facts
    c = store.classification_for(a.policy)
    parts = ["<!doctype html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(title)}</title>", f'<link rel="stylesheet" href="{STYLESHEET}">',
             f'<link rel="icon" href="{ICON}" type="image/svg+xml">',
             f'<script type="module" src="{SCRIPT}"></script>', "</head><body>",
             '<header class="report-head">',
             f"<h1>{_e(title)}</h1>",
             f'<p class="meta">评估日期：<span class="as-of">{_e(day_text(a.as_of))}</span>'
             f'　政策数据版本：<span class="version">{_e(store.fingerprint)}</span></p>',
             '<p class="actions"><button type="button" id="print" class="print-button">打印或保存为PDF</button></p>',
             "</header>", "<main>"]
    parts.append(f'<p class="notice" role="note">{_e(report.expiry_notice(a))}</p>')
    for section in extra:
        parts.append(f'<section class="extra"><h2>{_e(section.heading)}</h2>{_table(section.rows, "rows")}</section>')
    parts.append(f'<section class="facts"><h2>企业情况（按您提供的信息）</h2>'
                 f'{_table(facts_rows(store, facts), "rows facts-table")}</section>')
    if not a.for_lender:
        parts.append(f'<section class="sme-class"><h2>{_e(a.words.pages.get("class_heading", "企业规模"))}：'
                     f'<span class="class-label">{_e(a.sme_label)}</span></h2>'
                     f'<p class="class-rule">{_e(a.sme_reason)}</p>'
                     f'<p class="class-source">划型依据：《{_e(c.title)}》（{_e(c.document)}）</p></section>')
    views = a.views or (PolicyView(a.policy, a.as_of, a.results),)
    parts += [_document(v, a, store) for v in views]
    total = report.total_line(a)
    if total:
        parts.append(f'<section class="total"><p>{_e(total)}</p></section>')
    parts += ["</main>", '<footer class="report-foot">',
              f"<p>本报告由惠企政策助手按上述信息和政策数据（版本 {_e(store.fingerprint)}）测算，"
              f"金额为估算，以有关部门办理结果为准。</p>",
              "</footer></body></html>"]
    return "\n".join(parts)
