"""Staff pages for what a round asks and scores: eligibility questions and scoring criteria,
which are added, changed and removed alike."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, render_template, request
from flask_wtf import FlaskForm

from grants.core.errors import Refusal
from grants.core.refusals import carry_out, show_errors
from grants.extensions import db
from grants.funds.forms import CriterionForm, QuestionForm
from grants.funds.models import Round
from grants.funds.operations import criteria, eligibility, rounds
from grants.funds.views.blueprint import actor_id, bp, round_url, to_round


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
    answer = carry_out(
        form, lambda: kind.add(db.session, round_, form.details(), actor_id=actor_id()),
        field=kind.fallback, done=f"{kind.title} added", then=round_url(round_id, kind.anchor))
    return answer or kind.page(form, round_, None)


def _edit_item(kind: RoundItem, round_id: int, item_id: int):
    round_ = rounds.get_round(db.session, round_id)
    item = kind.find(round_, item_id)
    form = kind.form()
    if request.method == "GET":
        form.fill_from(item)
    answer = carry_out(
        form, lambda: kind.update(db.session, item, form.details(), actor_id=actor_id()),
        field=kind.fallback, done=f"{kind.title} saved", then=round_url(round_id, kind.anchor))
    return answer or kind.page(form, round_, item)


def _remove_item(kind: RoundItem, round_id: int, item_id: int):
    round_ = rounds.get_round(db.session, round_id)
    item = kind.find(round_, item_id)
    try:
        kind.remove(db.session, item, actor_id=actor_id())
    except Refusal as error:
        form = kind.form(formdata=None)
        form.fill_from(item)
        show_errors(form, error, kind.fallback)
        return kind.page(form, round_, item)
    flash(f"{kind.title} removed", "success")
    return to_round(round_id, kind.anchor)


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
