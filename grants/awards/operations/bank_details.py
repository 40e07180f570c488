"""The bank details the grant is paid into: given by the recipient once the offer is
accepted, verified by a member of staff other than whoever entered them."""

import logging
import re

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.auth import permissions
from grants.awards import notifications
from grants.awards.models import Award, AwardStatus, BankDetails
from grants.awards.operations.offers import MAX_NAME, OfferRefused, check_member
from grants.awards.operations.terms import offer_terms
from grants.core import clock
from grants.core.errors import NotFound, ValidationFailed
from grants.core.locks import lock_row
from grants.core.translatable import N_, Words
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)


_SORT_CODE_SEPARATORS = re.compile(r"[\s-]")


_SPACES = re.compile(r"\s")


class BankDetailsError(ValueError):
    """Bank details that cannot be used; the message is for the person who typed them."""


def normalise_sort_code(text: str | None) -> str:
    """Six digits from a sort code typed as "123456", "12-34-56" or "12 34 56"."""
    return _digits(_SORT_CODE_SEPARATORS.sub("", text or ""), 6,
                   missing=N_("Enter a sort code"),
                   invalid=N_("Enter a valid sort code like 309430"),
                   wrong_length=N_("Sort code must be 6 digits long"))


def normalise_account_number(text: str | None) -> str:
    """Eight digits from an account number, spaces removed."""
    return _digits(_SPACES.sub("", text or ""), 8,
                   missing=N_("Enter an account number"),
                   invalid=N_("Enter a valid account number like 00733445"),
                   wrong_length=N_("Account number must be 8 digits long"))


def _digits(value: str, length: int, *, missing: str, invalid: str,
            wrong_length: str) -> str:
    """The value, when it is exactly `length` digits; the messages say what is wrong (marked
    for the Welsh catalogue, each a whole sentence)."""
    if not value:
        raise BankDetailsError(missing)
    if not value.isascii() or not value.isdigit():
        raise BankDetailsError(invalid)
    if len(value) != length:
        raise BankDetailsError(wrong_length)
    return value


def normalise_account_name(text: str | None) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise BankDetailsError(N_("Enter the name on the account"))
    if len(value) > MAX_NAME:
        raise BankDetailsError(Words(N_("The name on the account must be %(most)s characters "
                                        "or fewer"), most=MAX_NAME))
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
    award = lock_row(session, Award, award.id, missing="There is no such award")
    check_member(user, award)
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
        notifications.bank_details_changed(session, award, user, offer_terms(award), details)
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
    award = lock_row(session, Award, award.id, missing="There is no such award")
    session.refresh(award, ["bank_details"])
    details = next((d for d in award.bank_details if d.id == details_id), None)
    if details is None:
        raise NotFound("There are no such bank details")
    if details.verified_at is not None:
        return details
    OfferRefused.raise_if(why_not_verifiable(user, award, details))
    details.verified_by_id = user.id
    details.verified_at = clock.utcnow()
    session.flush()
    record_event(session, actor_id=user.id, action="award.bank_details_verified",
                 entity_type="award", entity_id=award.id, after=masked(details))
    logger.info("bank details %s of award %s verified by user %s", details.id, award.id,
                user.id)
    return details
