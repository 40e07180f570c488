"""Checking answers, sending an application, and what the applicant sees afterwards."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.applications.models import Application, ApplicationStatus, SectionStatus
from grants.applications.operations import fair_share, submission, withdrawal
from grants.awards.models import AwardStatus
from grants.core import clock
from grants.core.errors import Refusal
from grants.records.models import AuditEvent, OutboxMessage
from tests.applications.completing import (
    TITLE,
    check_answers_path,
    complete,
    submit,
    submit_form,
    submit_path,
)
from tests.applications.conftest import NOW


def _events(db_session, application, action):
    return db_session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "application", AuditEvent.entity_id == application.id,
        AuditEvent.action == action)).all()


def _emails(db_session, prefix):
    return db_session.scalars(select(OutboxMessage).where(
        OutboxMessage.idempotency_key.like(f"{prefix}%")).order_by(OutboxMessage.id)).all()


def _text(html: str) -> str:
    """The page's words, without tags or repeated spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Check your answers -------------------------------------------------------------------

def test_check_your_answers_shows_every_answer_with_a_change_link_to_its_section(
    draft, member, sign_in_as, local_authority_factory
):
    complete(draft, serves_whole_thames_valley=False)
    draft.areas = [local_authority_factory(name="Reading",
                                           official_name="Reading Borough Council")]
    client = sign_in_as(member)

    page = client.get(check_answers_path(draft)).get_data(as_text=True)
    words = _text(page)

    for answer in [TITLE, "three nights a week", "1 January 2027", "31 December 2027",
                   "£5,000", "£7,500", "Volunteer expenses: £3,000", "parish council",
                   "1,200", "People sleeping rough in Reading", "Reading Borough Council",
                   "Jo Member", "Chair of trustees", "Safeguarding policy Not uploaded"]:
        assert answer in words
    assert (f'href="/applications/{draft.id}/sections/project">Change'
            '<span class="govuk-visually-hidden"> project title</span>') in page
    assert f'href="/applications/{draft.id}/sections/budget">Change' in page
    assert 'name="version"' in page and "Accept and send" in page


def test_check_your_answers_says_the_whole_of_thames_valley_when_that_is_the_answer(
    draft, member, sign_in_as
):
    complete(draft)
    page = sign_in_as(member).get(check_answers_path(draft)).get_data(as_text=True)
    assert "The whole of Thames Valley" in page


def test_check_your_answers_sends_people_back_to_the_task_list_while_a_section_is_incomplete(
    draft, member, sign_in_as, db_session
):
    complete(draft)
    draft.sections[0].status = SectionStatus.IN_PROGRESS
    db_session.commit()
    client = sign_in_as(member)

    response = client.get(check_answers_path(draft))

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}"
    assert "Complete every section" in client.get(f"/applications/{draft.id}").get_data(
        as_text=True)


def test_the_task_list_links_to_check_your_answers_once_every_section_is_complete(
    draft, member, sign_in_as
):
    complete(draft)
    page = sign_in_as(member).get(f"/applications/{draft.id}").get_data(as_text=True)
    assert f'href="/applications/{draft.id}/check"' in page


def test_the_task_list_reads_the_sections_not_the_answers(draft, member, sign_in_as,
                                                           count_queries, db_session):
    complete(draft)
    client, path = sign_in_as(member), f"/applications/{draft.id}"
    db_session.expunge_all()  # as a new request starts: nothing loaded yet
    with count_queries() as log:
        page = client.get(path)
    assert page.status_code == 200 and "You have completed" in page.text
    # The session record with the person; the application with its round and organisation,
    # its sections' states, the round's own sections of questions: no answers, budget lines,
    # documents or areas.
    assert log.count == 4, str(log)
    assert not any(table in statement for statement in log.statements
                   for table in ("FROM budget_line", "FROM document", "FROM question_answer"))


def test_check_your_answers_reads_no_answers_to_questions_the_round_does_not_ask(
        draft, member, sign_in_as, count_queries, db_session):
    complete(draft)
    client, path = sign_in_as(member), f"/applications/{draft.id}/check"
    db_session.expunge_all()
    with count_queries() as log:
        page = client.get(path)
    assert page.status_code == 200 and "Check your answers" in page.text
    assert not any("FROM question_answer" in statement for statement in log.statements)


# --- Sending ------------------------------------------------------------------------------

