"""The store holds the notice verbatim, and every figure of the data stands in its clause."""

import re
from pathlib import Path

import pytest
import yaml

POLICIES = Path(__file__).parents[1] / "policy_db" / "policies"
SOURCE = POLICIES / "liaocheng-2020-sme" / "source.txt"
SHARED = Path(__file__).parents[2] / "shared" / "policy" / "liaocheng-2020-sme-relief-measures.txt"
NUMBERED = re.compile(r"^\s*(\d+)\.")


def test_project_copy_of_the_notice_matches_the_shared_seed():
    if not SHARED.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert SOURCE.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


def test_every_numbered_item_of_the_notice_is_a_clause_stored_verbatim(policy):
    items = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines() if NUMBERED.match(line)]
    assert len(items) == 16
    stored = {c.text for c in policy.clauses.values()}
    for item in items:
        assert item in stored


def test_every_stored_clause_is_a_substring_of_the_notice(policy):
    text = SOURCE.read_text(encoding="utf-8")
    for clause in policy.clauses.values():
        assert clause.text in text, clause.label


def test_every_measure_of_the_contract_is_in_the_store(policy):
    ids = [m.id for m in policy.measures]
    expected = ["1.1", "1.2", "1.3", "2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "5.3", "5.4",
                *[str(n) for n in range(6, 17)]]
    assert ids == expected


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize("field", ["summary", "to_lender"])
def test_every_number_in_a_measure_text_appears_in_its_clause(policy, field):
    for m in policy.measures:
        text = getattr(m, field) or ""
        clause = policy.clauses[m.clause].text
        assert _numbers(text) <= _numbers(clause), (m.id, field, _numbers(text) - _numbers(clause))


def test_every_clause_parameter_is_written_in_its_clause(policy):
    cited = [p for p in policy.parameters.values() if p.reference in policy.clauses]
    assert len(cited) >= 10
    for p in cited:
        assert p.text in policy.clauses[p.reference].text, p.name


def test_parameters_outside_the_notice_cite_their_document(policy):
    for p in policy.parameters.values():
        if p.reference not in policy.clauses:
            assert "〔" in p.reference and "号" in p.reference, p.name


def test_every_measure_lists_only_departments_of_its_clause(policy):
    for m in policy.measures:
        clause = policy.clauses[m.clause].text
        for dept in m.departments:
            assert dept in clause, (m.id, dept)


def test_search_finds_the_rent_clause_for_a_colloquial_query(policy_store):
    hits = policy_store.search("房租能减免吗")
    assert hits and hits[0].clause == "5"


def test_search_treats_fts_syntax_in_user_text_as_words(policy_store):
    hits = policy_store.search('房租" OR NEAR( * 1=1 --')
    assert hits[0].clause == "5"


def test_every_measure_excerpt_is_verbatim_from_its_clause(policy):
    for m in policy.measures:
        assert m.excerpt and m.excerpt in policy.clauses[m.clause].text, m.id


def test_the_preamble_the_addressees_and_the_closing_paragraph_are_clauses(policy):
    text = SOURCE.read_text(encoding="utf-8")
    first_line = text.splitlines()[0].strip()
    assert policy.clauses[policy.references["addressees"]].text == first_line
    assert "鲁政办发〔2020〕4号" in policy.clauses[policy.references["implements"]].text
    closing = policy.clauses[policy.references["scope"]].text
    assert "国家、省出台相关支持政策的,我市遵照执行" in closing and "执行至2020年6月30日" in closing


def test_the_scope_sentence_quoted_in_refusals_is_in_its_clause(policy):
    assert policy.scope_quote in policy.clauses[policy.references["scope"]].text


KINDS = {"benefit", "lender_duty", "encouraged", "service", "for_workers", "for_lenders"}


