"""Nominations: each county's position, the per-county guard, who may nominate and change,
staff's approval (an offered award and its emails), changes requested and declines."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.auth import permissions
from grants.awards.models import AwardSource, AwardStatus
from grants.core import clock
from grants.core.errors import Forbidden, NotFound, ValidationFailed
from grants.decisions.operations.publishing import publish
from grants.decisions.operations.rules import DecisionRefused
from grants.decisions.operations.sign_off import sign_off_problems
from grants.extensions import db
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations import (
    changing,
    deciding,
    finding,
    guard,
    nominating,
    sheriff_home,
)
from grants.organisations.models import CharityRegulator, OrganisationType
from grants.organisations.operations.registration import OrganisationDetails
from grants.records.models import AuditEvent, OutboxMessage
from tests.fixtures.factories import MembershipFactory, UserFactory
from tests.nominations.conftest import (
    AFTER_CLOSE,
    NOW,
    REASON,
    TERM,
    high_sheriff,
    nominate,
    nomination_round,
    organisation,
    publish_round,
    staff_member,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _emails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == address)))


def _position(round_, county_name: str):
    return next(p for p in guard.county_positions(db.session, round_.id)
                if p.county.name == county_name)


# --- The county's position and the guard ---------------------------------------------------

def test_a_countys_committed_money_is_its_waiting_nominations_plus_its_approved_awards():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nominate(round_, sheriff, 200_000)
    approved = nominate(round_, sheriff, 300_000)
    deciding.approve_nomination(db.session, staff_member(), approved.id, public_reason=REASON)
    withdrawn = nominate(round_, sheriff, 100_000)
    changing.withdraw_nomination(db.session, sheriff, withdrawn.id)

    position = _position(round_, "Berkshire")

    assert (position.allocation_pence, position.pending_pence, position.awarded_pence,
            position.committed_pence, position.remaining_pence) == (
        1_000_000, 200_000, 300_000, 500_000, 500_000)


def test_a_nomination_over_the_countys_allocation_is_refused_with_the_amount_left():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nominate(round_, sheriff, 750_000)

    with pytest.raises(guard.OverAllocation) as refusal:
        nominate(round_, sheriff, 250_001)

    assert refusal.value.errors == {"amount": "Enter £2,500 or less: Berkshire has £2,500 left "
                                              "in this round"}
    assert db.session.scalar(select(Nomination.id).where(
        Nomination.amount_pence == 250_001)) is None


def test_a_nomination_may_take_exactly_the_money_left():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nominate(round_, sheriff, 750_000)

    nominate(round_, sheriff, 250_000)

    assert _position(round_, "Berkshire").remaining_pence == 0


def test_each_countys_allocation_is_guarded_on_its_own():
    round_ = nomination_round()
    nominate(round_, high_sheriff("Berkshire"), 1_000_000)

    nominate(round_, high_sheriff("Oxfordshire"), 500_000)

    with pytest.raises(guard.OverAllocation, match="Oxfordshire has no money left in this round"):
        nominate(round_, high_sheriff("Oxfordshire", email="second@example.org"), 1)
    assert _position(round_, "Berkshire").remaining_pence == 0
    assert _position(round_, "Oxfordshire").remaining_pence == 0


def test_money_released_by_a_recipient_declining_the_offer_goes_back_to_the_county():
    round_ = nomination_round()
    sheriff = high_sheriff()
    award = deciding.approve_nomination(db.session, staff_member(),
                                        nominate(round_, sheriff, 1_000_000).id,
                                        public_reason=REASON)
    with pytest.raises(guard.OverAllocation):
        nominate(round_, sheriff, 1)  # the whole allocation is held by the approved award
    award.status = AwardStatus.DECLINED
    db.session.commit()

    again = nominate(round_, sheriff, 1_000_000)
    assert again.amount_pence == 1_000_000


def test_changing_the_amount_is_guarded_without_counting_the_nomination_twice():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 600_000)

    changed = changing.update_nomination(
        db.session, sheriff, nomination.id, nominating.NominationInput(
            amount_pence=1_000_000, priority_id=nomination.priority_id, purpose="More",
            reason="Even better"))
    assert changed.amount_pence == 1_000_000

    with pytest.raises(guard.OverAllocation, match="Berkshire has £10,000 left"):
        changing.update_nomination(db.session, sheriff, nomination.id, nominating.NominationInput(
            amount_pence=1_000_001, priority_id=nomination.priority_id, purpose="More",
            reason="Even better"))


def test_a_nomination_needs_an_amount_a_priority_of_the_round_a_purpose_and_a_reason():
    round_ = nomination_round()
    other_priority = nomination_round(code="HSA-2026-2").priorities[0]

    with pytest.raises(ValidationFailed) as refusal:
        nominating.nominate(db.session, high_sheriff(), round_.id, nominating.NominationInput(
            amount_pence=0, priority_id=other_priority.id, purpose=" ", reason="",
            organisation_id=None))

    assert set(refusal.value.errors) == {"amount", "priority_id", "purpose", "reason",
                                         "organisation_id"}


def test_nominations_are_refused_once_the_round_has_closed(fixed_clock, monkeypatch):
    round_ = nomination_round(closes_at=NOW + timedelta(hours=1))
    sheriff = high_sheriff()
    monkeypatch.setattr("grants.core.clock.utcnow", lambda: NOW + timedelta(hours=2))

    with pytest.raises(guard.NominationRefused, match="closed for nominations"):
        nominate(round_, sheriff, 100_000)


# --- Who nominates ------------------------------------------------------------------------

def test_the_current_high_sheriff_is_the_one_whose_term_year_is_the_rounds_financial_year():
    round_ = nomination_round()

    assert permissions.may_nominate_in(high_sheriff(term_year=TERM), round_)
    assert not permissions.may_nominate_in(
        high_sheriff(term_year=TERM - 1, email="old@example.org"), round_)
    assert not permissions.may_nominate_in(
        high_sheriff("Buckinghamshire", email="bucks@example.org"), round_)  # no allocation
    assert not permissions.may_nominate_in(staff_member(), round_)


def test_an_outgoing_high_sheriff_sees_their_own_nominations_read_only():
    round_ = nomination_round()
    outgoing = high_sheriff(term_year=TERM - 1)
    successor = high_sheriff(term_year=TERM, email="new@example.org")
    # Made before the new term began, while the outgoing High Sheriff was in office.
    old = Nomination(round=round_, county_id=outgoing.county_id, nominated_by=outgoing,
                     organisation=organisation(), amount_pence=100_000,
                     priority=round_.priorities[0], purpose="Old", reason="Old reason")
    db.session.add(old)
    db.session.commit()

    assert permissions.may_view_nomination(outgoing, old)
    assert not permissions.may_change_nomination(outgoing, old)
    assert permissions.may_view_nomination(successor, old)
    assert permissions.may_change_nomination(successor, old)
    with pytest.raises(guard.NominationRefused, match="current High Sheriff"):
        changing.withdraw_nomination(db.session, outgoing, old.id)
    with pytest.raises(NotFound):
        nominate(round_, outgoing, 100_000)
    home = sheriff_home.high_sheriff_home(db.session, outgoing)
    assert (home.nominations, home.rounds) == ([old], [])


def test_a_high_sheriff_does_not_see_a_predecessors_nominations_in_earlier_rounds():
    last_year = nomination_round(code="HSA-2025-1", opens_at=NOW - timedelta(days=400),
                                 closes_at=NOW - timedelta(days=300))
    predecessor = high_sheriff(term_year=TERM - 1)
    old = Nomination(round=last_year, county_id=predecessor.county_id,
                     nominated_by=predecessor, organisation=organisation(),
                     amount_pence=100_000, priority=last_year.priorities[0], purpose="Old",
                     reason="Old reason")
    db.session.add(old)
    db.session.commit()

    assert not permissions.may_view_nomination(high_sheriff(email="new@example.org"), old)


def test_another_countys_high_sheriff_cannot_see_or_change_a_nomination():
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff("Berkshire"), 100_000)
    oxfordshire = high_sheriff("Oxfordshire")

    assert not permissions.may_view_nomination(oxfordshire, nomination)
    with pytest.raises(NotFound):
        finding.nomination_for(db.session, oxfordshire, nomination.id)
    with pytest.raises(NotFound):
        changing.withdraw_nomination(db.session, oxfordshire, nomination.id)
    with pytest.raises(NotFound):
        changing.update_nomination(db.session, oxfordshire, nomination.id,
                                   nominating.NominationInput(100, None, "x", "y"))


# --- New organisations and the invitation to claim them ----------------------------------

def _new_organisation(**changes) -> OrganisationDetails:
    authority = organisation().local_authority
    values = {"name": "Slough Boxing Club",
              "organisation_type": OrganisationType.REGISTERED_CHARITY,
              "charity_regulator": CharityRegulator.CCEW, "charity_number": "1123456",
              "company_number": "", "address": "1 Ring Road\nSlough", "postcode": "sl1 1aa",
              "local_authority_id": authority.id, "annual_income_pence": None,
              "contact_name": "Pat Coach", "contact_email": "Pat@Example.org",
              "contact_phone": ""}
    values.update(changes)
    return OrganisationDetails(**values)


def test_nominating_a_new_organisation_registers_it_and_invites_its_contact_to_claim_it():
    round_ = nomination_round()

    nomination = nominate(round_, high_sheriff(), 100_000, organisation_id=None,
                          organisation=_new_organisation())

    created = nomination.organisation
    assert (created.name, created.charity_number, created.postcode) == (
        "Slough Boxing Club", "1123456", "SL1 1AA")
    assert (nomination.contact_name, nomination.contact_email) == ("Pat Coach",
                                                                   "pat@example.org")
    assert nomination.invitation_sent_at == NOW
    (invitation,) = _emails_to("pat@example.org")
    assert "/organisations/claim/" in invitation.body_text
    assert _events("organisation.registered")[0].entity_id == created.id


def test_a_new_organisation_is_checked_as_registration_checks_it():
    round_ = nomination_round()

    with pytest.raises(ValidationFailed) as refusal:
        nominate(round_, high_sheriff(), 100_000, organisation_id=None,
                 organisation=_new_organisation(charity_number="12", postcode="nowhere"))

    assert set(refusal.value.errors) == {"charity_number", "postcode"}


def test_a_new_organisation_with_a_registered_charity_number_points_to_the_registered_one():
    round_ = nomination_round()
    organisation(name="Already Here", charity_regulator=CharityRegulator.CCEW,
                 charity_number="1123456")

    with pytest.raises(ValidationFailed) as refusal:
        nominate(round_, high_sheriff(), 100_000, organisation_id=None,
                 organisation=_new_organisation())

    assert refusal.value.errors["charity_number"].startswith("Already Here is already "
                                                             "registered")


def test_organisations_are_found_by_name_charity_number_or_company_number():
    wanted = organisation(name="Reading Youth Trust", charity_regulator=CharityRegulator.CCEW,
                          charity_number="1098765", company_number="01234567")
    organisation(name="Somewhere Else")

    for text in ("youth tr", "1098765", "01234567", "0123 4567"):
        found = sheriff_home.find_organisations(db.session, text)
        assert wanted in found, text
    assert sheriff_home.find_organisations(db.session, "") == []


# --- Staff ----------------------------------------------------------------------------------

def test_approving_makes_a_proposed_award_and_tells_nobody_yet():
    round_ = nomination_round()
    sheriff = high_sheriff()
    org = organisation(name="Reading Youth Trust")
    nomination = nominate(round_, sheriff, 400_000, org=org, contact_name="Jo Contact",
                          contact_email="jo@example.org")

    award = deciding.approve_nomination(db.session, staff_member(), nomination.id,
                                        conditions="Send photos", public_reason=REASON)

    assert (award.source, award.status, award.offered_at, award.amount_pence) == (
        AwardSource.NOMINATION, AwardStatus.PROPOSED, None, 400_000)
    assert (award.round_id, award.organisation_id, award.priority_id,
            award.nominating_county_id) == (round_.id, org.id, nomination.priority_id,
                                            nomination.county_id)
    assert (award.title, award.description, award.conditions) == (
        "Summer sports programme", "Keeps young people safe", "Send photos")
    assert award.awarded_on is None
    assert award.areas == [org.local_authority]
    assert nomination.status is NominationStatus.APPROVED and nomination.award_id == award.id
    assert not permissions.offer_is_published(award)
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert [e.entity_id for e in _events("award.proposed")] == [award.id]
    assert [e.entity_id for e in _events("nomination.approved")] == [nomination.id]


def test_publishing_offers_the_award_and_tells_the_organisation_and_the_high_sheriff(
    monkeypatch,
):
    round_ = nomination_round()
    sheriff = high_sheriff()
    org = organisation(name="Reading Youth Trust")
    member = UserFactory(email="member@example.org")
    MembershipFactory(user=member, organisation=org)
    nomination = nominate(round_, sheriff, 400_000, org=org, contact_name="Jo Contact",
                          contact_email="jo@example.org")
    award = deciding.approve_nomination(db.session, staff_member(), nomination.id,
                                        public_reason=REASON)

    published = publish_round(round_, monkeypatch)

    assert published.awarded == 1
    assert (award.status, award.offered_at) == (AwardStatus.OFFERED, AFTER_CLOSE)
    assert award.awarded_on == AFTER_CLOSE.date()
    assert permissions.offer_is_published(award)
    for address in ("member@example.org", "jo@example.org"):
        (offer,) = _emails_to(address)
        assert f"/awards/{award.id}/offer" in offer.body_text
    assert "/organisations/claim/" not in _emails_to("member@example.org")[0].body_text
    assert "/organisations/claim/" in _emails_to("jo@example.org")[0].body_text
    assert "was approved" in _emails_to(sheriff.email)[0].subject
    assert [e.entity_id for e in _events("award.offered")] == [award.id]
    assert [e.entity_id for e in _events("round.decisions_published")] == [round_.id]


def test_a_nomination_round_is_signed_off_only_after_it_closes_and_by_a_second_person(
    monkeypatch,
):
    round_ = nomination_round()
    decider = staff_member("Dee Decider")
    approved = deciding.approve_nomination(db.session, decider,
                                           nominate(round_, high_sheriff(), 100_000).id,
                                           public_reason=REASON)
    waiting = nominate(round_, high_sheriff("Oxfordshire"), 100_000)
    approver = staff_member("Alex Approver")

    early = sign_off_problems(db.session, round_, approver)
    monkeypatch.setattr(clock, "utcnow", lambda: AFTER_CLOSE)
    still_waiting = sign_off_problems(db.session, round_, approver)
    deciding.decline_nomination(db.session, decider, waiting.id, "Out of area")

    assert "Decisions are signed off once the round has closed for nominations" in early
    assert still_waiting == ["1 nomination still needs a decision"]
    assert sign_off_problems(db.session, round_, approver) == []
    assert any("a second member of staff" in p
               for p in sign_off_problems(db.session, round_, decider))
    with pytest.raises(DecisionRefused, match="sign off the decisions before"):
        publish(db.session, approver, round_.id)
    assert approved.status is AwardStatus.PROPOSED


def test_nominations_are_not_decided_once_the_decisions_are_published(monkeypatch):
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff(), 100_000)
    deciding.approve_nomination(db.session, staff_member(), nomination.id, public_reason=REASON)
    publish_round(round_, monkeypatch)

    with pytest.raises(guard.NominationRefused, match="decisions have been published"):
        deciding.decline_nomination(db.session, staff_member(), nomination.id, "Changed mind")


def test_approving_twice_makes_one_award():
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff(), 400_000)
    staff = staff_member()

    first = deciding.approve_nomination(db.session, staff, nomination.id, public_reason=REASON)
    second = deciding.approve_nomination(db.session, staff, nomination.id, public_reason=REASON)

    assert first.id == second.id


def test_approval_is_refused_when_the_county_allocation_was_cut_below_it():
    round_ = nomination_round()
    nomination = nominate(round_, high_sheriff(), 400_000)
    round_.county_allocations[0].amount_pence = 300_000
    db.session.commit()

    with pytest.raises(guard.NominationRefused,
                       match="Berkshire has £3,000 left in this round: this nomination of "
                             "£4,000 would go over it"):
        deciding.approve_nomination(db.session, staff_member(), nomination.id, public_reason=REASON)
    assert nomination.status is NominationStatus.SUBMITTED


def test_only_staff_decide_on_nominations():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 400_000)

    with pytest.raises(Forbidden):
        deciding.approve_nomination(db.session, sheriff, nomination.id, public_reason=REASON)


def test_staff_ask_for_changes_and_the_high_sheriffs_change_sends_it_back():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 400_000)

    deciding.request_changes(db.session, staff_member(), nomination.id, "Say how many")
    assert nomination.status is NominationStatus.CHANGES_REQUESTED
    (email,) = _emails_to(sheriff.email)
    assert "Say how many" in email.body_text
    with pytest.raises(guard.NominationRefused, match="wait for them"):
        deciding.approve_nomination(db.session, staff_member("Other"), nomination.id,
                                    public_reason=REASON)

    changing.update_nomination(db.session, sheriff, nomination.id, nominating.NominationInput(
        amount_pence=400_000, priority_id=nomination.priority_id, purpose="For 40 people",
        reason="Keeps young people safe"))

    assert nomination.status is NominationStatus.SUBMITTED
    assert [e.after["purpose"] for e in _events("nomination.resubmitted")] == ["For 40 people"]


def test_declining_needs_a_reason_releases_the_money_and_tells_the_high_sheriff():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 400_000)
    staff = staff_member()

    with pytest.raises(ValidationFailed):
        deciding.decline_nomination(db.session, staff, nomination.id, " ")
    deciding.decline_nomination(db.session, staff, nomination.id, "Not in Berkshire")

    assert nomination.status is NominationStatus.DECLINED
    assert _position(round_, "Berkshire").remaining_pence == 1_000_000
    assert "Not in Berkshire" in _emails_to(sheriff.email)[0].body_text
    with pytest.raises(guard.NominationRefused, match="declined"):
        changing.withdraw_nomination(db.session, sheriff, nomination.id)


def test_every_change_is_audited_with_before_and_after():
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 400_000)
    changing.withdraw_nomination(db.session, sheriff, nomination.id)

    (submitted,) = _events("nomination.submitted")
    (withdrawn,) = _events("nomination.withdrawn")
    assert submitted.after["amount_pence"] == 400_000 and submitted.actor_id == sheriff.id
    assert (withdrawn.before["status"], withdrawn.after["status"]) == ("submitted",
                                                                      "withdrawn")