def test_a_member_sends_the_application_and_gets_a_reference_a_confirmation_and_an_email(
    draft, member, organisation, sign_in_as, db_session
):
    complete(draft)
    client = sign_in_as(member)

    response = submit(client, draft)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}/submitted"
    db_session.refresh(draft)
    assert draft.status is ApplicationStatus.SUBMITTED
    assert draft.reference == "PPAF-2026-2-0001"
    assert draft.submitted_at == NOW
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Application sent" in page and "<strong>PPAF-2026-2-0001</strong>" in page
    assert "What happens next" in page
    emails = _emails(db_session, f"application-submitted:{draft.id}")
    assert sorted(e.to_address for e in emails) == sorted([member.email,
                                                          organisation.contact_email])
    body = emails[0].body_text
    assert "PPAF-2026-2-0001" in body and TITLE in body and "£5,000" in body
    assert "PPAF 2026/27 Round 2" in body and "What happens next" in body
    assert f"/applications/{draft.id}/view" in body
    [event] = _events(db_session, draft, "application.submitted")
    assert event.actor_id == member.id and event.note == ""
    assert event.after == {"status": "submitted", "reference": "PPAF-2026-2-0001"}


def test_a_double_click_or_resent_form_makes_one_submission_one_email_and_one_event(
    draft, member, sign_in_as, db_session
):
    draft.organisation.contact_email = member.email.upper()  # the same person: one email
    complete(draft)
    client = sign_in_as(member)
    form = submit_form(client, draft)

    first = client.post(submit_path(draft), data=form)
    second = client.post(submit_path(draft), data=form)

    assert first.headers["Location"] == second.headers["Location"] == (
        f"/applications/{draft.id}/submitted")
    db_session.refresh(draft)
    assert draft.reference == "PPAF-2026-2-0001"
    assert len(_emails(db_session, "application-submitted:")) == 1
    assert len(_events(db_session, draft, "application.submitted")) == 1
    assert submission.next_reference_number(db_session, draft.round_id) == 2


def test_submitting_a_submitted_application_again_returns_it_unchanged(
    draft, member, db_session
):
    complete(draft)
    first = submission.submit_application(db_session, member, draft)
    reference, submitted_at = first.reference, first.submitted_at

    again = submission.submit_application(db_session, member, draft)

    assert again.reference == reference and again.submitted_at == submitted_at
    assert len(_events(db_session, draft, "application.submitted")) == 1


def test_a_submission_after_the_closing_time_is_refused_with_the_time_and_stays_a_draft(
    draft, open_round, member, sign_in_as, monkeypatch, db_session
):
    open_round.closes_at = NOW + timedelta(minutes=5)
    complete(draft)
    client = sign_in_as(member)
    form = submit_form(client, draft)  # opened before the deadline
    monkeypatch.setattr(clock, "utcnow", lambda: NOW + timedelta(minutes=6))

    response = client.post(submit_path(draft), data=form)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ("This round closed at 10:05am on 23 November 2026 (GMT). "
            "Your application was not sent.") in page
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert f'data-session-return-path="/applications/{draft.id}/check"' in page
    db_session.refresh(draft)
    assert draft.status is ApplicationStatus.DRAFT
    assert draft.reference is None and draft.submitted_at is None
    assert _emails(db_session, "application-submitted:") == []


def test_a_submission_received_at_the_closing_time_is_refused(draft, open_round, member,
                                                                monkeypatch, db_session):
    complete(draft)
    monkeypatch.setattr(clock, "utcnow", lambda: open_round.closes_at)
    with pytest.raises(submission.SubmissionRefused, match="This round closed at"):
        submission.submit_application(db_session, member, draft)


def test_references_are_sequential_and_unique_within_each_round(
    open_round, round_factory, application_factory, organisation_factory, user_factory,
    db_session
):
    other_round = round_factory(code="PPAF-2026-3", opens_at=open_round.opens_at,
                                closes_at=open_round.closes_at,
                                launched_at=open_round.launched_at)
    staff = user_factory(roles=[Role.STAFF])
    references = []
    for round_ in (open_round, open_round, other_round, open_round):
        application = complete(application_factory(round=round_,
                                                   organisation=organisation_factory()))
        references.append(submission.submit_application(db_session, staff, application)
                          .reference)

    assert references == ["PPAF-2026-2-0001", "PPAF-2026-2-0002", "PPAF-2026-3-0001",
                          "PPAF-2026-2-0003"]
    sequences = db_session.scalars(select(Application.sequence).where(
        Application.round_id == open_round.id).order_by(Application.sequence)).all()
    assert sequences == [1, 2, 3]


