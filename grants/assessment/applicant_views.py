"""The applicant's page for staff's questions about their application: read them and answer
each once. The application itself stays as it was sent. Routes on the assessment blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from grants.applications.models import Application
from grants.applications.operations import loading as application_services
from grants.assessment import clarifications, screening
from grants.assessment.blueprint import bp
from grants.assessment.staff_forms import AnswerForm
from grants.auth import permissions
from grants.core.errors import Refusal, ValidationFailed
from grants.extensions import db


def _member_application(application_id: int) -> Application:
    """The application, for members of its organisation; anyone else is told it does not
    exist."""
    application = application_services.get_application(db.session, application_id)
    if not permissions.may_answer_clarifications(current_user, application):
        abort(404)
    return application


@bp.route("/applications/<int:application_id>/questions", methods=["GET", "POST"])
@login_required
def answer_questions(application_id: int):
    application = _member_application(application_id)
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
        if form.validate_on_submit():
            try:
                clarifications.answer_clarification(db.session, current_user, application,
                                                    clarification, form.answer.data)
            except ValidationFailed as failure:
                db.session.rollback()
                form.answer.errors = [*form.answer.errors, *failure.errors.values()]
                application = _member_application(application_id)
            except Refusal as refusal:  # answered meanwhile, or withdrawn
                db.session.rollback()
                flash(refusal.message, "info")
                return redirect(url_for("assessment.answer_questions",
                                        application_id=application_id))
            else:
                flash("Thank you. Your answer has been sent to the grants team.", "success")
                return redirect(url_for("assessment.answer_questions",
                                        application_id=application.id))
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
