"""Allocation rounds: top-slice, factors, inputs, proposed and overridden shares, confirming
them as awards, and awards from the top-slice."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.allocations.models import AllocationInput
from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.factors import FactorRow, parse_percentage, set_factors
from grants.allocations.operations.guard import AllocationRefused
from grants.allocations.operations.inputs import save_inputs
from grants.allocations.operations.inputs_csv import InputsFileRejected, import_inputs_csv
from grants.allocations.operations.listing import (
    allocated_pence,
    allocation,
    factors_of,
    recipients_of,
    top_slice_committed_pence,
)
from grants.allocations.operations.proposal import override_share, propose_shares
from grants.allocations.operations.recipients import set_recipients
from grants.allocations.operations.top_slice import set_top_slice, top_slice_for_percentage
from grants.allocations.operations.top_slice_awards import TopSliceAward, record_top_slice_award
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.awards.operations.committed import committed_pence
from grants.core.errors import NotFound, ValidationFailed
from grants.decisions.operations.publishing import publish
from grants.decisions.operations.rules import DecisionRefused
from grants.decisions.operations.sign_off import sign_off
from grants.funds.models import RoundKind
from grants.records.models import AuditEvent, OutboxMessage
from tests.allocations.conftest import BUDGET, NOW, SHARES_REASON, sign_off_and_publish


def shares(session, round_id):
    return {r.organisation.name: r.share_pence for r in recipients_of(session, round_id)}


def actions(session):
    return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


# --- Top-slice ----------------------------------------------------------------------------

def test_a_top_slice_given_as_an_amount_leaves_the_rest_to_the_formula(db_session, staff,
                                                                        csf_round):
    set_top_slice(db_session, staff, csf_round.id, amount_pence=10_000_000)

    assert csf_round.top_slice_pence == 10_000_000 and csf_round.top_slice_basis_points is None
    assert allocated_pence(csf_round) == BUDGET - 10_000_000
    assert "allocation.top_slice_set" in actions(db_session)


def test_a_top_slice_given_as_a_percentage_is_kept_with_its_amount(db_session, staff, csf_round):
    set_top_slice(db_session, staff, csf_round.id, basis_points=1250)

    assert csf_round.top_slice_basis_points == 1250
    assert csf_round.top_slice_pence == 12_500_000
    assert allocated_pence(csf_round) == 87_500_000


def test_a_percentage_top_slice_rounds_up_to_leave_the_formula_whole_pounds():
    # 10 % of £1,000.05 is £100.005: the formula gets £900, the top-slice £100.05.
    assert top_slice_for_percentage(100_005, 1000) == 10_005


def test_a_top_slice_that_leaves_pence_to_the_formula_is_refused_with_amounts_that_work(
    db_session, staff, csf_round,
):
    with pytest.raises(ValidationFailed) as refusal:
        set_top_slice(db_session, staff, csf_round.id, amount_pence=10_000_050)

    assert refusal.value.errors["amount"].endswith("make the top-slice £100,000 or £100,001")


def test_a_top_slice_over_the_budget_is_refused(db_session, staff, csf_round):
    with pytest.raises(ValidationFailed, match="between £0 and the budget of £1,000,000"):
        set_top_slice(db_session, staff, csf_round.id, amount_pence=BUDGET + 100)


def test_an_open_round_has_no_allocation(db_session, staff, round_factory):
    with pytest.raises(NotFound):
        set_top_slice(db_session, staff, round_factory(kind=RoundKind.OPEN).id,
                               amount_pence=0)


def test_only_staff_manage_allocations(db_session, user_factory, csf_round):
    applicant = user_factory(roles=[Role.APPLICANT])

    with pytest.raises(AllocationRefused, match="Only staff"):
        set_top_slice(db_session, applicant, csf_round.id, amount_pence=0)


# --- Recipients and factors ---------------------------------------------------------------

def test_only_councils_and_partnerships_can_be_recipients(db_session, staff, csf_round,
                                                           organisation_factory):
    charity = organisation_factory()

    with pytest.raises(ValidationFailed, match="Community Safety Partnerships"):
        set_recipients(db_session, staff, csf_round.id, [charity.id])


def test_weights_must_add_up_to_100_percent(db_session, staff, csf_round):
    with pytest.raises(ValidationFailed) as refusal:
        set_factors(db_session, staff, csf_round.id, [
            FactorRow("Population", 5000), FactorRow("Recorded crime", 2500)])

    assert refusal.value.errors == {"weights": "The weights add up to 75 %. They must add up "
                                               "to 100 %"}


def test_a_factor_needs_a_name_and_a_weight_and_names_are_unique(db_session, staff, csf_round):
    with pytest.raises(ValidationFailed) as refusal:
        set_factors(db_session, staff, csf_round.id, [
            FactorRow("Population", None), FactorRow("", 5000),
            FactorRow("population", 5000)])

    assert refusal.value.errors == {
        "weight_0": "Enter the weight of Population", "name_1": "Enter the name of factor 2",
        "name_2": "There is already a factor called population"}


def test_percentages_are_read_to_two_decimal_places():
    assert parse_percentage("12.5 %") == 1250
    assert parse_percentage("") is None
    with pytest.raises(ValueError, match="between 0 and 100"):
        parse_percentage("100.01")


def test_a_factor_kept_by_name_keeps_its_inputs_and_a_removed_one_loses_them(db_session, staff,
                                                                             ready_round):
    set_factors(db_session, staff, ready_round.id, [
        FactorRow("Population", 6000), FactorRow("Recorded crime", 4000)])

    factors = factors_of(db_session, ready_round.id)
    assert [(f.name, f.weight_basis_points) for f in factors] == [("Population", 6000),
                                                                  ("Recorded crime", 4000)]
    kept = db_session.scalars(select(AllocationInput.factor_id).distinct()).all()
    assert sorted(kept) == sorted(f.id for f in factors)


# --- Inputs by CSV ------------------------------------------------------------------------

CSV_OK = ("Recipient,Population,Recorded crime,Non-crime demand\r\n"
          "Reading Council,\"210,000\",3100,1000\r\n"
          "slough council,100000,1000,2000.5\r\n")


def test_a_csv_file_sets_the_inputs_by_recipient_name_or_organisation_id(db_session, staff,
                                                                         ready_round, councils):
    text = CSV_OK + f"{councils[2].id},100000,2000,2000\r\n"

    changed = import_inputs_csv(db_session, staff, ready_round.id,
                                         text.encode("utf-8-sig"))

    assert changed == 3
    view = allocation(db_session, ready_round.id)
    reading = next(r for r in view.rows if r.recipient.organisation.name == "Reading Council")
    assert list(reading.values.values()) == [Decimal(210_000), Decimal(3_100), Decimal(1_000)]


def test_csv_errors_name_their_row_and_column_and_nothing_is_saved(db_session, staff,
                                                                   ready_round):
    before = {(i.recipient_id, i.factor_id): i.value
              for i in db_session.scalars(select(AllocationInput))}
    text = ("Recipient,Population,Recorded crime,Non-crime demand\n"
            "Reading Council,210000,3100,1000\n"
            "Slough Council,lots,-5,\n"
            "Oxford City Council,1,1,1\n")

    with pytest.raises(InputsFileRejected) as refusal:
        import_inputs_csv(db_session, staff, ready_round.id, text.encode())

    assert refusal.value.problems == [
        "Row 3, column B (Population): Enter a number of 0 or more, like 125000 or 12.5",
        "Row 3, column C (Recorded crime): Enter a number of 0 or more, like 125000 or 12.5",
        "Row 3, column D (Non-crime demand): enter Slough Council's Non-crime demand",
        "Row 4, column A: “Oxford City Council” is not a recipient of this round",
    ]
    db_session.expire_all()
    assert {(i.recipient_id, i.factor_id): i.value
            for i in db_session.scalars(select(AllocationInput))} == before


def test_a_csv_file_without_a_column_for_each_factor_is_refused(db_session, staff, ready_round):
    text = "Recipient,Population,Crime\nReading Council,1,2\n"

    with pytest.raises(InputsFileRejected) as refusal:
        import_inputs_csv(db_session, staff, ready_round.id, text.encode())

    assert refusal.value.problems[:3] == [
        "Row 1, column C: “Crime” is not a factor of this round. The factors are Population, "
        "Recorded crime, Non-crime demand",
        "Row 1: there is no column for Recorded crime",
        "Row 1: there is no column for Non-crime demand"]


def test_a_file_that_is_not_utf8_is_refused(db_session, staff, ready_round):
    with pytest.raises(InputsFileRejected, match="UTF-8"):
        import_inputs_csv(db_session, staff, ready_round.id, b"\xff\xfe\x00R")


# --- Proposing and overriding -------------------------------------------------------------

def test_the_proposed_shares_add_up_to_the_budget_less_the_top_slice(db_session, staff,
                                                                     ready_round):
    propose_shares(db_session, staff, ready_round.id)

    # 0.425, 4/15 and 37/120 of £900,000.
    assert shares(db_session, ready_round.id) == {
        "Reading Council": 38_250_000, "Slough Council": 24_000_000,
        "Wokingham Council": 27_750_000}
    assert "allocation.shares_proposed" in actions(db_session)


def test_proposing_is_refused_until_every_input_is_entered(db_session, staff, ready_round):
    recipient = recipients_of(db_session, ready_round.id)[0]
    factor = factors_of(db_session, ready_round.id)[1]
    save_inputs(db_session, staff, ready_round.id, {(recipient.id, factor.id): None})

    with pytest.raises(AllocationRefused, match="Enter Reading Council's Recorded crime"):
        propose_shares(db_session, staff, ready_round.id)


def test_changing_an_input_clears_the_proposed_shares(db_session, staff, ready_round):
    propose_shares(db_session, staff, ready_round.id)
    recipient = recipients_of(db_session, ready_round.id)[0]
    factor = factors_of(db_session, ready_round.id)[0]

    save_inputs(db_session, staff, ready_round.id,
                         {(recipient.id, factor.id): Decimal(1)})

    assert set(shares(db_session, ready_round.id).values()) == {None}


def test_an_override_needs_a_reason(db_session, staff, ready_round):
    propose_shares(db_session, staff, ready_round.id)
    recipient = recipients_of(db_session, ready_round.id)[0]

    with pytest.raises(ValidationFailed) as refusal:
        override_share(db_session, staff, ready_round.id, recipient.id,
                                amount_pence=30_000_000, reason="  ")

    assert refusal.value.errors == {"reason": "Enter why this share differs from the formula's"}


def test_an_override_that_takes_the_shares_over_the_amount_allocated_says_by_how_much(
    db_session, staff, ready_round,
):
    propose_shares(db_session, staff, ready_round.id)
    reading = recipients_of(db_session, ready_round.id)[0]

    with pytest.raises(ValidationFailed) as refusal:
        override_share(db_session, staff, ready_round.id, reading.id,
                                amount_pence=39_000_000, reason="New night-time economy work")

    assert refusal.value.errors["amount"] == (
        "The shares would add up to £907,500, which is £7,500 over the £900,000 to allocate. "
        "This share can be at most £382,500")


def test_an_override_below_the_formula_is_kept_with_its_reason(db_session, staff, ready_round):
    propose_shares(db_session, staff, ready_round.id)
    reading = recipients_of(db_session, ready_round.id)[0]

    override_share(db_session, staff, ready_round.id, reading.id,
                            amount_pence=37_000_000, reason="Carried forward £12,500 unspent")

    view = allocation(db_session, ready_round.id)
    assert view.rows[0].recipient.proposed_pence == 38_250_000
    assert view.rows[0].overridden
    assert view.difference_pence == 1_250_000
    assert "allocation.share_overridden" in actions(db_session)


# --- Confirming ---------------------------------------------------------------------------

def test_confirming_makes_each_share_a_proposed_award_adding_up_to_the_shares(db_session, staff,
                                                                               ready_round,
                                                                               councils):
    propose_shares(db_session, staff, ready_round.id)

    result = confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)

    awards = db_session.scalars(select(Award).order_by(Award.id)).all()
    assert awards == result.awards and len(awards) == 3
    assert sum(a.amount_pence for a in awards) == 90_000_000 == committed_pence(
        db_session, ready_round.id)
    reading = awards[0]
    assert (reading.source, reading.status, reading.offered_at, reading.awarded_on) == (
        AwardSource.ALLOCATION, AwardStatus.PROPOSED, None, None)
    assert reading.organisation == councils[0] and reading.areas == councils[0].areas
    assert reading.title == "Community Safety Fund allocation 2019/20"
    assert db_session.scalars(select(OutboxMessage.to_address)).all() == []
    assert actions(db_session).count("award.allocated") == 3


def test_publishing_offers_each_share_and_emails_its_recipient(db_session, staff, approver,
                                                               ready_round, councils):
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)

    published = sign_off_and_publish(db_session, approver, staff, ready_round.id)

    awards = db_session.scalars(select(Award).order_by(Award.id)).all()
    assert published.awarded == 3
    assert {(a.status, a.offered_at, str(a.awarded_on)) for a in awards} == {
        (AwardStatus.OFFERED, NOW, "2019-05-14")}
    assert db_session.scalars(select(OutboxMessage.to_address)
                              .order_by(OutboxMessage.id)).all() == [
        c.contact_email for c in councils]
    assert actions(db_session).count("award.offered") == 3
    assert actions(db_session)[-1] == "round.decisions_published"


def test_whoever_confirmed_the_shares_cannot_sign_them_off(db_session, staff, ready_round):
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)

    with pytest.raises(DecisionRefused, match="a second member of staff"):
        sign_off(db_session, staff, ready_round.id)


def test_unconfirmed_shares_cannot_be_signed_off_or_published(db_session, staff, approver,
                                                              ready_round):
    propose_shares(db_session, staff, ready_round.id)

    with pytest.raises(DecisionRefused, match="The shares must be confirmed"):
        sign_off(db_session, approver, ready_round.id)
    with pytest.raises(DecisionRefused, match="sign off the decisions before"):
        publish(db_session, staff, ready_round.id)


def test_confirming_twice_makes_no_more_awards(db_session, staff, ready_round):
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)

    again = confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)

    assert again.already and len(db_session.scalars(select(Award)).all()) == 3


def test_nothing_changes_once_the_shares_are_confirmed(db_session, staff, ready_round):
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)

    with pytest.raises(AllocationRefused, match="confirmed"):
        propose_shares(db_session, staff, ready_round.id)
    with pytest.raises(AllocationRefused, match="confirmed"):
        set_top_slice(db_session, staff, ready_round.id, amount_pence=0)


def test_confirming_before_proposing_is_refused(db_session, staff, ready_round):
    with pytest.raises(AllocationRefused, match="Propose the shares"):
        confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)


def test_confirming_never_takes_the_round_over_its_budget(db_session, staff, ready_round,
                                                          award_factory, councils):
    propose_shares(db_session, staff, ready_round.id)
    award_factory(round=ready_round, organisation=councils[0], amount_pence=20_000_000,
                  status=AwardStatus.ACCEPTED)

    with pytest.raises(AllocationRefused,
                       match="add up to £900,000, but only £800,000 of the budget"):
        confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)


# --- Top-slice awards ---------------------------------------------------------------------

@pytest.fixture
def cybercrime(key_aim_factory):
    return key_aim_factory(text="Tackle online fraud and cybercrime")


def entry(organisation, aim, amount_pence, title="Cybercrime initiatives"):
    return TopSliceAward(organisation_id=organisation.id, amount_pence=amount_pence,
                                  priority_id=aim.priority_id, key_aim_ids=[aim.id], title=title,
                                  public_reason=SHARES_REASON)


def test_a_top_slice_award_is_proposed_against_a_priority_and_key_aim(db_session, staff,
                                                                      ready_round, cybercrime,
                                                                      organisation_factory):
    charity = organisation_factory(name="Thames Valley Cyber Safe")

    award = record_top_slice_award(db_session, staff, ready_round.id,
                                            entry(charity, cybercrime, 10_000_000))

    assert (award.source, award.status, award.amount_pence, award.offered_at) == (
        AwardSource.TOP_SLICE, AwardStatus.PROPOSED, 10_000_000, None)
    assert award.priority == cybercrime.priority and award.key_aims == [cybercrime]
    assert award.serves_whole_thames_valley and award.title == "Cybercrime initiatives"
    assert top_slice_committed_pence(db_session, ready_round.id) == 10_000_000
    assert db_session.scalars(select(OutboxMessage)).all() == []


def test_a_top_slice_award_is_offered_with_the_shares_when_published(
    db_session, staff, approver, ready_round, cybercrime, organisation_factory,
):
    charity = organisation_factory(name="Thames Valley Cyber Safe",
                                   contact_email="cyber@example.org")
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)
    award = record_top_slice_award(db_session, staff, ready_round.id,
                                   entry(charity, cybercrime, 10_000_000))

    sign_off_and_publish(db_session, approver, staff, ready_round.id)

    assert (award.status, award.offered_at) == (AwardStatus.OFFERED, NOW)
    assert "cyber@example.org" in db_session.scalars(select(OutboxMessage.to_address)).all()


def test_no_top_slice_award_is_made_once_the_decisions_are_published(
    db_session, staff, approver, ready_round, cybercrime, organisation_factory,
):
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)
    sign_off_and_publish(db_session, approver, staff, ready_round.id)

    with pytest.raises(AllocationRefused, match="decisions have been published"):
        record_top_slice_award(db_session, staff, ready_round.id,
                               entry(organisation_factory(), cybercrime, 1_000_000))


def test_a_top_slice_award_after_sign_off_needs_the_decisions_signed_off_again(
    db_session, staff, approver, ready_round, cybercrime, organisation_factory,
):
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)
    sign_off(db_session, approver, ready_round.id)

    record_top_slice_award(db_session, staff, ready_round.id,
                           entry(organisation_factory(), cybercrime, 1_000_000))

    assert ready_round.decisions_signed_off_at is None
    assert "round.decisions_sign_off_cleared" in actions(db_session)


def test_a_top_slice_award_over_what_is_left_is_refused_showing_what_is_left(
    db_session, staff, ready_round, cybercrime, organisation_factory,
):
    charity = organisation_factory()
    record_top_slice_award(db_session, staff, ready_round.id,
                                    entry(charity, cybercrime, 6_000_000))

    with pytest.raises(ValidationFailed) as refusal:
        record_top_slice_award(db_session, staff, ready_round.id,
                                        entry(charity, cybercrime, 4_000_100))

    assert refusal.value.errors == {"amount": "Only £40,000 of the top-slice of £100,000 is "
                                              "left (£60,000 is already awarded from it)"}


def test_a_top_slice_award_needs_a_key_aim_of_its_priority(db_session, staff, ready_round,
                                                           cybercrime, key_aim_factory,
                                                           organisation_factory):
    other = key_aim_factory()
    wrong = TopSliceAward(organisation_id=organisation_factory().id,
                                   amount_pence=100, priority_id=cybercrime.priority_id,
                                   key_aim_ids=[other.id], title="Cyber",
                                   public_reason=SHARES_REASON)

    with pytest.raises(ValidationFailed) as refusal:
        record_top_slice_award(db_session, staff, ready_round.id, wrong)

    assert list(refusal.value.errors) == ["key_aims"]


def test_the_top_slice_cannot_shrink_below_what_is_awarded_from_it(db_session, staff, csf_round,
                                                                   cybercrime,
                                                                   organisation_factory):
    set_top_slice(db_session, staff, csf_round.id, amount_pence=10_000_000)
    record_top_slice_award(db_session, staff, csf_round.id,
                                    entry(organisation_factory(), cybercrime, 5_000_000))

    with pytest.raises(ValidationFailed, match="less than the £50,000 already awarded"):
        set_top_slice(db_session, staff, csf_round.id, amount_pence=4_000_000)
