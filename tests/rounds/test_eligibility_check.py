"""A round's public "Check if you can apply": one question to a page, no account needed, ending
in "You can apply" with the start link, or "You cannot apply to this round because …" with
each reason and what to do instead; the application the person goes on to start begins with
their answers."""

import re

import pytest

from grants.applications.models import Application
from grants.extensions import db
from grants.funds.models import CheckQuestion, RoundOrganisationType
from grants.organisations.models import OrganisationType
from grants.rounds.operations.checking import CheckAnswers
from tests.fixtures.auth import post_form
from tests.rounds.conftest import NOW

CODE = "PPAF-2026-7"
CHECK = f"/rounds/{CODE}/check"


@pytest.fixture
def checked_round(launched_round, priority_factory, local_authority_factory, county_factory):
    """An open round for charities and community groups, from £1,000 to £5,000, funding two
    priorities, with one question of its own; and two local authorities (in Berkshire) of the
    office's three counties."""
    round_ = launched_round(code=CODE, title="Small grants", min_award_pence=100_000,
                            max_award_pence=500_000)
    round_.priorities = [priority_factory(title="Protecting vulnerable people"),
                         priority_factory(title="Reducing violence")]
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=kind)
        for kind in (OrganisationType.REGISTERED_CHARITY, OrganisationType.COMMUNITY_GROUP)]
    round_.check_questions.append(CheckQuestion(
        position=1, text="Have you been operating for at least 12 months?", needed_answer=True,
        reason="it funds organisations that have been operating for at least 12 months"))
    reading = local_authority_factory(name="Reading", official_name="Reading Borough Council")
    local_authority_factory(name="Slough")
    county_factory(name="Buckinghamshire")
    county_factory(name="Oxfordshire")
    db.session.commit()
    round_.reading_id = reading.id
    return round_


def answer(client, step: str, data: dict):
    """Post one question page's answer (with the page's CSRF token)."""
    return post_form(client, f"{CHECK}/{step}", data)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"GET {path} answered {response.status_code}"
    return response.get_data(as_text=True)


def answer_all(client, round_, *, organisation_type="community_group", where="particular",
               amount="£2,500", priority=None, operating="yes"):
    """Answer every question, checking each leads to the next; returns the result page."""
    steps = [("organisation-type", {"answer": organisation_type}), ("where", {"answer": where})]
    if where == "particular":
        steps.append(("areas", {"answer": [str(round_.reading_id)]}))
    steps += [("amount", {"answer": amount}),
              ("priority", {"answer": priority or str(round_.priorities[0].id)}),
              (f"questions/{round_.check_questions[0].id}", {"answer": operating})]
    for number, (step, data) in enumerate(steps):
        response = answer(client, step, data)
        assert response.status_code == 302, f"{step}: {response.status_code}"
        following = (f"{CHECK}/{steps[number + 1][0]}" if number + 1 < len(steps)
                     else f"{CHECK}/result")
        assert response.location == following
    return page(client, f"{CHECK}/result")


def reasons(html: str) -> list[str]:
    listed = re.search(r'<ul class="govuk-list govuk-list--bullet" id="reasons">(.*?)</ul>',
                       html, re.S)
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", listed.group(1),
                                                          re.S)] if listed else []


def test_the_round_page_links_to_its_check(client, checked_round):
    html = page(client, f"/rounds/{CODE}")

    assert f'href="{CHECK}"' in html


def test_each_question_is_its_own_page_with_the_question_as_its_heading(client,
                                                                        checked_round):
    html = page(client, f"{CHECK}/organisation-type")

    assert re.search(r"<legend[^>]*>\s*<h1 class=\"govuk-fieldset__heading\">\s*"
                     r"What type of organisation are you applying for\?", html)
    assert "<title>What type of organisation are you applying for?" in html
    assert 'class="govuk-back-link"' in html
    assert ">Continue<" in html or "Continue\n" in html


def test_someone_who_fits_the_round_can_apply_and_is_given_the_start_link(client,
                                                                          checked_round):
    html = answer_all(client, checked_round)

    assert "<h1 class=\"govuk-heading-xl\">You can apply</h1>" in html
    assert f'href="/rounds/{CODE}/apply"' in html
    assert reasons(html) == []


