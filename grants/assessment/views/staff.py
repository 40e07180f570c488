"""Staff pages: a round's applications (list, CSV, bulk "mark as eligible"), the staff view of
an application, eligibility screening and its reversal, questions to the applicant and
internal notes."""

import logging

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.applications.models import Application, ApplicationStatus, DocumentKind
from grants.applications.operations import loading as application_services
from grants.applications.operations import questions as round_questions
from grants.assessment.forms import (
    BulkEligibleForm,
    ClarificationForm,
    NoteForm,
    ReverseScreeningForm,
    screening_form_class,
)
from grants.assessment.models import EligibilityAnswerValue, ScreeningOutcome
from grants.assessment.operations import (
    bulk_eligibility,
    clarifications,
    history,
    listing,
    notes,
    screening,
    screening_reversal,
)
from grants.assessment.views.blueprint import bp
from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core import clock
from grants.core.downloads import csv_attachment
from grants.core.refusals import carry_out
from grants.core.validators import sent_number
from grants.extensions import db

logger = logging.getLogger(__name__)

screening_required = permission_required(permissions.may_screen)


# --- The list -----------------------------------------------------------------------------

@bp.get("/staff/rounds/<int:round_id>/applications")
@screening_required
def list_applications(round_id: int):
    round_ = listing.get_round(db.session, round_id)
    filters = listing.ApplicationFilters.from_args(request.args)
    page = listing.list_applications(db.session, round_, filters)
    return render_template(
        "assessment/applications.html", round=round_, result=page, filters=filters,
        choices=listing.filter_choices(db.session, round_),
        status_labels=listing.STATUS_LABELS, sort_labels=listing.SORT_LABELS,
        bulk_form=BulkEligibleForm(),
    )


@bp.get("/staff/rounds/<int:round_id>/applications.csv")
@screening_required
def download_applications_csv(round_id: int):
    round_ = listing.get_round(db.session, round_id)
    filters = listing.ApplicationFilters.from_args(request.args)
    today = clock.today_in_london()
    return csv_attachment(listing.applications_csv(db.session, round_, filters),
                          filename=f"{round_.code}-applications-{today.isoformat()}.csv")


@bp.post("/staff/rounds/<int:round_id>/applications/mark-eligible")
@screening_required
def mark_eligible(round_id: int):
    round_ = listing.get_round(db.session, round_id)
    filters = listing.ApplicationFilters.from_args(request.form)
    back = url_for("assessment.list_applications", round_id=round_.id,
                   **filters.query_args())
    form = BulkEligibleForm()
    if not form.validate_on_submit():
        abort(400)
    ids = [number for number in map(sent_number, request.form.getlist("application_id"))
           if number is not None]
    if not ids:
        flash("Select the applications to mark as eligible.", "info")
        return redirect(back)
    outcome = bulk_eligibility.mark_eligible_in_bulk(db.session, current_user, round_.id, ids)
    if outcome.marked:
        count = len(outcome.marked)
        flash(f"{count} application{'' if count == 1 else 's'} marked as eligible: "
              + ", ".join(application.reference for application in outcome.marked), "success")
    for application, why in outcome.skipped:
        flash(f"{application.reference} was not marked as eligible: {why}.", "info")
    return redirect(back)


# --- The staff view of an application ------------------------------------------------------

def _staff_application(application_id: int) -> Application:
    """A sent application (drafts are the applicant's until they send them)."""
    application = application_services.get_application(db.session, application_id)
    if application.status is ApplicationStatus.DRAFT:
        abort(404)
    return application


def _page_context(application: Application) -> dict:
    session = db.session
    questions = list(application.round.eligibility_questions)
    answers = screening.answers_for(session, application.id)
    decisions = screening.decisions_for(session, application.id)
    return {
        "application": application,
        "status_label": listing.STATUS_LABELS[application.status],
        "documents_by_kind": [
            (kind, [d for d in application.documents if d.kind is kind]) for kind in DocumentKind
        ],
        "questions": questions,
        "answers": answers,
        "answered_sections": round_questions.answered_sections(application),
        "decisions": decisions,
        "decision": decisions[0] if decisions else None,
        "may_screen_now": application.status is ApplicationStatus.SUBMITTED,
        "reversal_outcome": screening_reversal.reversal_outcome(application),
        "clarifications": clarifications.clarifications_for(session, application.id),
        "notes": notes.notes_for(session, application.id),
        "history": history.application_history(session, application.id),
        "history_label": history.history_label,
        "max_question_length": clarifications.MAX_QUESTION_LENGTH,
        "max_note_length": notes.MAX_NOTE_LENGTH,
    }


def _render_application(application: Application, *, ask_form=None, note_form=None,
                        failed=None):
    context = _page_context(application)
    return render_template(
        "assessment/application.html",
        ask_form=ask_form or ClarificationForm(formdata=None),
        note_form=note_form or NoteForm(formdata=None),
        # The form with errors, so the page title starts "Error:".
        form=failed,
        **context,
    )


@bp.get("/staff/applications/<int:application_id>")
@screening_required
def view_application(application_id: int):
    return _render_application(_staff_application(application_id))


def _add_to_application(application_id: int, form_class, write, *, slot: str, field: str,
                        done: str, anchor: str):
    """A form on the application's page: `write(application, form)`, then back to its part of
    the page; or the page again with the form (in its `slot`) and its errors."""
    application = _staff_application(application_id)
    form = form_class()
    answer = carry_out(
        form, lambda: write(application, form), field=field, done=done,
        then=url_for("assessment.view_application", application_id=application.id,
                     _anchor=anchor))
    return answer or _render_application(application, failed=form, **{slot: form})


