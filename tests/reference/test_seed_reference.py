"""seed-reference loads the plan, areas and funds from the package, once."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from grants.areas.models import CommunitySafetyPartnership, County, LocalAuthority
from grants.funds.models import Fund
from grants.plans.models import KeyAim, Plan, Priority
from grants.reference.operations.seed import load_json, seed_reference

SHARED_REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_seed_reference_loads_the_plan_areas_partnerships_and_funds(db_session):
    seed_reference(db_session)

    plan = db_session.scalars(select(Plan)).one()
    assert plan.code == "TVPCC-PCP-2017-21"
    assert plan.is_current
    assert [p.code for p in plan.priorities] == ["P1", "P2", "P3", "P4", "P5"]
    assert plan.priorities[2].title == "Reducing Re-offending"
    expected_aims = sum(len(p["key_aims"]) for p in load_json("police_and_crime_plan.json")
                        ["priorities"])
    assert count(db_session, KeyAim) == expected_aims
    assert plan.priorities[1].key_aims[0].code == "P2.1"

    assert sorted(c.name for c in db_session.scalars(select(County))) == [
        "Berkshire", "Buckinghamshire", "Oxfordshire"]
    reading = db_session.scalars(
        select(LocalAuthority).where(LocalAuthority.gss_code == "E06000038")).one()
    assert (reading.name, reading.county.name) == ("Reading", "Berkshire")
    assert count(db_session, LocalAuthority) == 19
    south_and_vale = db_session.scalars(select(CommunitySafetyPartnership).where(
        CommunitySafetyPartnership.name == "South and Vale Community Safety Partnership")).one()
    assert {la.gss_code for la in south_and_vale.local_authorities} == {"E07000179", "E07000180"}
    assert sorted(f.code for f in db_session.scalars(select(Fund))) == ["CSF", "PPAF"]


def test_running_seed_reference_twice_changes_nothing(db_session):
    first = seed_reference(db_session)
    counts = [count(db_session, m) for m in (Plan, Priority, KeyAim, County, LocalAuthority,
                                             CommunitySafetyPartnership, Fund)]
    second = seed_reference(db_session)

    assert first.added and not second.added
    assert str(second) == "Reference data already up to date: nothing added."
    assert counts == [count(db_session, m) for m in (Plan, Priority, KeyAim, County,
                                                     LocalAuthority, CommunitySafetyPartnership,
                                                     Fund)]


def test_seed_reference_command_reports_what_it_added(runner):
    result = runner.invoke(args=["seed-reference"])

    assert result.exit_code == 0, result.output
    assert "19 local authorities" in result.output


@pytest.mark.parametrize("name", ["police_and_crime_plan.json", "thames_valley_areas.json"])
def test_the_packaged_reference_data_matches_the_shared_reference(name):
    if not SHARED_REFERENCE.is_dir():
        pytest.skip("the shared reference folder is not beside this checkout")
    assert load_json(name) == json.loads((SHARED_REFERENCE / name).read_text("utf-8"))
