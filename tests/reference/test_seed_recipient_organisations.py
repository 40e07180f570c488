"""seed-reference makes each council and Community Safety Partnership an organisation, once."""

from sqlalchemy import func, select

from grants.areas.models import CommunitySafetyPartnership, LocalAuthority
from grants.organisations.models import Organisation, OrganisationType
from grants.reference.operations.seed import seed_reference


def organisations_of(session, kind):
    return session.scalars(select(Organisation).where(Organisation.organisation_type == kind)
                           .order_by(Organisation.name)).all()


def test_seed_reference_makes_an_organisation_for_each_council_tied_to_its_area(db_session):
    seed_reference(db_session)

    councils = organisations_of(db_session, OrganisationType.LOCAL_AUTHORITY)
    assert len(councils) == db_session.scalar(select(func.count(LocalAuthority.id))) == 19
    reading = next(c for c in councils if c.name == "Reading Borough Council")
    assert [a.gss_code for a in reading.areas] == ["E06000038"]
    assert reading.local_authority.gss_code == "E06000038"
    assert "Oxfordshire County Council" in {c.name for c in councils}


def test_seed_reference_makes_an_organisation_for_each_partnership_tied_to_its_areas(db_session):
    seed_reference(db_session)

    partnerships = organisations_of(db_session, OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP)
    assert len(partnerships) == db_session.scalar(
        select(func.count(CommunitySafetyPartnership.id)))
    south_and_vale = next(p for p in partnerships
                          if p.name == "South and Vale Community Safety Partnership")
    assert {a.gss_code for a in south_and_vale.areas} == {"E07000179", "E07000180"}


def test_running_seed_reference_again_adds_no_organisations(db_session):
    first = seed_reference(db_session)
    count = db_session.scalar(select(func.count(Organisation.id)))

    second = seed_reference(db_session)

    assert first.added["council organisations"] == 19
    assert not second.added
    assert db_session.scalar(select(func.count(Organisation.id))) == count


def test_a_renamed_council_organisation_is_not_made_again(db_session):
    seed_reference(db_session)
    reading = db_session.scalars(select(Organisation).where(
        Organisation.name == "Reading Borough Council")).one()
    reading.name = "Reading BC"
    db_session.flush()

    assert not seed_reference(db_session).added
