"""Who sees what: a reviewer sees only their own standing assignments, and other reviewers'
scores only after submitting their own; applicants never see a score or a reviewer's words."""

import pytest

from grants.accounts.models import Role
from grants.applications.models import Document, DocumentKind
from grants.assessment.models import Clarification
from grants.assessment.operations import assignment as assigning
from grants.assessment.operations import declarations
from grants.documents.operations.storage import LocalFolderStorage
from grants.extensions import db
from tests.assessment.reviewing import (  # noqa: F401  (fixtures)
    NOW,
    answers_for,
    assign,
    declared,
    fixed_clock_fixture,
    make_application_fixture,
    review_form_data,
    reviewer_users_fixture,
    scoring_round_fixture,
    staff_fixture,
    submitted,
)
from tests.fixtures.auth import post_form

OTHER_COMMENT = "Bea thinks the delivery plan is thin"


@pytest.fixture
def application(make_application):
    return make_application(1)


@pytest.fixture
def cal(reviewer_users):
    return reviewer_users[0]


@pytest.fixture
def bea(reviewer_users):
    return reviewer_users[2]


def test_a_reviewer_cannot_read_an_application_they_are_not_assigned_to(
        staff, application, make_application, cal, bea, sign_in_as):
    theirs = declared(staff, application, bea)
    mine = declared(staff, make_application(2), cal)
    client = sign_in_as(cal)
    assert client.get(f"/reviews/{mine.id}").status_code == 200
    for path in (f"/reviews/{theirs.id}", f"/reviews/{theirs.id}/declaration",
                 f"/reviews/{theirs.id}/documents/1", "/reviews/999999"):
        assert client.get(path).status_code == 404, path
    # Nor through the applicant or staff pages.
    assert client.get(f"/applications/{application.id}").status_code == 404
    assert client.get(f"/staff/applications/{application.id}").status_code == 403
    assert application.title not in client.get("/reviews").get_data(as_text=True)


def test_removing_an_assignment_takes_access_away_at_once(staff, application, cal,
                                                          sign_in_as):
    assignment = declared(staff, application, cal)
    client = sign_in_as(cal)
    assert client.get(f"/reviews/{assignment.id}").status_code == 200
    assigning.remove_assignment(db.session, staff, assignment, "Reassigned")
    db.session.commit()
    assert client.get(f"/reviews/{assignment.id}").status_code == 404
    assert application.organisation.name not in client.get("/reviews").get_data(as_text=True)


def test_a_reviewer_cannot_see_other_scores_until_they_submit_their_own(
        staff, application, cal, bea, scoring_round, sign_in_as):
    submitted(staff, application, bea, [1, 2], comment=OTHER_COMMENT,
              comments=["Bea on need", "Bea on delivery"])
    mine = declared(staff, application, cal)
    client = sign_in_as(cal)
    before = client.get(f"/reviews/{mine.id}").get_data(as_text=True)
    for secret in (OTHER_COMMENT, "Bea on need", "Bea Reviewer", "20.0%"):
        assert secret not in before
    post_form(client, f"/reviews/{mine.id}", review_form_data(scoring_round, [3, 6],
                                                              action="draft"))
    draft = client.get(f"/reviews/{mine.id}").get_data(as_text=True)
    assert OTHER_COMMENT not in draft and "Bea Reviewer" not in draft
    post_form(client, f"/reviews/{mine.id}", review_form_data(scoring_round, [3, 6]))
    after = client.get(f"/reviews/{mine.id}").get_data(as_text=True)
    for shown in (OTHER_COMMENT, "Bea on need", "Bea Reviewer", "20.0%"):
        assert shown in after


def test_a_removed_reviewers_review_is_not_shown_to_the_others(
        staff, application, cal, bea, scoring_round, sign_in_as):
    theirs = submitted(staff, application, bea, [1, 2], comment=OTHER_COMMENT)
    assigning.remove_assignment(db.session, staff, theirs, "Wrong person")
    mine = submitted(staff, application, cal, [3, 6])
    page = sign_in_as(cal).get(f"/reviews/{mine.id}").get_data(as_text=True)
    assert OTHER_COMMENT not in page


def test_an_applicant_never_sees_a_score_or_a_reviewers_words(
        staff, application, cal, bea, scoring_round, sign_in_as, user_factory,
        membership_factory):
    submitted(staff, application, bea, [1, 2], comment=OTHER_COMMENT,
              comments=["Bea on need", "Bea on delivery"])
    member = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=member, organisation=application.organisation)
    client = sign_in_as(member)
    pages = ["/", f"/applications/{application.id}",
             f"/organisations/{application.organisation_id}"]
    for path in pages:
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        for secret in (OTHER_COMMENT, "Bea on need", "Bea Reviewer", "20.0%", "Weighted score",
                       "Reviewers disagree"):
            assert secret not in html, (path, secret)
    for path in ("/reviews", f"/staff/rounds/{scoring_round.id}/ranking",
                 f"/staff/applications/{application.id}/reviewers"):
        assert client.get(path).status_code == 403, path


def test_the_reviewer_downloads_the_applications_documents(
        app, staff, application, cal, sign_in_as, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    key = LocalFolderStorage(tmp_path).save(b"%PDF-1.4 the policy")
    document = Document(application_id=application.id, kind=DocumentKind.SAFEGUARDING_POLICY,
                        original_filename="policy.pdf", storage_key=key,
                        content_type="application/pdf", size_bytes=19, sha256="0" * 64,
                        uploaded_at=NOW)
    db.session.add(document)
    db.session.commit()
    assignment = assign(staff, application, cal)
    client = sign_in_as(cal)
    path = f"/reviews/{assignment.id}/documents/{document.id}"
    assert client.get(path).status_code == 404  # not before declaring
    declarations.declare(db.session, cal, assignment, has_conflict=False)
    db.session.commit()
    page = client.get(f"/reviews/{assignment.id}").get_data(as_text=True)
    assert f'href="{path}"' in page
    response = client.get(path)
    assert response.status_code == 200
    assert response.data == b"%PDF-1.4 the policy"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_reviewer_reads_the_answers_to_clarification_questions(
        staff, application, cal, sign_in_as):
    db.session.add(Clarification(application_id=application.id,
                                 question="How many volunteers do you have?",
                                 asked_by_id=staff.id, answer="Twelve, all trained",
                                 answered_at=NOW))
    db.session.commit()
    assignment = declared(staff, application, cal)
    page = sign_in_as(cal).get(f"/reviews/{assignment.id}").get_data(as_text=True)
    assert "How many volunteers do you have?" in page
    assert "Twelve, all trained" in page


def test_the_reviewers_list_groups_assignments_by_round_with_what_comes_next(
        staff, application, make_application, round_factory, cal, scoring_round, sign_in_as):
    other_round = round_factory(code="PPAF-2026-8", title="PPAF 2026/27 Round 8",
                                opens_at=scoring_round.opens_at,
                                closes_at=scoring_round.closes_at)
    assign(staff, application, cal)
    declared(staff, make_application(2, round_=other_round), cal)
    submitted(staff, make_application(3), cal, [3, 6])
    html = sign_in_as(cal).get("/reviews").get_data(as_text=True)
    assert "PPAF 2026/27 Round 7" in html and "PPAF 2026/27 Round 8" in html
    assert "Declare any conflict of interest" in html
    assert "Score the application" in html
    assert "Submitted" in html
