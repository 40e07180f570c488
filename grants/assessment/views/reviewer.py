"""Reviewers' own pages: their list, the declaration of interests, scoring the application,
and its documents."""

import itertools
import logging

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.accounts.models import Role
from grants.applications.models import DocumentKind
from grants.applications.operations import loading as application_services
from grants.applications.operations import questions as round_questions
from grants.assessment.forms import DeclarationForm, review_form_class
from grants.assessment.models import ConflictStatus, ReviewAssignment
from grants.assessment.operations import clarifications, declarations, review_queries, reviews
from grants.assessment.operations.kept_scores import round_criteria
from grants.assessment.operations.scoring import one_decimal, review_weighted_score
from grants.assessment.views.blueprint import bp
from grants.auth import permissions
from grants.auth.decorators import roles_required
from grants.core.downloads import private_attachment
from grants.core.errors import Refusal
from grants.core.refusals import carry_out, show_errors
from grants.documents.operations.downloads import open_document
from grants.documents.operations.storage import storage_for
from grants.extensions import db
from grants.funds.models import ScoringCriterion

logger = logging.getLogger(__name__)

reviewer_required = roles_required(Role.REVIEWER)

STEP_TEXT = {"declare": "Declare any conflict of interest", "score": "Score the application",
             "submitted": "Submitted"}


def _own_assignment(assignment_id: int) -> ReviewAssignment:
    """The signed-in reviewer's standing assignment (404 for anything else)."""
    return review_queries.get_own_assignment(db.session, current_user, assignment_id)


@bp.get("/reviews")
@reviewer_required
def my_reviews():
    """The reviewer's assignments, by round, each with what comes next."""
    assignments = review_queries.assignments_of(db.session, current_user)
    groups = [
        (round_assignments[0].application.round, round_assignments)
        for _, group in itertools.groupby(assignments, key=lambda a: a.application.round_id)
        for round_assignments in [list(group)]
    ]
    return render_template("assessment/review_list.html", groups=groups,
                           next_step=review_queries.next_step, step_text=STEP_TEXT)


@bp.route("/reviews/<int:assignment_id>/declaration", methods=["GET", "POST"])
@reviewer_required
def declare(assignment_id: int):
    """The declaration of interests, showing nothing of the application but the organisation's
    name and the round."""
    assignment = _own_assignment(assignment_id)
    if assignment.conflict is ConflictStatus.NO_CONFLICT:
        return redirect(url_for("assessment.review_application", assignment_id=assignment_id))
    form = DeclarationForm()
    organisation_name = assignment.application.organisation.name
    answer = carry_out(
        form, lambda: declarations.declare(db.session, current_user, assignment,
                                           has_conflict=form.has_conflict(),
                                           note=form.note.data or ""),
        field="conflict",
        # Declaring no conflict goes straight on to the application, with nothing to say.
        done=lambda declared: (
            f"You declared a conflict of interest with {organisation_name}. The grants team "
            "have been told, and the application has been removed from your reviews."
            if declared.conflict is ConflictStatus.CONFLICT else None),
        then=lambda declared: (
            url_for("assessment.my_reviews") if declared.conflict is ConflictStatus.CONFLICT
            else url_for("assessment.review_application", assignment_id=assignment_id)))
    return answer or render_template("assessment/review_declaration.html", assignment=assignment,
                                     form=form)


@bp.route("/reviews/<int:assignment_id>", methods=["GET", "POST"])
@reviewer_required
def review_application(assignment_id: int):
    """The application, its documents and clarifications, and the scoring form; read-only with
    the other reviewers' reviews once submitted."""
    assignment = _own_assignment(assignment_id)
    if assignment.conflict is not ConflictStatus.NO_CONFLICT:
        return redirect(url_for("assessment.declare", assignment_id=assignment_id))
    criteria = round_criteria(db.session, assignment.application.round_id)
    form_class = review_form_class(criteria)
    review = assignment.review
    submitted = review is not None and review.submitted_at is not None
    if request.method == "GET":
        form = form_class(formdata=None)
        form.fill_from(review)
        return _review_page(assignment, criteria, form)

    action = request.form.get("action")
    if submitted:
        if action != "submit":
            flash("You have submitted this review, so it can no longer change", "info")
        return redirect(url_for("assessment.review_application", assignment_id=assignment_id))
    form = form_class()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _review_page(assignment, criteria, form)
    try:
        reviews.save_review(db.session, current_user, assignment, form.answers(),
                            submit=action == "submit")
    except Refusal as error:
        show_errors(form, error, "comment")
        return _review_page(assignment, criteria, form)
    if action == "submit":
        flash("Your review is submitted. You can now see the other reviewers' submitted "
              "reviews.", "success")
    else:
        flash("Your draft is saved. You can come back to it at any time before you submit it.",
              "success")
    return redirect(url_for("assessment.review_application", assignment_id=assignment_id))


def _review_page(assignment: ReviewAssignment, criteria: list[ScoringCriterion], form):
    application = application_services.get_application(db.session, assignment.application_id)
    review = assignment.review
    submitted = review is not None and review.submitted_at is not None
    others = []
    own_score = ""
    if submitted and permissions.may_see_other_reviews(current_user, assignment):
        own_score = one_decimal(review_weighted_score(review, criteria))
        for other in review_queries.other_submitted_reviews(db.session, assignment):
            others.append({
                "review": other,
                "reviewer": other.assignment.reviewer,
                "score_text": one_decimal(review_weighted_score(other, criteria)),
                "scores": {s.criterion_id: s for s in other.scores},
            })
    own_scores = {s.criterion_id: s for s in review.scores} if review is not None else {}
    return render_template(
        "assessment/review_application.html", assignment=assignment, application=application,
        criteria=criteria, form=form, review=review, submitted=submitted,
        own_scores=own_scores, own_score=own_score, others=others,
        documents=[(kind, [d for d in application.documents if d.kind is kind])
                   for kind in DocumentKind],
        answered_sections=round_questions.answered_sections(application),
        clarifications=clarifications.clarifications_for(db.session, application.id),
        timeout_return_path=url_for("assessment.review_application",
                                    assignment_id=assignment.id),
    )


@bp.get("/reviews/<int:assignment_id>/documents/<int:document_id>")
@reviewer_required
def download_review_document(assignment_id: int, document_id: int):
    """A document of the application, to its reviewer once they have declared no conflict."""
    assignment = _own_assignment(assignment_id)
    if assignment.conflict is not ConflictStatus.NO_CONFLICT:
        abort(404)
    document = review_queries.application_document(db.session, assignment.application_id,
                                                   document_id)
    file = open_document(storage_for(current_app.config), document,
                         f"application {assignment.application_id}")
    return private_attachment(file, download_name=document.original_filename,
                              mimetype=document.content_type)
