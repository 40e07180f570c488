"""Staff choose, before a round opens, that it starts with an expression of interest: when the
stage closes (within the round's dates) and which sections of its questions it asks."""

import re
from datetime import timedelta

import pytest

from grants.extensions import db
from grants.funds.models import RoundStatus
from tests.applications.round_questions import ask, question
from tests.fixtures.auth import post_form
from tests.interest.conftest import NOW, K


@pytest.fixture
def upcoming_round(open_round):
    """Launched, opening in a week and closing in five."""
    open_round.opens_at = NOW + timedelta(days=7)
    open_round.closes_at = NOW + timedelta(days=35)
    db.session.commit()
    assert open_round.status is RoundStatus.UPCOMING
    return open_round


def _set_up(client, round_, **data):
    return post_form(client, f"/staff/rounds/{round_.id}/expression-of-interest-stage",
                     {"has_stage": "yes", "closes_time": "midday", **data})


def _date(moment) -> dict[str, str]:
    return {"closes_on": [str(moment.day), str(moment.month), str(moment.year)]}


def test_staff_give_a_round_the_stage_with_its_closing_time_and_sections(
        sign_in_as, staff, upcoming_round):
    idea = ask(upcoming_round, "Your idea", question("Who is it for?", K.SHORT_TEXT))
    ask(upcoming_round, "Safeguarding", question("Do you have a policy?", K.YES_NO))
    day = (NOW + timedelta(days=14)).date()

    answer = _set_up(sign_in_as(staff), upcoming_round, sections=[str(idea.id)],
                     **_date(day))

    assert answer.status_code == 302
    db.session.refresh(upcoming_round)
    assert upcoming_round.interest_closes_at.date() == day
    assert [s.in_interest for s in upcoming_round.question_sections] == [True, False]
    page = sign_in_as(staff).get(f"/staff/rounds/{upcoming_round.id}").get_data(as_text=True)
    assert "Starts with an expression of interest" in page


def test_the_stage_must_close_before_the_round_does(sign_in_as, staff, upcoming_round):
    page = _set_up(sign_in_as(staff), upcoming_round,
                   **_date((NOW + timedelta(days=40)).date()))

    html = page.get_data(as_text=True)
    assert "must close before the round closes" in html
    # The error summary links to the date's day box.
    assert 'href="#closes_on"' in html and re.search(r'<input[^>]*id="closes_on"', html)
    assert upcoming_round.interest_closes_at is None


def test_the_stage_cannot_change_once_the_round_has_opened(sign_in_as, staff, open_round):
    page = _set_up(sign_in_as(staff), open_round, **_date((NOW + timedelta(days=3)).date()))

    assert "The round has opened" in page.get_data(as_text=True)
    assert open_round.interest_closes_at is None


def test_the_round_s_closing_date_cannot_move_before_the_stage_closes(
        sign_in_as, staff, upcoming_round):
    upcoming_round.launched_at = None  # a draft, whose dates may change freely
    upcoming_round.interest_closes_at = NOW + timedelta(days=20)
    db.session.commit()
    early = (NOW + timedelta(days=10)).date()

    page = post_form(sign_in_as(staff), f"/staff/rounds/{upcoming_round.id}/edit",
                     form_page=f"/staff/rounds/{upcoming_round.id}/edit", data={
                         "title": upcoming_round.title, "kind": "open",
                         "opens_at": ["30", "11", "2026"], "opens_at_time": "9am",
                         "closes_at": [str(early.day), str(early.month), str(early.year)],
                         "closes_at_time": "midday", "budget": "100,000",
                         "min_award": "1,000", "max_award": "10,000"})

    assert "must close before the round closes" in page.get_data(as_text=True)


def test_choosing_no_takes_the_stage_away_without_asking_for_a_date(
        sign_in_as, staff, upcoming_round):
    idea = ask(upcoming_round, "Your idea", question("Who is it for?", K.SHORT_TEXT))
    idea.in_interest = True
    upcoming_round.interest_closes_at = NOW + timedelta(days=14)
    db.session.commit()

    answer = post_form(sign_in_as(staff),
                       f"/staff/rounds/{upcoming_round.id}/expression-of-interest-stage",
                       {"has_stage": "no", "closes_on": ["", "", ""], "closes_time": ""})

    assert answer.status_code == 302
    db.session.refresh(upcoming_round)
    assert upcoming_round.interest_closes_at is None and not idea.in_interest


def test_yes_needs_the_stage_s_closing_date_and_time(sign_in_as, staff, upcoming_round):
    page = _set_up(sign_in_as(staff), upcoming_round, closes_time="")

    html = page.get_data(as_text=True)
    assert "Enter the closing date of the stage" in html
    assert "Enter the closing time of the stage" in html