@pytest.mark.parametrize(("answers", "because"), [
    ({"organisation_type": "local_authority"},
     "it is not open to a local authority: only to these types of organisation: registered "
     "charity, constituted community group"),
    ({"where": "outside"}, "the work must happen in Thames Valley (Berkshire, Buckinghamshire "
                           "or Oxfordshire)"),
    ({"amount": "6000"}, "you would ask for £6,000, and it gives grants of up to £5,000"),
    ({"amount": "£999.99"}, "you would ask for £999.99, and it gives grants of £1,000 or more"),
    ({"priority": "other"}, "it funds only work towards its priorities: Protecting vulnerable "
                            "people; Reducing violence"),
    ({"operating": "no"}, "it funds organisations that have been operating for at least 12 "
                          "months"),
], ids=["organisation type", "outside Thames Valley", "above the maximum", "below the minimum",
        "something else", "the round's own question"])
def test_each_reason_someone_cannot_apply_is_named(client, checked_round, answers, because):
    html = answer_all(client, checked_round, **answers)

    assert "You cannot apply to this round</h1>" in html
    assert reasons(html) == [because]
    assert f'href="/rounds/{CODE}/apply"' not in html
    assert "What you can do instead" in html
    assert "grants@" in html  # whom to contact


def test_every_reason_is_named_at_once(client, checked_round):
    html = answer_all(client, checked_round, organisation_type="school", where="outside",
                      amount="£10,000", priority="other", operating="no")

    assert len(reasons(html)) == 5


def test_someone_who_cannot_apply_is_shown_another_open_round_that_takes_them(
        client, checked_round, launched_round):
    other = launched_round(code="CSF-2026-2", title="Councils' grants", min_award_pence=None,
                           max_award_pence=None)
    other.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.LOCAL_AUTHORITY)]
    db.session.commit()

    html = answer_all(client, checked_round, organisation_type="local_authority")

    assert 'href="/rounds/CSF-2026-2/check"' in html


def test_a_round_that_does_not_take_them_is_not_offered_instead(client, checked_round,
                                                                launched_round):
    launched_round(code="PPAF-2026-8", title="Another round")  # no organisation types

    html = answer_all(client, checked_round, organisation_type="local_authority")

    assert "PPAF-2026-8" not in html
    assert "No other round open now takes your type of organisation" in html


@pytest.mark.parametrize(("step", "data", "message"), [
    ("organisation-type", {}, "Select the type of organisation you are applying for"),
    ("organisation-type", {"answer": "bank"}, "Select the type of organisation from the list"),
    ("where", {}, "Select where the work will happen"),
    ("areas", {}, "Select the areas the work will happen in"),
    ("areas", {"answer": "999999"}, "Select areas from the list"),
    ("amount", {"answer": ""}, "Enter how much you will ask for, in pounds"),
    ("amount", {"answer": "lots"}, "Enter an amount in pounds and pence only"),
    ("amount", {"answer": "0"}, "Enter an amount of more than £0"),
    ("amount", {"answer": "9" * 40}, "Enter an amount of £1,000,000,000 or less"),
    ("priority", {"answer": "999999"}, "Select what the grant will be for from the list"),
], ids=["type empty", "type unknown", "where empty", "areas empty", "areas unknown",
        "amount empty", "amount not money", "amount zero", "amount huge", "priority unknown"])
def test_a_bad_answer_is_refused_with_an_error_summary(client, checked_round, step, data,
                                                       message):
    response = answer(client, step, data)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert message in html


def test_the_round_question_refuses_an_answer_other_than_yes_or_no(client, checked_round):
    response = answer(client, f"questions/{checked_round.check_questions[0].id}",
                      {"answer": "maybe"})

    assert "Select yes or no" in response.get_data(as_text=True)


def test_the_result_waits_for_every_answer(client, checked_round):
    answer(client, "organisation-type", {"answer": "community_group"})

    response = client.get(f"{CHECK}/result")

    assert response.location == f"{CHECK}/where"