def test_an_application_with_an_incomplete_section_cannot_be_sent(
    draft, member, sign_in_as, db_session
):
    complete(draft)
    client = sign_in_as(member)
    form = submit_form(client, draft)
    draft.sections[-1].status = SectionStatus.IN_PROGRESS
    db_session.commit()

    response = client.post(submit_path(draft), data={**form,
                                                      "version": str(draft.version)})

    assert "Complete every section before you send the application" in response.get_data(
        as_text=True)
    db_session.refresh(draft)
    assert draft.status is ApplicationStatus.DRAFT and draft.reference is None


def test_someone_who_has_not_confirmed_their_email_can_neither_open_nor_send_it(
    draft, member, sign_in_as, db_session
):
    complete(draft)
    client = sign_in_as(member)
    form = submit_form(client, draft)
    member.email_verified_at = None
    db_session.commit()

    opened = client.get(check_answers_path(draft))
    response = client.post(submit_path(draft), data=form)

    assert [opened.headers["Location"], response.headers["Location"]] == ["/account"] * 2
    db_session.refresh(draft)
    assert draft.status is ApplicationStatus.DRAFT


def test_a_submission_from_a_page_opened_before_a_change_asks_to_check_again(
    draft, member, sign_in_as, db_session
):
    complete(draft)
    client = sign_in_as(member)
    form = submit_form(client, draft)
    draft.title = "Changed in another tab"
    db_session.commit()

    response = client.post(submit_path(draft), data=form)

    assert response.headers["Location"] == f"/applications/{draft.id}/check"
    assert "changed after you opened this page" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    db_session.refresh(draft)
    assert draft.status is ApplicationStatus.DRAFT


def test_another_organisations_member_cannot_see_or_send_the_application(
    draft, user_factory, sign_in_as
):
    complete(draft)
    stranger = user_factory(roles=[Role.APPLICANT])
    client = sign_in_as(stranger)

    for path in (check_answers_path(draft), f"/applications/{draft.id}/view",
                 f"/applications/{draft.id}/submitted", f"/applications/{draft.id}/withdraw"):
        assert client.get(path).status_code == 404, path


# --- After sending ------------------------------------------------------------------------

@pytest.fixture
def sent(draft, member, db_session):
    complete(draft)
    submission.submit_application(db_session, member, draft)
    db_session.commit()
    return draft


def test_a_sent_application_is_read_only(sent, member, sign_in_as):
    client = sign_in_as(member)

    assert client.get(f"/applications/{sent.id}").headers["Location"] == (
        f"/applications/{sent.id}/view")
    assert client.get(check_answers_path(sent)).headers["Location"] == (
        f"/applications/{sent.id}/view")
    assert client.get(f"/applications/{sent.id}/sections/project").status_code == 403


def test_the_application_as_sent_shows_its_answers_status_and_reference_to_print(
    sent, member, sign_in_as
):
    page = sign_in_as(member).get(f"/applications/{sent.id}/view").get_data(as_text=True)
    words = _text(page)

    assert "PPAF-2026-2-0001" in words and "Submitted" in words
    assert "Sent 10am on 23 November 2026 (GMT)" in words
    assert "three nights a week" in words and "Volunteer expenses: £3,000" in words
    assert "Print this page" in page and "Change" not in words
    assert f'href="/applications/{sent.id}/withdraw"' in page


def test_staff_see_the_application_as_sent_without_a_withdraw_link(sent, user_factory,
                                                                   sign_in_as):
    staff = user_factory(roles=[Role.STAFF])
    page = sign_in_as(staff).get(f"/applications/{sent.id}/view").get_data(as_text=True)
    assert "PPAF-2026-2-0001" in page
    assert f"/applications/{sent.id}/withdraw" not in page


