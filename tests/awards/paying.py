"""An offered award to a member's organisation, two staff to pay it, and the steps on the way
(accepting, giving and verifying bank details) taken through the services.

Test modules import the fixtures they use from here: each is named by its `name=` (the
function's name ends in _fixture, so that a test's argument does not shadow the import). The
clock fixture is autouse wherever it is imported.
"""

from datetime import UTC, date, datetime

import pytest

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import Award, AwardStatus, BankDetails
from grants.awards.operations import bank_details, offers
from grants.core import clock
from grants.extensions import db

# Tuesday 10 March 2027, 10:00 GMT.
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)
OFFERED_AT = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PLANNED_END = date(2028, 1, 31)
# 3 months after the planned end (31 April does not exist).
REPORT_DUE = date(2028, 4, 30)
AMOUNT = 250_000
CONDITIONS = "Spend at least £500 on safeguarding training.\n\nSend us photos of the project."
SORT_CODE, ACCOUNT_NUMBER = "309430", "00733445"


@pytest.fixture(name="fixed_clock", autouse=True)
def fixed_clock_fixture(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return NOW


@pytest.fixture(name="member")
def member_fixture(user_factory, organisation_factory, membership_factory):
    user = user_factory(roles=[Role.APPLICANT], name="Jo Member", email="jo@example.org")
    organisation = organisation_factory(name="Reading Street Support",
                                        contact_email="contact@example.org")
    membership_factory(user=user, organisation=organisation)
    return user


@pytest.fixture(name="organisation")
def organisation_fixture(member):
    return member.memberships[0].organisation


@pytest.fixture(name="published_round")
def published_round_fixture(round_factory):
    return round_factory(
        code="PPAF-2026-1", title="PPAF 2026/27 Round 1",
        opens_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
        closes_at=datetime(2026, 11, 30, 12, tzinfo=UTC),
        launched_at=datetime(2026, 9, 1, 9, tzinfo=UTC),
        assessing_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        decided_at=datetime(2027, 2, 20, 9, tzinfo=UTC),
        decisions_published_at=OFFERED_AT,
        budget_pence=1_000_000,
    )


@pytest.fixture(name="offered_award")
def offered_award_fixture(award_factory, application_factory, published_round, organisation):
    application = application_factory(
        round=published_round, organisation=organisation, title="Night shelter outreach",
        reference="PPAF-2026-1-0001", sequence=1, status=ApplicationStatus.AWARDED,
        planned_start=date(2027, 4, 1), planned_end=PLANNED_END,
        submitted_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
    )
    return award_factory(round=published_round, organisation=organisation,
                         application=application, amount_pence=AMOUNT,
                         status=AwardStatus.OFFERED, offered_at=OFFERED_AT,
                         conditions=CONDITIONS)


@pytest.fixture(name="recorder")
def recorder_fixture(user_factory):
    """The member of staff who records payments."""
    return user_factory(roles=[Role.STAFF], name="Sam Recorder", email="sam@example.org")


@pytest.fixture(name="approver")
def approver_fixture(user_factory):
    """Another member of staff, who approves them."""
    return user_factory(roles=[Role.STAFF], name="Alex Approver", email="alex@example.org")


def accept(award: Award, member, *, accepted_on: date = date(2027, 3, 9)) -> Award:
    award = offers.accept_offer(db.session, member, award, name="Jo Member",
                                position="Treasurer", accepted_on=accepted_on,
                                confirmed=True)
    db.session.commit()  # to the test's savepoint, so a refused request keeps it
    return award


def give_bank_details(award: Award, user, *, sort_code: str = SORT_CODE,
                      account_number: str = ACCOUNT_NUMBER,
                      account_name: str = "Reading Street Support") -> BankDetails:
    details = bank_details.save_bank_details(db.session, user, award, account_name=account_name,
                                       sort_code=sort_code, account_number=account_number)
    db.session.commit()
    return details


def verify(award: Award, staff, details: BankDetails) -> BankDetails:
    details = bank_details.verify_bank_details(db.session, staff, award, details.id)
    db.session.commit()
    return details


@pytest.fixture(name="accepted_award")
def accepted_award_fixture(offered_award, member):
    return accept(offered_award, member)


@pytest.fixture(name="payable_award")
def payable_award_fixture(accepted_award, member, approver):
    """Accepted, with bank details the member gave and staff verified."""
    verify(accepted_award, approver, give_bank_details(accepted_award, member))
    return accepted_award
