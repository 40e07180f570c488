"""The finance team's download: approved payments in a date range, with the bank details each
was approved against, as CSV a spreadsheet opens safely."""

import csv
import io
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from grants.accounts.models import User
from grants.applications.models import Application
from grants.awards.models import Award, BankDetails, Payment, PaymentStatus
from grants.core.errors import ValidationFailed
from grants.funds.models import Round
from grants.organisations.models import Organisation

FINANCE_CSV_HEADER = [
    "Date paid", "Amount (£)", "Payment reference", "Award ID", "Round", "Application reference",
    "Recipient", "Recipient org-id", "Account name", "Sort code", "Account number",
    "Approved by",
]


# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """The value as CSV text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def pounds_and_pence(pence: int) -> str:
    """2500050 -> "25000.50": plain digits a spreadsheet reads as a number."""
    pounds, rest = divmod(pence, 100)
    return f"{pounds}.{rest:02d}"


def finance_rows(session: Session, start: date, end: date) -> Iterable[list[str]]:
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
        yield [spreadsheet_safe(value) for value in (
            paid_on.isoformat(), pounds_and_pence(amount), reference, award_id, round_code,
            application_reference or "", organisation.name, organisation.org_id or "",
            account_name or "", sort_code or "", account_number or "", approved_by or "")]


def finance_csv(session: Session, start: date, end: date) -> str:
    """The finance team's CSV of approved payments in the date range, with a header row."""
    if end < start:
        raise ValidationFailed({"to": "The end date must be the same as or after the start "
                                      "date"})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FINANCE_CSV_HEADER)
    writer.writerows(finance_rows(session, start, end))
    return out.getvalue()
