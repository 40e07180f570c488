"""Signing off a direct award: a second member of staff (never the person who recorded it)
signs it off while the fund still has the money, and it is offered and public like any other
award. Withdrawn before sign-off, declined or withdrawn as an offer after, its money goes back
to the fund."""

from datetime import date

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.awards.models import AwardStatus
from grants.awards.operations import offers, publicity
from grants.core.errors import Forbidden, ValidationFailed
from grants.direct_awards.operations.signing_off import (
    DirectAwardRefused,
    sign_off_direct_award,
    withdraw_direct_award,
)
from grants.ledger.operations.figures import fund_ledger
from grants.records.models import OutboxMessage
from tests.direct_awards.conftest import NOW, YEAR

pytestmark = pytest.mark.usefixtures("now")


def available(session, fund) -> int:
    return fund_ledger(session, fund).year(YEAR).available_pence


def test_a_second_member_of_staff_signs_it_off_and_it_is_offered_and_public(
        db_session, record, signer, pay_in, audit_actions):
    pay_in(10_000)
    direct = record()
    assert not publicity.is_public(direct.award)

    sign_off_direct_award(db_session, signer, direct.award_id, confirmed=True)

    award = direct.award
    assert (direct.signed_off_by_id, direct.signed_off_at) == (signer.id, NOW)
    assert (award.status, award.offered_at, award.awarded_on) == (
        AwardStatus.OFFERED, NOW, date(2026, 5, 20))
    assert publicity.is_public(award) and publicity.recipient_told(award)
    assert audit_actions("award", award.id) == ["award.direct_recorded", "award.offered"]
    email = db_session.scalars(select(OutboxMessage)).one()
    assert email.to_address == "jo@example.org"
    assert email.subject == "Grant offer: Emergency repairs after a flood"
    assert "a grant of £2,500 from the Police Property Act Fund" in email.body_text
    assert "The night shelter flooded" in email.body_text
    assert f"/awards/{award.id}/offer" in email.body_text


def test_the_person_who_recorded_it_may_not_sign_it_off(db_session, record, recorder,
                                                        pay_in):
    pay_in(10_000)
    direct = record()

    with pytest.raises(DirectAwardRefused, match="You recorded this direct award, so another "
                                                 "member of staff must sign it off"):
        sign_off_direct_award(db_session, recorder, direct.award_id, confirmed=True)
    assert direct.award.status is AwardStatus.PROPOSED


def test_only_staff_sign_off(db_session, record, pay_in, user_factory):
    pay_in(10_000)
    direct = record()

    with pytest.raises(DirectAwardRefused, match="Only staff sign off direct awards"):
        sign_off_direct_award(db_session, user_factory(roles=[Role.REVIEWER]),
                              direct.award_id, confirmed=True)


def test_signing_off_asks_for_the_check_to_be_confirmed(db_session, record, signer, pay_in):
    pay_in(10_000)
    direct = record()

    with pytest.raises(ValidationFailed) as refusal:
        sign_off_direct_award(db_session, signer, direct.award_id, confirmed=False)
    assert list(refusal.value.errors) == ["confirm"]
    assert direct.signed_off_at is None


def test_signing_off_again_changes_nothing(db_session, signed_off, signer, pay_in,
                                           audit_actions):
    pay_in(10_000)
    direct = signed_off()

    sign_off_direct_award(db_session, signer, direct.award_id, confirmed=True)

    assert audit_actions("award", direct.award_id) == ["award.direct_recorded",
                                                       "award.offered"]
    assert len(db_session.scalars(select(OutboxMessage)).all()) == 1


def test_a_signed_off_award_is_not_signed_off_by_another_again(db_session, signed_off,
                                                               pay_in, user_factory):
    pay_in(10_000)
    direct = signed_off()

    with pytest.raises(DirectAwardRefused, match="This direct award has been signed off"):
        sign_off_direct_award(db_session, user_factory(roles=[Role.ADMIN]), direct.award_id,
                              confirmed=True)


