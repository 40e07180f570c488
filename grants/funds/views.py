"""Staff pages for funds and rounds: set up, launch, and the later steps of a round."""

import logging
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors

from grants.auth import permissions
from grants.core.errors import Refusal, ValidationFailed
from grants.core.validators import saved_values
from grants.extensions import db
from grants.funds import services
from grants.funds.forms import (
    CriterionForm,
    FundForm,
    OrganisationTypesForm,
    PrioritiesForm,
    QuestionForm,
    RoundForm,
    allocations_form_class,
)
from grants.funds.models import Round, RoundKind

logger = logging.getLogger(__name__)

bp = Blueprint("funds", __name__, url_prefix="/staff")

# Date inputs are three boxes: the error summary links to the first.
DATE_FIELDS = ("opens_at", "closes_at")


@bp.before_request
@login_required
def require_staff():
    """Every page here is for OPCC staff (and admins) only."""
    if not permissions.may_view_staff_pages(current_user):
        abort(403)


@bp.context_processor
def page_helpers() -> dict[str, Any]:
    return {"summary_errors": summary_errors, "kind_labels": services.KIND_LABELS,
            "kind_hints": services.KIND_HINTS, "status_labels": services.STATUS_LABELS,
            "RoundKind": RoundKind}


def summary_errors(form: FlaskForm, hrefs: dict[str, str] | None = None) -> dict[str, Any]:
    """The error summary's items, each linking to its field (a date's day box)."""
    params = wtforms_errors(form)
    targets = {f"#{name}": f"#{name}-day" for name in DATE_FIELDS}
    targets.update({f"#{name}": href for name, href in (hrefs or {}).items()})
    for item in params["errorList"]:
        item["href"] = targets.get(item["href"], item["href"])
    return params


def _actor_id() -> int:
    return current_user.id


def _show_errors(form: FlaskForm, error: Refusal, fallback: str | None = None) -> None:
    """Put a service's refusals on the fields they are about; others on the fallback field."""
    db.session.rollback()
    messages = error.errors if isinstance(error, ValidationFailed) else {error.field: error.message}
    names = [name for name in form._fields if name != "csrf_token"]
    for name, message in messages.items():
        field = form._fields.get(name) if name in names else form._fields[fallback or names[0]]
        if message not in field.errors:
            field.errors = [*field.errors, message]


# Funds ------------------------------------------------------------------------------------


@bp.get("/funds")
def list_funds():
    return render_template("funds/funds.html", funds=services.list_funds(db.session))


