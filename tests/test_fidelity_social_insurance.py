"""What the assistant says of the social-insurance relief is what 人社部发〔2020〕11号 and Shandong's statement say
(issue 19): 中小微企业 and 参保单位, not 个体工商户 or the uninsured; one deferral per premium, net of what is exempt;
a bank is an insured unit; item 三's own words; Shandong's months said to be set later."""

import datetime as dt

from policy_db import evaluate
from policy_db.report import render

SMALL = {"industry": "餐饮业", "employees": 20, "revenue": 3_000_000, "insured": True, "legal_form": "公司"}
LARGE = {"industry": "工业", "employees": 1200, "revenue": 500_000_000, "insured": True, "legal_form": "公司"}
EXEMPTIONS = ("rsb11-1.1", "rsb11-1.2", "sd-si-1", "sd-si-2")


def test_a_sole_trader_is_told_the_stored_texts_do_not_cover_it_and_whom_to_ask(policy_store):
    facts = {**SMALL, "employees": 3, "revenue": 300_000, "legal_form": "个体工商户", "monthly_employer_si": 900}
    a = evaluate(facts, store=policy_store)
    for mid in EXEMPTIONS:
        r = a.result(mid)
        assert r.status != "eligible" and r.amount_yuan is None, (mid, r.why)
    exempt = a.result("sd-si-1")
    assert exempt.status == "unknown" and exempt.missing == ()
    assert "个体工商户" in exempt.why and "本库收录的文件没有规定" in exempt.why
    assert "请咨询市人力资源社会保障局" in exempt.why
    text = render(a)
    assert "免缴单位缴费" not in text and "山东省免征中小微企业三项社保单位缴费：个体工商户" in text


def test_no_exemption_without_insurance(policy_store):
    a = evaluate({**SMALL, "legal_form": "个体工商户", "insured": False, "monthly_employer_si": 0},
                 store=policy_store)
    for mid in ("rsb11-1.1", "sd-si-1"):
        r = a.result(mid)
        assert r.status == "ineligible" and "不是参保单位" in r.why, (mid, r.why)
    assert "免缴单位缴费0元" not in render(a)


def test_the_legal_form_is_asked_before_the_exemption_is_promised(policy_store):
    facts = {k: v for k, v in SMALL.items() if k != "legal_form"}
    r = evaluate(facts, store=policy_store).result("sd-si-1")
    assert r.status == "unknown" and "legal_form" in r.missing


DEFERRING = {**SMALL, "affected": True, "severe_difficulty": True, "si_difficulty": True, "monthly_si_premium": 5000,
             "monthly_employer_si": 3000}


def test_one_deferral_one_figure_net_of_the_exempt_employer_share(policy_store):
    a = evaluate(DEFERRING, store=policy_store)
    city, national = a.result("1.3"), a.result("rsb11-3")
    assert (city.status, national.status) == ("eligible", "eligible")
    assert city.amount_yuan == 12000 and city.formula == "5000 × 6 - 3000 × 6 = 12000"
    assert national.amount_yuan is None and national.formula is None
    assert any("人社部发〔2020〕11号）三" in link for link in city.links)
    assert any("1.3 社保缓缴" in link and "同一笔" in link for link in national.links)
    text = render(a)
    assert text.count("最多可缓缴") == 1 and "30,000" not in text
    assert [x["id"] for x in a.total_payload()["left_out"]] == ["1.3"]


def test_a_large_firms_deferral_is_net_of_the_halved_share_and_names_no_city_measure(policy_store):
    a = evaluate({**LARGE, "affected": True, "severe_difficulty": True, "monthly_si_premium": 200_000,
                  "monthly_employer_si": 100_000}, store=policy_store)
    r = a.result("rsb11-3")
    assert r.amount_yuan == 950_000 and r.formula == "200000 × 6 - 50000 × 5 = 950000"
    assert a.result("1.3").status == "ineligible"
    assert "1.3" not in r.why and not any("1.3" in link for link in r.links)


def test_a_firm_that_can_pay_is_not_sent_to_the_city_deferral(policy_store):
    a = evaluate({**SMALL, "affected": True, "severe_difficulty": True, "si_difficulty": False,
                  "monthly_si_premium": 5000, "monthly_employer_si": 3000}, store=policy_store)
    r = a.result("rsb11-3")
    assert r.status == "eligible" and r.amount_yuan == 12000 and "另见" not in r.why and not r.links[1:]


def test_the_deferral_waits_for_the_exempt_share_before_giving_a_figure(policy_store):
    facts = {k: v for k, v in DEFERRING.items() if k != "monthly_employer_si"}
    r = evaluate(facts, store=policy_store).result("1.3")
    assert r.amount_yuan is None and "monthly_employer_si" in r.missing


def test_a_bank_is_an_insured_unit_for_the_halving(policy_store):
    a = evaluate({"is_financial_institution": True, "monthly_employer_si": 100_000}, store=policy_store)
    for mid in ("sd-si-2", "rsb11-1.2"):
        r = a.result(mid)
        assert r.status == "eligible" and "不是对金融机构的要求" not in r.why, (mid, r.why)
        assert "大型企业等其他参保单位（不含机关事业单位）" in r.why
    assert a.result("sd-si-2").amount_yuan == 250_000
    assert "不是对金融机构的要求" not in a.result("sd-si-1").why


def test_item_three_is_worded_as_its_text(policy_store):
    a = evaluate({**LARGE, "affected": True, "severe_difficulty": True}, store=policy_store)
    payload = next(m for m in a.to_payload()["measures"] if m["id"] == "rsb11-3")
    assert payload["months_text"] == "缓缴期限原则上不超过6个月"
    assert "最长" not in payload["months_text"]


def test_shandongs_months_are_said_to_be_set_later_in_an_early_2020_estimate(policy_store):
    a = evaluate({**SMALL, "monthly_employer_si": 3000}, dt.date(2020, 3, 1), store=policy_store)
    for mid in ("sd-si-1", "sd-si-2"):
        note = a.result(mid).measure.note
        assert "后来" in note and "2023年" in note, note
    text = render(a)
    line = next(x for x in text.splitlines() if x.startswith("✅ 山东省免征"))
    assert "33,000" in line and "后来" in line
