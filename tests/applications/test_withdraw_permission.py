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
