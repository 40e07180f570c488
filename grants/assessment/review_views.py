"""Reviewers' pages (their list, the declaration, scoring, documents) and staff's pages for
reviewers (the round's reviewers and bulk assignment, one application's reviewers, removing,
reopening), the ranking and moderation. Routes on the shared assessment blueprint.

The review panel (templates/assessment/review_panel.html) is included by the staff
application page; it reads its data through the `review_panel_data(application)` template
global registered here.
"""

import itertools
import logging
from dataclasses import dataclass, field
from fractions import Fraction

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from grants.accounts.models import Role, User
from grants.applications.models import Application, DocumentKind
from grants.applications.operations import loading as application_services
from grants.assessment import ranking, reviews
from grants.assessment.blueprint import bp
from grants.assessment.models import ConflictStatus, Review, ReviewAssignment
from grants.assessment.review_forms import (
    AssignReviewerForm,
    BulkAssignForm,
    DeclarationForm,
    ModerationForm,
    RemoveAssignmentForm,
    ReopenReviewForm,
    review_form_class,
)
from grants.auth import permissions
from grants.auth.decorators import roles_required, staff_required
from grants.core.errors import NotFound, Refusal, ValidationFailed
from grants.documents.operations.downloads import open_document
from grants.documents.operations.storage import MissingFile, storage_for
from grants.extensions import db
from grants.funds.models import Round, ScoringCriterion

logger = logging.getLogger(__name__)

reviewer_required = roles_required(Role.REVIEWER)


# --- Helpers ------------------------------------------------------------------------------

def _url_if_registered(endpoint: str, **values) -> str | None:
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _safe_next(value: str | None) -> str | None:
    """A path on this site to go back to, or None (never another site)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def _staff_application_url(application: Application) -> str:
    """The staff page of the application, or its reviewers page while there is none."""
    return (_url_if_registered("assessment.view_application", application_id=application.id)
            or url_for("assessment.application_reviewers", application_id=application.id))


def _back_to(next_value: str | None, application_id: int) -> str:
    return _safe_next(next_value) or url_for("assessment.application_reviewers",
                                             application_id=application_id)


def _put_errors(form, error: Refusal, fallback: str) -> None:
    """A service's refusal, on the fields it is about (others on the fallback field)."""
    db.session.rollback()
    messages = error.errors if isinstance(error, ValidationFailed) else {
        error.field or fallback: error.message}
    for name, message in messages.items():
        target = form._fields.get(name) or form._fields[fallback]
        if message not in target.errors:
            target.errors = [*target.errors, message]


