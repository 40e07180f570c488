"""Staff pages for what a round asks and scores: eligibility questions, the questions of its
public eligibility check, and scoring criteria, which are added, changed and removed alike."""

from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, render_template, request
from flask_wtf import FlaskForm

from grants.core.errors import Refusal
from grants.core.refusals import carry_out, show_errors
from grants.extensions import db
from grants.funds.forms import CheckQuestionForm, CriterionForm, QuestionForm
from grants.funds.models import Round
from grants.funds.operations import check_questions, criteria, eligibility, rounds
from grants.funds.operations.round_lists import RoundList
from grants.funds.views.blueprint import actor_id, bp, round_url


@dataclass(frozen=True)
class RoundItem:
    """One kind of thing a round lists in order, its form and its page. The list's `item`
    ("question") names the template and its variable, its `attribute` the round page's section."""

    items: RoundList
    title: str  # as the flash messages begin: "Eligibility question"
    form: type[FlaskForm]
    new_values: dict[str, Any] = field(default_factory=dict)  # a new one's first answers

    def page(self, form: FlaskForm, round_: Round, item: Any):
        name = self.items.item
        return render_template(
            f"funds/{name}_form.html", form=form, round=round_, **{name: item},
            locked_reason=self.items.locked_reason(db.session, round_),
        )

    def url(self, round_id: int) -> str:
        """The round page's section that lists these items."""
        return round_url(round_id, self.items.attribute)


QUESTIONS = RoundItem(eligibility.QUESTIONS, "Eligibility question", QuestionForm,
                      new_values={"mandatory": "yes"})
CRITERIA = RoundItem(criteria.CRITERIA, "Scoring criterion", CriterionForm)
CHECK_QUESTIONS = RoundItem(check_questions.CHECK_QUESTIONS, "Eligibility check question",
                            CheckQuestionForm, new_values={"needed_answer": "yes"})


def _new_item(kind: RoundItem, round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    form = kind.form()
    if request.method == "GET":
        for name, value in kind.new_values.items():
            form[name].data = value
    answer = carry_out(
        form, lambda: kind.items.add(db.session, round_, form.details(), actor_id=actor_id()),
        field=kind.items.field, done=f"{kind.title} added", then=kind.url(round_id))
    return answer or kind.page(form, round_, None)


def _edit_item(kind: RoundItem, round_id: int, item_id: int):
    round_ = rounds.get_round(db.session, round_id)
    item = kind.items.find(round_, item_id)
    form = kind.form()
    if request.method == "GET":
        form.fill_from(item)
    answer = carry_out(
        form, lambda: kind.items.update(db.session, item, form.details(), actor_id=actor_id()),
        field=kind.items.field, done=f"{kind.title} saved", then=kind.url(round_id))
    return answer or kind.page(form, round_, item)


def _remove_item(kind: RoundItem, round_id: int, item_id: int):
    round_ = rounds.get_round(db.session, round_id)
    item = kind.items.find(round_, item_id)
    try:
        kind.items.remove(db.session, item, actor_id=actor_id())
    except Refusal as error:
        form = kind.form(formdata=None)
        form.fill_from(item)
        show_errors(form, error, kind.items.field)
        return kind.page(form, round_, item)
    flash(f"{kind.title} removed", "success")
    return redirect(kind.url(round_id))


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


@bp.route("/rounds/<int:round_id>/check-questions/new", methods=["GET", "POST"])
def new_check_question(round_id: int):
    return _new_item(CHECK_QUESTIONS, round_id)


@bp.route("/rounds/<int:round_id>/check-questions/<int:check_question_id>/edit",
          methods=["GET", "POST"])
def edit_check_question(round_id: int, check_question_id: int):
    return _edit_item(CHECK_QUESTIONS, round_id, check_question_id)


@bp.post("/rounds/<int:round_id>/check-questions/<int:check_question_id>/remove")
def remove_check_question(round_id: int, check_question_id: int):
    return _remove_item(CHECK_QUESTIONS, round_id, check_question_id)
