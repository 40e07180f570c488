"""Recording a direct award: it is an award in its fund's direct awards round of the year it
was decided, committed in the fund's ledger from the day it is recorded, and refused, with the
figure, when the fund has not the money available."""

from datetime import date

import pytest
from sqlalchemy import func, select

from grants.accounts.models import Role
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.core.errors import Conflict, Forbidden, ValidationFailed
from grants.direct_awards.models import DecisionMaker, DirectAward
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.ledger.operations.figures import fund_ledger
from tests.direct_awards.conftest import YEAR

pytestmark = pytest.mark.usefixtures("now")


def direct_rounds(session) -> list[Round]:
    return list(session.scalars(select(Round).where(Round.kind == RoundKind.DIRECT)
                                .order_by(Round.financial_year)))


def refused(record, **changes) -> dict:
    with pytest.raises(ValidationFailed) as refusal:
        record(**changes)
    return refusal.value.errors


def test_a_direct_award_is_recorded_proposed_in_its_funds_direct_awards_round_of_the_year(
        db_session, record, recorder, charity, ppaf, pay_in, audit_actions):
    pay_in(10_000)

    direct = record()

    award = direct.award
    assert (award.status, award.source, award.amount_pence) == (
        AwardStatus.PROPOSED, AwardSource.DIRECT, 2_500_00)
    assert award.organisation == charity and award.awarded_on == date(2026, 5, 20)
    assert award.title == "Emergency repairs after a flood"
    assert award.public_reason.startswith("The night shelter flooded")
    assert [aim.code for aim in award.key_aims] == ["P2.1"]
    assert (direct.decision_maker, direct.recorded_by_id, direct.signed_off_at) == (
        DecisionMaker.COMMISSIONER, recorder.id, None)
    round_ = award.round
    assert (round_.kind, round_.code, round_.title, round_.financial_year, round_.fund) == (
        RoundKind.DIRECT, "PPAF-DIRECT-2026", "Direct awards 2026/27", YEAR, ppaf)
    # Its round's decisions count as published from the start: the award is private because
    # it is proposed, until it is signed off.
    assert round_.status is RoundStatus.PUBLISHED
    assert round_.budget_pence == 2_500_00
    assert audit_actions("award", award.id) == ["award.direct_recorded"]
    assert audit_actions("round", round_.id) == ["round.created"]


def test_the_years_direct_awards_share_one_round_whose_budget_is_what_they_commit(
        db_session, record, pay_in):
    pay_in(10_000)

    first = record()
    second = record(amount_pence=1_000_00, title="A second urgent need")

    assert first.award.round == second.award.round
    assert direct_rounds(db_session) == [first.award.round]
    assert first.award.round.budget_pence == 3_500_00


def test_an_award_decided_in_another_financial_year_is_in_that_years_round(
        db_session, record, pay_in):
    pay_in(10_000, date(2025, 6, 1))

    direct = record(decided_on=date(2026, 3, 31))

    assert direct.award.round.financial_year == "2025/26"
    assert direct.award.round.code == "PPAF-DIRECT-2025"


def test_a_round_code_staff_took_already_is_left_to_them(db_session, record, pay_in,
                                                        round_factory, ppaf):
    pay_in(10_000)
    round_factory(fund=ppaf, code="PPAF-DIRECT-2026", financial_year=YEAR,
                  budget_pence=1_000_00, max_award_pence=1_000_00)

    assert record().award.round.code == "PPAF-DIRECT-2026-2"


def test_the_ledger_commits_a_direct_award_in_its_year_from_the_day_it_is_recorded(
        db_session, record, ppaf, pay_in):
    pay_in(10_000)
    before = fund_ledger(db_session, ppaf).year(YEAR)

    record()

    after = fund_ledger(db_session, ppaf).year(YEAR)
    assert (before.committed_pence, before.available_pence) == (0, 10_000_00)
    assert (after.committed_pence, after.available_pence) == (2_500_00, 7_500_00)


def test_an_amount_above_what_the_fund_has_available_is_refused_with_the_figure(
        db_session, record, ppaf, pay_in, round_factory):
    pay_in(10_000)
    round_factory(fund=ppaf, financial_year=YEAR, budget_pence=6_000_00,
                  max_award_pence=100_000)

    assert refused(record, amount_pence=4_000_01) == {"amount": (
        "£4,000 is available in the PPAF for 2026/27, so this direct award can be no more "
        "than £4,000 until more money is paid in")}
    assert direct_rounds(db_session) == []
    assert record(amount_pence=4_000_00).award.amount_pence == 4_000_00
    assert refused(record, amount_pence=1) == {"amount": (
        "£0 is available in the PPAF for 2026/27, so there is no money for this direct award "
        "until more is paid in")}


