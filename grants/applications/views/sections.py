"""The application's task list, and the page of each section that has no page of its own."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from grants.applications.forms.questions import questions_form
from grants.applications.forms.sections import SECTION_FORMS
from grants.applications.models import SectionStatus
from grants.applications.operations import answers, loading
from grants.applications.operations.sections import section_for
from grants.applications.operations.starting import ensure_round_open
from grants.applications.views.blueprint import bp
from grants.applications.views.common import (
    application_for,
    saved_for_later,
    section_url,
    to_next_section,
)
from grants.auth import permissions
from grants.core.errors import Refusal
from grants.core.refusals import in_page_language, mark_refused, refused
from grants.core.validators import sent_number
from grants.extensions import db
from grants.funds.models import Round


@bp.get("/applications/<int:application_id>")
@login_required
def task_list(application_id: int):
    application = application_for(permissions.may_view_application, application_id,
                                  answers=False)
    if not permissions.may_edit_application(current_user, application):
        return redirect(url_for("applications.view_application",
                                application_id=application.id))
    sections = loading.task_list(application)
    return render_template(
        "applications/task_list.html", application=application,
        sections=[(section, status, section_url(application, section))
                  for section, status in sections],
        completed=sum(status is SectionStatus.COMPLETED for _, status in sections),
        complete=loading.all_sections_complete(application),
        may_submit=permissions.may_submit_applications(current_user),
        check_answers_url=url_for("applications.check_answers",
                                  application_id=application.id),
        round_open=_is_open(application.round),
    )


def _is_open(round_: Round) -> bool:
    try:
        ensure_round_open(round_)
    except Refusal:
        return False
    return True


@bp.route("/applications/<int:application_id>/sections/<key>", methods=["GET", "POST"])
@login_required
def edit_section(application_id: int, key: str):
    application = application_for(permissions.may_edit_application, application_id)
    section = section_for(application.round, key)
    form_class = _form_class(application, section)
    if form_class is None:
        abort(404)
    row = loading.section_row(application, key)

    if request.method == "GET":
        if row is not None and row.answers:
            form = form_class(formdata=MultiDict(
                [(name, value) for name, values in row.answers.items() for value in values]),
                application=application)
        else:
            form = form_class(data=form_class.initial_data(application),
                              application=application)
        form.version.data = str(row.version if row else 0)
        return _render_section(application, section, form)

    form = form_class(application=application)
    expected_version = sent_number(form.version.data)
    if expected_version is None:
        # Every page sends the version it was opened at; without it the check that nobody
        # else changed the section in the meantime could not be made.
        abort(400)
    action = request.form.get("action")
    later = action == "later"
    added = _rearranged(form, action)
    valid = form.validate()
    try:
        outcome = answers.save_section(
            db.session, current_user, application, key,
            answers=form.answers(),
            expected_version=expected_version,
            apply=form.apply() if valid else None,
        )
    except answers.SectionChanged as changed:
        mark_refused()
        form.version.data = str(changed.row.version)
        return _render_section(application, section, form,
                               conflict=in_page_language(changed.message))
    except Refusal as error:
        return refused(error, "applications.task_list", application_id=application.id)

    onward = _onward(application, section, later=later, added=added,
                     completed=outcome.completed)
    if onward is not None:
        return onward
    for name, message in outcome.errors.items():
        getattr(form, name).errors.append(in_page_language(message))
    form.version.data = str(loading.section_row(application, key).version)
    return _render_section(application, section, form)


def _form_class(application, section):
    """The section's form: its own, or the one made for a section of the round's questions."""
    if section is None:
        return None
    if section.question_section_id is None:
        return SECTION_FORMS.get(section.key)
    own = next(s for s in application.round.question_sections
               if s.id == section.question_section_id)
    return questions_form(own)


def _rearranged(form, action: str | None) -> str | None:
    """Carry out an "Add another" or "Remove" button: the id of the place on the page to go
    back to, or None when the button pressed was neither (or could do nothing)."""
    if action == "add_another":
        return form.add_another()
    number = sent_number(action.removeprefix("remove_")) if action and \
        action.startswith("remove_") else None
    return form.remove(number) if number is not None else None


def _onward(application, section, *, later: bool, added: str | None, completed: bool):
    """Where a saved section's page goes: to the task list ("save and come back later"), to
    the page again at the item "Add another" added, or on once the section is complete; None
    to show the page again with its errors."""
    if later:
        return saved_for_later(application, "answers")
    if added is not None:
        return redirect(f"{section_url(application, section)}#{added}")
    if completed:
        return to_next_section(application, section.key)
    return None


def _render_section(application, section, form, *, conflict: str | None = None):
    return render_template(
        section.template, application=application,
        section=section, form=form, conflict=conflict,
    )
