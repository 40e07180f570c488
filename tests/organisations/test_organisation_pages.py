"""Who sees which organisation: members and staff; anyone else gets 404."""

import pytest

from grants.accounts.models import Role


@pytest.fixture
def two_organisations(organisation_factory, membership_factory, user_factory):
    ours = organisation_factory(name="Reading Street Support")
    theirs = organisation_factory(name="Oxford Recovery Cafe")
    member = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=member, organisation=ours)
    return ours, theirs, member


def test_a_member_sees_their_organisation(two_organisations, sign_in_as):
    ours, _, member = two_organisations
    client = sign_in_as(member)

    response = client.get(f"/organisations/{ours.id}")

    assert response.status_code == 200
    assert "Reading Street Support" in response.text


def test_another_organisations_record_answers_404(two_organisations, sign_in_as):
    _, theirs, member = two_organisations
    client = sign_in_as(member)

    assert client.get(f"/organisations/{theirs.id}").status_code == 404
    assert client.get("/organisations/999999").status_code == 404


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.HIGH_SHERIFF])
def test_other_roles_without_membership_get_404_for_an_organisation(
    role, two_organisations, user_factory, county_factory, sign_in_as
):
    ours, _, _ = two_organisations
    extra = {}
    if role is Role.HIGH_SHERIFF:
        extra = {"county": county_factory(), "term_year": 2026}
    client = sign_in_as(user_factory(roles=[role], **extra))

    assert client.get(f"/organisations/{ours.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_see_every_organisation(role, two_organisations, user_factory, sign_in_as):
    _, theirs, _ = two_organisations
    client = sign_in_as(user_factory(roles=[role]))

    assert client.get(f"/organisations/{theirs.id}").status_code == 200
    listing = client.get("/organisations?name=oxford")
    assert "Oxford Recovery Cafe" in listing.text
    assert "Reading Street Support" not in listing.text


def test_anonymous_people_are_sent_to_sign_in(two_organisations, client):
    ours, _, _ = two_organisations

    response = client.get(f"/organisations/{ours.id}")

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_dashboard_lists_only_the_applicants_own_organisations_and_applications(
    two_organisations, application_factory, sign_in_as
):
    ours, theirs, member = two_organisations
    application_factory(organisation=ours, title="Night shelter outreach")
    application_factory(organisation=theirs, title="Recovery cafe evenings")
    client = sign_in_as(member)

    page = client.get("/dashboard").text

    assert "Reading Street Support" in page and "Night shelter outreach" in page
    assert "Oxford Recovery Cafe" not in page and "Recovery cafe evenings" not in page


def test_the_organisation_list_of_an_applicant_shows_only_their_own(
    two_organisations, sign_in_as
):
    _, _, member = two_organisations
    page = sign_in_as(member).get("/organisations").text

    assert "Reading Street Support" in page
    assert "Oxford Recovery Cafe" not in page
