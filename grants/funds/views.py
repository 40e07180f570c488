"""Staff pages for funds and rounds: set up, launch, and the later steps of a round."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors

from grants.auth import permissions
from grants.core.errors import Refusal, ValidationFailed
from grants.core.refusals import mark_refused, show_errors
from grants.core.validators import saved_values
from grants.extensions import db
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
from grants.funds.operations import (
    copying,
    criteria,
    eligibility,
    funds,
    overview,
    rounds,
    settings,
    setup,
    status,
    wording,
)

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
    return {"summary_errors": summary_errors, "kind_labels": wording.KIND_LABELS,
            "kind_hints": wording.KIND_HINTS, "status_labels": wording.STATUS_LABELS,
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


def _to_round(round_id: int, anchor: str | None = None):
    return redirect(url_for("funds.view_round", round_id=round_id, _anchor=anchor))


# Funds ------------------------------------------------------------------------------------


@bp.get("/funds")
def list_funds():
    return render_template("funds/funds.html", funds=funds.list_funds(db.session))


@bp.route("/funds/new", methods=["GET", "POST"])
def new_fund():
    form = FundForm()
    if form.validate_on_submit():
        try:
            fund = funds.create_fund(db.session, form.details(), actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, "code")
        else:
            flash(f"{fund.name} ({fund.code}) added", "success")
            return redirect(url_for("funds.list_funds"))
    return render_template("funds/fund_form.html", form=form, fund=None)


@bp.route("/funds/<int:fund_id>/edit", methods=["GET", "POST"])
def edit_fund(fund_id: int):
    fund = funds.get_fund(db.session, fund_id)
    form = FundForm(obj=saved_values(fund))
    if form.validate_on_submit():
        try:
            funds.update_fund(db.session, fund, form.details(), actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, "code")
        else:
            flash(f"{fund.name} ({fund.code}) saved", "success")
            return redirect(url_for("funds.list_funds"))
    return render_template("funds/fund_form.html", form=form, fund=fund)


# Rounds -----------------------------------------------------------------------------------


@bp.route("/rounds/new", methods=["GET", "POST"])
def new_round():
    choices = [summary.fund for summary in funds.list_funds(db.session)]
    form = RoundForm(funds=choices)
    if request.method == "GET" and request.args.get("fund"):
        fund = funds.fund_by_code(db.session, request.args["fund"])
        form.fund.data = fund.id if fund is not None else None
    if form.validate_on_submit():
        try:
            round_ = settings.create_round(db.session, funds.get_fund(db.session, form.fund.data),
                                           form.settings(), actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, "title")
        else:
            flash(f"Round {round_.code} created as a draft. Add what it funds, asks and "
                  "scores, then launch it", "success")
            return _to_round(round_.id)
    return render_template("funds/round_form.html", form=form, round=None,
                           has_funds=bool(choices))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def edit_round(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    form = RoundForm(round_=round_)
    if request.method == "GET":
        form.fill_from(round_)
    if form.validate_on_submit():
        try:
            settings.update_round(db.session, round_, form.settings(round_),
                                  actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, "title")
        else:
            flash("Round saved", "success")
            return _to_round(round_id)
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
    page = overview.round_overview(db.session, round_id)
    return render_template("funds/round.html", overview=page, round=page.round,
                           problems=problems or {}, problem_anchors=PROBLEM_ANCHORS)


@bp.get("/rounds/<int:round_id>")
def view_round(round_id: int):
    return _round_page(round_id)


def _round_action(round_id: int, action: Callable[..., Round], done: str):
    """Run a state change on the round; a refusal shows on the round page with its reason
    (each launch problem by its section, any other as the round's status)."""
    round_ = rounds.get_round(db.session, round_id)
    try:
        action(db.session, round_, actor_id=_actor_id())
    except Refusal as error:
        mark_refused()
        problems = error.errors if isinstance(error, ValidationFailed) else {
            "status": error.message}
        return _round_page(round_id, problems)
    flash(done, "success")
    return _to_round(round_id)


@bp.post("/rounds/<int:round_id>/launch")
def launch_round(round_id: int):
    return _round_action(round_id, status.launch_round,
                         "Round launched. Applicants can see it, and it opens at its "
                         "opening time")


@bp.post("/rounds/<int:round_id>/start-assessment")
def start_assessment(round_id: int):
    return _round_action(round_id, status.start_assessment, "Assessment started")


@bp.post("/rounds/<int:round_id>/mark-decided")
def mark_decided(round_id: int):
    return _round_action(round_id, status.mark_decided, "Round marked as decided")


@bp.post("/rounds/<int:round_id>/archive")
def archive_round(round_id: int):
    return _round_action(round_id, status.archive_round,
                         "Round archived. Applicants no longer see it")


@bp.post("/rounds/<int:round_id>/copy")
def copy_round(round_id: int):
    source = rounds.get_round(db.session, round_id)
    copy = copying.copy_round(db.session, source, actor_id=_actor_id())
    flash(f"Round copied as draft {copy.code}. Its dates have moved forward a year: check "
          "them, the title and the code before you launch it", "success")
    return _to_round(copy.id)


# What a round funds and whom for -----------------------------------------------------------


@bp.route("/rounds/<int:round_id>/priorities", methods=["GET", "POST"])
def edit_priorities(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    groups = setup.priority_choices(db.session, round_)
    form = PrioritiesForm()
    form.priorities.choices = [(g.priority.id, f"{g.priority.code} {g.priority.title}")
                               for g in groups]
    form.key_aims.choices = [(aim.id, aim.code) for g in groups for aim in g.key_aims]
    if request.method == "GET":
        form.priorities.data = [p.id for p in round_.priorities]
        form.key_aims.data = [aim.id for aim in round_.key_aims]
    if form.validate_on_submit():
        try:
            setup.set_priorities(db.session, round_, form.priorities.data,
                                 form.key_aims.data, actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, "priorities")
        else:
            flash("Priorities saved", "success")
            return _to_round(round_id)
    return render_template(
        "funds/priorities.html", form=form, round=round_, groups=groups,
        locked_reason=rounds.locked_reason(db.session, round_, setup.PRIORITIES_LOCKED),
    )


@bp.route("/rounds/<int:round_id>/organisation-types", methods=["GET", "POST"])
def edit_organisation_types(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    form = OrganisationTypesForm()
    if request.method == "GET":
        form.organisation_types.data = [kind.value for kind in round_.organisation_types]
    if form.validate_on_submit():
        try:
            setup.set_organisation_types(db.session, round_, form.types(),
                                         actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, "organisation_types")
        else:
            flash("Organisation types saved", "success")
            return _to_round(round_id)
    return render_template(
        "funds/organisation_types.html", form=form, round=round_,
        locked_reason=rounds.locked_reason(db.session, round_,
                                           setup.ORGANISATION_TYPES_LOCKED),
    )


@bp.route("/rounds/<int:round_id>/allocations", methods=["GET", "POST"])
def edit_allocations(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    if round_.kind is not RoundKind.NOMINATION:
        abort(404)
    counties = setup.counties_with_high_sheriffs(db.session)
    form = allocations_form_class(counties)()
    if request.method == "GET":
        for allocation in round_.county_allocations:
            field_ = form._fields.get(f"county_{allocation.county_id}")
            if field_ is not None:
                field_.data = allocation.amount_pence
    if form.validate_on_submit():
        try:
            setup.set_county_allocations(db.session, round_, form.amounts(),
                                         actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, setup.allocation_field(counties[0]) if counties
                        else "csrf_token")
        else:
            flash("County allocations saved", "success")
            return _to_round(round_id)
    return render_template("funds/allocations.html", form=form, round=round_,
                           counties=counties)


# What a round asks and scores: eligibility questions and scoring criteria work alike --------


@dataclass(frozen=True)
class RoundItem:
    """One kind of thing a round lists in order, with the operations that keep it."""

    name: str  # the template's variable and the URL's id: "question", "criterion"
    title: str  # as the flash messages begin: "Eligibility question"
    anchor: str  # the round page's section
    form: type[FlaskForm]
    fallback: str  # the field a refusal shows on when it names none
    locked: str
    find: Callable[[Round, int], Any]
    add: Callable[..., Any]
    update: Callable[..., Any]
    remove: Callable[..., None]
    new_values: dict[str, Any] = field(default_factory=dict)  # a new one's first answers

    def page(self, form: FlaskForm, round_: Round, item: Any):
        return render_template(
            f"funds/{self.name}_form.html", form=form, round=round_, **{self.name: item},
            locked_reason=rounds.locked_reason(db.session, round_, self.locked),
        )

    def done(self, round_id: int, what: str):
        flash(f"{self.title} {what}", "success")
        return _to_round(round_id, self.anchor)


QUESTIONS = RoundItem(
    "question", "Eligibility question", "eligibility_questions", QuestionForm, "text",
    eligibility.QUESTIONS_LOCKED, eligibility.get_question, eligibility.add_question,
    eligibility.update_question, eligibility.remove_question, new_values={"mandatory": "yes"},
)
CRITERIA = RoundItem(
    "criterion", "Scoring criterion", "scoring_criteria", CriterionForm, "name",
    criteria.CRITERIA_LOCKED, criteria.get_criterion, criteria.add_criterion,
    criteria.update_criterion, criteria.remove_criterion,
)


def _new_item(kind: RoundItem, round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    form = kind.form()
    if request.method == "GET":
        for name, value in kind.new_values.items():
            form[name].data = value
    if form.validate_on_submit():
        try:
            kind.add(db.session, round_, form.details(), actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, kind.fallback)
        else:
            return kind.done(round_id, "added")
    return kind.page(form, round_, None)


def _edit_item(kind: RoundItem, round_id: int, item_id: int):
    round_ = rounds.get_round(db.session, round_id)
    item = kind.find(round_, item_id)
    form = kind.form()
    if request.method == "GET":
        form.fill_from(item)
    if form.validate_on_submit():
        try:
            kind.update(db.session, item, form.details(), actor_id=_actor_id())
        except Refusal as error:
            show_errors(form, error, kind.fallback)
        else:
            return kind.done(round_id, "saved")
    return kind.page(form, round_, item)


def _remove_item(kind: RoundItem, round_id: int, item_id: int):
    round_ = rounds.get_round(db.session, round_id)
    item = kind.find(round_, item_id)
    try:
        kind.remove(db.session, item, actor_id=_actor_id())
    except Refusal as error:
        form = kind.form(formdata=None)
        form.fill_from(item)
        show_errors(form, error, kind.fallback)
        return kind.page(form, round_, item)
    return kind.done(round_id, "removed")


@bp.route("/rounds/<int:round_id>/questions/new", methods=["GET", "POST"])
def new_question(round_id: int):
    return _new_item(QUESTIONS, round_id)


@bp.route("/rounds/<int:round_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(round_id: int, question_id: int):
    return _edit_item(QUESTIONS, round_id, question_id)


@bp.post("/rounds/<int:round_id>/questions/<int:question_id>/remove")
def remove_question(round_id: int, question_id: int):
    return _remove_item(QUESTIONS, round_id, question_id)


@bp.route("/rounds/<int:round_id>/criteria/new", methods=["GET", "POST"])
def new_criterion(round_id: int):
    return _new_item(CRITERIA, round_id)


@bp.route("/rounds/<int:round_id>/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
def edit_criterion(round_id: int, criterion_id: int):
    return _edit_item(CRITERIA, round_id, criterion_id)


@bp.post("/rounds/<int:round_id>/criteria/<int:criterion_id>/remove")
def remove_criterion(round_id: int, criterion_id: int):
    return _remove_item(CRITERIA, round_id, criterion_id)
