"""The rules a round's settings follow, by kind, each shown as an error on the form."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grants.applications.models import ApplicationStatus
from grants.awards.models import AwardStatus
from grants.core.errors import ValidationFailed
from grants.funds.models import Round, RoundKind, ScoringCriterion
from grants.funds.operations import criteria, eligibility, setup
from grants.funds.operations import settings as round_settings
from tests.fixtures.auth import post_form
from tests.funds.conftest import NOW, error_messages, round_form


def create(client, fund, **overrides):
    return post_form(client, "/staff/rounds/new", round_form(fund=fund.id, **overrides))


# Open rounds -------------------------------------------------------------------------------


def test_an_open_round_must_close_after_it_opens(staff_client, ppaf, db_session):
    response = create(staff_client, ppaf, closes_at=["1", "9", "2026"], closes_at_time="9am")

    assert error_messages(response.text) == [
        "The closing date and time must be after the opening date and time"]
    assert db_session.scalars(select(Round)).first() is None


def test_the_minimum_award_can_be_no_more_than_the_maximum(staff_client, ppaf):
    response = create(staff_client, ppaf, min_award="20000", max_award="10000")

    assert error_messages(response.text) == [
        "The minimum award must be no more than the maximum award (£10,000)"]


def test_the_maximum_award_can_be_no_more_than_the_budget(staff_client, ppaf):
    response = create(staff_client, ppaf, budget="5000", min_award="100", max_award="10000")

    assert error_messages(response.text) == [
        "The maximum award must be no more than the budget (£5,000)"]


def test_minimum_maximum_and_budget_may_be_equal(staff_client, ppaf, db_session):
    response = create(staff_client, ppaf, budget="5000", min_award="5000", max_award="5000")

    assert response.status_code == 302


def test_an_open_round_needs_both_award_limits(staff_client, ppaf):
    response = create(staff_client, ppaf, min_award="", max_award="")

    assert error_messages(response.text) == ["Enter the minimum award for an open round",
                                             "Enter the maximum award for an open round"]


def test_an_open_round_needs_at_least_one_priority(staff_client, round_factory, plan,
                                                   db_session):
    round_ = round_factory(priorities=list(plan.priorities))

    response = post_form(staff_client, f"/staff/rounds/{round_.id}/priorities", {})

    assert error_messages(response.text) == ["Choose at least one priority for an open round"]
    db_session.refresh(round_)
    assert len(round_.priorities) == 2


@pytest.mark.parametrize("weight,message", [
    ("0", "Weight must be a whole number from 1 to 1000"),
    ("-3", "Weight must be a whole number from 1 to 1000"),
    ("1.5", "Weight must be a whole number, like 5"),
    # A digit int() does not read was refused with Python's own message.
    ("²", "Weight must be a whole number, like 5"),
    ("١٢", "Weight must be a whole number, like 5"),
    ("", "Enter the weight"),
])
def test_a_scoring_criterion_needs_a_positive_whole_weight(staff_client, round_factory, weight,
                                                           message):
    round_ = round_factory()

    response = post_form(staff_client, f"/staff/rounds/{round_.id}/criteria/new",
                         {"name": "Need", "weight": weight, "max_score": "5"})

    assert error_messages(response.text) == [message]


def test_the_service_refuses_a_weight_of_zero_whatever_the_form_says(round_factory,
                                                                      db_session, staff):
    round_ = round_factory()

    with pytest.raises(ValidationFailed) as refused:
        criteria.CRITERIA.add(db_session, round_,
                              criteria.CriterionDetails(name="Need", weight=0, max_score=5),
                              actor_id=staff.id)

    assert refused.value.errors == {"weight": "Weight must be a whole number from 1 to 1000"}
    assert db_session.scalars(select(ScoringCriterion)).first() is None


# Nomination and allocation rounds -----------------------------------------------------------


def test_county_allocations_add_up_to_no_more_than_the_budget(staff_client, round_factory,
                                                              county_factory, db_session):
    berkshire = county_factory(name="Berkshire")
    oxfordshire = county_factory(name="Oxfordshire")
    round_ = round_factory(kind=RoundKind.NOMINATION, budget_pence=50_000_00,
                           min_award_pence=None, max_award_pence=None)
    path = f"/staff/rounds/{round_.id}/allocations"

    response = post_form(staff_client, path, {f"county_{berkshire.id}": "30,000",
                                              f"county_{oxfordshire.id}": "£30,000"})

    assert error_messages(response.text) == [
        "The allocations add up to £60,000, which is more than the round's budget of £50,000"]
    assert 'value="£30,000"' in response.text
    db_session.refresh(round_)
    assert round_.county_allocations == []


def test_county_allocations_within_the_budget_are_saved(staff_client, round_factory,
                                                        county_factory, db_session):
    berkshire = county_factory(name="Berkshire")
    oxfordshire = county_factory(name="Oxfordshire")
    round_ = round_factory(kind=RoundKind.NOMINATION, budget_pence=50_000_00,
                           min_award_pence=None, max_award_pence=None)

    response = post_form(staff_client, f"/staff/rounds/{round_.id}/allocations",
                         {f"county_{berkshire.id}": "25000", f"county_{oxfordshire.id}": ""})

    assert response.status_code == 302
    db_session.refresh(round_)
    assert [(a.county.name, a.amount_pence) for a in round_.county_allocations] == [
        ("Berkshire", 25_000_00)]


def test_a_nomination_budget_cannot_go_below_its_county_allocations(
    staff_client, round_factory, county_factory, db_session
):
    round_ = round_factory(kind=RoundKind.NOMINATION, budget_pence=50_000_00,
                           min_award_pence=None, max_award_pence=None)
    setup.set_county_allocations(db_session, round_, {county_factory().id: 45_000_00},
                                 actor_id=None)

    response = post_form(staff_client, f"/staff/rounds/{round_.id}/edit",
                         round_form(kind="nomination", budget="40000", min_award="",
                                    max_award=""))

    assert error_messages(response.text) == [
        "The budget cannot be less than the £45,000 allocated to counties"]


def test_an_allocation_round_needs_only_dates_and_a_budget(staff_client, ppaf, db_session):
    response = create(staff_client, ppaf, kind="allocation", min_award="", max_award="")
    assert response.status_code == 302
    round_ = db_session.scalars(select(Round)).one()

    launched = post_form(staff_client, f"/staff/rounds/{round_.id}/launch",
                         form_page=f"/staff/rounds/{round_.id}")

    assert launched.status_code == 302
    db_session.refresh(round_)
    assert round_.launched_at == NOW


# Every kind -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["open", "nomination", "allocation"])
def test_a_budget_never_goes_below_what_is_committed_to_awards(
    kind, staff_client, round_factory, award_factory, db_session
):
    round_ = round_factory(kind=RoundKind(kind), budget_pence=100_000_00,
                           min_award_pence=None, max_award_pence=None)
    award_factory(round=round_, amount_pence=25_000_00)
    award_factory(round=round_, amount_pence=10_000_00, status=AwardStatus.WITHDRAWN)
    path = f"/staff/rounds/{round_.id}/edit"

    refused = post_form(staff_client, path, round_form(kind=kind, budget="24,999.99"))
    accepted = post_form(staff_client, path, round_form(kind=kind, budget="25,000"))

    assert error_messages(refused.text) == [
        "The budget cannot be less than the £25,000 already committed to awards"]
    assert accepted.status_code == 302
    db_session.refresh(round_)
    assert round_.budget_pence == 25_000_00


def submitted_application(application_factory, round_):
    return application_factory(round=round_, status=ApplicationStatus.SUBMITTED,
                               submitted_at=datetime(2026, 5, 20, 14, 0, tzinfo=UTC))


FROZEN_REASON = ("Applications have been submitted to this round (the first at 3pm on "
                 "20 May 2026 (BST)), so {} can no longer change")


def test_eligibility_questions_are_frozen_once_an_application_is_submitted(
    staff_client, round_factory, application_factory, db_session
):
    round_ = round_factory()
    question = eligibility.QUESTIONS.add(db_session, round_,
                                         eligibility.QuestionDetails("Based here?"),
                                         actor_id=None)
    submitted_application(application_factory, round_)
    path = f"/staff/rounds/{round_.id}/questions/{question.id}/edit"

    changed = post_form(staff_client, path, {"text": "Changed?", "mandatory": "yes"})
    added = post_form(staff_client, f"/staff/rounds/{round_.id}/questions/new",
                      {"text": "New?", "mandatory": "no"})
    removed = post_form(staff_client, path.replace("/edit", "/remove"), form_page=path)

    reason = FROZEN_REASON.format("its eligibility questions")
    assert error_messages(changed.text) == [reason]
    assert error_messages(added.text) == [reason]
    assert error_messages(removed.text) == [reason]
    db_session.refresh(round_)
    assert [q.text for q in round_.eligibility_questions] == ["Based here?"]


def test_scoring_criteria_are_frozen_once_an_application_is_submitted(
    staff_client, round_factory, application_factory, db_session
):
    round_ = round_factory()
    criterion = criteria.CRITERIA.add(
        db_session, round_, criteria.CriterionDetails("Need", weight=40, max_score=5),
        actor_id=None)
    submitted_application(application_factory, round_)
    path = f"/staff/rounds/{round_.id}/criteria/{criterion.id}/edit"

    changed = post_form(staff_client, path, {"name": "Need", "weight": "60", "max_score": "5"})
    added = post_form(staff_client, f"/staff/rounds/{round_.id}/criteria/new",
                      {"name": "Value", "weight": "10", "max_score": "5"})

    reason = FROZEN_REASON.format("its scoring criteria")
    assert error_messages(changed.text) == [reason]
    assert error_messages(added.text) == [reason]
    db_session.refresh(round_)
    assert [(c.name, c.weight) for c in round_.scoring_criteria] == [("Need", 40)]


def test_a_frozen_rounds_page_says_why_and_offers_no_changes(staff_client, round_factory,
                                                             application_factory):
    round_ = round_factory()
    submitted_application(application_factory, round_)

    html = staff_client.get(f"/staff/rounds/{round_.id}").text
    question_page = staff_client.get(f"/staff/rounds/{round_.id}/questions/new").text

    assert "Applications have been submitted (the first at 3pm on 20 May 2026 (BST))" in html
    assert "Add an eligibility question" not in html
    assert "Add a scoring criterion" not in html
    assert FROZEN_REASON.format("its eligibility questions") in question_page
    assert "Save question" not in question_page


def test_draft_applications_do_not_freeze_anything(staff_client, round_factory,
                                                   application_factory, db_session):
    round_ = round_factory()
    application_factory(round=round_)

    response = post_form(staff_client, f"/staff/rounds/{round_.id}/questions/new",
                         {"text": "Based in Thames Valley?", "mandatory": "yes"})

    assert response.status_code == 302
    db_session.refresh(round_)
    assert [q.text for q in round_.eligibility_questions] == ["Based in Thames Valley?"]


def test_priorities_and_organisation_types_are_frozen_once_an_application_is_submitted(
    staff_client, round_factory, application_factory, plan
):
    round_ = round_factory(priorities=[plan.priorities[0]])
    submitted_application(application_factory, round_)

    priorities = post_form(staff_client, f"/staff/rounds/{round_.id}/priorities",
                           {"priorities": [str(plan.priorities[1].id)]})
    types = post_form(staff_client, f"/staff/rounds/{round_.id}/organisation-types",
                      {"organisation_types": ["cic"]})

    assert error_messages(priorities.text) == [FROZEN_REASON.format("the priorities it funds")]
    assert error_messages(types.text) == [FROZEN_REASON.format("who may apply")]


# After launch ------------------------------------------------------------------------------


@pytest.fixture
def launched(round_factory):
    return round_factory(
        code="PPAF-2026-3", launched_at=datetime(2026, 5, 1, 9, tzinfo=UTC),
        opens_at=datetime(2026, 9, 1, 8, tzinfo=UTC), closes_at=datetime(2026, 9, 30, 11,
                                                                         tzinfo=UTC),
        budget_pence=150_000_00, min_award_pence=1_000_00, max_award_pence=10_000_00,
    )


def test_a_launched_rounds_edit_page_offers_only_what_may_still_change(staff_client, launched):
    html = staff_client.get(f"/staff/rounds/{launched.id}/edit").text

    assert 'name="title"' in html and 'name="closes_at"' in html and 'name="budget"' in html
    for frozen in ("code", "financial_year", "kind", "opens_at", "min_award", "max_award"):
        assert f'name="{frozen}"' not in html
    assert "so its code, financial year, kind, opening time and award limits are fixed" in html


def test_a_launched_round_takes_a_new_title_a_later_closing_time_and_budget(
    staff_client, launched, db_session
):
    response = post_form(staff_client, f"/staff/rounds/{launched.id}/edit", {
        "title": "Renamed", "closes_at": ["7", "10", "2026"], "closes_at_time": "12:00",
        "budget": "200000", "guidance": "More time",
    })

    assert response.status_code == 302
    db_session.refresh(launched)
    assert launched.title == "Renamed"
    assert launched.closes_at == datetime(2026, 10, 7, 11, tzinfo=UTC)
    assert launched.budget_pence == 200_000_00
    assert launched.code == "PPAF-2026-3"


def test_a_launched_rounds_closing_time_cannot_move_earlier(staff_client, launched):
    response = post_form(staff_client, f"/staff/rounds/{launched.id}/edit", {
        "title": "Renamed", "closes_at": ["29", "9", "2026"], "closes_at_time": "12:00",
        "budget": "150000",
    })

    assert error_messages(response.text) == [
        "Once the round is launched its closing date can only move later than midday on "
        "30 September 2026 (BST)"]


def test_the_code_and_kind_of_a_launched_round_are_refused_by_the_service(launched,
                                                                           db_session):
    settings = round_settings.RoundSettings.of(launched)

    with pytest.raises(ValidationFailed) as refused:
        round_settings.update_round(db_session, launched, round_settings.RoundSettings(
            **{**settings.__dict__, "code": "PPAF-2026-9", "kind": RoundKind.ALLOCATION}),
            actor_id=None)

    assert refused.value.errors == {
        "code": "The round code cannot change once the round is launched",
        "kind": "The kind of round cannot change once the round is launched",
    }
