"""A round's "Check if you can apply": a start page, one question to a page, and the result.

No account is needed: the answers are kept in the browser's session, and the application the
person goes on to start begins with them (`applications.start_application`).
"""

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, session, url_for

from grants.applications.operations.rules import areas_on_offer, award_range_text
from grants.core import carried, clock
from grants.core.errors import NotFound
from grants.core.refusals import in_page_language
from grants.core.translatable import Words
from grants.extensions import db
from grants.funds.models import Round
from grants.funds.operations import public
from grants.funds.operations.public import PublicRound
from grants.offices.operations.speaking import office_of_round
from grants.organisations.models import OrganisationType
from grants.rounds.forms import (
    AmountForm,
    AreasForm,
    CheckForm,
    OrganisationTypeForm,
    PriorityForm,
    QuestionForm,
    WhereForm,
)
from grants.rounds.operations import checking
from grants.rounds.operations.checking import CheckAnswers, Step
from grants.rounds.views.blueprint import bp

ENDPOINTS = {
    checking.ORGANISATION_TYPE: "rounds.check_organisation_type",
    checking.WHERE: "rounds.check_where",
    checking.AREAS: "rounds.check_areas",
    checking.AMOUNT: "rounds.check_amount",
    checking.PRIORITY: "rounds.check_priority",
}


def _checked_round(round_code: str) -> PublicRound:
    """The round, while people can check it: open, or launched and opening later."""
    summary = public.public_round(db.session, round_code, clock.utcnow())
    if not (summary.is_open or summary.is_upcoming):
        raise NotFound("This round is not open for applications")
    return summary


def _answers(round_code: str) -> CheckAnswers:
    return CheckAnswers.load(carried.check_answers(session, round_code))


def step_url(round_code: str, step: Step) -> str:
    if step.question is not None:
        return url_for("rounds.check_question", round_code=round_code,
                       check_question_id=step.question.id)
    return url_for(ENDPOINTS[step.key], round_code=round_code)


def _back_url(round_: Round, answers: CheckAnswers, step: Step) -> str:
    """The page before this one in the check, or its start page before the first."""
    order = checking.steps(round_, answers)
    position = order.index(step) if step in order else 0
    if position == 0:
        return url_for("rounds.check_start", round_code=round_.code)
    return step_url(round_.code, order[position - 1])


@bp.get("/rounds/<round_code>/check")
def check_start(round_code: str):
    summary = _checked_round(round_code)
    answers = _answers(round_code)
    first = checking.first_unanswered(summary.round, answers)
    return render_template(
        "rounds/check_start.html", summary=summary, round=summary.round,
        start_url=step_url(round_code, Step(checking.ORGANISATION_TYPE)),
        carry_on_url=(step_url(round_code, first) if first else
                      url_for("rounds.check_result", round_code=round_code))
        if carried.check_answers(session, round_code) else None,
    )


def _question_page(round_code: str, step: Step | Callable[[Round], Step],
                   make_form: Callable[..., CheckForm],
                   shown: Callable[[CheckAnswers], Any],
                   keep: Callable[[CheckAnswers, Any], None]):
    """Show one question, with the answer given before; on a valid answer keep it and go on
    to the next question not yet answered, or to the result."""
    summary = _checked_round(round_code)
    round_ = summary.round
    step = step(round_) if callable(step) else step
    answers = _answers(round_code)
    form = make_form(round_)
    if request.method == "GET":
        form.answer.data = shown(answers)
    elif form.validate_on_submit():
        keep(answers, form.answer.data)
        carried.keep_check_answers(session, round_code, answers.dump())
        following = checking.step_after(round_, answers, step)
        return redirect(step_url(round_code, following) if following else
                        url_for("rounds.check_result", round_code=round_code))
    return render_template("rounds/check_question.html", form=form, summary=summary,
                           back_url=_back_url(round_, answers, step))


