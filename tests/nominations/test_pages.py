"""The High Sheriff's pages and staff's: what each shows, the forms, and who may open them
(another county's nomination answers 404; staff pages answer 403 to a High Sheriff)."""


import pytest
from sqlalchemy import select

from grants.awards.models import Award, AwardStatus
from grants.awards.operations import offers
from grants.decisions.operations.remaining import remaining_of
from grants.extensions import db
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations import deciding
from grants.nominations.operations.guard import OverAllocation, county_positions
from grants.organisations.models import Organisation
from grants.records.models import OutboxMessage
from tests.assessment.screening_data import words
from tests.fixtures.auth import post_form, sign_in
from tests.fixtures.factories import LocalAuthorityFactory, MembershipFactory, UserFactory
from tests.nominations.conftest import (
    AFTER_CLOSE,
    REASON,
    high_sheriff,
    nominate,
    nomination_round,
    organisation,
    publish_round,
    staff_member,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- The High Sheriff ---------------------------------------------------------------------

def test_the_high_sheriffs_home_shows_the_countys_figures_and_nominations(sign_in_as):
    round_ = nomination_round()
    sheriff = high_sheriff()
    nominate(round_, sheriff, 250_000, org=organisation(name="Reading Youth Trust"))

    page = _text(sign_in_as(sheriff).get("/nominations"))

    assert "<h1 class=\"govuk-heading-xl\">Your nominations</h1>" in page
    assert "£10,000" in page and "£2,500" in page and "£7,500" in page
    assert "Reading Youth Trust" in page
    assert f"/nominations/rounds/{round_.id}/nominate" in page
    assert 'href="/nominations" aria-current="page"' in page  # the navigation link


def test_the_search_finds_organisations_to_nominate(sign_in_as):
    round_ = nomination_round()
    wanted = organisation(name="Reading Youth Trust")

    page = _text(sign_in_as(high_sheriff()).get(
        f"/nominations/rounds/{round_.id}/nominate?q=youth"))

    assert "1 organisation found" in page
    assert f"/nominations/rounds/{round_.id}/nominate/organisations/{wanted.id}" in page


def test_a_high_sheriff_nominates_a_found_organisation(sign_in_as):
    round_ = nomination_round()
    org = organisation()
    client = sign_in_as(high_sheriff())
    path = f"/nominations/rounds/{round_.id}/nominate/organisations/{org.id}"

    response = post_form(client, path, {
        "amount": "£2,500", "priority_id": str(round_.priorities[0].id),
        "purpose": "Kit for the club", "reason": "Brilliant volunteers"})

    nomination = db.session.scalars(select(Nomination)).one()
    assert response.status_code == 302
    assert response.location.endswith(f"/nominations/{nomination.id}")
    assert (nomination.amount_pence, nomination.organisation_id) == (250_000, org.id)
    assert nomination.contact_email == org.contact_email


def test_a_nomination_over_the_allocation_shows_the_amount_left_on_the_field(sign_in_as):
    round_ = nomination_round()
    sheriff = high_sheriff()
    nominate(round_, sheriff, 900_000)
    org = organisation()
    client = sign_in_as(sheriff)
    path = f"/nominations/rounds/{round_.id}/nominate/organisations/{org.id}"

    response = post_form(client, path, {
        "amount": "2000", "priority_id": str(round_.priorities[0].id),
        "purpose": "Kit for the club", "reason": "Brilliant volunteers"})

    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error: Nominate" in page
    assert "Enter £1,000 or less: Berkshire has £1,000 left in this round" in page
    assert db.session.scalar(select(Nomination.id).where(
        Nomination.organisation_id == org.id)) is None


def test_a_high_sheriff_nominates_a_new_organisation_through_the_form(sign_in_as):
    round_ = nomination_round()
    authority = LocalAuthorityFactory(name="Slough")
    client = sign_in_as(high_sheriff())
    path = f"/nominations/rounds/{round_.id}/nominate/new"

    response = post_form(client, path, {
        "name": "Slough Boxing Club", "organisation_type": "community_group",
        "address": "1 Ring Road", "postcode": "SL1 1AA",
        "local_authority_id": str(authority.id), "contact_name": "Pat Coach",
        "contact_email": "pat@example.org", "amount": "1500",
        "priority_id": str(round_.priorities[0].id), "purpose": "Gloves",
        "reason": "Keeps young people off the street"})

    assert response.status_code == 302, _text(response)
    created = db.session.scalars(select(Organisation).where(
        Organisation.name == "Slough Boxing Club")).one()
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "pat@example.org")).one()
    assert db.session.scalars(select(Nomination)).one().organisation_id == created.id


