"""A Community Foundation's members (signed in as applicants of the foundation's organisation)
read their own allocation's onward grants on their award's page, and nothing of another
foundation's: its award answers 404 and the staff pages 403."""

from datetime import date

import pytest

from grants.accounts.models import Role
from grants.direct_awards.models import DirectAwardKind
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from tests.assessment.screening_data import words

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27


@pytest.fixture
def allocations(db_session, signed_off, pay_in, recorder, organisation_factory, plan):
    """Heart of Bucks' allocation of £10,000, with a grant of £4,000 to Wycombe Youth Action
    towards P2.2; Berkshire Community Foundation's of £6,000, with one of £1,000 to Slough
    Foodbank."""
    pay_in(50_000)
    made = {}
    for name, pounds, recipient, grant_pounds in [
            ("Heart of Bucks", 10_000, "Wycombe Youth Action", 4_000),
            ("Berkshire Community Foundation", 6_000, "Slough Foodbank", 1_000)]:
        foundation = organisation_factory(name=name)
        direct = signed_off(organisation_id=foundation.id, amount_pence=pounds * 100,
                            kind=DirectAwardKind.DELEGATED, title="Small grants")
        add_onward_grant(db_session, recorder, direct.award_id, OnwardGrantEntry(
            recipient_name=recipient, amount_pence=grant_pounds * 100,
            awarded_on=date(2026, 5, 20), title="Youth nights",
            key_aim_id=plan.priorities[1].key_aims[1].id))
        made[name] = (foundation, direct.award_id)
    return made


@pytest.fixture
def member(allocations, user_factory, membership_factory, sign_in_as):
    """A member of Heart of Bucks, signed in."""
    foundation, _ = allocations["Heart of Bucks"]
    user = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=user, organisation=foundation)
    return sign_in_as(user)


def test_a_foundations_member_reads_its_allocations_onward_grants_on_its_award_page(
        member, allocations):
    _, award_id = allocations["Heart of Bucks"]

    page = words(member.get(f"/awards/{award_id}/offer").text)

    assert "Grants made from this allocation" in page
    assert "Grants recorded 1 grant, £4,000, to 1 organisation" in page
    assert "Not yet recorded as granted £6,000" in page  # 10,000 - 4,000
    assert "Wycombe Youth Action Youth nights P2.2" in page
    assert "Slough Foodbank" not in page


def test_a_foundations_member_never_sees_another_foundations_allocation(member, allocations):
    _, theirs = allocations["Berkshire Community Foundation"]
    _, own = allocations["Heart of Bucks"]

    assert member.get(f"/awards/{theirs}/offer").status_code == 404
    # The staff pages of onward grants stay staff's, even for the foundation's own.
    assert member.get(f"/staff/direct-awards/{own}/onward-grants").status_code == 403
