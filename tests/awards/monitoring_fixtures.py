"""A paid grant to a member's organisation, staff to review its reports, and helpers to move
the clock and fill in a report.

Test modules import the fixtures they use from here: each is named by its `name=` (the
function's name ends in _fixture, so that a test's argument does not shadow the import). The
clock fixture is autouse wherever it is imported.
"""

from datetime import UTC, date, datetime, time

import pytest

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus, Payment, PaymentStatus
from grants.core import clock
from grants.extensions import db
from grants.funds.models import MonitoringSchedule

# Wednesday 10 March 2027, 10:00 GMT.
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)
ACCEPTED_AT = datetime(2027, 3, 5, 11, 0, tzinfo=UTC)
PLANNED_START = date(2027, 4, 1)
PLANNED_END = date(2028, 1, 31)
# 3 months after the planned end (31 April does not exist).
REPORT_DUE = date(2028, 4, 30)
AMOUNT = 250_000
PROMISED = "Fewer young people drawn into county lines in Slough."


def at_noon(day: date) -> datetime:
    """Midday in London on the day, as UTC: the clock for "today is `day`"."""
    return clock.london_to_utc(day, time(12, 0))


def move_clock(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: moment)


@pytest.fixture(name="fixed_clock", autouse=True)
def fixed_clock_fixture(monkeypatch):
    move_clock(monkeypatch, NOW)
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


@pytest.fixture(name="outsider")
def outsider_fixture(user_factory, organisation_factory, membership_factory):
    """A member of another organisation."""
    user = user_factory(roles=[Role.APPLICANT], name="Kim Other", email="kim@example.org")
    membership_factory(user=user, organisation=organisation_factory(name="Other Group"))
    return user


@pytest.fixture(name="staff")
def staff_fixture(user_factory):
    return user_factory(roles=[Role.STAFF], name="Sam Officer", email="sam@example.org")


@pytest.fixture(name="approver")
def approver_fixture(user_factory):
    return user_factory(roles=[Role.STAFF], name="Alex Approver", email="alex@example.org")


@pytest.fixture(name="published_round")
def published_round_fixture(round_factory):
    return round_factory(
        code="PPAF-2026-1", title="PPAF 2026/27 Round 1",
        opens_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
        closes_at=datetime(2026, 11, 30, 12, tzinfo=UTC),
        launched_at=datetime(2026, 9, 1, 9, tzinfo=UTC),
        decided_at=datetime(2027, 2, 20, 9, tzinfo=UTC),
        decisions_published_at=datetime(2027, 3, 1, 9, tzinfo=UTC),
        budget_pence=1_000_000, monitoring=MonitoringSchedule.END_OF_GRANT,
    )


def make_award(award_factory, application_factory, round_, organisation, *,
               status=AwardStatus.PAID, report_due_on=REPORT_DUE, planned_end=PLANNED_END,
               reference="PPAF-2026-1-0001", sequence=1, amount_pence=AMOUNT, paid_by=None):
    """An award made from an application, accepted on 5 March 2027; `paid_by` (two staff)
    records and approves a payment of the whole award."""
    application_status = {AwardStatus.PAID: ApplicationStatus.PAID,
                          AwardStatus.ACCEPTED: ApplicationStatus.OFFER_ACCEPTED,
                          AwardStatus.OFFERED: ApplicationStatus.AWARDED}[status]
    application = application_factory(
        round=round_, organisation=organisation, title="Night shelter outreach",
        reference=reference, sequence=sequence, status=application_status,
        planned_start=PLANNED_START, planned_end=planned_end, outcomes=PROMISED,
        beneficiaries_count=120, submitted_at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    accepted = status is not AwardStatus.OFFERED
    award = award_factory(
        round=round_, organisation=organisation, application=application,
        amount_pence=amount_pence, status=status,
        offered_at=datetime(2027, 3, 1, 9, tzinfo=UTC),
        accepted_at=ACCEPTED_AT if accepted else None,
        accepted_on=ACCEPTED_AT.date() if accepted else None,
        accepted_by_name="Jo Member" if accepted else "",
        report_due_on=report_due_on if accepted else None)
    if paid_by is not None:
        recorder, approver = paid_by
        db.session.add(Payment(award=award, amount_pence=amount_pence, paid_on=date(2027, 3, 8),
                               reference="BACS-1", status=PaymentStatus.APPROVED,
                               recorded_by_id=recorder.id, approved_by_id=approver.id,
                               approved_at=NOW))
        db.session.commit()
    return award


@pytest.fixture(name="paid_award")
def paid_award_fixture(award_factory, application_factory, published_round, organisation,
                       staff, approver):
    return make_award(award_factory, application_factory, published_round, organisation,
                      paid_by=(staff, approver))


def report_answers(**changes) -> dict:
    """A complete end-of-grant report, as typed: the whole grant spent."""
    answers = {"delivered": "Forty outreach evenings in Reading town centre.",
               "outcomes_achieved": "Thirty young people were referred to youth workers.",
               "beneficiaries_reached": "135", "spent": "2500", "underspend": "0",
               "case_study": "A young man we met in October is now at college."}
    answers.update(changes)
    return answers
