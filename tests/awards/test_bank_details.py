"""Bank details: given after accepting, checked as typed, shown masked to the recipient ever
after, changed only as new details that staff verify again, and audited without the numbers."""

import json
import logging

import pytest
from sqlalchemy import select, text

from grants.accounts.models import Role
from grants.awards.models import BankDetails
from grants.awards.operations import bank_details, offers
from grants.core.errors import NotFound, ValidationFailed
from grants.extensions import db
from grants.records.models import AuditEvent, OutboxMessage
from tests.awards.paying import (  # noqa: F401  (fixtures)
    ACCOUNT_NUMBER,
    SORT_CODE,
    accepted_award_fixture,
    approver_fixture,
    fixed_clock_fixture,
    give_bank_details,
    member_fixture,
    offered_award_fixture,
    organisation_fixture,
    payable_award_fixture,
    published_round_fixture,
    recorder_fixture,
    verify,
)
from tests.fixtures.auth import post_form


def _path(award) -> str:
    return f"/awards/{award.id}/bank-details"


def _details(**changes) -> dict:
    return {"account_name": "Reading Street Support", "sort_code": "12-34-56",
            "account_number": "1234 5678", **changes}


def _all_details(award) -> list[BankDetails]:
    return list(db.session.scalars(select(BankDetails).where(BankDetails.award_id == award.id)
                                   .order_by(BankDetails.id)))


# --- Giving them --------------------------------------------------------------------------

def test_a_member_gives_bank_details_typed_with_hyphens_and_spaces(sign_in_as, member,
                                                                   accepted_award):
    response = post_form(sign_in_as(member), _path(accepted_award), _details())

    assert response.status_code == 302
    assert response.headers["Location"] == _path(accepted_award)
    [details] = _all_details(accepted_award)
    assert (details.account_name, details.sort_code, details.account_number) == (
        "Reading Street Support", "123456", "12345678")
    assert details.entered_by_id == member.id
    assert details.verified_by_id is None


def test_after_saving_the_recipient_only_ever_sees_the_details_masked(sign_in_as, member,
                                                                      accepted_award):
    client = sign_in_as(member)
    post_form(client, _path(accepted_award), _details())

    for path in (_path(accepted_award), f"/awards/{accepted_award.id}/offer"):
        page = client.get(path).get_data(as_text=True)
        assert "12345678" not in page
        assert "123456" not in page
        assert "12-34-56" not in page
    page = client.get(_path(accepted_award)).get_data(as_text=True)
    assert "**-**-56" in page
    assert "****5678" in page
    assert "Not yet. We check the details" in page


@pytest.mark.parametrize("typed", ["123456", "12-34-56", "12 34 56", " 12-34 56 "])
def test_a_sort_code_may_be_typed_with_hyphens_or_spaces(typed):
    assert bank_details.normalise_sort_code(typed) == "123456"


@pytest.mark.parametrize("typed,message", [
    ("", "Enter a sort code"),
    ("12345", "Sort code must be 6 digits long"),
    ("1234567", "Sort code must be 6 digits long"),
    ("12-34-5a", "Enter a valid sort code like 309430"),
    ("12.34.56", "Enter a valid sort code like 309430"),
    ("١٢٣٤٥٦", "Enter a valid sort code like 309430"),  # digits, but not 0-9
])
def test_a_sort_code_must_be_six_digits(typed, message):
    with pytest.raises(bank_details.BankDetailsError, match=message):
        bank_details.normalise_sort_code(typed)


@pytest.mark.parametrize("typed", ["12345678", "1234 5678", " 12 34 56 78 "])
def test_an_account_number_may_be_typed_with_spaces(typed):
    assert bank_details.normalise_account_number(typed) == "12345678"


@pytest.mark.parametrize("typed,message", [
    ("", "Enter an account number"),
    ("1234567", "Account number must be 8 digits long"),
    ("123456789", "Account number must be 8 digits long"),
    ("1234-5678", "Enter a valid account number like 00733445"),
    ("1234567X", "Enter a valid account number like 00733445"),
])
def test_an_account_number_must_be_exactly_eight_digits(typed, message):
    with pytest.raises(bank_details.BankDetailsError, match=message):
        bank_details.normalise_account_number(typed)