def _round(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        abort(404)
    return round_


def _application(application_id: int) -> Application:
    application = db.session.scalars(
        select(Application).where(Application.id == application_id)
        .options(joinedload(Application.organisation), joinedload(Application.round))
    ).one_or_none()
    if application is None or application.reference is None:
        abort(404)
    return application


def _clarifications(application_id: int) -> list:
    """The application's questions and answers, from the clarifications module when there is
    one (it is built separately)."""
    try:
        from grants.assessment.clarifications import clarifications_for
    except ImportError:
        return []
    return list(clarifications_for(db.session, application_id))


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
    assignments = db.session.scalars(
        select(ReviewAssignment)
        .where(ReviewAssignment.application_id == application.id)
        .options(joinedload(ReviewAssignment.reviewer).options(*ranking.NAME_ONLY),
                 joinedload(ReviewAssignment.assigned_by).options(*ranking.NAME_ONLY),
                 joinedload(ReviewAssignment.review).selectinload(Review.scores))
        .order_by(ReviewAssignment.removed_at.is_not(None), ReviewAssignment.assigned_at,
                  ReviewAssignment.id)
    ).unique().all()
    criteria = ranking.round_criteria(db.session, application.round_id)
    rows = []
    for assignment in assignments:
        row = PanelRow(assignment)
        if row.submitted:
            row.score_text = ranking.one_decimal(
                ranking.review_weighted_score(assignment.review, criteria))
            by_criterion = {s.criterion_id: s for s in assignment.review.scores}
            row.scores = [(c, by_criterion.get(c.id)) for c in criteria]
        rows.append(row)
    may_assign = (permissions.may_manage_reviews(current_user)
                  and application.status in reviews.ASSIGNABLE_STATUSES)
    panel = ReviewPanel(application=application, rows=rows, form=None, may_assign=may_assign)
    if may_assign:
        taken = {a.reviewer_id for a in assignments
                 if a.removed_at is None or a.conflict is ConflictStatus.CONFLICT}
        candidates = [r for r in reviews.reviewers(db.session)
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
    application = _application(application_id)
    return _panel_page(application, None, None)


def _panel_page(application: Application, form: AssignReviewerForm | None,
                next_url: str | None):
    back_url = (next_url
                or _url_if_registered("assessment.view_application",
                                      application_id=application.id)
                or url_for("assessment.manage_reviewers", round_id=application.round_id))
    return render_template("assessment/review_panel_page.html", application=application,
                           review_panel=review_panel_data(application, form), form=form,
                           next_url=next_url, back_url=back_url)


@bp.post("/staff/applications/<int:application_id>/reviewers/assign")
@staff_required
def assign_reviewer(application_id: int):
    application = _application(application_id)
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
                reviews.assign_reviewer(db.session, current_user, application, reviewer)
            except Refusal as error:
                _put_errors(form, error, "reviewer_id")
            else:
                flash(f"{reviewer.name} is now reviewing {application.reference}", "success")
                return redirect(next_url)
    application = _application(application_id)
    return _panel_page(application, form, _safe_next(form.next.data))


def _staff_assignment(assignment_id: int) -> ReviewAssignment:
    try:
        return reviews.get_assignment(db.session, assignment_id)
    except NotFound:
        abort(404)


@bp.route("/staff/assignments/<int:assignment_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_assignment(assignment_id: int):
    assignment = _staff_assignment(assignment_id)
    form = RemoveAssignmentForm()
    if request.method == "GET":
        form.next.data = _safe_next(request.args.get("next")) or ""
    application_id = assignment.application_id
    if assignment.removed_at is not None and request.method == "GET":
        flash(f"{assignment.reviewer.name} has already been removed from this application",
              "info")
        return redirect(_back_to(form.next.data, application_id))
    if form.validate_on_submit():
        try:
            reviews.remove_assignment(db.session, current_user, assignment, form.reason.data)
        except Refusal as error:
            _put_errors(form, error, "reason")
            assignment = _staff_assignment(assignment_id)
        else:
            flash(f"{assignment.reviewer.name} no longer reviews "
                  f"{assignment.application.reference}", "success")
            return redirect(_back_to(form.next.data, application_id))
    return render_template("assessment/review_remove.html", assignment=assignment, form=form,
                           back_url=_back_to(form.next.data, application_id))


@bp.route("/staff/reviews/<int:review_id>/reopen", methods=["GET", "POST"])
@staff_required
def reopen_review(review_id: int):
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    assignment_id = review.assignment_id
    assignment = _staff_assignment(assignment_id)
    form = ReopenReviewForm()
    if request.method == "GET":
        form.next.data = _safe_next(request.args.get("next")) or ""
    application_id = assignment.application_id
    if review.submitted_at is None and request.method == "GET":
        flash("This review is not submitted, so there is nothing to reopen", "info")
        return redirect(_back_to(form.next.data, application_id))
    if form.validate_on_submit():
        try:
            reviews.reopen_review(db.session, current_user, review, form.reason.data)
        except Refusal as error:
            _put_errors(form, error, "reason")
            assignment = _staff_assignment(assignment_id)
            review = assignment.review
        else:
            flash(f"{assignment.reviewer.name}'s review is reopened, and they have been "
                  "emailed the reason", "success")
            return redirect(_back_to(form.next.data, application_id))
    return render_template("assessment/review_reopen.html", assignment=assignment, form=form,
                           back_url=_back_to(form.next.data, application_id))


# --- The round's reviewers ----------------------------------------------------------------

@bp.route("/staff/rounds/<int:round_id>/reviewers", methods=["GET", "POST"])
@staff_required
def manage_reviewers(round_id: int):
    """Each reviewer's load in the round, the bulk assigner, and the round's applications."""
    round_ = _round(round_id)
    form = BulkAssignForm()
    result = None
    if form.validate_on_submit():
        try:
            result = reviews.bulk_assign(db.session, current_user, round_,
                                         form.per_application.data)
        except Refusal as error:
            _put_errors(form, error, "per_application")
            round_ = _round(round_id)
    return _reviewers_page(round_, form, result)


def _reviewers_page(round_: Round, form: BulkAssignForm, result):
    applications = reviews.assignable_applications(db.session, round_.id)
    counts = reviews.active_counts(db.session, round_.id)
    return render_template(
        "assessment/review_reviewers.html", round=round_, form=form, result=result,
        loads=reviews.reviewer_loads(db.session, round_.id),
        applications=[(application, counts.get(application.id, 0))
                      for application in applications],
        round_url=_url_if_registered("funds.view_round", round_id=round_.id),
    )


# --- Ranking and moderation ---------------------------------------------------------------

@staff_required
def ranking_page(round_id: int):
    _round(round_id)
    shown = ranking.load_ranking_page(db.session, round_id,
                                      request.args.get("page", 1, type=int))
    return render_template(
        "assessment/ranking.html", shown=shown, round=shown.round,
        tie_break=ranking.TIE_BREAK_TEXT, application_url=_staff_application_url,
        round_url=_url_if_registered("funds.view_round", round_id=round_id))


# The endpoint is "assessment.ranking"; the function has another name so that it does not
# hide the ranking module.
bp.add_url_rule("/staff/rounds/<int:round_id>/ranking", endpoint="ranking",
                view_func=ranking_page)


@bp.route("/staff/applications/<int:application_id>/moderation", methods=["GET", "POST"])
@staff_required
def moderate(application_id: int):
    application = _application(application_id)
    form = ModerationForm()
    if form.validate_on_submit():
        tenths = form.agreed_tenths()
        try:
            ranking.moderate(db.session, current_user, application,
                             agreed_score_tenths=tenths, reason=form.reason.data or "")
        except Refusal as error:
            if tenths is None and isinstance(error, ValidationFailed):
                error.errors.pop("agreed_score", None)  # the form already says why
            _put_errors(form, error, "agreed_score")
            application = _application(application_id)
        else:
            flash(f"Agreed score for {application.reference} recorded", "success")
            return redirect(url_for("assessment.ranking", round_id=application.round_id))
    return _moderation_page(application, form)


def _moderation_page(application: Application, form: ModerationForm):
    criteria = ranking.round_criteria(db.session, application.round_id)
    submitted = [
        ranking.ReviewScore(review=review, assignment=review.assignment,
                            score=ranking.review_weighted_score(review, criteria))
        for review in db.session.scalars(ranking.submitted_reviews_query().where(
            ReviewAssignment.application_id == application.id)).unique()
    ]
    values = [item.score for item in submitted]
    moderation = ranking.latest_moderations(
        db.session, Application.id == application.id).get(application.id)
    spread: Fraction | None = ranking.spread(values)
    return render_template(
        "assessment/ranking_moderate.html", application=application, form=form,
        reviews=submitted, mean_text=ranking.one_decimal(ranking.mean(values)),
        spread_text=ranking.one_decimal(spread),
        disagree=ranking.is_disagreement(spread, application.round.disagreement_threshold),
        moderation=moderation,
        moderated_text=ranking.tenths_text(moderation.agreed_score_tenths)
        if moderation else "")


# --- Reviewers' pages ---------------------------------------------------------------------

def _own_assignment(assignment_id: int) -> ReviewAssignment:
    """The signed-in reviewer's standing assignment; 404 for anything else."""
    try:
        assignment = reviews.get_assignment(db.session, assignment_id)
    except NotFound:
        abort(404)
    if not permissions.may_review(current_user, assignment):
        abort(404)
    return assignment


STEP_TEXT = {"declare": "Declare any conflict of interest", "score": "Score the application",
             "submitted": "Submitted"}


@bp.get("/reviews")
@reviewer_required
def my_reviews():
    """The reviewer's assignments, by round, each with what comes next."""
    assignments = reviews.assignments_of(db.session, current_user)
    groups = [
        (round_assignments[0].application.round, round_assignments)
        for _, group in itertools.groupby(assignments, key=lambda a: a.application.round_id)
        for round_assignments in [list(group)]
    ]
    return render_template("assessment/review_list.html", groups=groups,
                           next_step=reviews.next_step, step_text=STEP_TEXT)


@bp.route("/reviews/<int:assignment_id>/declaration", methods=["GET", "POST"])
@reviewer_required
def declare(assignment_id: int):
    """The declaration of interests, showing nothing of the application but the organisation's
    name and the round."""
    assignment = _own_assignment(assignment_id)
    if assignment.conflict is ConflictStatus.NO_CONFLICT:
        return redirect(url_for("assessment.review_application", assignment_id=assignment_id))
    form = DeclarationForm()
    if form.validate_on_submit():
        organisation_name = assignment.application.organisation.name
        try:
            reviews.declare(db.session, current_user, assignment,
                            has_conflict=form.has_conflict(), note=form.note.data or "")
        except Refusal as error:
            _put_errors(form, error, "conflict")
            assignment = _own_assignment(assignment_id)
        else:
            if assignment.conflict is ConflictStatus.CONFLICT:
                flash(f"You declared a conflict of interest with {organisation_name}. The "
                      "grants team have been told, and the application has been removed from "
                      "your reviews.", "success")
                return redirect(url_for("assessment.my_reviews"))
            return redirect(url_for("assessment.review_application",
                                    assignment_id=assignment_id))
    return render_template("assessment/review_declaration.html", assignment=assignment,
                           form=form)


def _application_for_review(application_id: int) -> Application:
    """The application with everything the reviewer reads, in a fixed number of queries."""
    application = application_services.get_application(db.session, application_id)
    return application


@bp.route("/reviews/<int:assignment_id>", methods=["GET", "POST"])
@reviewer_required
def review_application(assignment_id: int):
    """The application, its documents and clarifications, and the scoring form; read-only with
    the other reviewers' reviews once submitted."""
    assignment = _own_assignment(assignment_id)
    if assignment.conflict is not ConflictStatus.NO_CONFLICT:
        return redirect(url_for("assessment.declare", assignment_id=assignment_id))
    criteria = ranking.round_criteria(db.session, assignment.application.round_id)
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
        _put_errors(form, error, "comment")
        assignment = _own_assignment(assignment_id)
        return _review_page(assignment, criteria, form)
    if action == "submit":
        flash("Your review is submitted. You can now see the other reviewers' submitted "
              "reviews.", "success")
    else:
        flash("Your draft is saved. You can come back to it at any time before you submit it.",
              "success")
    return redirect(url_for("assessment.review_application", assignment_id=assignment_id))


def _review_page(assignment: ReviewAssignment, criteria: list[ScoringCriterion], form):
    application = _application_for_review(assignment.application_id)
    review = assignment.review
    submitted = review is not None and review.submitted_at is not None
    others = []
    own_score = ""
    if submitted and permissions.may_see_other_reviews(current_user, assignment):
        own_score = ranking.one_decimal(ranking.review_weighted_score(review, criteria))
        for other in reviews.other_submitted_reviews(db.session, assignment):
            others.append({
                "review": other,
                "reviewer": other.assignment.reviewer,
                "score_text": ranking.one_decimal(ranking.review_weighted_score(other,
                                                                                criteria)),
                "scores": {s.criterion_id: s for s in other.scores},
            })
    own_scores = {s.criterion_id: s for s in review.scores} if review is not None else {}
    return render_template(
        "assessment/review_application.html", assignment=assignment, application=application,
        criteria=criteria, form=form, review=review, submitted=submitted,
        own_scores=own_scores, own_score=own_score, others=others,
        documents=[(kind, [d for d in application.documents if d.kind is kind])
                   for kind in DocumentKind],
        clarifications=_clarifications(application.id),
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
    application = db.session.scalars(
        select(Application).where(Application.id == assignment.application_id)
        .options(selectinload(Application.documents))).one()
    document = next((doc for doc in application.documents if doc.id == document_id), None)
    if document is None:
        abort(404)
    try:
        file = open_document(storage_for(current_app.config), document)
    except MissingFile:
        logger.error("document %s of application %s has no stored file", document.id,
                     application.id)
        abort(404)
    response = send_file(
        file, mimetype=document.content_type, as_attachment=True,
        download_name=document.original_filename, conditional=False, etag=False,
        max_age=None)
    response.headers["Cache-Control"] = "private, no-store"
    return response

