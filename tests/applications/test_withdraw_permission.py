"""Whether an application may be withdrawn never gives away an unpublished decision."""

import pytest

from grants.applications.models import ApplicationStatus
from grants.auth.permissions import may_withdraw_application
from tests.applications.conftest import NOW


@pytest.mark.parametrize("status", [ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE,
                                    ApplicationStatus.IN_REVIEW, ApplicationStatus.AWARDED,
                                    ApplicationStatus.DECLINED])
def test_before_decisions_are_published_every_undecided_looking_application_can_be_withdrawn(
    status, draft, member
):
    draft.status = status

    assert may_withdraw_application(member, draft)


@pytest.mark.parametrize("status", [ApplicationStatus.AWARDED, ApplicationStatus.DECLINED])
def test_once_decisions_are_published_a_decided_application_cannot_be_withdrawn(
    status, draft, member, open_round
):
    draft.status = status
    open_round.decisions_published_at = NOW

    assert not may_withdraw_application(member, draft)


@pytest.mark.parametrize("status", [ApplicationStatus.DRAFT, ApplicationStatus.INELIGIBLE,
                                    ApplicationStatus.WITHDRAWN])
def test_drafts_ineligible_and_withdrawn_applications_cannot_be_withdrawn(status, draft,
                                                                          member):
    draft.status = status

    assert not may_withdraw_application(member, draft)


def test_only_members_withdraw(draft, user_factory):
    draft.status = ApplicationStatus.SUBMITTED

    assert not may_withdraw_application(user_factory(), draft)


def test_withdrawing_a_decided_application_before_publication_releases_its_award(
    draft, member, award_factory, open_round, db_session
):
    from grants.applications.operations import withdrawal
    from grants.awards.models import AwardStatus
    from grants.awards.operations.committed import committed_pence

    draft.status = ApplicationStatus.AWARDED
    award = award_factory(round=open_round, organisation=draft.organisation, application=draft,
                          amount_pence=500_000, status=AwardStatus.PROPOSED)
    assert committed_pence(db_session, open_round.id) == 500_000

    withdrawal.withdraw_application(db_session, member, draft, "We found other funding")

    assert award.status is AwardStatus.WITHDRAWN
    assert committed_pence(db_session, open_round.id) == 0
