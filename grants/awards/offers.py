"""The offer of a grant and the recipient's answer: the agreement's terms, accepting,
declining, staff withdrawing an offer, and the bank details the grant is paid into.

Every change locks the award's row first (`lock_award`), so an acceptance, a decline, a
withdrawal and a payment of the same award never interleave.
"""

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import date

from flask import render_template
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.accounts.models import User
from grants.applications.models import ApplicationStatus
from grants.auth import permissions
from grants.awards.models import Award, AwardStatus, BankDetails, PaymentStatus
from grants.core import clock
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.core.formatting import format_london_date
from grants.core.links import external_url
from grants.funds.models import Round
from grants.records.operations.audit import record_event
from grants.records.operations.outbox import queue_email

logger = logging.getLogger(__name__)

# The grant is spent within this many months of accepting the offer.
SPENDING_MONTHS = 12
# The end-of-grant report is due this many months after the project ends.
REPORT_MONTHS_AFTER_END = 3
MAX_REASON = 1000
MAX_NAME = 200


class OfferRefused(Refusal):
    """The offer cannot be answered or withdrawn now; the message says why."""


# --- Finding and locking ------------------------------------------------------------------

def get_award(session: Session, award_id: int) -> Award:
    """The award with what the offer, bank details and payment pages read."""
    award = session.scalars(
        select(Award).where(Award.id == award_id)
        .options(joinedload(Award.round).joinedload(Round.fund),
                 joinedload(Award.organisation), joinedload(Award.application),
                 selectinload(Award.bank_details), selectinload(Award.payments))
    ).unique().one_or_none()
    if award is None:
        raise NotFound("There is no such award")
    return award


