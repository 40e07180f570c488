"""One organisation, one record: a group without a number is not registered twice, and staff
merge two records of one organisation, moving its applications, awards and members."""

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.awards.models import Award
from grants.core.errors import Refusal, ValidationFailed
from grants.organisations.models import MembershipStatus, Organisation, OrganisationType
from grants.organisations.operations.identifiers import name_key
from grants.organisations.operations.merging import merge_organisations, preview_merge
from grants.records.models import AuditEvent
from tests.fixtures.auth import post_form
from tests.organisations.test_registration import details


@pytest.mark.parametrize(("one", "other"), [
    ("The Reading Street Support Ltd.", "reading street-support"),
    ("Didcot Youth & Community Club", "DIDCOT YOUTH AND COMMUNITY CLUB CIO"),
])
def test_names_written_differently_for_one_organisation_read_the_same(one, other):
    assert name_key(one) == name_key(other)


def test_different_names_do_not(db_session):
    assert name_key("Reading Street Support") != name_key("Reading Street Pastors")


@pytest.fixture
def reading(local_authority_factory):
    return local_authority_factory(name="Reading")


def test_a_group_without_a_number_is_shown_the_one_already_registered(
        reading, user_factory, sign_in_as, organisation_factory, db_session):
    first = organisation_factory(name="Tilehurst Friendship Group", postcode="RG31 5AB",
                                 organisation_type=OrganisationType.COMMUNITY_GROUP)
    client = sign_in_as(user_factory(roles=[Role.APPLICANT]))

    response = post_form(client, "/organisations/new", details(
        reading, name="the tilehurst friendship group", organisation_type="community_group",
        charity_number="", company_number="", postcode="rg31 5ab"))

    page = response.get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-xl\">Is this your organisation?</h1>" in page
    # The name the person typed, written as registered; joining is by a member's invitation.
    assert "Tilehurst Friendship Group, at RG31 5AB, already uses this" in page
    assert "ask one of its members to invite you" in page
    assert "/join" not in page
    assert db_session.scalars(select(Organisation)).all() == [first]
    # The same name elsewhere is another group.
    response = post_form(client, "/organisations/new", details(
        reading, name="Tilehurst Friendship Group", organisation_type="community_group",
        charity_number="", company_number="", postcode="RG30 1AA"))
    assert response.status_code == 302


@pytest.fixture
def two_records(organisation_factory, application_factory, award_factory, user_factory,
                membership_factory, round_factory):
    kept = organisation_factory(name="Wantage Youth Club", postcode="OX12 8AA")
    duplicate = organisation_factory(name="Wantage Youth Club CIO", postcode="OX12 8AA",
                                     charity_regulator=None, charity_number=None,
                                     company_number=None)
    shared = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=shared, organisation=kept)
    membership_factory(user=shared, organisation=duplicate)
    membership_factory(user=user_factory(roles=[Role.APPLICANT]), organisation=duplicate,
                       status=MembershipStatus.PENDING)
    application = application_factory(organisation=duplicate)
    award_factory(organisation=duplicate, round=application.round)
    return kept, duplicate


def test_staff_see_what_would_move_then_merge_the_records(two_records, user_factory,
                                                         sign_in_as, db_session):
    kept, duplicate = two_records
    duplicate_id = duplicate.id
    client = sign_in_as(user_factory(roles=[Role.STAFF]))

    chooser = client.get(f"/organisations/{kept.id}/merge").get_data(as_text=True)
    assert "Merge Wantage Youth Club CIO into this record" in chooser
    path = f"/organisations/{kept.id}/merge/{duplicate_id}"
    confirm = client.get(path).get_data(as_text=True)
    assert "Moves to Wantage Youth Club: 1 application, 1 award, 1 member." in confirm
    refused = post_form(client, path, {"reason": " "})
    assert "Enter why these are one organisation" in refused.get_data(as_text=True)

    response = post_form(client, path, {"reason": "Registered twice by two volunteers"})

    assert response.headers["Location"] == f"/organisations/{kept.id}"
    db_session.expire_all()
    assert db_session.get(Organisation, duplicate_id) is None
    assert len(kept.memberships) == 2
    assert [award.organisation_id for award in db_session.scalars(select(Award))] == [kept.id]
    event = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "organisation.merged")).one()
    assert (event.entity_id, event.before["duplicate_id"], event.note) == (
        kept.id, duplicate_id, "Registered twice by two volunteers")
    assert event.after == {"applications": 1, "awards": 1, "nominations": 0,
                           "allocation places": 0, "documents": 0,
                           "expressions of interest": 0, "members": 1}


def test_records_that_are_two_organisations_or_share_a_round_are_not_merged(
        two_records, application_factory, user_factory, db_session):
    kept, duplicate = two_records
    staff = user_factory(roles=[Role.STAFF])
    application_factory(organisation=kept,
                        round=db_session.scalars(select(Award)).one().round)
    kept.charity_regulator, kept.charity_number = None, None
    merge = preview_merge(db_session, kept.id, duplicate.id)
    assert any("a round takes one application per organisation" in p for p in merge.problems)
    with pytest.raises(Refusal):
        merge_organisations(db_session, staff, kept.id, duplicate.id, reason="Same group")
    with pytest.raises(ValidationFailed):
        merge_organisations(db_session, staff, kept.id, duplicate.id, reason="")
    assert preview_merge(db_session, kept.id, kept.id).problems[0].startswith(
        "Choose another record")
