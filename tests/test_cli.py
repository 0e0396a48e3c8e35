"""The staff CLI prints a Chinese report, the contract payload, and clause search results."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def run(*args, db):
    return subprocess.run([sys.executable, "-m", "policy_db", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT)


def test_check_json_gives_the_contract_payload_for_the_issue_restaurant(policy_store):
    out = run("check", "industry=餐饮业", "employees=10", "revenue=1800000", "affected=true", "insured=true",
              "ui_premium_last_year=6000", "layoffs=0", "rents_soe_property=true", "monthly_rent=5000", "--json",
              db=policy_store.path)
    payload = json.loads(out.stdout)
    by_id = {m["id"]: m for m in payload["measures"]}
    assert payload["enterprise"]["sme_class"] == "small"
    assert by_id["1.1"]["amount_yuan"] == 3000 and by_id["5.1"]["amount_yuan"] == 15000
    assert by_id["5.1"]["months"] == 3
    assert by_id["1.1"]["kind"] == "benefit" and by_id["7"]["kind"] == "lender_duty"
    assert payload["total"]["amount_yuan"] == 18000 and payload["total"]["parts"] == ["1.1", "5.1"]


def test_check_groups_the_report_by_kind_and_shows_the_total(policy_store):
    out = run("check", "industry=餐饮业", "employees=10", "revenue=1800000", "affected=true", "insured=true",
              "ui_premium_last_year=6000", "layoffs=0", "rents_soe_property=true", "monthly_rent=5000",
              db=policy_store.path)
    assert "可以享受（2项）" in out.stdout and "可以向金融机构提出（" in out.stdout
    assert "可享受金额（估算）：18,000元 = 1.1 稳岗返还3,000元 + 5.1 国有房产减免房租15,000元" in out.stdout


def test_check_prints_a_readable_chinese_report_with_clause_and_department(policy_store):
    out = run("check", "industry=工业", "employees=2000", "revenue=600000000", db=policy_store.path)
    assert "大型企业" in out.stdout and "不属于中小企业" in out.stdout


def test_check_refuses_an_impossible_value_politely(policy_store):
    out = run("check", "employees=-5", db=policy_store.path)
    assert out.returncode == 2 and "不能是负数" in out.stderr


def test_search_prints_matching_clauses(policy_store):
    out = run("search", "房租", db=policy_store.path)
    assert "第5条" in out.stdout and "减免3个月的房租" in out.stdout
