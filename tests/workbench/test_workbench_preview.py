"""The preview says, before anything is published, what publishing would change: over the draft's expert cases, a
batch of simulated owners and stored profiles, measure by measure — who becomes eligible, who loses eligibility,
whose amount changes, whom the measure would now have to ask — with examples."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from policy_db import evaluate, workbench
from policy_db.preview import Profile
from simulator import cases as simulated
from tests.workbench.conftest import SMALL

DAY = dt.date(2020, 4, 1)


def test_a_new_measure_shows_whom_it_makes_eligible_and_whom_it_would_ask(pilot, shared_versions):
    records = [Profile("record", "r-1", "工单 r-1", {**SMALL, "affected": True, "monthly_rent": 6000}),
               Profile("record", "r-2", "工单 r-2", {"industry": "工业", "employees": 1200, "revenue": 500_000_000})]
    result = workbench.preview(pilot, shared_versions, records, DAY)
    assert result["profiles"] == {"case": 3, "record": 2} and result["refused"] == 0
    [measure] = result["measures"]  # nothing but the new measure moves
    assert (measure["id"], measure["new"], measure["document"]) == (
        "pilot7-1", True, "《发放试点示范补贴的通知》（测试〔2020〕7号）")
    eligible = measure["newly_eligible"]
    assert eligible["count"] == 1 and eligible["examples"][0]["label"] == "列入名单、月租8000元的小型餐馆，补贴800元"
    assert eligible["examples"][0]["after"]["amount_yuan"] == 800.0 and eligible["examples"][0]["before"]["status"] is None
    assert measure["to_ask"]["count"] == 1 and measure["to_ask"]["examples"][0]["key"] == "r-1"  # never asked
    assert measure["to_ask"]["examples"][0]["after"]["why"] == "还需要了解：列入试点示范名单"
    assert result["totals"]["count"] == 1 and result["totals"]["examples"][0]["after"] - \
        (result["totals"]["examples"][0]["before"] or 0) == 800.0


def test_simulated_owners_are_previewed_with_the_rest(pilot, shared_versions):
    """The simulator draws the new fact as the document declares (`simulator`), so its owners are counted eligible,
    or to be asked, as the candidate store judges each."""
    candidate = shared_versions.candidate(pilot)
    owners = [Profile("simulated", case.id, case.id, case.facts) for case in simulated.generate(candidate, 40)]
    result = workbench.preview(pilot, shared_versions, owners, DAY)
    assert result["profiles"] == {"case": 3, "simulated": 40}
    assert {m["id"] for m in result["measures"]} == {"pilot7-1"}
    statuses = [evaluate(o.facts, DAY, store=candidate).result("pilot7-1").status for o in owners]
    measure = result["measures"][0]
    assert measure["to_ask"]["count"] == statuses.count("unknown")
    assert measure["newly_eligible"]["count"] == statuses.count("eligible") + 1 > 1  # and one expert case
    assert all(e["after"]["status"] == "eligible" for e in measure["newly_eligible"]["examples"])


def test_a_correction_shows_who_loses_eligibility_and_whose_amount_changes(pilot, tmp_path):
    from policy_db.versions import Versions
    versions = Versions(tmp_path / "versions")
    workbench.publish(pilot, dt.date.today(), versions)
    corrected = copy.deepcopy(pilot)
    corrected["measures"][0]["conditions"].append(
        {"test": "employees < 10", "holds": "不足10人", "fails": "从业人员不少于10人"})
    corrected["measures"][0]["amount"]["formula"] = "min(monthly_rent * pilot_rate * 2, pilot_cap)"
    tiny = Profile("record", "r-3", "工单 r-3", {**SMALL, "employees": 5, "on_pilot_list": True,
                                                "monthly_rent": 8000})
    result = workbench.preview(corrected, versions, [tiny], DAY)
    [measure] = result["measures"]
    assert measure["new"] is False
    lost = measure["no_longer_eligible"]
    assert lost["count"] == 1 and lost["examples"][0]["after"]["why"] == "从业人员不少于10人"
    changed = measure["amount_changed"]
    assert changed["count"] == 1 and changed["examples"][0]["before"]["amount_yuan"] == 800.0
    assert changed["examples"][0]["after"]["amount_yuan"] == 1600.0
