"""A session scoped to an office reads only that office's records of every office-owned model,
whatever the query; one not scoped reads everything (grants.offices.operations.scoping)."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from grants.accounts.models import Role, User
from grants.all_models import (
    Application,
    Award,
    Fund,
    Round,
)
from grants.core import data_version
from grants.offices.operations.scoping import end_office_scope, office_scope, scope_to_office
from tests.fixtures.factories import (
    ApplicationFactory,
    AwardFactory,
    CountyFactory,
    FundFactory,
    LocalAuthorityFactory,
    OfficeFactory,
    OrganisationFactory,
    PlanFactory,
    RoundFactory,
    UserFactory,
)


@pytest.fixture
def two_offices(db_session):
    """Each office with a fund, a round, an application, an award, a plan, areas and staff."""
    offices = {}
    for slug in ("thames-valley", "dyfed-powys"):
        office = OfficeFactory(slug=slug)
        fund = FundFactory(office=office)
        round_ = RoundFactory(fund=fund, code=f"{slug}-1")
        county = CountyFactory(office=office, name=f"County of {slug}")
        offices[slug] = {
            "office": office, "fund": fund, "round": round_,
            "application": ApplicationFactory(round=round_, title=f"Bid to {slug}"),
            "award": AwardFactory(round=round_),
            "plan": PlanFactory(office=office),
            "county": county,
            "local_authority": LocalAuthorityFactory(county=county, office=office),
            "staff": UserFactory(roles=[Role.STAFF], roles__office=office),
        }
    db_session.expunge_all()
    yield offices
    end_office_scope(db_session)


OWNED_RECORDS = ("fund", "round", "application", "award", "plan", "county", "local_authority",
                 "staff")


def _ids(session, model) -> set[int]:
    return set(session.scalars(select(model.id)))


def test_a_scoped_session_reads_only_its_offices_records_of_every_kind(db_session, two_offices):
    thames, dyfed = two_offices["thames-valley"], two_offices["dyfed-powys"]
    scope_to_office(db_session, dyfed["office"].id)

    for name in OWNED_RECORDS:
        model = type(dyfed[name])
        assert _ids(db_session, model) >= {dyfed[name].id}, name
        assert thames[name].id not in _ids(db_session, model), name
        assert db_session.get(model, thames[name].id) is None, name
        assert db_session.get(model, dyfed[name].id) is not None, name


def test_joins_subqueries_aliases_counts_and_relationships_are_scoped_too(db_session,
                                                                         two_offices):
    dyfed = two_offices["dyfed-powys"]
    scope_to_office(db_session, dyfed["office"].id)

    joined = db_session.execute(select(Application.id, Fund.id).join(Application.round)
                                .join(Round.fund)).all()
    assert joined == [(dyfed["application"].id, dyfed["fund"].id)]
    inner = select(Round.id).scalar_subquery()
    assert db_session.scalars(select(Award.id).where(Award.round_id.in_(inner))).all() == [
        dyfed["award"].id]
    other = aliased(Round)
    assert db_session.scalars(select(other.id)).all() == [dyfed["round"].id]
    assert db_session.scalar(select(func.count()).select_from(Application)) == 1
    assert [r.id for r in db_session.get(Fund, dyfed["fund"].id).rounds] == [dyfed["round"].id]


def test_an_object_of_another_office_left_in_the_session_is_not_found_again(db_session,
                                                                            two_offices):
    thames, dyfed = two_offices["thames-valley"], two_offices["dyfed-powys"]
    loaded = db_session.get(Round, thames["round"].id)  # before the scope was set
    db_session.expire(loaded)
    scope_to_office(db_session, dyfed["office"].id)

    assert db_session.get(Round, thames["round"].id) is None


def test_a_session_not_scoped_reads_every_office(db_session, two_offices):
    scope_to_office(db_session, two_offices["dyfed-powys"]["office"].id)
    end_office_scope(db_session)

    assert office_scope(db_session) is None
    for name in OWNED_RECORDS:
        model = type(two_offices["thames-valley"][name])
        assert {two_offices[slug][name].id for slug in two_offices} <= _ids(db_session, model)


def test_applicants_are_every_offices_and_staff_their_own_offices(db_session, two_offices):
    applicant = UserFactory(roles=[Role.APPLICANT])
    scope_to_office(db_session, two_offices["dyfed-powys"]["office"].id)

    people = _ids(db_session, User)

    assert applicant.id in people
    assert two_offices["dyfed-powys"]["staff"].id in people
    assert two_offices["thames-valley"]["staff"].id not in people


def test_figures_kept_between_requests_are_kept_for_each_office_apart(db_session, two_offices,
                                                                      monkeypatch):
    monkeypatch.setattr(data_version, "_keeping", True)
    data_version.replace_token(db_session.connection())
    db_session.commit()
    data_version.forget_all()

    def count_rounds():
        return db_session.scalar(select(func.count()).select_from(Round))

    everyone = data_version.kept(db_session, "rounds", count_rounds)
    scope_to_office(db_session, two_offices["dyfed-powys"]["office"].id)
    dyfed = data_version.kept(db_session, "rounds", count_rounds)
    end_office_scope(db_session)

    assert (everyone, dyfed) == (2, 1)
    assert data_version.kept(db_session, "rounds", count_rounds) == 2


def test_merging_two_records_of_an_organisation_moves_its_records_of_every_office(
        db_session, two_offices):
    """An organisation is every office's (issue 25, point 2): whichever office's staff merge
    two records of one, its applications to each office move."""
    from grants.organisations.operations.merging import merge_organisations

    thames, dyfed = two_offices["thames-valley"], two_offices["dyfed-powys"]
    kept = OrganisationFactory(name="Kept")
    duplicate = db_session.get(Application, thames["application"].id).organisation
    scope_to_office(db_session, dyfed["office"].id)

    merge = merge_organisations(db_session, db_session.get(User, dyfed["staff"].id), kept.id,
                                duplicate.id, reason="Registered twice")
    end_office_scope(db_session)

    assert merge.moved["applications"] == 1
    assert db_session.get(Application, thames["application"].id).organisation_id == kept.id


def test_a_round_code_another_office_holds_is_neither_suggested_nor_taken(db_session,
                                                                          two_offices):
    """A round's code is its public address, unique across every office."""
    from grants.funds.operations.codes import suggest_round_code
    from grants.funds.operations.settings import _code_errors

    thames, dyfed = two_offices["thames-valley"], two_offices["dyfed-powys"]
    RoundFactory(fund=thames["fund"], code="PPAF-2026-1")
    scope_to_office(db_session, dyfed["office"].id)

    suggested = suggest_round_code(db_session, db_session.get(Fund, dyfed["fund"].id), "2026/27")
    refused = _code_errors(db_session, "PPAF-2026-1", None)

    assert suggested == "PPAF-2026-2"
    assert refused == {"code": "Another round already has the code PPAF-2026-1"}
