"""The first office: seed-reference makes Thames Valley as the migration does and gives it
what it loads; new funds and plans go to the one office there is."""

import pytest
from sqlalchemy import select

from grants.areas.models import CommunitySafetyPartnership, County, LocalAuthority
from grants.core.errors import Refusal
from grants.funds.models import Fund
from grants.offices.models import Office
from grants.offices.operations.reading import the_only_office
from grants.plans.models import Plan
from grants.reference.operations.seed import seed_reference


def test_seed_reference_makes_thames_valley_and_gives_it_everything_it_loads(db_session):
    seed_reference(db_session)

    office = db_session.scalars(select(Office)).one()
    assert (office.slug, office.short_name, office.funder_org_id, office.grant_id_prefix,
            office.financial_year_start_month, office.financial_year_start_day,
            office.welsh) == ("thames-valley", "Thames Valley", "GB-GOR-PC000117",
                              "360G-tvopcc", 4, 1, False)
    for model in (Fund, Plan, County, LocalAuthority, CommunitySafetyPartnership):
        assert set(db_session.scalars(select(model.office_id))) == {office.id}, model


def test_the_seed_command_uses_the_deployments_settings_for_the_office(runner, app,
                                                                       db_session,
                                                                       monkeypatch):
    monkeypatch.setitem(app.config, "FUNDER_ORG_ID", "GB-GOR-PC000999")

    result = runner.invoke(args=["seed-reference"])

    assert result.exit_code == 0, result.output
    assert db_session.scalars(select(Office.funder_org_id)).one() == "GB-GOR-PC000999"


def test_seed_reference_finds_the_office_it_made_and_makes_no_second(db_session):
    seed_reference(db_session)
    seed_reference(db_session)

    assert len(db_session.scalars(select(Office)).all()) == 1


def test_a_new_fund_or_plan_is_refused_rather_than_filed_under_a_guessed_office(
        db_session, office_factory):
    office_factory()
    office_factory(slug="dyfed-powys")

    with pytest.raises(Refusal, match="more than one office"):
        the_only_office(db_session)


def test_with_no_office_a_new_fund_or_plan_says_how_to_make_one(db_session):
    with pytest.raises(Refusal, match="flask offices create"):
        the_only_office(db_session)