@pytest.mark.parametrize("folder", sorted(p for p in POLICIES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_measure_of_the_data_has_a_kind_of_the_contract(folder):
    for m in yaml.safe_load((folder / "measures.yaml").read_text(encoding="utf-8")):
        assert m.get("kind") in KINDS, (folder.name, m["id"], m.get("kind"))


def test_a_benefit_amount_uses_only_figures_its_own_clause_states(policy):
    """An amount is given only where the text gives the figure for this enterprise (contract §2): every parameter
    of a benefit's formula is written in that measure's own clause."""
    for m in policy.measures:
        if m.kind != "benefit" or m.amount is None:
            continue
        clause = policy.clauses[m.clause]
        for name in m.amount.formula.names:
            p = policy.parameters.get(name)
            if p is not None:
                assert p.reference == m.clause and p.text in clause.text, (m.id, name)


def test_only_benefits_have_amounts_and_every_amount_says_whether_it_adds_to_the_total(policy):
    for m in policy.measures:
        if m.amount is None:
            continue
        assert m.kind == "benefit", m.id
        assert bool(m.amount.total_base) != bool(m.amount.total_excluded), m.id


def test_a_rule_taken_from_another_document_names_that_document(policy):
    for m in policy.measures:
        for c in (*m.conditions, *(c for part in m.parts for c in part.conditions)):
            outside = {policy.parameters[n].reference for n in c.test.names
                       if n in policy.parameters and policy.parameters[n].reference not in policy.clauses}
            for reference in outside:
                assert c.outside and reference in c.outside, (m.id, reference)


def test_every_part_quotes_its_clause_verbatim_and_parts_keep_the_contract_ids(policy):
    parted = {m.id: m for m in policy.measures if m.parts}
    assert set(parted) == {"14", "16"}
    for m in parted.values():
        assert len(m.parts) >= 2
        for part in m.parts:
            assert part.excerpt in m.excerpt and part.excerpt in policy.clauses[m.clause].text, (m.id, part.title)


def test_a_reading_other_than_the_letter_of_the_notice_is_declared(policy):
    m = policy.measure("1.2")
    assert "失业保证金" in m.excerpt and m.reading and "解读" in m.reading


# —— Every document folder, the national and provincial ones included: clauses and figures as their texts give them.
SHARED_DIR = Path(__file__).parents[2] / "shared" / "policy"
FOLDERS = sorted(p for p in POLICIES.iterdir() if p.is_dir())


def _meta(folder: Path) -> dict:
    return yaml.safe_load((folder / "policy.yaml").read_text(encoding="utf-8"))


def _shared_text(folder: Path) -> str:
    path = SHARED_DIR / _meta(folder)["source_text"]
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is not beside this checkout): the texts cannot be compared")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_each_documents_copy_is_its_shared_text(folder):
    assert (folder / "source.txt").read_text(encoding="utf-8") == _shared_text(folder)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_clause_of_every_document_stands_verbatim_in_its_shared_text(folder, policy_store):
    text = _shared_text(folder)
    policy = policy_store.policies[_meta(folder)["id"]]
    for clause in policy.clauses.values():
        assert clause.text in text, (folder.name, clause.label)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_parameter_of_every_document_is_written_in_its_clause_of_the_shared_text(folder, policy_store):
    text = _shared_text(folder)
    policy = policy_store.policies[_meta(folder)["id"]]
    for p in policy.parameters.values():
        if p.reference in policy.clauses:
            assert p.text in policy.clauses[p.reference].text and p.text in text, (folder.name, p.name)
        else:
            assert "〔" in p.reference and "号" in p.reference, p.name


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_excerpt_summary_and_department_rests_on_the_documents_text(folder, policy_store):
    text = (folder / "source.txt").read_text(encoding="utf-8")
    policy = policy_store.policies[_meta(folder)["id"]]
    sources = (SHARED_DIR.parent / "policy" / "SOURCES.md")
    listed = sources.read_text(encoding="utf-8") if sources.exists() else ""
    for m in policy.measures:
        clause = policy.clauses[m.clause].text
        assert m.excerpt in clause, m.id
        assert _numbers(m.summary) <= _numbers(clause), (m.id, _numbers(m.summary) - _numbers(clause))
        for dept in m.departments:  # the clause's 责任单位, or the issuers (in the text, or in SOURCES.md)
            outside = dept in listed if listed else dept == policy.issuer  # SOURCES.md is beside a checkout only
            assert dept in clause or dept in text or outside, (m.id, dept)


def test_the_national_notice_holds_items_one_to_five_verbatim(policy_store):
    policy = policy_store.policies["national-2020-si-relief"]
    lines = (POLICIES / "national-2020-si-relief" / "source.txt").read_text(encoding="utf-8").splitlines()
    items = [line for line in lines if line[:2] in {"一、", "二、", "三、", "四、", "五、"}]
    assert len(items) == 5 and all(item in {c.text for c in policy.clauses.values()} for item in items)
    assert policy.number == "人社部发〔2020〕11号" and policy.level == "国家"
    assert "工信部联企业〔2011〕300号" in policy.clauses[policy.references["classification"]].text


def test_each_document_says_its_number_issuer_and_level_as_its_text_and_sources_give_them(policy_store):
    si, vat = policy_store.policies["national-2020-si-relief"], policy_store.policies["national-2020-vat-small-scale"]
    shandong = policy_store.policies["shandong-2020-si-relief"]
    assert (vat.number, vat.level, vat.issuer) == ("财政部 税务总局公告2020年第13号", "国家", "财政部、税务总局")
    assert (si.issuer, si.in_force_from.isoformat()) == ("人力资源社会保障部、财政部、税务总局", "2020-02-01")
    assert (vat.in_force_from.isoformat(), vat.in_force_until.isoformat()) == ("2020-03-01", "2020-05-31")
    assert shandong.level == "省" and shandong.number is None and "不是实施文件本身" in shandong.nature
    for policy in (si, vat, shandong):
        text = (POLICIES / policy.id / "source.txt").read_text(encoding="utf-8")
        assert policy.number is None or policy.number in text
        assert policy.period and all(part in text.replace(",", "，") or part in text
                                     for part in policy.period.split("，")), policy.id


def test_months_a_province_sets_beyond_the_national_cap_say_where_they_come_from(policy_store):
    shandong = policy_store.policies["shandong-2020-si-relief"]
    for m in shandong.measures:
        assert m.implements and policy_store.find(m.implements)
        assert m.note and "人社部发〔2020〕11号" in m.note and "本库未收录" in m.note


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_benefit_amount_of_every_document_uses_only_figures_its_own_clause_states(folder, policy_store):
    policy = policy_store.policies[_meta(folder)["id"]]
    for m in policy.measures:
        if m.amount is None:
            continue
        assert m.kind == "benefit" and bool(m.amount.total_base) != bool(m.amount.total_excluded), m.id
        for name in m.amount.formula.names:
            p = policy.parameters.get(name)
            if p is not None:
                assert p.reference == m.clause and p.text in policy.clauses[m.clause].text, (m.id, name)