def test_a_high_sheriff_changes_and_withdraws_a_nomination(sign_in_as):
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 250_000)
    client = sign_in_as(sheriff)

    edit = _text(client.get(f"/nominations/{nomination.id}/edit"))
    assert 'value="2500"' in edit
    response = post_form(client, f"/nominations/{nomination.id}/edit", {
        "amount": "3000", "priority_id": str(round_.priorities[0].id),
        "purpose": "Kit", "reason": "Still brilliant"})
    assert response.status_code == 302
    db.session.refresh(nomination)
    assert nomination.amount_pence == 300_000

    response = post_form(client, f"/nominations/{nomination.id}/withdraw")
    assert response.status_code == 302
    db.session.refresh(nomination)
    assert nomination.status is NominationStatus.WITHDRAWN
    assert "Change the nomination" not in _text(client.get(f"/nominations/{nomination.id}"))


@pytest.mark.parametrize("path", ["/nominations/{id}", "/nominations/{id}/edit",
                                  "/nominations/{id}/withdraw"])
def test_another_countys_nomination_answers_404_to_a_high_sheriff(sign_in_as, path):
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff("Berkshire"), 250_000)
    client = sign_in_as(high_sheriff("Oxfordshire"))

    assert client.get(path.format(id=nomination.id)).status_code == 404


@pytest.mark.parametrize("action", ["edit", "withdraw"])
def test_another_countys_change_posted_with_a_valid_token_answers_404(sign_in_as, action):
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff("Berkshire"), 250_000)
    client = sign_in_as(high_sheriff("Oxfordshire"))

    response = post_form(client, f"/nominations/{nomination.id}/{action}", {
        "amount": "1", "priority_id": str(round_.priorities[0].id), "purpose": "Mine",
        "reason": "Mine"}, form_page="/nominations")

    assert response.status_code == 404
    assert db.session.get(Nomination, nomination.id).status is NominationStatus.SUBMITTED


def test_a_round_without_the_high_sheriffs_county_answers_404(sign_in_as):
    round_ = nomination_round({"Oxfordshire": 500_000})

    client = sign_in_as(high_sheriff("Berkshire"))

    assert client.get(f"/nominations/rounds/{round_.id}/nominate").status_code == 404


@pytest.mark.parametrize("path", ["/staff/nominations", "/staff/rounds/{round}/nominations",
                                  "/staff/nominations/{id}"])
def test_staff_pages_answer_403_to_a_high_sheriff(sign_in_as, path):
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 250_000)

    response = sign_in_as(sheriff).get(path.format(round=round_.id, id=nomination.id))

    assert response.status_code == 403


def test_the_high_sheriff_pages_answer_403_to_an_applicant(sign_in_as):
    assert sign_in_as(UserFactory()).get("/nominations").status_code == 403


# --- Staff ----------------------------------------------------------------------------------

def test_staff_see_the_rounds_nominations_by_county_with_the_county_figures(sign_in_as):
    round_ = nomination_round()
    nominate(round_, high_sheriff("Berkshire"), 250_000, org=organisation(name="Berks Org"))
    nominate(round_, high_sheriff("Oxfordshire"), 100_000, org=organisation(name="Oxon Org"))
    client = sign_in_as(staff_member())

    page = _text(client.get(f"/staff/rounds/{round_.id}/nominations"))
    rounds = _text(client.get("/staff/nominations"))
    round_page = _text(client.get(f"/staff/rounds/{round_.id}"))

    assert page.index("Berkshire") < page.index("Berks Org") < page.index("Oxon Org")
    assert "£7,500" in page and "£4,000" in page  # remaining in each county
    assert round_.title in rounds
    assert f"/staff/rounds/{round_.id}/nominations" in round_page
    assert "/staff/nominations" in _text(client.get("/staff/"))


def test_staff_approve_a_nomination_and_the_organisation_sees_the_offer_once_published(
    sign_in_as, new_client, monkeypatch,
):
    round_ = nomination_round()
    org = organisation(name="Reading Youth Trust")
    member = UserFactory(email="member@example.org")
    MembershipFactory(user=member, organisation=org)
    nomination = nominate(round_, high_sheriff(), 250_000, org=org)
    staff = sign_in_as(staff_member())

    response = post_form(staff, f"/staff/nominations/{nomination.id}/approve",
                         {"conditions": "Photos please", "public_reason": REASON},
                         form_page=f"/staff/nominations/{nomination.id}")

    assert response.status_code == 302
    award = db.session.scalars(select(Award)).one()
    assert award.status is AwardStatus.PROPOSED
    member_client = sign_in_as(member, on=new_client())
    assert member_client.get(f"/awards/{award.id}/offer").status_code == 404
    publish_round(round_, monkeypatch)
    member_client = sign_in_as(member, on=new_client())  # a month on: a new session
    offer = _text(member_client.get(f"/awards/{award.id}/offer"))
    assert "Reading Youth Trust" in offer and "£2,500" in offer and "Photos please" in offer


def test_an_approved_nominations_award_is_paid_like_any_other(sign_in_as, monkeypatch):
    round_ = nomination_round()
    org = organisation(name="Reading Youth Trust")
    member = UserFactory(email="member@example.org")
    MembershipFactory(user=member, organisation=org)
    award = deciding.approve_nomination(db.session, staff_member(),
                                        nominate(round_, high_sheriff(), 250_000, org=org).id,
                                        public_reason=REASON)
    publish_round(round_, monkeypatch)
    offers.accept_offer(db.session, member, award, name="Jo Member", position="Chair",
                        accepted_on=AFTER_CLOSE.date(), confirmed=True)
    db.session.commit()

    page = _text(sign_in_as(staff_member("Pat Payer")).get("/staff/payments"))

    assert "Reading Youth Trust" in page
    assert f"/staff/awards/{award.id}" in page


