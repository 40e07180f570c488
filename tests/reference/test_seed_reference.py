"""seed-reference loads the plan, areas and funds from the package, once."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from grants.areas.models import CommunitySafetyPartnership, County, LocalAuthority
from grants.funds.models import Fund
from grants.organisations.models import Organisation, OrganisationType
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


def _holds(packaged, shared, where="") -> list[str]:
    """Where the packaged data fails to hold all the shared data says: it may add (a council's
    identifier, a partnership that began later, more words in "about"), never change."""
    if isinstance(shared, dict):
        return [problem for key, value in shared.items()
                for problem in (_holds(packaged[key], value, f"{where}/{key}") if key in packaged
                                else [f"{where}/{key} missing"])]
    if isinstance(shared, list) and shared and isinstance(shared[0], dict):
        key = next((k for k in ("name", "code", "number") if k in shared[0]), None)
        if key is None:
            return ([f"{where}: {len(packaged)} items, not {len(shared)}"]
                    if len(packaged) != len(shared) else
                    [problem for number, (mine, theirs)
                     in enumerate(zip(packaged, shared, strict=True))
                     for problem in _holds(mine, theirs, f"{where}/{number}")])
        named = {item[key]: item for item in packaged}
        return [problem for item in shared
                for problem in (_holds(named[item[key]], item, f"{where}/{item[key]}")
                                if item[key] in named else [f"{where}/{item[key]} missing"])]
    if isinstance(shared, str) and isinstance(packaged, str) and packaged.startswith(shared):
        return []
    return [] if packaged == shared else [f"{where}: {packaged!r} is not {shared!r}"]


@pytest.mark.parametrize("name", ["police_and_crime_plan.json", "thames_valley_areas.json"])
def test_the_packaged_reference_data_holds_all_the_shared_reference(name):
    if not SHARED_REFERENCE.is_dir():
        pytest.skip("the shared reference folder is not beside this checkout")
    assert _holds(load_json(name), json.loads((SHARED_REFERENCE / name).read_text("utf-8"))) == []


def test_councils_carry_their_official_names_and_org_ids(db_session):
    seed_reference(db_session)
    authorities = {la.gss_code: la for la in db_session.scalars(select(LocalAuthority))}

    assert all(la.official_name and la.org_id.startswith("GB-LAE-")
               for la in authorities.values())
    assert (authorities["E06000038"].official_name, authorities["E06000038"].org_id) == (
        "Reading Borough Council", "GB-LAE-RDG")
    # The unitary council continues the county council, and keeps its identifier.
    assert authorities["E06000060"].org_id == authorities["E10000002"].org_id == "GB-LAE-BKM"


def test_buckinghamshire_partnerships_change_on_1_april_2020(db_session):
    seed_reference(db_session)
    partnerships = {p.name: p for p in db_session.scalars(select(CommunitySafetyPartnership))}
    safer_bucks = partnerships["Safer Buckinghamshire Board"]
    wycombe = partnerships["Wycombe Community Safety Partnership"]

    assert [la.gss_code for la in safer_bucks.local_authorities] == ["E06000060"]
    assert [p.is_current_on(date(2020, 3, 31)) for p in (wycombe, safer_bucks)] == [True, False]
    assert [p.is_current_on(date(2020, 4, 1)) for p in (wycombe, safer_bucks)] == [False, True]
    assert partnerships["Safer MK"].is_current_on(date(2010, 1, 1))


def test_seed_reference_brings_a_database_loaded_before_up_to_date(db_session):
    """A database loaded before councils had identifiers and partnerships had dates, and
    before Safer Buckinghamshire was listed, is brought up to date; what staff chose is kept."""
    seed_reference(db_session)
    for authority in db_session.scalars(select(LocalAuthority)):
        authority.official_name, authority.org_id = "", None
    for partnership in db_session.scalars(select(CommunitySafetyPartnership)):
        partnership.valid_from = partnership.valid_to = None
    db_session.delete(db_session.scalars(select(CommunitySafetyPartnership).where(
        CommunitySafetyPartnership.name == "Safer Buckinghamshire Board")).one())
    reading, slough = (db_session.scalars(select(Organisation).where(
        Organisation.local_authority.has(LocalAuthority.gss_code == gss),
        Organisation.organisation_type == OrganisationType.LOCAL_AUTHORITY)).one()
        for gss in ("E06000038", "E06000039"))
    reading.name, slough.name = "Reading Council", "Slough BC (finance team)"
    db_session.flush()

    report = seed_reference(db_session)

    assert report.added == {"community safety partnerships": 1,
                            "community safety partnerships brought up to date": 3,
                            "council organisations renamed": 1,
                            "local authorities brought up to date": 19}
    assert (reading.name, slough.name) == ("Reading Borough Council", "Slough BC (finance team)")
    assert reading.local_authority.org_id == "GB-LAE-RDG"
    wycombe = db_session.scalars(select(CommunitySafetyPartnership).where(
        CommunitySafetyPartnership.name == "Wycombe Community Safety Partnership")).one()
    assert wycombe.valid_to == date(2020, 3, 31)
    assert not seed_reference(db_session).added
