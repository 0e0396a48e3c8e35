"""The store holds the notice verbatim, and every figure of the data stands in its clause: the store's checks
(policy_db.checks, the same the workbench runs on a draft) pass on every document held, and what is particular to
each document holds."""

import re
from pathlib import Path

import pytest
import yaml

from policy_db import checks

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


def test_every_measure_of_the_contract_is_in_the_store(policy):
    ids = [m.id for m in policy.measures]
    expected = ["1.1", "1.2", "1.3", "2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "5.3", "5.4",
                *[str(n) for n in range(6, 17)]]
    assert ids == expected


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


def test_the_preamble_the_addressees_and_the_closing_paragraph_are_clauses(policy):
    text = SOURCE.read_text(encoding="utf-8")
    first_line = text.splitlines()[0].strip()
    assert policy.clauses[policy.references["addressees"]].text == first_line
    assert "鲁政办发〔2020〕4号" in policy.clauses[policy.references["implements"]].text
    closing = policy.clauses[policy.references["scope"]].text
    assert "国家、省出台相关支持政策的,我市遵照执行" in closing and "执行至2020年6月30日" in closing


KINDS = {"benefit", "lender_duty", "encouraged", "service", "for_workers", "for_lenders"}


@pytest.mark.parametrize("folder", sorted(p for p in POLICIES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_measure_of_the_data_has_a_kind_of_the_contract(folder):
    for m in yaml.safe_load((folder / "measures.yaml").read_text(encoding="utf-8")):
        assert m.get("kind") in KINDS, (folder.name, m["id"], m.get("kind"))


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


# —— The store's checks (policy_db.checks), on every document held: one definition, the workbench's too.
CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _source(folder: Path) -> str:
    """The document's text (source.txt: a copy of ../shared/policy's, test_each_documents_copy_is_its_shared_text)."""
    return (folder / "source.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
@pytest.mark.parametrize("check", ["verbatim", "dates"])
def test_every_document_passes_the_checks_of_its_text(folder, check, policy_store):
    policy = policy_store.policies[_meta(folder)["id"]]
    assert [p.message for p in getattr(checks, check)(policy, _source(folder))] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_figure_of_every_document_stands_in_its_clause_with_its_value(folder, policy_store):
    assert [p.message for p in checks.parameters(policy_store.policies[_meta(folder)["id"]])] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_name_a_document_reads_is_a_defined_fact_or_its_own_parameter(folder, policy_store):
    assert [p.message for p in checks.facts(policy_store.policies[_meta(folder)["id"]], policy_store)] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_no_money_of_a_document_is_counted_twice_in_the_total(folder, policy_store):
    assert [p.message for p in checks.double_counting(policy_store, _meta(folder)["id"])] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_the_expert_cases_show_every_condition_of_every_document_holding_and_failing(folder, policy_store):
    cases = [case for path in CASES for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    assert [p.message for p in checks.cases(cases, policy_store, _meta(folder)["id"])] == []
