"""Staff's pages for reviewers: the review panel of an application (also shown on the staff
application page, through the `review_panel_data(application)` template global registered
here), assigning and removing a reviewer, reopening a review, and the round's reviewers with
bulk assignment."""

import logging
from dataclasses import dataclass, field

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.accounts.models import User
from grants.applications.models import Application
from grants.assessment.forms import (
    AssignReviewerForm,
    BulkAssignForm,
    RemoveAssignmentForm,
    ReopenReviewForm,
)
from grants.assessment.models import ConflictStatus, Review, ReviewAssignment
from grants.assessment.operations import assignment as assigning
from grants.assessment.operations import bulk_assignment, review_queries, reviews
from grants.assessment.operations.kept_scores import round_criteria
from grants.assessment.operations.scoring import one_decimal, review_weighted_score
from grants.assessment.views.blueprint import bp
from grants.auth import permissions
from grants.auth.decorators import staff_required
from grants.core.errors import Refusal
from grants.core.links import safe_path
from grants.core.refusals import carry_out, show_errors
from grants.extensions import db
from grants.funds.models import ScoringCriterion
from grants.funds.operations.rounds import find_round

logger = logging.getLogger(__name__)


def _back_to(next_value: str | None, application_id: int) -> str:
    return safe_path(next_value) or url_for("assessment.application_reviewers",
                                            application_id=application_id)


# --- The review panel on the staff application page ---------------------------------------

@dataclass
class PanelRow:
    assignment: ReviewAssignment
    score_text: str = ""
    scores: list[tuple[ScoringCriterion, object]] = field(default_factory=list)

    @property
    def review(self) -> Review | None:
        return self.assignment.review

    @property
    def submitted(self) -> bool:
        return self.review is not None and self.review.submitted_at is not None

    @property
    def status_text(self) -> str:
        if self.assignment.removed_at is not None:
            return "Removed"
        if self.submitted:
            return "Submitted"
        if self.review is not None:
            return "Draft"
        return "Not started"


@dataclass
class ReviewPanel:
    application: Application
    rows: list[PanelRow]
    form: AssignReviewerForm | None
    may_assign: bool
    no_candidates_reason: str = ""


@bp.app_template_global("review_panel_data")
def review_panel_data(application: Application, form: AssignReviewerForm | None = None
                      ) -> ReviewPanel:
    """What the review panel shows for the application, in six queries whatever the number
    of reviewers: the assignments with their reviewers and reviews, their scores, the round's
    criteria, and the reviewers who could be assigned (with their roles and memberships)."""
    assignments = review_queries.panel_assignments(db.session, application.id)
    criteria = round_criteria(db.session, application.round_id)
    rows = []
    for assignment in assignments:
        row = PanelRow(assignment)
        if row.submitted:
            row.score_text = one_decimal(review_weighted_score(assignment.review, criteria))
            by_criterion = {s.criterion_id: s for s in assignment.review.scores}
            row.scores = [(c, by_criterion.get(c.id)) for c in criteria]
        rows.append(row)
    may_assign = (permissions.may_manage_reviews(current_user)
                  and application.status in review_queries.ASSIGNABLE_STATUSES)
    panel = ReviewPanel(application=application, rows=rows, form=None, may_assign=may_assign)
    if may_assign:
        taken = {a.reviewer_id for a in assignments
                 if a.removed_at is None or a.conflict is ConflictStatus.CONFLICT}
        candidates = [r for r in review_queries.reviewers(db.session)
                      if r.id not in taken
                      and permissions.may_be_assigned_to_review(r, application)]
        panel.form = form or AssignReviewerForm(formdata=None)
        panel.form.reviewer_id.choices = [("", "Choose a reviewer")] + [
            (str(r.id), f"{r.name} ({r.email})") for r in candidates]
        if not candidates:
            panel.no_candidates_reason = ("No other reviewer can be assigned: everyone with the "
                                          "reviewer role is already assigned, has a conflict "
                                          "of interest or belongs to the organisation.")
    return panel


@bp.get("/staff/applications/<int:application_id>/reviewers")
@staff_required
def application_reviewers(application_id: int):
    """One application's reviewers: the review panel on a page of its own."""
    application = review_queries.sent_application(db.session, application_id)
    return _panel_page(application, None, None)


