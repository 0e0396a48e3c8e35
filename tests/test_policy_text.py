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
