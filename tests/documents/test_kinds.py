"""The one rule for each kind of document: its date, and when it goes out of date."""

from datetime import date

import pytest

from grants.documents.models import DocumentKind
from grants.documents.operations.kinds import (
    REQUIRED_KINDS,
    RULES,
    date_problem,
    is_current,
    months_after,
    review_due,
)

POLICY = DocumentKind.SAFEGUARDING_POLICY
ACCOUNTS = DocumentKind.LATEST_ACCOUNTS
GOVERNING = DocumentKind.GOVERNING_DOCUMENT
SUPPORTING = DocumentKind.SUPPORTING_DOCUMENT
TODAY = date(2026, 5, 3)


@pytest.mark.parametrize(("kind", "dated", "current"), [
    pytest.param(POLICY, date(2025, 5, 3), True, id="policy-reviewed-exactly-12-months-ago"),
    pytest.param(POLICY, date(2025, 5, 2), False, id="policy-reviewed-a-day-too-long-ago"),
    pytest.param(POLICY, date(2026, 5, 3), True, id="policy-reviewed-today"),
    pytest.param(POLICY, date(2026, 5, 4), False, id="policy-reviewed-tomorrow"),
    pytest.param(POLICY, None, False, id="policy-without-a-date"),
    pytest.param(ACCOUNTS, date(2024, 11, 3), True, id="accounts-ended-18-months-ago"),
    pytest.param(ACCOUNTS, date(2024, 11, 2), False, id="accounts-ended-too-long-ago"),
    pytest.param(GOVERNING, date(1990, 1, 1), True, id="governing-document-never-expires"),
    pytest.param(GOVERNING, None, True, id="governing-document-without-a-date"),
    pytest.param(SUPPORTING, None, True, id="supporting-document"),
])
def test_a_document_is_good_for_an_application_only_within_its_kinds_period(
        kind, dated, current):
    assert is_current(kind, dated, TODAY) is current


def test_the_review_date_is_the_same_day_months_later_or_the_months_last_day():
    assert review_due(POLICY, date(2025, 5, 3)) == date(2026, 5, 3)
    assert review_due(ACCOUNTS, date(2025, 8, 31)) == date(2027, 2, 28)
    assert months_after(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert review_due(GOVERNING, date(2025, 5, 3)) is None
    assert review_due(POLICY, None) is None


def test_a_dated_kind_asks_for_its_date_and_refuses_one_in_the_future():
    assert date_problem(POLICY, None, TODAY) == (
        "Enter the date your safeguarding policy was last reviewed")
    assert date_problem(ACCOUNTS, date(2026, 5, 4), TODAY) == (
        "The date must be today or in the past")
    assert date_problem(ACCOUNTS, date(2020, 1, 1), TODAY) is None
    assert date_problem(SUPPORTING, None, TODAY) is None


def test_every_kind_has_a_rule_and_applications_must_have_all_but_supporting_documents():
    assert set(RULES) == set(DocumentKind)
    assert REQUIRED_KINDS == (POLICY, ACCOUNTS, GOVERNING)
    assert RULES[SUPPORTING].several and not any(RULES[kind].several for kind in REQUIRED_KINDS)
    assert all(rule.upload_label.startswith("Upload your") or rule.several
               for rule in RULES.values())