@bp.route("/funds/new", methods=["GET", "POST"])
def new_fund():
    form = FundForm()
    if form.validate_on_submit():
        try:
            fund = services.create_fund(db.session, form.details(), actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash(f"{fund.name} ({fund.code}) added", "success")
            return redirect(url_for("funds.list_funds"))
    return render_template("funds/fund_form.html", form=form, fund=None)


@bp.route("/funds/<int:fund_id>/edit", methods=["GET", "POST"])
def edit_fund(fund_id: int):
    fund = services.get_fund(db.session, fund_id)
    form = FundForm(obj=saved_values(fund))
    if form.validate_on_submit():
        try:
            services.update_fund(db.session, fund, form.details(), actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash(f"{fund.name} ({fund.code}) saved", "success")
            return redirect(url_for("funds.list_funds"))
    return render_template("funds/fund_form.html", form=form, fund=fund)


# Rounds -----------------------------------------------------------------------------------


@bp.route("/rounds/new", methods=["GET", "POST"])
def new_round():
    funds = [summary.fund for summary in services.list_funds(db.session)]
    form = RoundForm(funds=funds)
    if request.method == "GET" and request.args.get("fund"):
        fund = services.fund_by_code(db.session, request.args["fund"])
        form.fund.data = fund.id if fund is not None else None
    if form.validate_on_submit():
        try:
            round_ = services.create_round(db.session, services.get_fund(db.session,
                                                                         form.fund.data),
                                           form.settings(), actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash(f"Round {round_.code} created as a draft. Add what it funds, asks and "
                  "scores, then launch it", "success")
            return redirect(url_for("funds.view_round", round_id=round_.id))
    return render_template("funds/round_form.html", form=form, round=None, has_funds=bool(funds))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def edit_round(round_id: int):
    round_ = services.get_round(db.session, round_id)
    form = RoundForm(round_=round_)
    if request.method == "GET":
        form.fill_from(round_)
    if form.validate_on_submit():
        try:
            services.update_round(db.session, round_, form.settings(round_),
                                  actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash("Round saved", "success")
            return redirect(url_for("funds.view_round", round_id=round_id))
    return render_template("funds/round_form.html", form=form, round=round_, has_funds=True)


# Where the round page's error summary sends each problem: the row or section to fix.
PROBLEM_ANCHORS = {
    **{name: f"row-{name}" for name in ("code", "title", "kind", "opens_at", "closes_at",
                                        "budget", "min_award", "max_award")},
    **{name: name for name in ("priorities", "organisation_types", "eligibility_questions",
                               "scoring_criteria", "county_allocations")},
    "status": "round-status",
}


def _round_page(round_id: int, problems: dict[str, str] | None = None):
    overview = services.round_overview(db.session, round_id)
    return render_template("funds/round.html", overview=overview, round=overview.round,
                           problems=problems or {}, problem_anchors=PROBLEM_ANCHORS)


@bp.get("/rounds/<int:round_id>")
def view_round(round_id: int):
    return _round_page(round_id)


def _round_action(round_id: int, action, done: str):
    """Run a state change on the round; a refusal shows on the round page with its reason."""
    round_ = services.get_round(db.session, round_id)
    try:
        action(db.session, round_, actor_id=_actor_id())
    except ValidationFailed as error:
        db.session.rollback()
        return _round_page(round_id, error.errors)
    except Refusal as error:
        if error.status_code == 404:
            raise
        db.session.rollback()
        return _round_page(round_id, {"status": error.message})
    flash(done, "success")
    return redirect(url_for("funds.view_round", round_id=round_id))


@bp.post("/rounds/<int:round_id>/launch")
def launch_round(round_id: int):
    return _round_action(round_id, services.launch_round,
                         "Round launched. Applicants can see it, and it opens at its "
                         "opening time")


@bp.post("/rounds/<int:round_id>/start-assessment")
def start_assessment(round_id: int):
    return _round_action(round_id, services.start_assessment, "Assessment started")


@bp.post("/rounds/<int:round_id>/mark-decided")
def mark_decided(round_id: int):
    return _round_action(round_id, services.mark_decided, "Round marked as decided")


@bp.post("/rounds/<int:round_id>/archive")
def archive_round(round_id: int):
    return _round_action(round_id, services.archive_round,
                         "Round archived. Applicants no longer see it")


@bp.post("/rounds/<int:round_id>/copy")
def copy_round(round_id: int):
    source = services.get_round(db.session, round_id)
    copy = services.copy_round(db.session, source, actor_id=_actor_id())
    flash(f"Round copied as draft {copy.code}. Its dates have moved forward a year: check "
          "them, the title and the code before you launch it", "success")
    return redirect(url_for("funds.view_round", round_id=copy.id))


# What a round funds and whom for -----------------------------------------------------------


@bp.route("/rounds/<int:round_id>/priorities", methods=["GET", "POST"])
def edit_priorities(round_id: int):
    round_ = services.get_round(db.session, round_id)
    groups = services.priority_choices(db.session, round_)
    form = PrioritiesForm()
    form.priorities.choices = [(g.priority.id, f"{g.priority.code} {g.priority.title}")
                               for g in groups]
    form.key_aims.choices = [(aim.id, aim.code) for g in groups for aim in g.key_aims]
    if request.method == "GET":
        form.priorities.data = [p.id for p in round_.priorities]
        form.key_aims.data = [aim.id for aim in round_.key_aims]
    if form.validate_on_submit():
        try:
            services.set_priorities(db.session, round_, form.priorities.data,
                                    form.key_aims.data, actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error, fallback="priorities")
        else:
            flash("Priorities saved", "success")
            return redirect(url_for("funds.view_round", round_id=round_id))
    return render_template(
        "funds/priorities.html", form=form, round=round_, groups=groups,
        locked_reason=services.locked_reason(db.session, round_, "the priorities it funds"),
    )


@bp.route("/rounds/<int:round_id>/organisation-types", methods=["GET", "POST"])
def edit_organisation_types(round_id: int):
    round_ = services.get_round(db.session, round_id)
    form = OrganisationTypesForm()
    if request.method == "GET":
        form.organisation_types.data = [kind.value for kind in round_.organisation_types]
    if form.validate_on_submit():
        try:
            services.set_organisation_types(db.session, round_, form.types(),
                                            actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash("Organisation types saved", "success")
            return redirect(url_for("funds.view_round", round_id=round_id))
    return render_template(
        "funds/organisation_types.html", form=form, round=round_,
        locked_reason=services.locked_reason(db.session, round_, "who may apply"),
    )


@bp.route("/rounds/<int:round_id>/allocations", methods=["GET", "POST"])
def edit_allocations(round_id: int):
    round_ = services.get_round(db.session, round_id)
    if round_.kind is not RoundKind.NOMINATION:
        abort(404)
    counties = services.counties_with_high_sheriffs(db.session)
    form = allocations_form_class(counties)()
    if request.method == "GET":
        for allocation in round_.county_allocations:
            field = form._fields.get(f"county_{allocation.county_id}")
            if field is not None:
                field.data = allocation.amount_pence
    if form.validate_on_submit():
        try:
            services.set_county_allocations(db.session, round_, form.amounts(),
                                            actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash("County allocations saved", "success")
            return redirect(url_for("funds.view_round", round_id=round_id))
    return render_template("funds/allocations.html", form=form, round=round_,
                           counties=counties)


# What a round asks and scores ---------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/questions/new", methods=["GET", "POST"])
def new_question(round_id: int):
    round_ = services.get_round(db.session, round_id)
    form = QuestionForm()
    if request.method == "GET":
        form.mandatory.data = "yes"
    if form.validate_on_submit():
        try:
            services.add_question(db.session, round_, form.details(), actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash("Eligibility question added", "success")
            return redirect(url_for("funds.view_round", round_id=round_id,
                                    _anchor="eligibility_questions"))
    return _question_page(form, round_, None)


def _question_page(form: QuestionForm, round_: Round, question):
    return render_template(
        "funds/question_form.html", form=form, round=round_, question=question,
        locked_reason=services.locked_reason(db.session, round_, services.QUESTIONS_LOCKED),
    )


@bp.route("/rounds/<int:round_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(round_id: int, question_id: int):
    round_ = services.get_round(db.session, round_id)
    question = services.get_question(round_, question_id)
    form = QuestionForm()
    if request.method == "GET":
        form.fill_from(question)
    if form.validate_on_submit():
        try:
            services.update_question(db.session, question, form.details(),
                                     actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash("Eligibility question saved", "success")
            return redirect(url_for("funds.view_round", round_id=round_id,
                                    _anchor="eligibility_questions"))
    return _question_page(form, round_, question)


@bp.post("/rounds/<int:round_id>/questions/<int:question_id>/remove")
def remove_question(round_id: int, question_id: int):
    round_ = services.get_round(db.session, round_id)
    question = services.get_question(round_, question_id)
    try:
        services.remove_question(db.session, question, actor_id=_actor_id())
    except Refusal as error:
        form = QuestionForm(formdata=None)
        form.fill_from(question)
        _show_errors(form, error)
        return _question_page(form, round_, question)
    flash("Eligibility question removed", "success")
    return redirect(url_for("funds.view_round", round_id=round_id,
                            _anchor="eligibility_questions"))


@bp.route("/rounds/<int:round_id>/criteria/new", methods=["GET", "POST"])
def new_criterion(round_id: int):
    round_ = services.get_round(db.session, round_id)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            services.add_criterion(db.session, round_, form.details(), actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash("Scoring criterion added", "success")
            return redirect(url_for("funds.view_round", round_id=round_id,
                                    _anchor="scoring_criteria"))
    return _criterion_page(form, round_, None)


def _criterion_page(form: CriterionForm, round_: Round, criterion):
    return render_template(
        "funds/criterion_form.html", form=form, round=round_, criterion=criterion,
        locked_reason=services.locked_reason(db.session, round_, services.CRITERIA_LOCKED),
    )


@bp.route("/rounds/<int:round_id>/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
def edit_criterion(round_id: int, criterion_id: int):
    round_ = services.get_round(db.session, round_id)
    criterion = services.get_criterion(round_, criterion_id)
    form = CriterionForm()
    if request.method == "GET":
        form.fill_from(criterion)
    if form.validate_on_submit():
        try:
            services.update_criterion(db.session, criterion, form.details(),
                                      actor_id=_actor_id())
        except Refusal as error:
            _show_errors(form, error)
        else:
            flash("Scoring criterion saved", "success")
            return redirect(url_for("funds.view_round", round_id=round_id,
                                    _anchor="scoring_criteria"))
    return _criterion_page(form, round_, criterion)


@bp.post("/rounds/<int:round_id>/criteria/<int:criterion_id>/remove")
def remove_criterion(round_id: int, criterion_id: int):
    round_ = services.get_round(db.session, round_id)
    criterion = services.get_criterion(round_, criterion_id)
    try:
        services.remove_criterion(db.session, criterion, actor_id=_actor_id())
    except Refusal as error:
        form = CriterionForm(formdata=None)
        form.fill_from(criterion)
        _show_errors(form, error)
        return _criterion_page(form, round_, criterion)
    flash("Scoring criterion removed", "success")
    return redirect(url_for("funds.view_round", round_id=round_id, _anchor="scoring_criteria"))
