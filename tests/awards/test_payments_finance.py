"""The finance team's CSV of approved payments in a date range: its columns, its range, the
bank details each payment went to, and cells a spreadsheet would run as formulas."""

import csv
import io
from datetime import date, timedelta

import pytest

from grants.awards.models import AwardStatus
from grants.awards.operations import finance_export, payments
from grants.core import clock
from grants.extensions import db
from tests.awards.paying import (  # noqa: F401  (fixtures)
    ACCOUNT_NUMBER,
    NOW,
    OFFERED_AT,
    SORT_CODE,
    accept,
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


def pay(award, recorder, approver, amount_pence: int, paid_on: date,
        reference: str = "BACS-0001"):
    payment = payments.record_payment(db.session, recorder, award, paid_on=paid_on,
                                      amount_pence=amount_pence, reference=reference)
    payments.approve_payment(db.session, approver, payment)
    db.session.commit()
    return payment


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_csv_lists_approved_payments_with_everything_finance_needs(
    recorder, approver, payable_award, organisation
):
    organisation.company_number = "01234567"
    payment = pay(payable_award, recorder, approver, 100_050, date(2027, 3, 10))

    header, row = rows_of(finance_export.finance_csv(db.session, date(2027, 3, 1),
                                               date(2027, 3, 31)))

    assert header == finance_export.FINANCE_CSV_HEADER
    assert row == ["2027-03-10", "1000.50", "BACS-0001", str(payable_award.id), "PPAF-2026-1",
                   "PPAF-2026-1-0001", "Reading Street Support", "GB-COH-01234567",
                   "Reading Street Support", SORT_CODE, ACCOUNT_NUMBER, "Alex Approver"]
    assert payment.status.value == "approved"


def test_the_range_includes_both_dates_and_leaves_out_unapproved_payments(
    recorder, approver, payable_award
):
    pay(payable_award, recorder, approver, 1_000, date(2027, 3, 9), reference="FIRST-DAY")
    pay(payable_award, recorder, approver, 2_000, date(2027, 3, 10), reference="LAST-DAY")
    payments.record_payment(db.session, recorder, payable_award, paid_on=date(2027, 3, 10),
                            amount_pence=3_000, reference="AWAITING")
    rejected = payments.record_payment(db.session, recorder, payable_award,
                                       paid_on=date(2027, 3, 10), amount_pence=4_000,
                                       reference="REJECTED")
    payments.reject_payment(db.session, approver, rejected, "Duplicate")

    both = rows_of(finance_export.finance_csv(db.session, date(2027, 3, 9), date(2027, 3, 10)))
    last = rows_of(finance_export.finance_csv(db.session, date(2027, 3, 10), date(2027, 3, 10)))
    none = rows_of(finance_export.finance_csv(db.session, date(2027, 3, 11), date(2027, 3, 31)))

    assert [row[2] for row in both[1:]] == ["FIRST-DAY", "LAST-DAY"]
    assert [row[2] for row in last[1:]] == ["LAST-DAY"]
    assert none == [finance_export.FINANCE_CSV_HEADER]


def test_each_payment_shows_the_bank_details_it_was_approved_against(
    recorder, approver, member, payable_award, monkeypatch
):
    pay(payable_award, recorder, approver, 1_000, date(2027, 3, 10), reference="OLD")
    monkeypatch.setattr(clock, "utcnow", lambda: NOW + timedelta(minutes=5))
    verify(payable_award, recorder,
           give_bank_details(payable_award, member, account_number="11112222"))
    pay(payable_award, recorder, approver, 1_000, date(2027, 3, 10), reference="NEW")

    rows = rows_of(finance_export.finance_csv(db.session, date(2027, 3, 1), date(2027, 3, 31)))

    assert [(row[2], row[10]) for row in rows[1:]] == [("OLD", ACCOUNT_NUMBER),
                                                       ("NEW", "11112222")]


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"])
def test_cells_a_spreadsheet_would_run_as_formulas_are_made_text(
    recorder, approver, payable_award, organisation, typed
):
    organisation.name = typed
    pay(payable_award, recorder, approver, 1_000, date(2027, 3, 10), reference=typed)

    [_, row] = rows_of(finance_export.finance_csv(db.session, date(2027, 3, 1), date(2027, 3, 31)))

    assert row[2] == "'" + typed  # the reference
    assert row[6] == "'" + typed  # the recipient


def test_staff_download_the_csv_for_a_date_range(sign_in_as, recorder, approver,
                                                 payable_award):
    pay(payable_award, recorder, approver, 1_000, date(2027, 3, 10))

    response = sign_in_as(recorder).get("/staff/payments.csv?from=2027-03-01&to=2027-03-31")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="payments-2027-03-01-to-2027-03-31.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    assert len(rows_of(response.get_data(as_text=True))) == 2


@pytest.mark.parametrize("query", ["", "?from=2027-03-01", "?from=2027-03-31&to=2027-03-01",
                                   "?from=yesterday&to=2027-03-01"])
def test_a_download_without_a_proper_range_is_refused(sign_in_as, recorder, query):
    assert sign_in_as(recorder).get(f"/staff/payments.csv{query}").status_code == 400


def test_the_download_form_sends_staff_to_the_csv_of_the_dates_typed(sign_in_as, recorder):
    response = sign_in_as(recorder).get(
        "/staff/payments?date_from=1&date_from=3&date_from=2027"
        "&date_to=31&date_to=3&date_to=2027")

    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/payments.csv?from=2027-03-01&to=2027-03-31"


def test_the_download_form_says_what_is_wrong_with_the_dates(sign_in_as, recorder):
    response = sign_in_as(recorder).get(
        "/staff/payments?date_from=31&date_from=3&date_from=2027"
        "&date_to=1&date_to=3&date_to=2027")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Payments" in page
    assert "The last date must be the same as or after the first date" in page


def test_the_csv_has_awards_without_an_application(recorder, approver, member,
                                                   award_factory, published_round,
                                                   organisation):
    award = award_factory(round=published_round, organisation=organisation,
                          status=AwardStatus.OFFERED, offered_at=OFFERED_AT,
                          title="High Sheriff award")
    accept(award, member)
    verify(award, approver, give_bank_details(award, member))
    pay(award, recorder, approver, 1_000, date(2027, 3, 10))

    [_, row] = rows_of(finance_export.finance_csv(db.session, date(2027, 3, 1), date(2027, 3, 31)))

    assert row[5] == ""
    assert row[6] == "Reading Street Support"