def test_sign_off_is_refused_with_the_figure_when_the_fund_no_longer_has_the_money(
        db_session, record, signer, ppaf, pay_in):
    """Recorded while the fund's budgets were not yet limited by its money, the award must
    still fit when the limit is on: it may have what is spare besides itself."""
    pay_in(2_000)
    ppaf.budgets_limited_by_money_paid_in = False
    direct = record()
    ppaf.budgets_limited_by_money_paid_in = True

    with pytest.raises(ValidationFailed) as refusal:
        sign_off_direct_award(db_session, signer, direct.award_id, confirmed=True)

    assert refusal.value.errors == {"confirm": (
        "£2,000 is available in the PPAF for 2026/27, so this direct award can be no more "
        "than £2,000 until more money is paid in")}
    pay_in(500, date(2026, 5, 1))
    sign_off_direct_award(db_session, signer, direct.award_id, confirmed=True)
    assert direct.award.status is AwardStatus.OFFERED
    assert available(db_session, ppaf) == 0


def test_withdrawn_before_sign_off_it_is_never_offered_and_its_money_goes_back(
        db_session, record, recorder, signer, ppaf, pay_in, audit_actions):
    pay_in(10_000)
    direct = record()
    assert available(db_session, ppaf) == 7_500_00

    withdraw_direct_award(db_session, recorder, direct.award_id, "Recorded twice by mistake")

    award = direct.award
    assert (award.status, award.withdrawal_reason) == (AwardStatus.WITHDRAWN,
                                                      "Recorded twice by mistake")
    assert award.round.budget_pence == 0
    assert available(db_session, ppaf) == 10_000_00
    assert audit_actions("award", award.id) == ["award.direct_recorded", "award.withdrawn"]
    with pytest.raises(DirectAwardRefused, match="This direct award was withdrawn"):
        sign_off_direct_award(db_session, signer, direct.award_id, confirmed=True)
    assert db_session.scalars(select(OutboxMessage)).all() == []


def test_withdrawing_asks_why_and_is_for_staff_only(db_session, record, recorder, pay_in,
                                                    user_factory):
    pay_in(10_000)
    direct = record()

    with pytest.raises(ValidationFailed) as refusal:
        withdraw_direct_award(db_session, recorder, direct.award_id, "  ")
    assert refusal.value.errors == {"reason": "Enter why the direct award is withdrawn"}
    with pytest.raises(Forbidden):
        withdraw_direct_award(db_session, user_factory(roles=[Role.APPLICANT]),
                              direct.award_id, "No")
    assert direct.award.status is AwardStatus.PROPOSED


def test_a_signed_off_award_is_withdrawn_as_an_offer_and_its_money_goes_back(
        db_session, signed_off, recorder, ppaf, pay_in):
    pay_in(10_000)
    direct = signed_off()

    with pytest.raises(DirectAwardRefused, match="withdraw the offer from the award's page"):
        withdraw_direct_award(db_session, recorder, direct.award_id, "Not needed")
    offers.withdraw_offer(db_session, recorder, direct.award, "The shelter found other money")

    assert direct.award.status is AwardStatus.WITHDRAWN
    assert direct.award.round.budget_pence == 0
    assert available(db_session, ppaf) == 10_000_00


def test_an_offer_the_organisation_declines_gives_its_money_back_to_the_fund(
        db_session, signed_off, ppaf, pay_in, charity, user_factory, membership_factory):
    pay_in(10_000)
    direct = signed_off()
    member = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=member, organisation=charity)

    offers.decline_offer(db_session, member, direct.award, "The roof was mended by a friend")

    assert direct.award.status is AwardStatus.DECLINED
    assert direct.award.round.budget_pence == 0
    assert available(db_session, ppaf) == 10_000_00


def test_an_accepted_direct_award_is_paid_by_the_two_person_rule_like_any_other(
        db_session, signed_off, recorder, signer, pay_in, charity, user_factory,
        membership_factory):
    from grants.awards.models import BankDetails
    from grants.awards.operations import payments

    pay_in(10_000)
    award = signed_off().award
    member = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=member, organisation=charity)
    offers.accept_offer(db_session, member, award, name="Jo Patel", position="Chair",
                        accepted_on=date(2026, 6, 1), confirmed=True)
    award.bank_details.append(BankDetails(account_name="Reading Street Support",
                                          sort_code="309430", account_number="00733445",
                                          entered_by_id=member.id, verified_by_id=signer.id,
                                          verified_at=NOW))
    db_session.flush()

    payment = payments.record_payment(db_session, recorder, award, paid_on=date(2026, 6, 1),
                                      amount_pence=award.amount_pence, reference="BACS-9")
    payments.approve_payment(db_session, signer, payment)

    assert award.status is AwardStatus.PAID
    assert fund_ledger(db_session, award.round.fund).year(YEAR).paid_out_pence == 2_500_00
