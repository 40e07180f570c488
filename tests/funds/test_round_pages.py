"""Staff create, view and change rounds through the pages."""

from datetime import UTC, datetime

from sqlalchemy import select

from grants.funds.models import Round, RoundKind
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages, round_form


def test_staff_create_a_draft_round_and_land_on_its_page(staff_client, ppaf, db_session,
                                                        audit_actions):
    response = post_form(staff_client, "/staff/rounds/new", round_form(fund=ppaf.id))

    assert response.status_code == 302
    round_ = db_session.scalars(select(Round)).one()
    assert response.headers["Location"] == f"/staff/rounds/{round_.id}"
    assert round_.code == "PPAF-2026-1"
    assert round_.kind is RoundKind.OPEN
    assert round_.launched_at is None
    assert round_.opens_at == datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 9, 30, 11, 0, tzinfo=UTC)
    assert (round_.budget_pence, round_.min_award_pence, round_.max_award_pence) == (
        150_000_00, 1_000_00, 10_000_00)
    assert audit_actions("round", round_.id) == ["round.created"]


def test_the_new_round_page_chooses_the_fund_named_in_the_address(staff_client, ppaf,
                                                                  fund_factory):
    fund_factory(code="CSF", name="Community Safety Fund")

    html = staff_client.get("/staff/rounds/new?fund=PPAF").text

    assert f'value="{ppaf.id}" checked' in html


def test_the_round_page_shows_status_year_money_and_actions(staff_client, round_factory,
                                                             award_factory):
    round_ = round_factory(
        code="PPAF-2019-2", title="PPAF Round 2",
        opens_at=datetime(2019, 12, 2, 9, tzinfo=UTC),
        closes_at=datetime(2020, 1, 31, 12, tzinfo=UTC),
        budget_pence=150_000_00,
    )
    award_factory(round=round_, amount_pence=25_000_00)

    html = staff_client.get(f"/staff/rounds/{round_.id}").text

    assert "PPAF-2019-2 · 2019/20" in html
    assert "Draft" in html
    assert "midday on 31 January 2020 (GMT)" in html
    assert "£150,000" in html and "£25,000" in html and "£125,000" in html
    assert "Launch round" in html and "Copy as a new draft" in html
    assert "Start assessment" not in html


def test_a_round_that_does_not_exist_is_not_found(staff_client):
    assert staff_client.get("/staff/rounds/999999").status_code == 404


def test_editing_a_draft_changes_its_fields_and_records_what_changed(
    staff_client, round_factory, audit_actions, db_session
):
    round_ = round_factory(code="PPAF-2026-7", title="Old title")
    path = f"/staff/rounds/{round_.id}/edit"

    response = post_form(staff_client, path, round_form(title="New title", code="ppaf-2026-8"))

    assert response.status_code == 302
    db_session.refresh(round_)
    assert (round_.title, round_.code) == ("New title", "PPAF-2026-8")
    assert audit_actions("round", round_.id) == ["round.updated"]


def test_the_edit_page_shows_the_rounds_values(staff_client, round_factory):
    round_ = round_factory(code="PPAF-2026-7", title="Summer round",
                           opens_at=datetime(2026, 7, 1, 8, tzinfo=UTC),
                           closes_at=datetime(2026, 7, 31, 11, 30, tzinfo=UTC),
                           budget_pence=5_000_050)

    html = staff_client.get(f"/staff/rounds/{round_.id}/edit").text

    assert 'value="Summer round"' in html
    assert 'value="PPAF-2026-7"' in html
    assert 'value="12:30pm"' in html  # 11:30 UTC is 12:30pm BST
    assert 'value="50000.50"' in html


def test_a_form_with_several_problems_shows_them_all_at_once(staff_client, ppaf):
    response = post_form(staff_client, "/staff/rounds/new", round_form(
        fund=ppaf.id, title="", budget="lots", opens_at_time="25:00"))

    assert response.status_code == 200
    assert error_messages(response.text) == [
        "Enter the round's title",
        "Enter a real time, from 00:00 to 23:59",
        "Enter an amount in pounds and pence only, like 5000 or £5,000.50",
    ]
    assert "<title>Error: Create a round" in response.text


def test_the_error_summary_links_a_date_to_its_day_box(staff_client, ppaf):
    response = post_form(staff_client, "/staff/rounds/new", round_form(
        fund=ppaf.id, closes_at=["31", "2", "2026"]))

    assert 'href="#closes_at-day"' in response.text
    assert "Closing date must be a real date, like 27 3 2026" in error_messages(response.text)


def test_the_round_page_runs_the_same_number_of_queries_however_much_the_round_holds(
    staff_client, round_factory, plan, county_factory, count_queries
):
    from grants.funds.models import CountyAllocation, EligibilityQuestion, ScoringCriterion

    def page_queries(round_):
        path = f"/staff/rounds/{round_.id}"  # the request's queries alone are counted
        with count_queries() as log:
            assert staff_client.get(path).status_code == 200
        return log.count

    small = round_factory(kind=RoundKind.NOMINATION)
    large = round_factory(
        kind=RoundKind.NOMINATION,
        priorities=list(plan.priorities),
        key_aims=[aim for p in plan.priorities for aim in p.key_aims],
        eligibility_questions=[EligibilityQuestion(position=i, text=f"Q{i}")
                               for i in range(1, 6)],
        scoring_criteria=[ScoringCriterion(position=i, name=f"C{i}", weight=1, max_score=5)
                          for i in range(1, 6)],
        county_allocations=[CountyAllocation(county=county_factory(name=name),
                                             amount_pence=100)
                            for name in ("Berkshire", "Oxfordshire")],
    )

    assert page_queries(large) == page_queries(small)