@pytest.mark.parametrize("status,published,shown", [
    (ApplicationStatus.SUBMITTED, False, "Submitted"),
    (ApplicationStatus.ELIGIBLE, False, "Being assessed"),
    (ApplicationStatus.IN_REVIEW, False, "Being assessed"),
    (ApplicationStatus.AWARDED, False, "Being assessed"),
    (ApplicationStatus.DECLINED, False, "Being assessed"),
    (ApplicationStatus.AWARDED, True, "Awarded"),
    (ApplicationStatus.DECLINED, True, "Not funded"),
])
def test_applicants_see_no_decision_before_the_round_publishes_its_decisions(
    sent, member, sign_in_as, db_session, status, published, shown
):
    sent.status = status
    if published:
        sent.round.decisions_published_at = NOW
    db_session.commit()
    client = sign_in_as(member)

    dashboard = _text(client.get("/dashboard").get_data(as_text=True))
    view = _text(client.get(f"/applications/{sent.id}/view").get_data(as_text=True))

    for words in (dashboard, view):
        assert shown in words
        for hidden in {"Awarded", "Not funded"} - {shown}:
            assert hidden not in words


def test_the_dashboard_links_each_application_with_its_status_and_the_rounds_dates(
    sent, draft_factory_for_dashboard, member, sign_in_as
):
    other = draft_factory_for_dashboard
    page = sign_in_as(member).get("/dashboard").get_data(as_text=True)

    assert f'href="/applications/{sent.id}/view">{TITLE}</a>' in page
    assert f'href="/applications/{other.id}">Untitled application</a>' in page
    assert "Closes 10am on 21 December 2026 (GMT)" in page
    assert "Opens 10am on 16 November 2026 (GMT)" in page
    assert f'href="/applications/{sent.id}/withdraw"' in page
    assert f'href="/applications/{other.id}/withdraw"' not in page


@pytest.fixture
def draft_factory_for_dashboard(open_round, round_factory, application_factory, organisation):
    later = round_factory(code="PPAF-2027-1", opens_at=NOW, closes_at=NOW + timedelta(days=60),
                          launched_at=NOW)
    return application_factory(round=later, organisation=organisation, title="")


# --- Withdrawing --------------------------------------------------------------------------

def _withdraw(client, application, reason):
    path = f"/applications/{application.id}/withdraw"
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(path, data={"csrf_token": token, "reason": reason})


def test_a_member_withdraws_a_sent_application_giving_a_reason(
    sent, member, organisation, sign_in_as, db_session
):
    client = sign_in_as(member)

    response = _withdraw(client, sent, "  Our funding came through elsewhere.  ")

    assert response.headers["Location"] == f"/applications/{sent.id}/view"
    db_session.refresh(sent)
    assert sent.status is ApplicationStatus.WITHDRAWN
    assert sent.withdrawn_at == NOW
    assert sent.withdrawal_reason == "Our funding came through elsewhere."
    [event] = _events(db_session, sent, "application.withdrawn")
    assert event.after["reason"] == "Our funding came through elsewhere."
    emails = _emails(db_session, f"application-withdrawn:{sent.id}")
    assert organisation.contact_email in {e.to_address for e in emails}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Withdrawn" in page and "Our funding came through elsewhere." in page
    assert f'href="/applications/{sent.id}/withdraw"' not in page
    # Withdrawing again (a resent form) changes nothing.
    assert _withdraw_again(client, sent).headers["Location"] == (
        f"/applications/{sent.id}/view")
    assert len(_events(db_session, sent, "application.withdrawn")) == 1


def _withdraw_again(client, application):
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/dashboard").get_data(as_text=True)).group(1)
    return client.post(f"/applications/{application.id}/withdraw",
                       data={"csrf_token": token, "reason": "Again"})


@pytest.mark.parametrize("reason,message", [
    ("", "Enter why you are withdrawing the application"),
    ("x" * 501, "The reason must be 500 characters or fewer"),
])
def test_withdrawing_needs_a_reason_of_at_most_500_characters(sent, member, sign_in_as,
                                                              db_session, reason, message):
    response = _withdraw(sign_in_as(member), sent, reason)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db_session.refresh(sent)
    assert sent.status is ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("status", [ApplicationStatus.AWARDED, ApplicationStatus.DECLINED,
                                    ApplicationStatus.INELIGIBLE])
def test_an_application_cannot_be_withdrawn_after_a_decision(sent, member, sign_in_as,
                                                            db_session, status):
    sent.status = status
    sent.round.decisions_published_at = sent.submitted_at
    db_session.commit()
    client = sign_in_as(member)

    assert client.get(f"/applications/{sent.id}/withdraw").status_code == 403
    with pytest.raises(Refusal, match="can no longer be withdrawn"):
        withdrawal.withdraw_application(db_session, member, sent, "Changed our minds")


