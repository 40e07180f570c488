"""Staff pages list their own office's records: its funds, rounds, plans, people and report
figures, and none of another office's, with no page filtering for it (the session's office
scope does: grants.offices.operations.scoping)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.awards.models import AwardStatus
from grants.core import clock
from grants.funds.models import Fund
from tests.fixtures.auth import post_form

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)  # in 2026/27


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


@pytest.fixture
def offices(office_factory, fund_factory, round_factory, award_factory, plan_factory,
            user_factory):
    """Thames Valley and Dyfed-Powys, each with a fund, a published round with an award, a
    plan and a member of staff."""
    made = {}
    for slug, short, amount in (("thames-valley", "Thames", 333_300),
                                ("dyfed-powys", "Dyfed", 777_700)):
        office = office_factory(slug=slug)
        fund = fund_factory(office=office, code=f"{short.upper()}F", name=f"{short} Fund")
        round_ = round_factory(
            fund=fund, code=f"{short.upper()}-2026-1", title=f"{short} Round",
            opens_at=datetime(2026, 5, 1, 9, tzinfo=UTC),
            closes_at=datetime(2026, 6, 30, 12, tzinfo=UTC),
            launched_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
            assessing_at=datetime(2026, 7, 1, 9, tzinfo=UTC),
            decided_at=datetime(2026, 8, 1, 9, tzinfo=UTC),
            decisions_published_at=datetime(2026, 8, 5, 9, tzinfo=UTC))
        award_factory(round=round_, amount_pence=amount, status=AwardStatus.ACCEPTED,
                      offered_at=NOW - timedelta(days=100))
        made[slug] = {
            "office": office, "fund": fund, "round": round_,
            "plan": plan_factory(office=office, title=f"{short} Plan", is_current=True),
            "staff": user_factory(roles=[Role.ADMIN], roles__office=office,
                                  name=f"{short} Officer"),
        }
    return made


@pytest.fixture
def dyfed_staff(offices, sign_in_as):
    return sign_in_as(offices["dyfed-powys"]["staff"])


@pytest.mark.parametrize("path", ["/staff/funds", "/staff/", "/staff/plans", "/staff/users",
                                  "/staff/reports/", "/staff/reports/years/2026-27"])
def test_a_staff_page_lists_its_offices_records_and_none_of_anothers(dyfed_staff, path):
    page = dyfed_staff.get(path)

    assert page.status_code == 200
    for words in ("Thames Fund", "Thames Round", "Thames Plan", "Thames Officer", "£3,333"):
        assert words not in page.text, f"{path} shows {words!r}"


def test_the_lists_show_the_offices_own_records(dyfed_staff):
    assert "Dyfed Fund" in dyfed_staff.get("/staff/funds").text
    assert "Dyfed Plan" in dyfed_staff.get("/staff/plans").text
    assert "Dyfed Officer" in dyfed_staff.get("/staff/users").text
    assert "£7,777" in dyfed_staff.get("/staff/reports/years/2026-27").text


def test_the_first_offices_staff_see_the_first_offices_figures_not_the_seconds(
        dyfed_staff, offices, sign_in_as, new_client):
    report = "/staff/reports/years/2026-27"
    thames = sign_in_as(offices["thames-valley"]["staff"], on=new_client())
    assert "£7,777" in dyfed_staff.get(report).text  # worked out, and kept, for Dyfed-Powys

    page = thames.get(report).text

    assert "£3,333" in page
    assert "£7,777" not in page


def test_a_fund_added_by_an_offices_staff_is_that_offices(dyfed_staff, offices, db_session):
    response = post_form(dyfed_staff, "/staff/funds/new",
                         {"code": "DYF2", "name": "Dyfed Second Fund", "limited_by_money": "no"})

    assert response.status_code == 302, response.text
    fund = db_session.scalars(select(Fund).where(Fund.code == "DYF2")).one()
    assert fund.office_id == offices["dyfed-powys"]["office"].id


def test_a_fund_code_another_office_uses_is_free_for_this_one(dyfed_staff, offices, db_session):
    response = post_form(dyfed_staff, "/staff/funds/new",
                         {"code": "THAMESF", "name": "Dyfed's own Thames Fund",
                          "limited_by_money": "no"})

    assert response.status_code == 302, response.text
    assert {fund.office_id for fund in db_session.scalars(
        select(Fund).where(Fund.code == "THAMESF"))} == {
        offices["thames-valley"]["office"].id, offices["dyfed-powys"]["office"].id}


def test_a_staff_page_speaks_for_its_own_office_and_the_publics_for_the_first(
        dyfed_staff, new_client):
    staff_page = dyfed_staff.get("/staff/funds").text
    public_page = new_client().get("/privacy").text

    assert "Dyfed Powys Police and Crime Commissioner" in staff_page
    assert "Thames Valley Police and Crime Commissioner" not in staff_page
    assert "Thames Valley Police and Crime Commissioner" in public_page


def test_the_whole_area_of_a_report_is_its_offices(dyfed_staff):
    page = dyfed_staff.get("/staff/reports/years/2026-27").text

    assert "The whole of Thames Valley" not in page


@pytest.mark.parametrize("path", ["/awards/360giving.json", "/staff/payments.csv?from=2026-01-01"
                                                            "&to=2027-12-31"])
def test_a_download_written_as_it_is_sent_holds_only_the_offices_records(dyfed_staff, path):
    """The body of a streamed download is written after the request has ended, in a new
    database session: scoped to the office too."""
    response = dyfed_staff.get(path)
    body = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Thames" not in body