@bp.post("/staff/applications/<int:application_id>/clarifications")
@screening_required
def ask_clarification(application_id: int):
    return _add_to_application(
        application_id, ClarificationForm,
        lambda application, form: clarifications.ask_clarification(
            db.session, current_user, application, form.question.data),
        slot="ask_form", field="question", done="Question sent to the applicant.",
        anchor="questions")


@bp.post("/staff/applications/<int:application_id>/notes")
@screening_required
def add_note(application_id: int):
    return _add_to_application(
        application_id, NoteForm, lambda application, form: notes.add_note(
            db.session, current_user, application, form.body.data),
        slot="note_form", field="body", done="Note added.", anchor="notes")


# --- Screening ----------------------------------------------------------------------------

@bp.route("/staff/applications/<int:application_id>/screening", methods=["GET", "POST"])
@screening_required
def screen_application(application_id: int):
    application = _staff_application(application_id)
    view_url = url_for("assessment.view_application", application_id=application.id)
    if application.status is not ApplicationStatus.SUBMITTED:
        flash("This application has already been screened. To change the decision, reverse "
              "it and give a reason." if application.status in screening.SCREENED_STATUSES
              else "This application cannot be screened.", "info")
        return redirect(view_url)
    questions = list(application.round.eligibility_questions)
    form_class = screening_form_class(questions)
    if request.method == "GET":
        form = _saved_screening(form_class, questions, application)
    else:
        form = form_class()
    # A refusal not about the answers (someone else screened it meanwhile) is said on the
    # application's page.
    answer = carry_out(
        form, lambda: _screen_or_save(form, application), field="reason",
        done=lambda decision: _screening_done(application, decision),
        then=lambda decision: view_url if decision is not None else url_for(
            "assessment.screen_application", application_id=application.id),
        refusals_to=view_url)
    if answer is not None:
        return answer
    posted = {question.id: _chosen(form, question.id) for question in questions}
    failing = screening.failing_questions(questions, posted)
    if form.errors and request.form.get("action") != "save" and not failing:
        # The form refused an answer before the rules ran: say at once, as the rules would,
        # which mandatory questions are still unanswered.
        for question in screening.unanswered_mandatory(questions, posted):
            field = getattr(form, screening.answer_field(question.id))
            if not field.errors:
                field.errors = ["Select yes, no or not applicable"]
    return render_template(
        "assessment/screening.html", application=application, form=form,
        questions=questions, failing=failing,
        applicant_answers=round_questions.for_screeners(application),
        suggestion=screening.suggested_reason(failing),
        max_reason_length=screening.MAX_REASON_LENGTH,
        max_note_length=screening.MAX_NOTE_LENGTH,
    )


def _saved_screening(form_class, questions, application: Application):
    """The screening form with the answers saved so far, and a suggested reason for the
    applicant when a mandatory question is answered no."""
    stored = screening.answers_for(db.session, application.id)
    form = form_class(formdata=None)
    for question in questions:
        row = stored.get(question.id)
        if row is not None:
            getattr(form, screening.answer_field(question.id)).data = row.answer.value
            getattr(form, screening.note_field(question.id)).data = row.note
    failing = screening.failing_questions(
        questions, {qid: row.answer for qid, row in stored.items()})
    form.reason.data = screening.suggested_reason(failing)
    return form


def _screen_or_save(form, application: Application):
    """The screening decision, or None when staff only saved the answers so far."""
    if request.form.get("action") == "save":
        screening.save_answers(db.session, current_user, application, form.inputs())
        return None
    return screening.screen_application(db.session, current_user, application, form.inputs(),
                                        reason=form.reason.data or "")


def _screening_done(application: Application, decision) -> str:
    if decision is None:
        return "Eligibility answers saved. No decision has been made yet."
    words = ("eligible" if decision.outcome is ScreeningOutcome.ELIGIBLE
             else "not eligible. The applicant has been told why")
    return f"{application.reference} is {words}."


def _chosen(form, question_id: int):
    value = getattr(form, screening.answer_field(question_id)).data
    return next((v for v in EligibilityAnswerValue if v.value == value), None)


@bp.route("/staff/applications/<int:application_id>/screening/reverse",
          methods=["GET", "POST"])
@screening_required
def reverse_screening(application_id: int):
    application = _staff_application(application_id)
    view_url = url_for("assessment.view_application", application_id=application.id)
    outcome = screening_reversal.reversal_outcome(application)
    if outcome is None:
        flash("This application has no screening decision that can be reversed.", "info")
        return redirect(view_url)
    blocked = (screening_reversal.REVIEWERS_ASSIGNED
               if outcome is ScreeningOutcome.INELIGIBLE
               and application.status is ApplicationStatus.IN_REVIEW
               and screening_reversal.has_active_reviewers(db.session, application.id)
               else None)
    form = ReverseScreeningForm()
    # A refusal not about the answers (changed by someone else meanwhile) is said on the
    # application's page.
    answer = None if blocked else carry_out(
        form, lambda: screening_reversal.reverse_screening(
            db.session, current_user, application, reason=form.reason.data,
            applicant_reason=form.applicant_reason.data or ""),
        field="reason", back_to=view_url,
        done=(f"Decision reversed: {application.reference} is now "
              f"{outcome.label.lower()}."))
    return answer or render_template(
        "assessment/reverse_screening.html", application=application, form=form,
        outcome=outcome, blocked=blocked,
        decision=screening.latest_decision(db.session, application.id),
        max_reason_length=screening.MAX_REASON_LENGTH,
    )
