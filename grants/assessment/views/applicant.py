"""The applicant's page for staff's questions about their application: read them and answer
each once. The application itself stays as it was sent."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from grants.applications.operations import loading as application_services
from grants.assessment.forms import AnswerForm
from grants.assessment.operations import clarifications, screening
from grants.assessment.views.blueprint import bp
from grants.core.refusals import carry_out
from grants.extensions import db


@bp.route("/applications/<int:application_id>/questions", methods=["GET", "POST"])
@login_required
def answer_questions(application_id: int):
    application = application_services.get_application(db.session, application_id)
    clarifications.ensure_may_answer(current_user, application)
    failed_id: int | None = None
    failed_form: AnswerForm | None = None
    if request.method == "POST":
        clarification_id = request.form.get("clarification_id", "")
        if not (clarification_id.isascii() and clarification_id.isdigit()) \
                or len(clarification_id) > 9:
            abort(404)
        clarification = clarifications.get_clarification(db.session, application.id,
                                                          int(clarification_id))
        form = AnswerForm()
        questions_url = url_for("assessment.answer_questions", application_id=application.id)
        # A refusal not about the answer (answered meanwhile, or withdrawn) is said on the page.
        answer = carry_out(
            form, lambda: clarifications.answer_clarification(
                db.session, current_user, application, clarification, form.answer.data),
            field="answer", done=_("Thank you. Your answer has been sent to the grants team."),
            back_to=questions_url)
        if answer is not None:
            return answer
        failed_id, failed_form = clarification.id, form
    questions = clarifications.clarifications_for(db.session, application.id)
    forms = {
        question.id: (failed_form if question.id == failed_id
                      else AnswerForm(formdata=None))
        for question in questions if question.answered_at is None
    }
    return render_template(
        "assessment/questions.html", application=application, questions=questions,
        forms=forms, failed_id=failed_id, form=failed_form,
        status=application_services.applicant_status(application),
        ineligible_reason=screening.ineligible_reason(db.session, application),
        max_answer_length=clarifications.MAX_ANSWER_LENGTH,
    )