def test_a_draft_cannot_be_withdrawn(draft, member, sign_in_as):
    assert sign_in_as(member).get(f"/applications/{draft.id}/withdraw").status_code == 403


# --- Fair share ---------------------------------------------------------------------------

def test_check_answers_warns_when_the_organisation_had_a_ppaf_grant_in_the_last_year(
    draft, organisation, member, sign_in_as, round_factory, award_factory
):
    earlier = round_factory(code="PPAF-2025-2", decisions_published_at=NOW - timedelta(days=200))
    award_factory(round=earlier, organisation=organisation, amount_pence=500_000,
                  awarded_on=date(2026, 3, 10), status=AwardStatus.PAID)
    complete(draft)

    page = _text(sign_in_as(member).get(check_answers_path(draft)).get_data(as_text=True))

    assert ("Your organisation had a Police Property Act Fund grant of £5,000 in March 2026. "
            "You can still apply, but the panel gives priority to organisations that have not "
            "had a recent grant.") in page
    assert "Accept and send" in page  # a warning, not a block


@pytest.mark.parametrize("case", ["older", "declined", "other fund", "unpublished", "none"])
def test_no_fair_share_warning_without_a_recent_ppaf_grant_the_organisation_knows_of(
    organisation, round_factory, award_factory, fund_factory, db_session, case
):
    published = NOW - timedelta(days=200)
    ppaf_round = round_factory(code="PPAF-2025-2", decisions_published_at=published)
    awards = {
        "older": dict(round=ppaf_round, awarded_on=date(2025, 11, 22),
                      status=AwardStatus.OFFERED),
        "declined": dict(round=ppaf_round, awarded_on=date(2026, 3, 10),
                         status=AwardStatus.DECLINED),
        "other fund": dict(round=round_factory(
            code="CSF-2025", fund=fund_factory(code="CSF", name="Community Safety Fund"),
            decisions_published_at=published), awarded_on=date(2026, 3, 10),
            status=AwardStatus.OFFERED),
        "unpublished": dict(round=round_factory(code="PPAF-2026-1"),
                            awarded_on=date(2026, 10, 1), status=AwardStatus.OFFERED),
    }
    if case in awards:
        award_factory(organisation=organisation, **awards[case])

    assert fair_share.recent_ppaf_award(db_session, organisation, NOW) is None


def test_a_ppaf_grant_awarded_a_day_under_a_year_ago_still_counts(
    organisation, round_factory, award_factory, db_session
):
    round_ = round_factory(code="PPAF-2025-2", decisions_published_at=NOW)
    award = award_factory(round=round_, organisation=organisation,
                          awarded_on=date(2025, 11, 23), status=AwardStatus.OFFERED)
    assert fair_share.recent_ppaf_award(db_session, organisation, NOW) == award


# --- Sessions -----------------------------------------------------------------------------

def test_keep_alive_answers_no_content_to_someone_signed_in(member, sign_in_as):
    response = sign_in_as(member).get("/session/keep-alive")
    assert response.status_code == 204
    assert response.headers["Cache-Control"] == "no-store"


def test_keep_alive_refuses_someone_signed_out(client):
    assert client.get("/session/keep-alive").status_code == 401


def test_keep_alive_restarts_the_idle_clock(member, sign_in_as, monkeypatch):
    client = sign_in_as(member)
    monkeypatch.setattr(clock, "utcnow", lambda: NOW + timedelta(minutes=25))
    assert client.get("/session/keep-alive").status_code == 204

    monkeypatch.setattr(clock, "utcnow", lambda: NOW + timedelta(minutes=50))
    assert client.get("/dashboard").status_code == 200

    monkeypatch.setattr(clock, "utcnow", lambda: NOW + timedelta(minutes=81))
    assert client.get("/session/keep-alive").status_code == 302


def test_signed_in_pages_carry_the_timeout_warnings_settings(member, sign_in_as, client):
    assert "data-session-timeout-minutes" not in client.get("/").get_data(as_text=True)

    page = sign_in_as(member).get("/dashboard").get_data(as_text=True)

    assert 'data-session-timeout-minutes="30"' in page
    assert 'data-session-warning-seconds="120"' in page
    assert 'data-session-keep-alive-url="/session/keep-alive"' in page
    assert 'data-session-return-path="/dashboard"' in page