def test_mistyped_details_are_shown_again_with_what_is_wrong(sign_in_as, member,
                                                             accepted_award):
    response = post_form(sign_in_as(member), _path(accepted_award),
                         _details(account_name="", sort_code="12345", account_number="1234567"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Bank details for your grant" in page
    assert "Enter the name on the account" in page
    assert "Sort code must be 6 digits long" in page
    assert "Account number must be 8 digits long" in page
    assert _all_details(accepted_award) == []


def test_the_service_checks_the_details_too(member, accepted_award):
    with pytest.raises(ValidationFailed) as refusal:
        bank_details.save_bank_details(db.session, member, accepted_award, account_name="A",
                                 sort_code="12", account_number="1")

    assert set(refusal.value.errors) == {"sort_code", "account_number"}


def test_bank_details_wait_for_the_offer_to_be_accepted(sign_in_as, member, offered_award):
    client = sign_in_as(member)

    response = client.get(_path(offered_award))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/awards/{offered_award.id}/offer"
    with pytest.raises(offers.OfferRefused):
        bank_details.save_bank_details(db.session, member, offered_award, account_name="A",
                                 sort_code=SORT_CODE, account_number=ACCOUNT_NUMBER)


def test_only_members_give_bank_details(user_factory, accepted_award):
    with pytest.raises(NotFound):
        bank_details.save_bank_details(db.session, user_factory(roles=[Role.APPLICANT]),
                                 accepted_award, account_name="A", sort_code=SORT_CODE,
                                 account_number=ACCOUNT_NUMBER)


def test_first_details_are_audited_masked_and_need_no_change_email(member, accepted_award):
    details = give_bank_details(accepted_award, member)

    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "award.bank_details_entered")).all()
    assert event.before is None
    assert event.after == {"bank_details_id": details.id, "sort_code": "**-**-30",
                           "account_number": "****3445"}
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.startswith("Your bank details were changed"))).all() == []


# --- Changing them ------------------------------------------------------------------------

def test_a_change_adds_new_details_that_need_verifying_again(sign_in_as, member,
                                                             payable_award):
    response = post_form(sign_in_as(member), _path(payable_award), _details())

    assert response.status_code == 302
    first, second = _all_details(payable_award)
    assert (first.sort_code, first.verified_by_id is not None) == (SORT_CODE, True)
    assert (second.sort_code, second.verified_by_id) == ("123456", None)
    db.session.refresh(payable_award)
    assert bank_details.current_bank_details(payable_award) == second


def test_a_change_is_audited_with_masked_values_only_and_emailed_as_a_fraud_check(
    member, payable_award
):
    give_bank_details(payable_award, member, sort_code="11-22-33", account_number="87654321")

    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "award.bank_details_changed")).all()
    assert event.before["sort_code"] == "**-**-30"
    assert event.after["sort_code"] == "**-**-33"
    assert event.after["account_number"] == "****4321"
    recorded = json.dumps([e.before for e in db.session.scalars(select(AuditEvent))]
                          + [e.after for e in db.session.scalars(select(AuditEvent))])
    for secret in ("112233", "87654321", SORT_CODE, ACCOUNT_NUMBER):
        assert secret not in recorded
    [email] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.subject.startswith("Your bank details were changed"))).all()
    assert email.to_address == "contact@example.org"
    assert "account number ending 4321" in email.body_text
    assert "87654321" not in email.body_text


def test_sending_the_same_details_again_changes_nothing(member, accepted_award):
    first = give_bank_details(accepted_award, member)
    again = give_bank_details(accepted_award, member)

    assert again == first
    assert len(_all_details(accepted_award)) == 1


