"""A notice's text becomes a draft: its clauses as the notice numbers them, verbatim, and the figures each states.

Table tests on the real notices of ../shared/policy: every clause the store holds for a document comes out of its
text verbatim, and every parameter the store holds is a figure found in its clause, with the same value."""

import io
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from policy_db.clause_figures import find_figures
from policy_db.docx_text import text_of_docx
from policy_db.drafting import draft

POLICIES = Path(__file__).parents[2] / "policy_db" / "policies"
SHARED = Path(__file__).parents[3] / "shared" / "policy"
FOLDERS = sorted(p for p in POLICIES.iterdir() if p.is_dir())


def _known_departments(store) -> set[str]:
    return {d for p in store.policies.values() for m in p.measures for d in m.departments}


def _shared_text(folder: Path) -> str:
    """The notice as ../shared/policy holds it; where that is not beside the checkout, the folder's source.txt (a
    copy of it, tests/test_policy_text.py)."""
    meta = yaml.safe_load((folder / "policy.yaml").read_text(encoding="utf-8"))
    path = SHARED / meta["source_text"]
    return (path if path.exists() else folder / "source.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def drafts(policy_store):
    return {folder.name: draft(_shared_text(folder), _known_departments(policy_store)) for folder in FOLDERS}


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_clause_the_store_holds_comes_out_of_the_text_verbatim(folder, drafts, policy_store):
    drafted = {c.text for c in drafts[folder.name].clauses}
    for clause in policy_store.policies[folder.name].clauses.values():
        assert clause.text in drafted, (folder.name, clause.label)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_drafted_clause_is_the_slice_of_the_source_it_says(folder, drafts):
    d = drafts[folder.name]
    for clause in d.clauses:
        assert d.source[clause.start:clause.end] == clause.text
        for f in clause.figures:
            assert clause.text[f.start:f.end] == f.text


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_parameter_the_store_holds_is_a_figure_found_in_its_clause(folder, drafts, policy_store):
    policy = policy_store.policies[folder.name]
    by_text = {c.text: c for c in drafts[folder.name].clauses}
    cited = [p for p in policy.parameters.values() if p.reference in policy.clauses]
    assert cited
    for p in cited:
        clause = by_text[policy.clauses[p.reference].text]
        at = clause.text.index(p.text)
        figures = [f for f in clause.figures if f.start < at + len(p.text) and at < f.end]
        values = {v for _, v in p.values}
        assert any(f.parameter_unit == p.unit and f.value in values for f in figures), (p.name, figures)


def test_the_city_notice_keeps_its_sections_headings_addressees_preamble_and_closing(drafts):
    d = drafts["liaocheng-2020-sme"]
    numbers = [c.number for c in d.clauses]
    assert numbers == ["addressees", "preamble", *map(str, range(1, 17)), "closing"]
    first = d.clauses[2]
    assert (first.label, first.section, first.heading) == ("第1条", "一、稳定职工队伍", "实施援企稳岗政策")
    assert d.clauses[-2].section == "四、加大政策执行力度"
    record = d.policy_record()
    assert (record["issuer"], record["issued"]) == ("聊城市人民政府办公室", "2020-02-07")
    assert (record["in_force_from"], record["in_force_until"]) == ("2020-02-07", "2020-06-30")
    assert record["period"] == "自发布之日起执行至2020年6月30日" and record["in_force_reference"] == "closing"


def test_the_header_gives_title_number_issuers_and_what_the_text_calls_itself(drafts):
    vat = drafts["national-2020-vat-small-scale"].policy_record()
    assert vat["title"] == "财政部 税务总局关于支持个体工商户复工复业增值税政策的公告"
    assert (vat["short_title"], vat["number"], vat["called"]) == (
        "支持个体工商户复工复业增值税政策的公告", "财政部 税务总局公告2020年第13号", "公告")
    assert (vat["issuer"], vat["issued"], vat["in_force_from"], vat["in_force_until"]) == (
        "财政部、税务总局", "2020-02-28", "2020-03-01", "2020-05-31")
    si = drafts["national-2020-si-relief"]
    assert si.policy_record()["issuer"] == "人力资源社会保障部、财政部、税务总局"  # split by the known names
    assert [c.label for c in si.clauses[2:]] == ["第一项", "第二项", "第三项", "第四项", "第五项"]
    assert "no_issued" in si.notes and "no_in_force_until" in si.notes


def test_the_draft_is_the_stores_folder_shape():
    d = draft("关于测试的通知\n一、自2020年3月1日至8月31日,按每月房租的10%给予补贴。\n")
    doc = d.document()
    assert set(doc) == {"policy", "clauses", "parameters", "measures", "facts", "cases", "source"}
    assert doc["clauses"] == [{"number": "一", "label": "第一项", "section": None, "heading": "",
                               "text": "一、自2020年3月1日至8月31日,按每月房租的10%给予补贴。"}]
    assert doc["policy"]["title"] == "关于测试的通知" and doc["policy"]["in_force_until"] == "2020-08-31"


ARTICLES = """某市促进小微企业发展办法
第一章 总则
第一条　为促进小微企业发展，制定本办法。
第二条　本办法自2021年1月1日起施行，有效期3年。
第二章 扶持措施
第三条　对符合下列条件的小微企业，给予一次性补贴：
（一）从业人员不超过50人；
（二）年营业收入不超过五百万元。
补贴标准为每户最高二万元。
"""


def test_a_notice_in_articles_keeps_chapters_as_sections_and_items_under_their_article():
    d = draft(ARTICLES)
    assert [(c.number, c.label, c.section) for c in d.clauses] == [
        ("1", "第一条", "第一章 总则"), ("2", "第二条", "第一章 总则"), ("3", "第三条", "第二章 扶持措施"),
        ("（一）", "第（一）项", "第三条"), ("（二）", "第（二）项", "第三条")]
    second = d.clauses[-1]
    assert second.text == "（二）年营业收入不超过五百万元。\n补贴标准为每户最高二万元。"  # the paragraph after it
    assert [(f.kind, f.value, f.limit) for f in second.figures] == [
        ("amount", 5_000_000, "at_most"), ("amount", 20_000, "at_most")]
    assert d.policy_record()["title"] == "某市促进小微企业发展办法"


def test_items_numbered_again_under_each_heading_are_told_apart_by_the_heading():
    text = ("一、总体要求\n（一）基本原则。坚持稳字当头。\n二、主要措施\n（一）减免房租。减免3个月房租。\n"
            "（二）发放补贴。按50%发放。\n")
    d = draft(text)
    assert [(c.number, c.label, c.section) for c in d.clauses] == [
        ("一.（一）", "第一项第（一）项", "一、总体要求"), ("二.（一）", "第二项第（一）项", "二、主要措施"),
        ("（二）", "第（二）项", "二、主要措施")]
    assert [c.heading for c in d.clauses] == ["基本原则", "减免房租", "发放补贴"]


@pytest.mark.parametrize("text, expected", [
    ("最高五十万元", [("amount", 500_000, "万元", "at_most")]),
    ("补贴1.5万元", [("amount", 15_000, "万元", None)]),
    ("按百分之三十给予", [("percent", 0.3, "%", None)]),
    ("降低0.5个百分点", [("percent", 0.005, "个百分点", None)]),
    ("单位缴费减半征收", [("percent", 0.5, "%", None)]),
    ("缓缴期限原则上不超过六个月", [("months", 6, "个月", "at_most")]),
    ("30人及以下的企业", [("people", 30, "人", None)]),
    ("在5个工作日内办结", [("days", 5, "天", None)]),
    ("不低于去年同期", []),
    ("通过“12348”法律服务热线", []),
    ("运输“三不一优”", []),
])
def test_figures_are_typed_with_their_unit_and_whether_they_are_a_cap(text, expected):
    assert [(f.kind, f.value, f.unit, f.limit) for f in find_figures(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("自2020年3月1日至5月31日", ("period", 3, "2020-03-01", "2020-05-31")),
    ("免征2020年2月至12月", ("period", 11, "2020-02-01", "2020-12-31")),
    ("自2020年11月至次年2月", ("period", 4, "2020-11-01", "2021-02-28")),
    ("自2020年3月5日至4月4日", ("period", None, "2020-03-05", "2020-04-04")),
    ("自2020年2月起", ("date", "2020-02", "2020-02-01", None)),
    ("执行至2020年6月30日", ("date", "2020-06-30", None, "2020-06-30")),
    ("自发布之日起", ("date", None, "issued", None)),
])
def test_dates_and_periods_give_their_bounds(text, expected):
    f = find_figures(text)[0]
    assert (f.kind, f.value, f.since, f.until) == expected


def test_departments_are_those_the_store_knows_and_the_longest_name_wins():
    text = "（责任单位：聊城市财政局、市税务局）财政部门要及时拨付资金"
    found = find_figures(text, ["市财政局", "聊城市财政局", "市税务局", "财政部"])
    assert [(f.kind, f.value) for f in found] == [("department", "聊城市财政局"), ("department", "市税务局")]


def _numbered_docx() -> bytes:
    """A .docx whose items are numbered by Word's own list ("一、", then "（一）" under it), as notices are typed."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
        '</w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_paragraph("关于测试补贴的通知")
    for level, text in ((0, "房租"), (1, "对中小企业减免3个月房租。"), (1, "补贴标准为减免租金的30%。"),
                        (0, "自2020年3月1日至5月31日执行。")):
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "联系电话", "12345"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_is_read_with_the_numbers_word_draws_and_its_tables():
    text = text_of_docx(_numbered_docx())
    assert text.splitlines() == ["关于测试补贴的通知", "一、房租", "（一）对中小企业减免3个月房租。",
                                 "（二）补贴标准为减免租金的30%。", "二、自2020年3月1日至5月31日执行。", "联系电话\t12345"]
    d = draft(text)
    assert [(c.number, c.section) for c in d.clauses] == [("（一）", "一、房租"), ("（二）", "一、房租"), ("二", None)]