def test_staff_ask_for_changes_and_decline_through_the_page(sign_in_as):
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff(), 250_000)
    client = sign_in_as(staff_member())
    page = f"/staff/nominations/{nomination.id}"

    empty = post_form(client, f"{page}/changes", {"comment": ""}, form_page=page)
    assert "Enter what the High Sheriff should change" in _text(empty)
    assert post_form(client, f"{page}/changes", {"comment": "Say more"},
                     form_page=page).status_code == 302
    db.session.refresh(nomination)
    assert nomination.status is NominationStatus.CHANGES_REQUESTED
    assert post_form(client, f"{page}/decline", {"reason": "Out of area"},
                     form_page=page).status_code == 302
    db.session.refresh(nomination)
    assert (nomination.status, nomination.staff_comment) == (NominationStatus.DECLINED,
                                                             "Out of area")


def _staff_page_queries(client, count_queries, path: str) -> int:
    with count_queries() as log:
        assert client.get(path).status_code == 200
    return log.count


def test_the_staff_round_page_runs_the_same_queries_however_many_nominations(
        sign_in_as, count_queries):
    round_ = nomination_round()
    sheriff = high_sheriff()
    nominate(round_, sheriff, 100_000)
    client = sign_in_as(staff_member())
    path = f"/staff/rounds/{round_.id}/nominations"
    before = _staff_page_queries(client, count_queries, path)

    for _ in range(3):
        nominate(round_, sheriff, 100_000)
    nominate(round_, high_sheriff("Oxfordshire"), 100_000)

    assert _staff_page_queries(client, count_queries, path) == before


def test_the_high_sheriffs_home_runs_the_same_queries_however_many_nominations(
        sign_in_as, count_queries):
    round_ = nomination_round()
    sheriff = high_sheriff()
    nominate(round_, sheriff, 100_000)
    client = sign_in_as(sheriff)
    before = _staff_page_queries(client, count_queries, "/nominations")

    for _ in range(3):
        nominate(round_, sheriff, 100_000)

    assert _staff_page_queries(client, count_queries, "/nominations") == before


def test_an_outgoing_high_sheriff_reads_their_nomination_without_changing_it(sign_in_as):
    round_ = nomination_round()
    outgoing = high_sheriff(term_year=2025)
    nomination = Nomination(round_id=round_.id, county_id=outgoing.county_id,
                            nominated_by_id=outgoing.id, organisation=organisation(),
                            amount_pence=100_000, priority_id=round_.priorities[0].id,
                            purpose="Kit", reason="Made before the new term")
    db.session.add(nomination)
    db.session.commit()
    client = sign_in_as(outgoing)

    page = _text(client.get(f"/nominations/{nomination.id}"))

    assert "Made before the new term" in page and "Change the nomination" not in page
    assert client.get(f"/nominations/{nomination.id}/edit").status_code == 302
    assert f"/nominations/{nomination.id}" in _text(client.get("/nominations"))


def test_a_high_sheriff_lands_on_their_nominations_after_signing_in(client, fixed_clock):
    sheriff = high_sheriff()

    response = sign_in(client, sheriff.email)

    assert response.status_code == 302
    assert response.headers["Location"] == "/nominations"


def test_a_countys_remaining_allocation_is_the_same_on_every_page_and_in_the_refusal(
        sign_in_as, app):
    # Berkshire: £10,000, less £3,000 approved and £2,500 waiting: £4,500 left.
    round_ = nomination_round()
    sheriff = high_sheriff()
    approved = nominate(round_, sheriff, 300_000)
    deciding.approve_nomination(db.session, staff_member(), approved.id, public_reason=REASON)
    db.session.commit()
    nominate(round_, sheriff, 250_000)
    berkshire = next(p for p in county_positions(db.session, round_.id)
                     if p.county.name == "Berkshire")
    assert berkshire.remaining_pence == remaining_of(1_000_000, 550_000) == 450_000
    home = words(_text(sign_in_as(sheriff).get("/nominations")))
    assert "Remaining £4,500" in home
    staff_page = words(_text(sign_in_as(staff_member("Pat Staff"), on=app.test_client()).get(
        f"/staff/rounds/{round_.id}/nominations")))
    assert "Berkshire £10,000 £2,500 £3,000 £4,500" in staff_page  # waiting, approved
    # The round's own budget (£20,000) less the £3,000 awarded.
    assert "remaining £17,000" in staff_page
    with pytest.raises(OverAllocation) as refused:
        nominate(round_, sheriff, 450_001)
    assert refused.value.errors == {"amount": "Enter £4,500 or less: Berkshire has £4,500 left "
                                             "in this round"}
