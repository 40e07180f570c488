"""Staff pages for the questions a round asks applicants in its own task-list sections: adding,
changing, ordering and removing sections and questions, until the first application is sent."""

from flask import flash, redirect, render_template, request

from grants.core.errors import Refusal
from grants.core.refusals import carry_out, mark_refused, show_errors
from grants.extensions import db
from grants.funds.forms import AskedQuestionForm, QuestionSectionForm
from grants.funds.operations import round_questions, rounds
from grants.funds.operations.round_questions import QUESTIONS_LOCKED
from grants.funds.views.blueprint import actor_id, bp, round_url

ANCHOR = "question_sections"


def _back(round_id: int) -> str:
    return round_url(round_id, ANCHOR)


def _locked(round_) -> str | None:
    return rounds.locked_reason(db.session, round_, QUESTIONS_LOCKED)


def _section_of(round_id: int, question_section_id: int):
    """The round and the question section of it that the address names."""
    round_ = rounds.get_round(db.session, round_id)
    return round_, round_questions.find_section(round_, question_section_id)


def _question_of(round_id: int, round_question_id: int):
    """The round and the question of it that the address names."""
    round_ = rounds.get_round(db.session, round_id)
    return round_, round_questions.find_question(round_, round_question_id)


def _section_page(form, round_, section):
    return render_template("funds/question_section_form.html", form=form, round=round_,
                           section=section, locked_reason=_locked(round_))


def _question_page(form, round_, section, question):
    return render_template("funds/application_question_form.html", form=form, round=round_,
                           section=section, question=question, locked_reason=_locked(round_))


@bp.route("/rounds/<int:round_id>/question-sections/new", methods=["GET", "POST"])
def new_question_section(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    form = QuestionSectionForm()
    answer = carry_out(
        form, lambda: round_questions.add_section(db.session, round_, form.title.data or "",
                                                  actor_id=actor_id()),
        field="title", done="Section added", then=_back(round_id))
    return answer or _section_page(form, round_, None)


@bp.route("/rounds/<int:round_id>/question-sections/<int:question_section_id>/edit",
          methods=["GET", "POST"])
def edit_question_section(round_id: int, question_section_id: int):
    round_, section = _section_of(round_id, question_section_id)
    form = QuestionSectionForm()
    if request.method == "GET":
        form.title.data = section.title
    answer = carry_out(
        form, lambda: round_questions.rename_section(db.session, section, form.title.data or "",
                                                     actor_id=actor_id()),
        field="title", done="Section saved", then=_back(round_id))
    return answer or _section_page(form, round_, section)


@bp.post("/rounds/<int:round_id>/question-sections/<int:question_section_id>/remove")
def remove_question_section(round_id: int, question_section_id: int):
    round_, section = _section_of(round_id, question_section_id)
    try:
        round_questions.remove_section(db.session, section, actor_id=actor_id())
    except Refusal as error:
        form = QuestionSectionForm(formdata=None)
        form.title.data = section.title
        show_errors(form, error, "title")
        return _section_page(form, round_, section)
    flash("Section removed", "success")
    return redirect(_back(round_id))


def _moved(round_id: int, move) -> object:
    """Carry out a move; a refusal (the questions would come before what they depend on, or
    the round has applications) is said on the round page."""
    try:
        move()
    except Refusal as error:
        mark_refused()
        flash(error.message, "info")
    return redirect(_back(round_id))


@bp.post("/rounds/<int:round_id>/question-sections/<int:question_section_id>"
         "/move-<any(up,down):way>")
def move_question_section(round_id: int, question_section_id: int, way: str):
    round_, section = _section_of(round_id, question_section_id)
    return _moved(round_id, lambda: round_questions.move_section(
        db.session, section, up=way == "up", actor_id=actor_id()))


@bp.route("/rounds/<int:round_id>/question-sections/<int:question_section_id>/questions/new",
          methods=["GET", "POST"])
def new_application_question(round_id: int, question_section_id: int):
    round_, section = _section_of(round_id, question_section_id)
    form = AskedQuestionForm()
    form.offer(round_questions.conditions_on_offer(round_, None, section))
    answer = carry_out(
        form, lambda: round_questions.add_question(db.session, section, form.details(),
                                                   actor_id=actor_id()),
        field="wording", done="Question added", then=_back(round_id))
    return answer or _question_page(form, round_, section, None)


@bp.route("/rounds/<int:round_id>/application-questions/<int:round_question_id>/edit",
          methods=["GET", "POST"])
def edit_application_question(round_id: int, round_question_id: int):
    round_, question = _question_of(round_id, round_question_id)
    form = AskedQuestionForm()
    form.offer(round_questions.conditions_on_offer(round_, question, question.section))
    if request.method == "GET":
        form.fill_from(question)
    answer = carry_out(
        form, lambda: round_questions.update_question(db.session, question, form.details(),
                                                      actor_id=actor_id()),
        field="wording", done="Question saved", then=_back(round_id))
    return answer or _question_page(form, round_, question.section, question)


@bp.post("/rounds/<int:round_id>/application-questions/<int:round_question_id>/remove")
def remove_application_question(round_id: int, round_question_id: int):
    round_, question = _question_of(round_id, round_question_id)
    try:
        round_questions.remove_question(db.session, question, actor_id=actor_id())
    except Refusal as error:
        form = AskedQuestionForm(formdata=None)
        form.offer(round_questions.conditions_on_offer(round_, question, question.section))
        form.fill_from(question)
        show_errors(form, error, "wording")
        return _question_page(form, round_, question.section, question)
    flash("Question removed", "success")
    return redirect(_back(round_id))


@bp.post("/rounds/<int:round_id>/application-questions/<int:round_question_id>"
         "/move-<any(up,down):way>")
def move_application_question(round_id: int, round_question_id: int, way: str):
    round_, question = _question_of(round_id, round_question_id)
    return _moved(round_id, lambda: round_questions.move_question(
        db.session, question, up=way == "up", actor_id=actor_id()))