def _kept_as_given(name: str) -> tuple[Callable[[CheckAnswers], Any],
                                       Callable[[CheckAnswers, Any], None]]:
    """How `_question_page` shows and keeps an answer held just as the form gives it, in the
    answers' attribute `name`."""

    def keep(answers: CheckAnswers, value: Any) -> None:
        setattr(answers, name, value)

    return (lambda answers: getattr(answers, name)), keep


@bp.route("/rounds/<round_code>/check/organisation-type", methods=["GET", "POST"])
def check_organisation_type(round_code: str):
    def keep(answers: CheckAnswers, value: str) -> None:
        answers.organisation_type = OrganisationType(value)

    return _question_page(
        round_code, Step(checking.ORGANISATION_TYPE), lambda round_: OrganisationTypeForm(),
        lambda answers: answers.organisation_type.value if answers.organisation_type else None,
        keep)


@bp.route("/rounds/<round_code>/check/where", methods=["GET", "POST"])
def check_where(round_code: str):
    return _question_page(
        round_code, Step(checking.WHERE),
        lambda round_: WhereForm(area=office_of_round(db.session, round_).short_name),
        *_kept_as_given("where"))


@bp.route("/rounds/<round_code>/check/areas", methods=["GET", "POST"])
def check_areas(round_code: str):
    def keep(answers: CheckAnswers, values: list[str]) -> None:
        answers.area_ids = [int(value) for value in values]

    return _question_page(
        round_code, Step(checking.AREAS),
        lambda round_: AreasForm(areas=areas_on_offer(db.session, round_)),
        lambda answers: [str(area_id) for area_id in answers.area_ids], keep)


@bp.route("/rounds/<round_code>/check/amount", methods=["GET", "POST"])
def check_amount(round_code: str):
    return _question_page(
        round_code, Step(checking.AMOUNT),
        lambda round_: AmountForm(award_range=in_page_language(award_range_text(round_))),
        *_kept_as_given("amount_pence"))


@bp.route("/rounds/<round_code>/check/priority", methods=["GET", "POST"])
def check_priority(round_code: str):
    return _question_page(
        round_code, Step(checking.PRIORITY),
        lambda round_: PriorityForm(choices=checking.priority_choices(round_)),
        *_kept_as_given("priority"))


@bp.route("/rounds/<round_code>/check/questions/<int:check_question_id>",
          methods=["GET", "POST"])
def check_question(round_code: str, check_question_id: int):
    def the_step(round_: Round) -> Step:
        question = next((question for question in round_.check_questions
                         if question.id == check_question_id), None)
        if question is None:
            raise NotFound("This round has no such question")
        return Step(checking.QUESTION, question)

    def keep(answers: CheckAnswers, value: str) -> None:
        answers.questions[check_question_id] = value == checking.YES

    def shown(answers: CheckAnswers) -> str | None:
        answer = answers.questions.get(check_question_id)
        return None if answer is None else (checking.YES if answer else checking.NO)

    return _question_page(
        round_code, the_step,
        lambda round_: QuestionForm(question=the_step(round_).question), shown, keep)


def _said(words: Words | str) -> str:
    """The operations' words in the page's language; what was typed or chosen as it is."""
    return in_page_language(words) if isinstance(words, Words) else words


@bp.get("/rounds/<round_code>/check/result")
def check_result(round_code: str):
    summary = _checked_round(round_code)
    round_ = summary.round
    answers = _answers(round_code)
    missing = checking.first_unanswered(round_, answers)
    if missing is not None:
        return redirect(step_url(round_code, missing))
    outcome = checking.result(db.session, round_, answers, clock.utcnow())
    return render_template(
        "rounds/check_result.html", summary=summary, round=round_, outcome=outcome,
        reasons=[(_said(reason.because), _said(reason.instead)) for reason in outcome.reasons],
        rows=[(_said(row.question), _said(row.answer), step_url(round_code, row.step))
              for row in checking.answer_rows(db.session, round_, answers)],
        start_url=(url_for("interest.start_interest" if round_.interest_closes_at
                           else "applications.start_application", round_code=round_code)
                   if summary.is_open else None),
        back_url=step_url(round_code, checking.steps(round_, answers)[-1]),
    )