def _panel_page(application: Application, form: AssignReviewerForm | None,
                next_url: str | None):
    back_url = next_url or url_for("assessment.view_application",
                                   application_id=application.id)
    return render_template("assessment/review_panel_page.html", application=application,
                           review_panel=review_panel_data(application, form), form=form,
                           next_url=next_url, back_url=back_url)


@bp.post("/staff/applications/<int:application_id>/reviewers/assign")
@staff_required
def assign_reviewer(application_id: int):
    application = review_queries.sent_application(db.session, application_id)
    form = AssignReviewerForm()
    next_url = _back_to(form.next.data, application_id)
    if form.validate_on_submit():
        reviewer = None
        if form.chosen_id() is not None:
            reviewer = db.session.get(User, form.chosen_id())
        if reviewer is None:
            form.reviewer_id.errors = [*form.reviewer_id.errors, "Select a reviewer"]
        else:
            try:
                assigning.assign_reviewer(db.session, current_user, application, reviewer)
            except Refusal as error:
                show_errors(form, error, "reviewer_id")
            else:
                flash(f"{reviewer.name} is now reviewing {application.reference}", "success")
                return redirect(next_url)
    return _panel_page(application, form, safe_path(form.next.data))


@bp.route("/staff/assignments/<int:assignment_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_assignment(assignment_id: int):
    assignment = review_queries.get_assignment(db.session, assignment_id)
    form = RemoveAssignmentForm()
    return _reason_page(
        "assessment/review_remove.html", form, assignment,
        done_already=(f"{assignment.reviewer.name} has already been removed from this "
                      "application" if assignment.removed_at is not None else None),
        action=lambda: assigning.remove_assignment(db.session, current_user, assignment,
                                                   form.reason.data),
        done=(f"{assignment.reviewer.name} no longer reviews "
              f"{assignment.application.reference}"))


@bp.route("/staff/reviews/<int:review_id>/reopen", methods=["GET", "POST"])
@staff_required
def reopen_review(review_id: int):
    review = review_queries.get_review(db.session, review_id)
    assignment = review_queries.get_assignment(db.session, review.assignment_id)
    form = ReopenReviewForm()
    return _reason_page(
        "assessment/review_reopen.html", form, assignment,
        done_already=("This review is not submitted, so there is nothing to reopen"
                      if review.submitted_at is None else None),
        action=lambda: reviews.reopen_review(db.session, current_user, review, form.reason.data),
        done=(f"{assignment.reviewer.name}'s review is reopened, and they have been emailed "
              "the reason"))


def _reason_page(template: str, form, assignment: ReviewAssignment, *,
                 done_already: str | None, action, done: str):
    """A change to a reviewer's work that staff give a reason for, then back to the page they
    came from; opened when there is nothing to change, it says so there instead."""
    if request.method == "GET":
        form.next.data = safe_path(request.args.get("next")) or ""
    back_url = _back_to(form.next.data, assignment.application_id)
    if done_already and request.method == "GET":
        flash(done_already, "info")
        return redirect(back_url)
    answer = carry_out(form, action, field="reason", done=done, then=back_url)
    return answer or render_template(template, assignment=assignment, form=form, back_url=back_url)


# --- The round's reviewers ----------------------------------------------------------------

@bp.route("/staff/rounds/<int:round_id>/reviewers", methods=["GET", "POST"])
@staff_required
def manage_reviewers(round_id: int):
    """Each reviewer's load in the round, the bulk assigner, and the round's applications."""
    round_ = find_round(db.session, round_id)
    form = BulkAssignForm()
    result = None
    if form.validate_on_submit():
        try:
            result = bulk_assignment.bulk_assign(db.session, current_user, round_,
                                                 form.per_application.data)
        except Refusal as error:
            show_errors(form, error, "per_application")
    applications = review_queries.assignable_applications(db.session, round_.id)
    counts = review_queries.active_counts(db.session, round_.id)
    return render_template(
        "assessment/review_reviewers.html", round=round_, form=form, result=result,
        loads=review_queries.reviewer_loads(db.session, round_.id),
        applications=[(application, counts.get(application.id, 0))
                      for application in applications],
        round_url=url_for("funds.view_round", round_id=round_.id),
    )
