"""An applicant starts, saves and sends an expression of interest; a round with the stage
lets nobody start a full application without an invitation."""

from datetime import timedelta

from grants.applications.models import Application
from grants.extensions import db
from grants.interest.models import Interest, InterestStatus
from grants.security.operations.export import personal_data
from tests.fixtures.auth import post_form
from tests.interest.conftest import NOW
from tests.interest.making import sent_interest


def _start(client, round_, organisation):
    return post_form(client, f"/rounds/{round_.code}/expression-of-interest",
                       data={"organisation_id": str(organisation.id)})


def _interest(organisation) -> Interest:
    return db.session.scalars(db.select(Interest).where(
        Interest.organisation_id == organisation.id)).one()


def _answers(idea, **extra):
    yes_no, people = idea.questions
    return {"title": "Safer streets", "summary": "Patrols and training for volunteers.",
            "amount": "5,000", f"q{yes_no.id}": "Yes", f"q{people.id}": "40", **extra}


def test_an_applicant_starts_saves_for_later_and_finds_the_answers_kept(
        client, sign_in_as, member, organisation, staged_round, idea):
    signed_in = sign_in_as(member)
    started = _start(signed_in, staged_round, organisation)
    interest = _interest(organisation)

    saved = post_form(signed_in, f"/expressions-of-interest/{interest.id}/answers",
                           data={"title": "Safer streets", "action": "later"})

    assert started.headers["Location"].endswith(f"/expressions-of-interest/{interest.id}/answers")
    assert saved.status_code == 302
    page = signed_in.get(f"/expressions-of-interest/{interest.id}/answers").get_data(as_text=True)
    assert 'value="Safer streets"' in page
    assert interest.status is InterestStatus.DRAFT


def test_continuing_with_an_answer_missing_says_so_and_keeps_what_was_given(
        client, sign_in_as, member, organisation, staged_round, idea):
    signed_in = sign_in_as(member)
    _start(signed_in, staged_round, organisation)
    interest = _interest(organisation)
    yes_no = idea.questions[0]

    page = post_form(signed_in, f"/expressions-of-interest/{interest.id}/answers",
                          data=_answers(idea, **{f"q{yes_no.id}": ""}, action="continue"))

    assert page.status_code == 200
    assert "Select yes or no for: Have you worked with the police before?" in \
        page.get_data(as_text=True)
    db.session.refresh(interest)
    assert interest.title == "Safer streets" and interest.amount_pence == 500_000


def test_an_amount_above_the_round_s_maximum_is_refused_on_its_field(
        client, sign_in_as, member, organisation, staged_round, idea):
    signed_in = sign_in_as(member)
    _start(signed_in, staged_round, organisation)
    interest = _interest(organisation)

    page = post_form(signed_in, f"/expressions-of-interest/{interest.id}/answers",
                          data=_answers(idea, amount="50,000", action="continue"))

    assert "Enter £10,000 or less" in page.get_data(as_text=True)


def test_an_applicant_checks_and_sends_it_and_is_emailed(
        client, sign_in_as, member, organisation, staged_round, idea, emails_to):
    signed_in = sign_in_as(member)
    _start(signed_in, staged_round, organisation)
    interest = _interest(organisation)
    checked = post_form(signed_in, f"/expressions-of-interest/{interest.id}/answers",
                             data=_answers(idea, action="continue"))
    check_page = signed_in.get(checked.headers["Location"]).get_data(as_text=True)

    sent = post_form(signed_in, f"/expressions-of-interest/{interest.id}/send")
    post_form(signed_in, f"/expressions-of-interest/{interest.id}/send")  # a double click

    assert "Check your answers before sending your expression of interest" in check_page
    assert "Have you worked with the police before?" in check_page
    assert sent.status_code == 302
    db.session.refresh(interest)
    assert interest.status is InterestStatus.SENT
    assert [subject for subject, _ in emails_to(member.email)] == [
        "Expression of interest received: PPAF 2026/27 Round 2"]


def test_it_cannot_be_sent_once_the_stage_has_closed(
        client, sign_in_as, member, organisation, staged_round, idea):
    signed_in = sign_in_as(member)
    _start(signed_in, staged_round, organisation)
    interest = _interest(organisation)
    post_form(signed_in, f"/expressions-of-interest/{interest.id}/answers",
                   data=_answers(idea, action="continue"))
    staged_round.interest_closes_at = NOW - timedelta(minutes=1)
    db.session.commit()

    post_form(signed_in, f"/expressions-of-interest/{interest.id}/send")

    db.session.refresh(interest)
    assert interest.status is InterestStatus.DRAFT
    assert "Expressions of interest closed at" in signed_in.get(
        f"/expressions-of-interest/{interest.id}").get_data(as_text=True)


def test_a_full_application_cannot_be_started_without_an_invitation(
        client, sign_in_as, member, organisation, staged_round, idea):
    sent_interest(staged_round, organisation, member, values={idea.questions[0].id: "Yes"})

    page = post_form(sign_in_as(member), f"/rounds/{staged_round.code}/apply",
                     data={"organisation_id": str(organisation.id)})

    assert page.status_code == 200
    assert "only organisations the grants team invite can apply" in page.get_data(as_text=True)
    assert db.session.scalars(db.select(Application)).first() is None


def test_the_first_expression_of_interest_sent_freezes_what_the_round_asks(
        sign_in_as, staff, member, organisation, staged_round, idea):
    sent_interest(staged_round, organisation, member, values={idea.questions[0].id: "Yes"})

    page = post_form(sign_in_as(staff),
                     f"/staff/rounds/{staged_round.id}/question-sections/{idea.id}/edit",
                     {"title": "Your plan"})

    assert "Expressions of interest have been sent to this round" in page.get_data(as_text=True)
    db.session.refresh(idea)
    assert idea.title == "Your idea"


def test_a_person_s_data_holds_the_expressions_of_interest_they_started(
        member, organisation, staged_round):
    sent_interest(staged_round, organisation, member, title="Safer streets")

    held = personal_data(db.session, member)["expressions_of_interest_created"]

    assert [(item["title"], item["status"]) for item in held] == [
        ("Safer streets", InterestStatus.SENT)]


def test_answers_posted_after_the_stage_closed_are_refused_in_the_error_summary(
        client, sign_in_as, member, organisation, staged_round, idea):
    signed_in = sign_in_as(member)
    _start(signed_in, staged_round, organisation)
    interest = _interest(organisation)
    staged_round.interest_closes_at = NOW - timedelta(minutes=1)
    db.session.commit()

    page = post_form(signed_in, f"/expressions-of-interest/{interest.id}/answers",
                     data=_answers(idea, action="continue")).get_data(as_text=True)

    summary = page[page.index("govuk-error-summary"):]
    assert "Expressions of interest closed at" in summary[:summary.index("</div>\n")]
    db.session.refresh(interest)
    assert interest.title == ""


def test_a_start_posted_after_the_stage_closed_is_refused_in_the_error_summary(
        client, sign_in_as, member, organisation, staged_round):
    signed_in = sign_in_as(member)
    staged_round.interest_closes_at = NOW - timedelta(minutes=1)
    db.session.commit()

    page = _start(signed_in, staged_round, organisation).get_data(as_text=True)

    summary = page[page.index("govuk-error-summary"):]
    assert "Expressions of interest closed at" in summary[:summary.index("</div>\n")]
    assert db.session.scalars(db.select(Interest)).first() is None
