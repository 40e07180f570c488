"""The types of organisation a High Sheriff may nominate are the round's: staff set them, a
new nomination round starts from its fund's usual recipients, and a Police Property Act Fund
round leaves councils and Community Safety Partnerships out (its money goes to charitable
purposes)."""

import re

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.core.errors import ValidationFailed
from grants.extensions import db
from grants.funds.models import Round, RoundKind, RoundOrganisationType
from grants.nominations.models import Nomination
from grants.nominations.operations import finding
from grants.organisations.models import Organisation, OrganisationType
from tests.fixtures.auth import post_form
from tests.fixtures.factories import FundFactory, LocalAuthorityFactory, UserFactory
from tests.nominations.conftest import high_sheriff, nominate, nomination_round, organisation

pytestmark = pytest.mark.usefixtures("fixed_clock")

COUNCILS = {OrganisationType.LOCAL_AUTHORITY, OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP}


def test_a_round_that_sets_no_types_may_award_its_funds_usual_recipients():
    ppaf_round = nomination_round()
    csf_round = nomination_round(code="CSF-HSA-1", fund=FundFactory(code="CSF2",
                                                                     for_councils=True))

    assert set(finding.nominable_types(ppaf_round)) == set(OrganisationType) - COUNCILS
    assert set(finding.nominable_types(csf_round)) == set(OrganisationType)


def test_the_types_staff_set_on_the_round_are_the_ones_a_high_sheriff_may_nominate():
    round_ = nomination_round()
    round_.organisation_type_rows = [RoundOrganisationType(
        organisation_type=OrganisationType.COMMUNITY_GROUP)]
    db.session.commit()

    assert finding.nominable_types(round_) == [OrganisationType.COMMUNITY_GROUP]
    with pytest.raises(ValidationFailed) as refusal:
        nominate(round_, high_sheriff(), 100_000, org=organisation(
            name="Reading Youth Trust", organisation_type=OrganisationType.REGISTERED_CHARITY))
    assert refusal.value.errors == {"organisation_id": (
        "Reading Youth Trust is a registered charity, and this round's awards go only to: "
        "constituted community group. Choose another organisation")}


def test_a_high_sheriff_cannot_nominate_a_council_for_a_ppaf_award():
    round_ = nomination_round()
    council = organisation(name="Reading Borough Council",
                           organisation_type=OrganisationType.LOCAL_AUTHORITY)

    with pytest.raises(ValidationFailed) as refusal:
        nominate(round_, high_sheriff(), 100_000, org=council)

    assert "Reading Borough Council is a local authority" in refusal.value.errors[
        "organisation_id"]
    assert db.session.scalars(select(Nomination)).all() == []


def test_the_new_organisation_form_offers_only_the_types_the_round_may_award(sign_in_as):
    round_ = nomination_round()
    authority = LocalAuthorityFactory(name="Slough")
    client = sign_in_as(high_sheriff())
    path = f"/nominations/rounds/{round_.id}/nominate/new"

    page = client.get(path).get_data(as_text=True)
    offered = set(re.findall(r'name="organisation_type" type="radio" value="([^"]*)"', page))
    assert offered == {kind.value for kind in OrganisationType} - {kind.value
                                                                   for kind in COUNCILS}

    response = post_form(client, path, {
        "name": "Slough Borough Council", "organisation_type": "local_authority",
        "address": "Observatory House", "postcode": "SL1 2EL",
        "local_authority_id": str(authority.id), "contact_name": "Pat Officer",
        "contact_email": "pat@slough.example.org", "amount": "1500",
        "priority_id": str(round_.priorities[0].id), "purpose": "Youth work",
        "reason": "Keeps young people safe"})

    assert response.status_code == 200
    assert db.session.scalars(select(Organisation).where(
        Organisation.name == "Slough Borough Council")).all() == []


def test_a_council_found_by_searching_is_shown_without_a_link_to_nominate_it(sign_in_as):
    round_ = nomination_round()
    council = organisation(name="Reading Borough Council",
                           organisation_type=OrganisationType.LOCAL_AUTHORITY)
    charity = organisation(name="Reading Youth Trust")
    client = sign_in_as(high_sheriff())

    page = client.get(f"/nominations/rounds/{round_.id}/nominate?q=Reading").get_data(
        as_text=True)

    assert f"/nominate/organisations/{charity.id}\"" in page
    assert f"/nominate/organisations/{council.id}\"" not in page
    assert "Reading Borough Council: a local authority, which this round's awards cannot go to" \
        in page
    council_page = client.get(f"/nominations/rounds/{round_.id}/nominate/organisations/"
                              f"{council.id}").get_data(as_text=True)
    assert "Reading Borough Council is a local authority" in council_page
    assert 'name="amount"' not in council_page


def test_a_new_nomination_round_starts_from_its_funds_usual_recipients(staff_client_for_funds):
    client, fund = staff_client_for_funds

    response = post_form(client, "/staff/rounds/new", {
        "fund": str(fund.id), "kind": "nomination", "title": "High Sheriff awards 2027/28",
        "opens_at": ["1", "4", "2027"], "opens_at_time": "9am",
        "closes_at": ["1", "6", "2027"], "closes_at_time": "midday", "budget": "75000"})

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    round_ = db.session.scalars(select(Round).where(Round.kind == RoundKind.NOMINATION)).one()
    assert round_.organisation_types == frozenset(OrganisationType) - COUNCILS
    page = client.get(f"/staff/rounds/{round_.id}").get_data(as_text=True)
    assert "Who may be nominated" in page


@pytest.fixture
def staff_client_for_funds(sign_in_as):
    fund = FundFactory(code="PPAF", name="Police Property Act Fund")
    db.session.commit()
    return sign_in_as(UserFactory(roles=[Role.STAFF])), fund