def lock_award(session: Session, award_id: int) -> Award:
    """The award's row, locked to the end of the transaction and read afresh.

    On PostgreSQL this is SELECT ... FOR UPDATE: a second request changing the same award
    (accepting, withdrawing, recording or approving a payment) waits here until the first
    commits, then reads what it did. SQLite ignores FOR UPDATE, so there a no-op write takes
    its one database-wide write lock instead, held to the end of the transaction.
    """
    if session.get_bind().dialect.name == "sqlite":
        table = Award.__table__
        session.execute(update(table).where(table.c.id == award_id).values(id=table.c.id))
    award = session.scalars(
        select(Award).where(Award.id == award_id).with_for_update(of=Award)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if award is None:
        raise NotFound("There is no such award")
    return award


# --- The agreement ------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 January
    plus one month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_due_date(award: Award, accepted_on: date | None = None) -> date | None:
    """When the end-of-grant report is due: 3 months after the project's planned end; for an
    award without one, 3 months after the 12 months of spending (None until accepted)."""
    application = award.application
    if application is not None and application.planned_end is not None:
        return add_months(application.planned_end, REPORT_MONTHS_AFTER_END)
    start = accepted_on or award.accepted_on
    if start is None:
        return None
    return add_months(start, SPENDING_MONTHS + REPORT_MONTHS_AFTER_END)


@dataclass(frozen=True)
class OfferTerms:
    """What the grant agreement says, for the offer page and the emails."""

    recipient: str
    project_title: str
    reference: str | None
    amount_pence: int
    conditions: str
    offered_on: date | None
    spending_months: int
    # Known once the offer is accepted.
    spend_by: date | None
    report_due_on: date | None
    project_ends_on: date | None


def offer_terms(award: Award) -> OfferTerms:
    application = award.application
    offered_on = clock.to_london(award.offered_at).date() if award.offered_at else None
    return OfferTerms(
        recipient=award.organisation.name,
        project_title=(application.title if application and application.title
                       else award.title),
        reference=application.reference if application else None,
        amount_pence=award.amount_pence,
        conditions=award.conditions.strip(),
        offered_on=offered_on,
        spending_months=SPENDING_MONTHS,
        spend_by=add_months(award.accepted_on, SPENDING_MONTHS) if award.accepted_on else None,
        report_due_on=award.report_due_on or report_due_date(award),
        project_ends_on=application.planned_end if application else None,
    )


# --- Accepting and declining --------------------------------------------------------------

def accept_offer(session: Session, user: User, award: Award, *, name: str, position: str,
                 accepted_on: date | None, confirmed: bool) -> Award:
    """Accept the offer on the organisation's behalf. Accepting an accepted offer again
    (a double click) changes nothing."""
    award = lock_award(session, award.id)
    _check_member(user, award)
    if award.status is AwardStatus.ACCEPTED:
        return award
    _check_open(award, "accept")
    name, position = (name or "").strip(), (position or "").strip()
    errors = _person_errors(name, position)
    date_error = _acceptance_date_error(award, accepted_on)
    if date_error:
        errors["accepted_on"] = date_error
    if not confirmed:
        errors["confirm"] = ("Confirm that you accept these terms on behalf of "
                             f"{award.organisation.name}")
    if errors:
        raise ValidationFailed(errors)

    award.status = AwardStatus.ACCEPTED
    award.accepted_at = clock.utcnow()
    award.accepted_by_name = name
    award.accepted_by_position = position
    award.accepted_on = accepted_on
    award.report_due_on = report_due_date(award, accepted_on)
    if award.application is not None:
        award.application.status = ApplicationStatus.OFFER_ACCEPTED
    session.flush()
    record_event(
        session, actor_id=user.id, action="award.accepted", entity_type="award",
        entity_id=award.id, before={"status": AwardStatus.OFFERED.value},
        after={"status": award.status.value, "amount_pence": award.amount_pence,
               "accepted_on": accepted_on.isoformat(), "accepted_by_name": name,
               "accepted_by_position": position,
               "report_due_on": _iso(award.report_due_on)},
    )
    _email_organisation(session, user, award, "accepted",
                        subject=f"Grant offer accepted: {_label(award)}")
    logger.info("award %s accepted by user %s: %d pence committed in round %s", award.id,
                user.id, award.amount_pence, award.round_id)
    return award


def decline_offer(session: Session, user: User, award: Award, reason: str) -> Award:
    """Turn the offer down; its money goes back to the round's budget. Declining a declined
    offer again changes nothing."""
    award = lock_award(session, award.id)
    _check_member(user, award)
    if award.status is AwardStatus.DECLINED:
        return award
    _check_open(award, "decline")
    reason = _reason(reason, "Enter why you are declining the offer")
    award.status = AwardStatus.DECLINED
    award.recipient_declined_at = clock.utcnow()
    award.recipient_decline_reason = reason
    session.flush()
    record_event(
        session, actor_id=user.id, action="award.declined", entity_type="award",
        entity_id=award.id, before={"status": AwardStatus.OFFERED.value},
        after={"status": award.status.value, "released_pence": award.amount_pence,
               "reason": reason},
    )
    _email_organisation(session, user, award, "declined",
                        subject=f"Grant offer declined: {_label(award)}")
    logger.info("award %s declined by user %s: %d pence returned to round %s", award.id,
                user.id, award.amount_pence, award.round_id)
    return award


def _check_member(user: User, award: Award) -> None:
    """Only the organisation's members know of its offer; to anyone else it does not exist."""
    if not permissions.may_view_offer(user, award):
        raise NotFound("There is no such award")


def _check_open(award: Award, verb: str) -> None:
    if award.status is not AwardStatus.OFFERED:
        raise OfferRefused(_why_not_open(award, verb))


def _why_not_open(award: Award, verb: str) -> str:
    return {
        AwardStatus.ACCEPTED: "This offer has already been accepted",
        AwardStatus.PAID: "This offer has already been accepted",
        AwardStatus.CLOSED: "This grant is closed",
        AwardStatus.DECLINED: "This offer was declined",
        AwardStatus.WITHDRAWN: "This offer was withdrawn",
    }.get(award.status, f"You cannot {verb} this offer")


def _person_errors(name: str, position: str) -> dict[str, str]:
    errors = {}
    if not name:
        errors["name"] = "Enter your full name"
    elif len(name) > MAX_NAME:
        errors["name"] = f"Your full name must be {MAX_NAME} characters or fewer"
    if not position:
        errors["position"] = "Enter your position in the organisation"
    elif len(position) > MAX_NAME:
        errors["position"] = f"Your position must be {MAX_NAME} characters or fewer"
    return errors


def _acceptance_date_error(award: Award, accepted_on: date | None) -> str | None:
    if accepted_on is None:
        return "Enter the date you accept the offer"
    if accepted_on > clock.today_in_london():
        return "The date you accept the offer must be today or in the past"
    offered_on = clock.to_london(award.offered_at).date()
    if accepted_on < offered_on:
        return ("The date you accept the offer must be on or after the date of the offer, "
                f"{format_london_date(offered_on)}")
    return None


def _reason(text: str, missing: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ValidationFailed({"reason": missing})
    if len(reason) > MAX_REASON:
        raise ValidationFailed({"reason": f"The reason must be {MAX_REASON} characters or "
                                          "fewer"})
    return reason


# --- Staff withdrawing an offer -----------------------------------------------------------

WITHDRAWABLE_STATUSES = frozenset({AwardStatus.OFFERED, AwardStatus.ACCEPTED})


def why_not_withdrawable(award: Award) -> str | None:
    """Why staff cannot withdraw the offer now, or None when they can."""
    if award.status not in WITHDRAWABLE_STATUSES:
        return "Only an offer waiting for an answer, or accepted and not yet paid, can be withdrawn"
    statuses = {payment.status for payment in award.payments}
    if PaymentStatus.APPROVED in statuses:
        return "Part of this grant has been paid, so the offer cannot be withdrawn"
    if PaymentStatus.AWAITING_APPROVAL in statuses:
        return "A payment is waiting for approval. Reject it before withdrawing the offer"
    return None


def withdraw_offer(session: Session, user: User, award: Award, reason: str) -> Award:
    """Staff withdraw an offer that is unanswered, or accepted with nothing paid; its money
    goes back to the round's budget. Withdrawing a withdrawn offer again changes nothing."""
    award = lock_award(session, award.id)
    if award.status is AwardStatus.WITHDRAWN:
        return award
    if not permissions.may_manage_awards(user):
        raise OfferRefused("Only staff can withdraw an offer")
    session.refresh(award, ["payments"])
    refusal = why_not_withdrawable(award)
    if refusal:
        raise OfferRefused(refusal)
    reason = _reason(reason, "Enter why the offer is being withdrawn")
    before = award.status
    award.status = AwardStatus.WITHDRAWN
    award.withdrawn_at = clock.utcnow()
    award.withdrawal_reason = reason
    session.flush()
    record_event(
        session, actor_id=user.id, action="award.withdrawn", entity_type="award",
        entity_id=award.id, before={"status": before.value},
        after={"status": award.status.value, "released_pence": award.amount_pence,
               "reason": reason},
    )
    _email_organisation(session, None, award, "withdrawn",
                        subject=f"Grant offer withdrawn: {_label(award)}")
    logger.info("award %s withdrawn by user %s: %d pence returned to round %s", award.id,
                user.id, award.amount_pence, award.round_id)
    return award


# --- Bank details -------------------------------------------------------------------------

_SORT_CODE_SEPARATORS = re.compile(r"[\s-]")
_SPACES = re.compile(r"\s")


class BankDetailsError(ValueError):
    """Bank details that cannot be used; the message is for the person who typed them."""


def normalise_sort_code(text: str | None) -> str:
    """Six digits from a sort code typed as "123456", "12-34-56" or "12 34 56"."""
    value = _SORT_CODE_SEPARATORS.sub("", text or "")
    if not value:
        raise BankDetailsError("Enter a sort code")
    if not value.isascii() or not value.isdigit():
        raise BankDetailsError("Enter a valid sort code like 309430")
    if len(value) != 6:
        raise BankDetailsError("Sort code must be 6 digits long")
    return value


def normalise_account_number(text: str | None) -> str:
    """Eight digits from an account number, spaces removed."""
    value = _SPACES.sub("", text or "")
    if not value:
        raise BankDetailsError("Enter an account number")
    if not value.isascii() or not value.isdigit():
        raise BankDetailsError("Enter a valid account number like 00733445")
    if len(value) != 8:
        raise BankDetailsError("Account number must be 8 digits long")
    return value


def normalise_account_name(text: str | None) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise BankDetailsError("Enter the name on the account")
    if len(value) > MAX_NAME:
        raise BankDetailsError(f"The name on the account must be {MAX_NAME} characters or fewer")
    return value


def current_bank_details(award: Award) -> BankDetails | None:
    """The details payments go to: the newest entered."""
    if not award.bank_details:
        return None
    return max(award.bank_details, key=lambda details: (details.entered_at, details.id))


def masked(details: BankDetails | None) -> dict[str, str] | None:
    """What the record keeps of a set of bank details: never the full numbers."""
    if details is None:
        return None
    return {"bank_details_id": details.id, "sort_code": details.masked_sort_code,
            "account_number": details.masked_account_number}


def may_give_bank_details(award: Award) -> bool:
    """Bank details are given once the offer is accepted, until the grant is fully paid."""
    return award.status is AwardStatus.ACCEPTED


def save_bank_details(session: Session, user: User, award: Award, *, account_name: str,
                      sort_code: str, account_number: str) -> BankDetails:
    """Record where the grant is paid. A change adds new details, which staff verify before
    any payment, and tells the organisation's contact as a check against fraud. Sending the
    current details again changes nothing."""
    award = lock_award(session, award.id)
    _check_member(user, award)
    if not may_give_bank_details(award):
        raise OfferRefused("Bank details can be given only for an accepted offer that is not "
                           "yet fully paid")
    errors, values = {}, {}
    for field, normalise, text in [("account_name", normalise_account_name, account_name),
                                   ("sort_code", normalise_sort_code, sort_code),
                                   ("account_number", normalise_account_number,
                                    account_number)]:
        try:
            values[field] = normalise(text)
        except BankDetailsError as error:
            errors[field] = str(error)
    if errors:
        raise ValidationFailed(errors)

    session.refresh(award, ["bank_details"])
    previous = current_bank_details(award)
    if previous is not None and all(getattr(previous, name) == value
                                    for name, value in values.items()):
        return previous
    details = BankDetails(award=award, entered_by_id=user.id, entered_at=clock.utcnow(),
                          **values)
    session.add(details)
    session.flush()
    record_event(
        session, actor_id=user.id,
        action="award.bank_details_changed" if previous else "award.bank_details_entered",
        entity_type="award", entity_id=award.id, before=masked(previous),
        after=masked(details),
    )
    if previous is not None:
        _email_organisation(session, user, award, "bank_details_changed",
                            subject=f"Your bank details were changed: {_label(award)}",
                            key=f"award-bank-details-changed:{details.id}",
                            details=details)
    logger.info("bank details %s entered for award %s by user %s%s", details.id, award.id,
                user.id, f" (replacing {previous.id})" if previous else "")
    return details


def why_not_verifiable(user: User, award: Award, details: BankDetails) -> str | None:
    """Why this person cannot verify these details, or None when they can."""
    if not permissions.may_manage_awards(user):
        return "Only staff can verify bank details"
    if details.verified_at is not None:
        return "These details are verified"
    if details is not current_bank_details(award):
        return "Newer details replaced these. Verify the newest details instead"
    if details.entered_by_id == user.id:
        return "You entered these details, so another member of staff must verify them"
    return None


def verify_bank_details(session: Session, user: User, award: Award,
                        details_id: int) -> BankDetails:
    """A member of staff confirms the details against the recipient's paying-in slip or bank
    statement. Verifying verified details again changes nothing."""
    award = lock_award(session, award.id)
    session.refresh(award, ["bank_details"])
    details = next((d for d in award.bank_details if d.id == details_id), None)
    if details is None:
        raise NotFound("There are no such bank details")
    if details.verified_at is not None:
        return details
    refusal = why_not_verifiable(user, award, details)
    if refusal:
        raise OfferRefused(refusal)
    details.verified_by_id = user.id
    details.verified_at = clock.utcnow()
    session.flush()
    record_event(session, actor_id=user.id, action="award.bank_details_verified",
                 entity_type="award", entity_id=award.id, after=masked(details))
    logger.info("bank details %s of award %s verified by user %s", details.id, award.id,
                user.id)
    return details


# --- Emails -------------------------------------------------------------------------------

def _label(award: Award) -> str:
    application = award.application
    if application is not None and application.reference:
        return application.reference
    return award.title or f"award {award.id}"


def _email_organisation(session: Session, user: User | None, award: Award, kind: str, *,
                        subject: str, key: str | None = None, **context) -> None:
    """Tell the organisation's contact (or, when it has none, the member who acted)."""
    address = (award.organisation.contact_email or "").strip() or (user.email if user else "")
    if not address:
        logger.warning("award %s: no address to send the %s email to", award.id, kind)
        return
    body = render_template(
        f"awards/emails/{kind}.txt", award=award, terms=offer_terms(award), user=user,
        offer_url=external_url("awards.view_offer", award_id=award.id),
        bank_details_url=external_url("awards.bank_details", award_id=award.id), **context)
    queue_email(session, to_address=address, subject=subject, body_text=body,
                idempotency_key=key or f"award-{kind.replace('_', '-')}:{award.id}")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
