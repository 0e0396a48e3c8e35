"""What the answers say about one measure: the figures its clause gives for the topic asked (a rate, a cap, months),
its departments, its approval, whom it is for, or that its text says nothing on the matter (未作规定) and whom to ask;
with its kind's note, its own note, and for a lender the lender's duty. The figures are the store's parameters of
the measure's clause, never made up."""

from __future__ import annotations

from .model import Measure, Policy
from .qa_citing import quote
from .qa_words import cue_file
from .store import Store

UNIT_OF_TOPIC = {"rate": {"percent"}, "cap": {"yuan"}, "months": {"months"}}
FIGURE_UNITS = set().union(*UNIT_OF_TOPIC.values())


def figures(policy: Policy, measure: Measure, units: set[str]) -> list[str]:
    """'description：text' for each parameter of the measure's own clause in ``units``."""
    params = [policy.parameters[n] for n in measure.parameter_names(policy.parameters)]
    return [f"{p.description}：{p.text}" for p in params if p.unit in units and p.reference == measure.clause]


def about_measure(policy: Policy, measure: Measure, topic: str | None, topics: list[str]) -> tuple[str, bool]:
    """The sentences answering ``topic`` about one measure, and whether the notice states it."""
    if topic in UNIT_OF_TOPIC:
        units = set().union(*(UNIT_OF_TOPIC[t] for t in topics if t in UNIT_OF_TOPIC))
        found = figures(policy, measure, units)
        if found:
            return f"{'；'.join(found)}。{quote(measure, policy)}", True
        given, missing = figures(policy, measure, FIGURE_UNITS), cue_file()["figures_missing"]
        if given and units != UNIT_OF_TOPIC["months"]:  # "房租减免能省多少": the months the clause gives
            return f"{'；'.join(given)}。{quote(measure, policy)}", True
        if given:  # "稳岗返还能返几个月": no months, but a share
            lead = missing["months"].format(called=policy.called, title=measure.title)
            return f"{lead}{'；'.join(given)}。{quote(measure, policy)}", False
        if measure.not_given:
            return f"{policy.called}未作规定：{measure.not_given}。{measure.title}：{measure.summary}", False
        return missing["any"].format(called=policy.called, title=measure.title) + measure.summary, False
    if topic == "departments":
        return f"{measure.title}的责任单位是{'、'.join(measure.departments)}。{quote(measure, policy)}", True
    if topic == "approval":
        if measure.approval:
            return f"{measure.title}须{measure.approval}。{quote(measure, policy)}", True
        return f"{policy.called}未作规定{measure.title}的审批程序。{quote(measure, policy)}", False
    if topic == "not_stated":
        missing = f"（{measure.not_given}）" if measure.not_given else ""
        return (f"{policy.called}未作规定这方面的具体内容{missing}，请向{'、'.join(measure.departments)}咨询。"
                f"关于{measure.title}，{quote(measure, policy)}"), False
    if topic == "who":
        lead = ""
        if measure.audience == "enterprise" and policy.scope_quote:
            clause = policy.clauses[policy.references["scope"]].label
            lead = f"支持对象：“{policy.scope_quote}”（{clause}）。"
        return f"{measure.title}：{quote(measure, policy)}{lead}", True
    return f"{measure.title}：{quote(measure, policy)}", True


def one_measure(store: Store, policy: Policy, measure: Measure, topic: str | None, topics: list[str],
                lender: bool) -> tuple[str, bool]:
    """The answer about one measure with its kind's note and its own; a lender hears its duty."""
    kind = store.words.kinds[measure.kind]
    if lender and measure.to_lender:
        return f"{measure.title}：{kind.lender_lead}{measure.to_lender}", True
    sentence, stated = about_measure(policy, measure, topic, topics)
    if kind.note:
        sentence += f"{kind.note}。"
    if measure.note:
        sentence += f"注：{measure.note}。"
    return sentence, stated


def term_note(terms: tuple[str, ...], policy: Policy, answered: str, home: Policy) -> str:
    """The meaning of a term the question uses (e.g. 裁员 → how 少裁员 is read), when not already said; read by
    ``policy`` when it holds the term's parameters, else by the place's own notice (``home``), whose term it is."""
    for term, meaning in cue_file()["terms"].items():
        if term in terms and "parameters" in meaning:
            if not all(n in policy.parameters for n in meaning["parameters"]):
                policy = home
            params = [policy.parameters[n] for n in meaning["parameters"]]
            if not all(p.text in answered for p in params):
                refs = "、".join(dict.fromkeys(p.reference for p in params))
                return f"另：{policy.called}没有给“{meaning.get('defines', term)}”下定义，实践中按{refs}执行：" + "；".join(
                    f"{p.description}（{p.text}）" for p in params) + "。"
    return ""
