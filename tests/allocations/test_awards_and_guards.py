"""What happens after confirming: the council's members accept the grant agreement on the
offer pages; the allocation page's query count; and allocation rounds' default monitoring."""

from datetime import UTC, datetime

from grants.accounts.models import Role
from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.listing import allocation, recipients_of
from grants.allocations.operations.proposal import propose_shares
from grants.allocations.operations.recipients import set_recipients
from grants.awards.models import AwardStatus
from grants.extensions import db
from grants.funds.models import MonitoringSchedule, RoundKind
from grants.funds.operations import settings as round_settings
from grants.organisations.models import OrganisationType
from tests.allocations.conftest import SHARES_REASON, sign_off_and_publish
from tests.fixtures.auth import post_form


def test_a_council_member_accepts_its_allocation_on_the_offer_page(
    db_session, client, sign_in_as, staff, approver, ready_round, councils, user_factory,
    membership_factory,
):
    propose_shares(db_session, staff, ready_round.id)
    award = confirm_allocation(db_session, staff, ready_round.id,
                               public_reason=SHARES_REASON).awards[0]
    member = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=member, organisation=councils[0])
    db_session.commit()
    path = f"/awards/{award.id}/offer"
    unpublished = sign_in_as(member).get(path).status_code
    sign_off_and_publish(db_session, approver, staff, ready_round.id)
    db_session.commit()

    page = client.get(path).get_data(as_text=True)
    response = post_form(client, path, {"name": "Jo Member", "position": "Head of community "
                                        "safety", "accepted_on": ["14", "5", "2019"],
                                        "confirm": "y"})

    assert unpublished == 404
    assert "Community Safety Fund allocation 2019/20" in page and "£382,500" in page
    assert response.status_code == 302
    db.session.refresh(award)
    assert award.status is AwardStatus.ACCEPTED


def test_another_organisations_member_cannot_see_the_offer(db_session, sign_in_as, staff,
                                                         ready_round, user_factory,
                                                         membership_factory, councils):
    propose_shares(db_session, staff, ready_round.id)
    award = confirm_allocation(db_session, staff, ready_round.id,
                               public_reason=SHARES_REASON).awards[0]
    outsider = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=outsider, organisation=councils[1])
    db_session.commit()

    assert sign_in_as(outsider).get(f"/awards/{award.id}/offer").status_code == 404


def test_the_allocation_page_runs_the_same_queries_whatever_the_number_of_recipients(
    db_session, staff, ready_round, count_queries, organisation_factory,
):
    round_id = ready_round.id
    propose_shares(db_session, staff, round_id)
    db_session.expire_all()
    with count_queries() as few:
        allocation(db_session, round_id)
    more = [organisation_factory(organisation_type=OrganisationType.LOCAL_AUTHORITY)
            for _ in range(4)]
    current = [r.organisation_id for r in recipients_of(db_session, round_id)]
    set_recipients(db_session, staff, round_id, current + [o.id for o in more])
    db_session.expire_all()

    with count_queries() as many:
        allocation(db_session, round_id)

    assert many.count == few.count, str(many)


def test_an_allocation_round_asks_for_twice_yearly_returns_by_default(db_session, fund_factory):
    round_ = round_settings.create_round(
        db_session, fund_factory(code="CSF", name="Community Safety Fund"),
        round_settings.RoundSettings(title="CSF 2019/20 allocations", kind=RoundKind.ALLOCATION,
                                    opens_at=datetime(2019, 4, 1, tzinfo=UTC),
                                    closes_at=datetime(2019, 6, 30, tzinfo=UTC),
                                    budget_pence=100_000_000),
        actor_id=None)

    assert round_.monitoring is MonitoringSchedule.TWICE_YEARLY