def test_areas_sent_when_the_work_is_not_in_particular_areas_go_on_to_the_next_question(
        client, checked_round):
    answer(client, "organisation-type", {"answer": "community_group"})
    answer(client, "where", {"answer": "whole"})

    response = answer(client, "areas", {"answer": [str(checked_round.reading_id)]})

    assert response.location == f"{CHECK}/amount"


def test_a_page_shows_the_answer_given_before(client, checked_round):
    answer(client, "amount", {"answer": "2500"})

    assert 'value="2500"' in page(client, f"{CHECK}/amount")


def test_changing_an_answer_returns_to_the_result(client, checked_round):
    answer_all(client, checked_round, amount="£9,000")

    response = answer(client, "amount", {"answer": "3000"})

    assert response.location == f"{CHECK}/result"
    assert "You can apply</h1>" in page(client, f"{CHECK}/result")


def test_a_question_of_another_round_is_not_found(client, checked_round, launched_round):
    other = launched_round(code="PPAF-2026-9")
    other.check_questions.append(CheckQuestion(position=1, text="Elsewhere?",
                                               needed_answer=True, reason="elsewhere"))
    db.session.commit()

    assert client.get(f"{CHECK}/questions/{other.check_questions[0].id}").status_code == 404


def test_a_closed_round_cannot_be_checked(client, checked_round, move_clock):
    move_clock(checked_round.closes_at)

    assert client.get(CHECK).status_code == 404


def test_an_upcoming_round_says_they_can_apply_when_it_opens(client, checked_round):
    checked_round.opens_at = NOW.replace(day=30)
    checked_round.closes_at = NOW.replace(month=12)
    db.session.commit()

    html = answer_all(client, checked_round)

    assert "You can apply</h1>" in html
    assert "when it opens at 10am on 30 November 2026 (GMT)" in html
    assert f'href="/rounds/{CODE}/apply"' not in html


def test_the_application_starts_with_the_checks_answers_after_signing_in(
        client, checked_round, user_factory, membership_factory, sign_in_as):
    answer_all(client, checked_round, amount="£2,500")
    person = user_factory()
    membership = membership_factory(user=person)

    # Signing in empties the session, but for the check's answers.
    sign_in_as(person)
    response = post_form(client, f"/rounds/{CODE}/apply",
                         {"organisation_id": str(membership.organisation_id)})

    assert response.status_code == 302
    application = db.session.scalars(
        db.select(Application).where(Application.round_id == checked_round.id)).one()
    assert application.amount_requested_pence == 250_000
    assert application.primary_priority_id == checked_round.priorities[0].id
    assert [area.id for area in application.areas] == [checked_round.reading_id]
    assert not application.serves_whole_thames_valley
    budget = page(client, f"/applications/{application.id}/sections/budget")
    assert 'name="amount_requested" type="text" spellcheck="false" value="2500"' in budget


def test_work_across_thames_valley_carries_into_the_application(
        client, checked_round, user_factory, membership_factory, sign_in_as):
    answer_all(client, checked_round, where="whole", priority="other")
    person = user_factory()
    membership = membership_factory(user=person)
    sign_in_as(person)

    post_form(client, f"/rounds/{CODE}/apply",
              {"organisation_id": str(membership.organisation_id)})

    application = db.session.scalars(
        db.select(Application).where(Application.round_id == checked_round.id)).one()
    assert application.serves_whole_thames_valley
    assert application.primary_priority_id is None  # "something else" is no priority


def test_an_application_started_without_the_check_starts_empty(
        client, checked_round, user_factory, membership_factory, sign_in_as):
    person = user_factory()
    membership = membership_factory(user=person)
    sign_in_as(person)

    post_form(client, f"/rounds/{CODE}/apply",
              {"organisation_id": str(membership.organisation_id)})

    application = db.session.scalars(
        db.select(Application).where(Application.round_id == checked_round.id)).one()
    assert application.amount_requested_pence is None
    assert application.primary_priority_id is None


def test_answers_that_could_not_have_been_given_read_as_not_answered():
    answers = CheckAnswers.load({
        "organisation_type": "bank", "where": "Mars", "area_ids": ["1", True, -2],
        "amount_pence": True, "priority": 7, "questions": {"1": "yes", "x": True}})

    assert answers == CheckAnswers()
