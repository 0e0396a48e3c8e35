"""The store holds the notice verbatim, and every figure of the data stands in its clause."""

import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[1] / "policy_db" / "policies" / "liaocheng-2020-sme" / "source.txt"
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


@pytest.mark.parametrize("field", ["summary", "lender_duty"])
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
