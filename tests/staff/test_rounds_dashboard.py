"""The staff rounds dashboard: a fund's rounds in a financial year, their money and applications."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import g

from grants.accounts.models import Role
from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.core import clock
from grants.extensions import db
from tests.staff.tables import row_starting, table_rows

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # in 2026/27
OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
LAUNCHED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)

# Columns of the dashboard's table.
ROUND, STATUS, DATES, BUDGET, COMMITTED, REMAINING, DRAFT, SUBMITTED, ALL = range(9)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def staff(user_factory, sign_in_as):
    return sign_in_as(user_factory(roles=[Role.STAFF]))


@pytest.fixture
def make_round(round_factory):
    def _make(**kwargs):
        kwargs.setdefault("opens_at", OPENS)
        kwargs.setdefault("closes_at", CLOSES)
        kwargs.setdefault("launched_at", LAUNCHED)
        return round_factory(**kwargs)

    return _make


def dashboard(client, query: str = "") -> str:
    response = client.get(f"/staff/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_committed_money_leaves_out_declined_and_withdrawn_awards(staff, make_round,
                                                                  award_factory):
    round_ = make_round(title="Winter round", budget_pence=10_000_000)
    for status, amount in [(AwardStatus.PROPOSED, 250_000), (AwardStatus.PAID, 100_000),
                           (AwardStatus.DECLINED, 50_000), (AwardStatus.WITHDRAWN, 70_000)]:
        award_factory(round=round_, status=status, amount_pence=amount)

    row = row_starting(dashboard(staff), "Winter round (2026/27)")

    assert row[BUDGET] == "£100,000"
    assert row[COMMITTED] == "£3,500"
    assert row[REMAINING] == "£96,500"


def test_applications_are_counted_by_status_from_the_application_table(
    staff, make_round, application_factory
):
    round_ = make_round(title="Winter round")
    other = make_round(title="Spring round")
    for status in [ApplicationStatus.DRAFT, ApplicationStatus.DRAFT,
                   ApplicationStatus.SUBMITTED, ApplicationStatus.SUBMITTED,
                   ApplicationStatus.IN_REVIEW]:
        application_factory(round=round_, status=status)
    application_factory(round=other, status=ApplicationStatus.SUBMITTED)

    html = dashboard(staff)

    assert row_starting(html, "Winter round")[DRAFT:] == ["2", "3", "5"]
    assert row_starting(html, "Spring round")[DRAFT:] == ["0", "1", "1"]


def test_a_round_without_applications_or_awards_shows_zeros(staff, make_round):
    make_round(title="Winter round", budget_pence=2_000_000)

    row = row_starting(dashboard(staff), "Winter round")

    assert row[COMMITTED:] == ["£0", "£20,000", "0", "0", "0"]


def test_the_totals_row_adds_up_budget_committed_remaining_and_applications(
    staff, make_round, award_factory, application_factory
):
    first = make_round(budget_pence=10_000_000)
    second = make_round(budget_pence=5_000_000)
    award_factory(round=first, amount_pence=1_000_000)
    award_factory(round=second, amount_pence=300_000)
    application_factory(round=first)
    application_factory(round=second, status=ApplicationStatus.SUBMITTED)

    totals = row_starting(dashboard(staff), "Total")

    assert totals == ["Total", "£150,000", "£13,000", "£137,000", "1", "1", "2"]


@pytest.mark.parametrize("changes,status", [
    ({"launched_at": None}, "Draft"),
    ({"opens_at": NOW + timedelta(days=2)}, "Upcoming"),
    ({}, "Open"),
    ({"opens_at": NOW - timedelta(days=30), "closes_at": NOW - timedelta(days=1)}, "Closed"),
    ({"assessing_at": NOW}, "Assessing"),
    ({"assessing_at": NOW, "decided_at": NOW}, "Decided"),
    ({"assessing_at": NOW, "decided_at": NOW, "decisions_published_at": NOW}, "Published"),
])
def test_each_round_shows_its_status(staff, make_round, changes, status):
    make_round(title="Winter round", **changes)

    assert row_starting(dashboard(staff), "Winter round")[STATUS] == status


def test_a_round_shows_its_code_kind_and_times_with_the_zone(staff, make_round):
    make_round(title="Winter round", code="PPAF-2026-9")

    row = row_starting(dashboard(staff), "Winter round")

    assert "PPAF-2026-9" in row[ROUND]
    assert "Open round" in row[ROUND]
    assert row[DATES] == ("Opens 9am on 1 November 2026 (GMT) "
                          "Closes midday on 14 December 2026 (GMT)")


def test_the_ppaf_and_the_current_financial_year_are_shown_by_default(
    staff, make_round, fund_factory
):
    csf = fund_factory(code="CSF", name="Community Safety Fund")
    make_round(title="PPAF this year")
    make_round(title="CSF this year", fund=csf)
    make_round(title="PPAF last year", opens_at=datetime(2025, 6, 1, tzinfo=UTC),
               closes_at=datetime(2025, 7, 1, tzinfo=UTC))

    html = dashboard(staff)

    assert "Rounds of the Police Property Act Fund in 2026/27" in html
    assert "PPAF this year" in html
    assert "CSF this year" not in html
    assert "PPAF last year" not in html


def test_staff_choose_another_fund_or_every_fund(staff, make_round, fund_factory):
    csf = fund_factory(code="CSF", name="Community Safety Fund")
    make_round(title="PPAF this year")
    make_round(title="CSF this year", fund=csf)

    only_csf = dashboard(staff, "?fund=CSF")
    every_fund = dashboard(staff, "?fund=all")

    assert "CSF this year" in only_csf
    assert "PPAF this year" not in only_csf
    assert "CSF this year" in every_fund
    assert "PPAF this year" in every_fund


def test_staff_choose_a_year_from_those_with_rounds_and_the_current_one(staff, make_round):
    make_round(title="PPAF 2024 round", opens_at=datetime(2024, 6, 1, tzinfo=UTC),
               closes_at=datetime(2024, 7, 1, tzinfo=UTC))

    html = dashboard(staff, "?year=2024/25")

    assert '<option value="2026/27" >2026/27</option>' in html
    assert '<option value="2024/25" selected>2024/25</option>' in html
    assert "2025/26" not in html
    assert "PPAF 2024 round" in html


def test_an_unknown_year_or_fund_falls_back_to_the_defaults(staff, make_round):
    make_round(title="PPAF this year")

    html = dashboard(staff, "?year=2026-27&fund=NOPE")

    assert "Rounds of the Police Property Act Fund in 2026/27" in html


def test_a_year_without_rounds_can_be_asked_for(staff, make_round):
    make_round(title="PPAF this year")

    html = dashboard(staff, "?year=2019/20")

    assert '<option value="2019/20" selected>2019/20</option>' in html
    assert "No rounds of the Police Property Act Fund belong to 2019/20" in html


def test_a_round_belongs_to_the_financial_year_of_its_opening_date_not_its_closing_time(
    staff, make_round
):
    # 11:30pm UTC on 31 March 2026 is 00:30 BST on 1 April 2026, in 2026/27; the round opened,
    # and so belongs, in 2025/26.
    make_round(title="Closes just after midnight", opens_at=datetime(2026, 3, 1, tzinfo=UTC),
               closes_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))

    assert "Closes just after midnight" in dashboard(staff, "?year=2025/26")
    assert "Closes just after midnight" not in dashboard(staff, "?year=2026/27")


def test_a_round_is_listed_in_the_financial_year_staff_stated(staff, make_round):
    make_round(title="Next year's money", financial_year="2027/28")

    assert "Next year&#39;s money" in dashboard(staff, "?year=2027/28")
    assert "Next year&#39;s money" not in dashboard(staff, "?year=2026/27")


def test_archived_rounds_show_only_when_asked_for(staff, make_round):
    make_round(title="Still here")
    make_round(title="Put away", archived_at=NOW - timedelta(days=1))

    normal = dashboard(staff)
    with_archived = dashboard(staff, "?archived=yes")

    assert "Put away" not in normal
    assert "Still here" in normal
    assert "Archived</strong>" in row_starting(with_archived, "Put away")[STATUS] + "</strong>"
    assert 'name="archived" type="checkbox" value="yes" checked' in with_archived


def test_a_year_without_rounds_says_so(staff):
    html = dashboard(staff)

    assert "No rounds of the Police Property Act Fund belong to 2026/27" in html or (
        "No rounds of every fund belong to 2026/27" in html
    )
    assert not [row for row in table_rows(html) if row and row[0] == "Total"]


def test_rounds_link_to_their_setup_page(staff, make_round):
    round_ = make_round(title="Winter round")

    html = dashboard(staff)

    assert f'href="/staff/rounds/{round_.id}"' in html


def test_the_dashboard_links_to_creating_a_round_funds_and_nominations(staff):
    html = dashboard(staff)

    assert 'href="/staff/rounds/new"' in html and "Create a round" in html
    assert 'href="/staff/funds"' in html
    assert "High Sheriff nominations" in html


def test_the_dashboard_runs_the_same_number_of_queries_for_2_and_for_12_rounds(
    staff, make_round, award_factory, application_factory, count_queries
):
    def add_rounds(number: int) -> None:
        for _ in range(number):
            round_ = make_round(title="Counted round")
            award_factory(round=round_)
            application_factory(round=round_)

    def queries_for_the_dashboard(expected_rounds: int) -> int:
        forget_loaded_rows()
        with count_queries() as log:
            html = dashboard(staff, "?fund=all")
        assert html.count("Counted round") == expected_rounds
        return log.count

    add_rounds(2)
    with_2 = queries_for_the_dashboard(2)
    add_rounds(10)
    with_12 = queries_for_the_dashboard(12)

    assert with_2 == with_12


def forget_loaded_rows() -> None:
    """The requests share the test's session and `g`: empty both, so that whatever the page
    reads lazily costs a query, as it would in production."""
    db.session.expunge_all()
    for name in list(g):
        g.pop(name)