def test_bank_details_are_logged_by_id_without_the_numbers(caplog, member, accepted_award):
    with caplog.at_level(logging.INFO, logger="grants.awards"):
        details = give_bank_details(accepted_award, member)

    [message] = [r.getMessage() for r in caplog.records
                 if r.name == "grants.awards.operations.bank_details"]
    assert message == (f"bank details {details.id} entered for award {accepted_award.id} by "
                       f"user {member.id}")


# --- Verifying them -----------------------------------------------------------------------

def test_staff_see_the_full_details_and_verify_them(sign_in_as, member, recorder,
                                                    accepted_award):
    details = give_bank_details(accepted_award, member)
    client = sign_in_as(recorder)

    page = client.get(f"/staff/awards/{accepted_award.id}").get_data(as_text=True)
    response = post_form(
        client, f"/staff/awards/{accepted_award.id}/bank-details/{details.id}/verify",
        form_page=f"/staff/awards/{accepted_award.id}")

    assert "30-94-30" in page
    assert ACCOUNT_NUMBER in page
    assert "Verify these details" in page
    assert response.status_code == 302
    db.session.refresh(details)
    assert details.verified_by_id == recorder.id
    [event] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "award.bank_details_verified")).all()
    assert event.actor_id == recorder.id
    assert event.after["account_number"] == "****3445"


def test_the_person_who_entered_the_details_cannot_verify_them(
    user_factory, membership_factory, organisation, accepted_award
):
    # A member of staff who is also a member of the organisation entered them.
    both = user_factory(roles=[Role.STAFF, Role.APPLICANT])
    membership_factory(user=both, organisation=organisation)
    details = give_bank_details(accepted_award, both)

    with pytest.raises(offers.OfferRefused, match="another member of staff must verify"):
        bank_details.verify_bank_details(db.session, both, accepted_award, details.id)
    assert details.verified_at is None


def test_the_verify_button_is_hidden_from_the_person_who_entered_the_details(
    sign_in_as, user_factory, membership_factory, organisation, accepted_award
):
    both = user_factory(roles=[Role.STAFF, Role.APPLICANT])
    membership_factory(user=both, organisation=organisation)
    give_bank_details(accepted_award, both)

    page = sign_in_as(both).get(f"/staff/awards/{accepted_award.id}").get_data(as_text=True)

    assert "Verify these details" not in page
    assert "another member of staff must verify them" in page


def test_replaced_details_cannot_be_verified(member, recorder, accepted_award):
    old = give_bank_details(accepted_award, member)
    give_bank_details(accepted_award, member, account_number="11112222")

    with pytest.raises(offers.OfferRefused, match="Newer details replaced these"):
        bank_details.verify_bank_details(db.session, recorder, accepted_award, old.id)


def test_details_of_another_award_are_not_found(member, recorder, accepted_award,
                                                award_factory):
    details = give_bank_details(accepted_award, member)
    other = award_factory()

    with pytest.raises(NotFound):
        bank_details.verify_bank_details(db.session, recorder, other, details.id)


def test_applicants_cannot_verify_details(sign_in_as, member, accepted_award):
    details = give_bank_details(accepted_award, member)

    response = post_form(
        sign_in_as(member), f"/staff/awards/{accepted_award.id}/bank-details/{details.id}/verify",
        form_page=_path(accepted_award))

    assert response.status_code == 403


def test_the_database_row_holds_no_bank_details_in_clear_text(sign_in_as, member,
                                                            accepted_award):
    post_form(sign_in_as(member), _path(accepted_award),
              _details(account_name="Reading Street Support", sort_code="30-94-30",
                       account_number="00733445"))

    row = db.session.execute(text(
        "SELECT account_name, sort_code, account_number FROM bank_details "
        "WHERE award_id = :award"), {"award": accepted_award.id}).one()
    stored = " ".join(row)
    for clear in ("Reading Street", "309430", "30-94-30", "00733445"):
        assert clear not in stored
    db.session.expire_all()
    [details] = _all_details(accepted_award)
    assert (details.account_name, details.sort_code, details.account_number) == (
        "Reading Street Support", "309430", "00733445")