def test_a_later_years_rounds_that_count_on_the_money_carried_forward_limit_it_too(
        db_session, record, ppaf, pay_in, round_factory):
    pay_in(10_000)
    round_factory(fund=ppaf, financial_year="2027/28", budget_pence=9_000_00,
                  max_award_pence=100_000)

    assert refused(record) == {"amount": (
        "£1,000 is available in the PPAF for 2026/27, as the rounds of 2027/28 count on the "
        "money it carries forward, so this direct award can be no more than £1,000 until more "
        "money is paid in")}


def test_a_fund_whose_budget_is_granted_is_not_limited_by_money_paid_in(
        db_session, record, fund_factory):
    csf = fund_factory(code="CSF", name="Community Safety Fund")

    direct = record(fund=csf, amount_pence=50_000_00)

    assert direct.award.round.code == "CSF-DIRECT-2026"
    assert direct.award.round.budget_pence == 50_000_00


def test_every_answer_is_checked_at_once(db_session, record, pay_in):
    pay_in(10_000)

    errors = refused(record, organisation_id=None, amount_pence=None, decided_on=None,
                     decision_maker=None, title=" ", public_reason="", priority_id=None)

    assert errors == {
        "organisation": "Choose the organisation the award is made to",
        "amount": "Enter the amount of the award",
        "decided_on": "Enter the date the award was decided",
        "decision_maker": "Choose who decided the award",
        "title": "Enter what the award is for, like Emergency repairs after a flood",
        "public_reason": "Enter the reason for the award, as it will be published",
        "priority": "Choose the priority the award supports",
    }
    assert db_session.scalar(select(func.count(Award.id))) == 0


@pytest.mark.parametrize("decided_on, message", [
    (date(2026, 6, 2), "The date the award was decided must be today or in the past"),
    (date(1990, 3, 31), "The date the award was decided must be on or after 1 April 1990"),
])
def test_a_decision_date_in_the_future_or_long_ago_is_refused(record, pay_in, decided_on,
                                                              message):
    pay_in(10_000)

    assert refused(record, decided_on=decided_on) == {"decided_on": message}


def test_a_delegate_who_decided_it_is_named(db_session, record, pay_in):
    pay_in(10_000)

    assert refused(record, decision_maker=DecisionMaker.DELEGATE) == {
        "delegate_name": "Enter the name and role of the person who decided the award"}
    direct = record(decision_maker=DecisionMaker.DELEGATE,
                    delegate_name="  Jane Smith, Chief Executive ")
    assert direct.delegate_name == "Jane Smith, Chief Executive"
    assert direct.decided_by == "Jane Smith, Chief Executive"


def test_a_delegate_named_when_the_commissioner_decided_is_not_kept(record, pay_in):
    pay_in(10_000)

    direct = record(delegate_name="Jane Smith")

    assert direct.delegate_name == ""
    assert direct.decided_by == "The Police and Crime Commissioner"


def test_the_key_aims_are_the_priority_s(db_session, record, pay_in, plan):
    pay_in(10_000)
    other_aim = plan.priorities[0].key_aims[0]

    assert refused(record, key_aim_ids=[]) == {
        "key_aims": "Choose at least one key aim the award supports"}
    assert refused(record, key_aim_ids=[other_aim.id]) == {
        "key_aims": "Choose key aims of P2 Prevention and Early Intervention"}


def test_an_award_that_serves_its_organisation_s_areas_records_them(record, pay_in, charity):
    pay_in(10_000)

    award = record(serves_whole_thames_valley=False).award

    assert [area.name for area in award.areas] == ["Reading"]
    assert award.serves_whole_thames_valley is False


def test_the_same_award_sent_twice_is_recorded_once(db_session, record, pay_in):
    pay_in(10_000)
    record()

    with pytest.raises(Conflict, match="is already recorded, waiting for sign-off"):
        record()
    assert db_session.scalar(select(func.count(DirectAward.award_id))) == 1


def test_only_staff_record_a_direct_award(db_session, record, pay_in, user_factory):
    pay_in(10_000)

    with pytest.raises(Forbidden):
        record(by=user_factory(roles=[Role.APPLICANT]))
    assert direct_rounds(db_session) == []
