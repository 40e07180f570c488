"""The finance team's download: approved payments in a date range, with the bank details each
was approved against, as CSV a spreadsheet opens safely (`grants.core.spreadsheets`)."""

from collections.abc import Iterable
from datetime import date
from itertools import chain

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from grants.accounts.models import User
from grants.applications.models import Application
from grants.awards.models import Award, BankDetails, Payment, PaymentStatus
from grants.core.errors import ValidationFailed
from grants.core.money import pounds_decimal
from grants.core.spreadsheets import csv_text
from grants.funds.models import Round
from grants.organisations.models import Organisation

FINANCE_CSV_HEADER = [
    "Date paid", "Amount (£)", "Payment reference", "Award ID", "Round", "Application reference",
    "Recipient", "Recipient org-id", "Account name", "Sort code", "Account number",
    "Approved by",
]


def finance_rows(session: Session, start: date, end: date) -> Iterable[list]:
    """Approved payments paid from `start` to `end` (both included), oldest first, with the
    bank details they were approved against: the newest verified before the approval. One
    query."""
    approver = aliased(User)
    paid_to = (
        select(BankDetails.id)
        .where(BankDetails.award_id == Payment.award_id,
               BankDetails.verified_at.is_not(None),
               BankDetails.verified_at <= Payment.approved_at)
        .order_by(BankDetails.entered_at.desc(), BankDetails.id.desc())
        .limit(1).correlate(Payment).scalar_subquery()
    )
    rows = session.execute(
        select(Payment.paid_on, Payment.amount_pence, Payment.reference, Award.id, Round.code,
               Application.reference, Organisation, BankDetails.account_name,
               BankDetails.sort_code, BankDetails.account_number, approver.name)
        .join(Award, Award.id == Payment.award_id)
        .join(Round, Round.id == Award.round_id)
        .join(Organisation, Organisation.id == Award.organisation_id)
        .outerjoin(Application, Application.id == Award.application_id)
        .outerjoin(BankDetails, BankDetails.id == paid_to)
        .outerjoin(approver, approver.id == Payment.approved_by_id)
        .where(Payment.status == PaymentStatus.APPROVED, Payment.paid_on >= start,
               Payment.paid_on <= end)
        .order_by(Payment.paid_on, Payment.id)
    )
    for (paid_on, amount, reference, award_id, round_code, application_reference,
         organisation, account_name, sort_code, account_number, approved_by) in rows:
        yield [paid_on.isoformat(), pounds_decimal(amount), reference, award_id, round_code,
               application_reference, organisation.name, organisation.org_id, account_name,
               sort_code, account_number, approved_by]


def finance_csv(session: Session, start: date, end: date) -> str:
    """The finance team's CSV of approved payments in the date range, with a header row."""
    if end < start:
        raise ValidationFailed({"to": "The end date must be the same as or after the start "
                                      "date"})
    return csv_text(chain([FINANCE_CSV_HEADER], finance_rows(session, start, end)))
