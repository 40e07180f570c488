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
    path: str  # the pages' addresses: /rounds/<round_id>/<path>/…
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


QUESTIONS = RoundItem(eligibility.QUESTIONS, "Eligibility question", QuestionForm, "questions",
                      new_values={"mandatory": "yes"})
CRITERIA = RoundItem(criteria.CRITERIA, "Scoring criterion", CriterionForm, "criteria")
CHECK_QUESTIONS = RoundItem(check_questions.CHECK_QUESTIONS, "Eligibility check question",
                            CheckQuestionForm, "check-questions",
                            new_values={"needed_answer": "yes"})


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


def _found(kind: RoundItem, round_id: int, address: dict[str, int]) -> tuple[Round, Any]:
    """The round and the item its page's address names (`<item>_id`), or NotFound."""
    round_ = rounds.get_round(db.session, round_id)
    return round_, kind.items.find(round_, address[f"{kind.items.item}_id"])


def _edit_item(kind: RoundItem, round_id: int, **address: int):
    round_, item = _found(kind, round_id, address)
    form = kind.form()
    if request.method == "GET":
        form.fill_from(item)
    answer = carry_out(
        form, lambda: kind.items.update(db.session, item, form.details(), actor_id=actor_id()),
        field=kind.items.field, done=f"{kind.title} saved", then=kind.url(round_id))
    return answer or kind.page(form, round_, item)


def _remove_item(kind: RoundItem, round_id: int, **address: int):
    round_, item = _found(kind, round_id, address)
    try:
        kind.items.remove(db.session, item, actor_id=actor_id())
    except Refusal as error:
        form = kind.form(formdata=None)
        form.fill_from(item)
        show_errors(form, error, kind.items.field)
        return kind.page(form, round_, item)
    flash(f"{kind.title} removed", "success")
    return redirect(kind.url(round_id))


def _register(kind: RoundItem) -> None:
    """Register the kind's three pages, as Flask's `register_api` pattern does for several
    resources: funds.new_<item>, funds.edit_<item> and funds.remove_<item>, at
    /rounds/<round_id>/<path>/new, …/<item>_id/edit and …/<item>_id/remove."""

    def new_item(round_id: int):
        return _new_item(kind, round_id)

    def edit_item(round_id: int, **address: int):
        return _edit_item(kind, round_id, **address)

    def remove_item(round_id: int, **address: int):
        return _remove_item(kind, round_id, **address)

    name = kind.items.item
    item_url = f"/rounds/<int:round_id>/{kind.path}/<int:{name}_id>"
    bp.add_url_rule(f"/rounds/<int:round_id>/{kind.path}/new", f"new_{name}", new_item,
                    methods=["GET", "POST"])
    bp.add_url_rule(f"{item_url}/edit", f"edit_{name}", edit_item, methods=["GET", "POST"])
    bp.add_url_rule(f"{item_url}/remove", f"remove_{name}", remove_item, methods=["POST"])


for _kind in (QUESTIONS, CRITERIA, CHECK_QUESTIONS):
    _register(_kind)
