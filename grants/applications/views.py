"""Applying: starting an application, its task list, and each section's page."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from grants.applications import services
from grants.applications.blueprint import bp
from grants.applications.forms import SECTION_FORMS, StartApplicationForm
from grants.applications.models import Application, SectionStatus
from grants.applications.sections import SECTIONS_BY_KEY, next_section
from grants.auth import permissions
from grants.core.errors import Refusal
from grants.extensions import db
from grants.funds.models import Round
from grants.organisations.services import organisations_of


def _round_by_code(code: str) -> Round:
    round_ = db.session.scalars(select(Round).where(
        Round.code == code, Round.launched_at.is_not(None), Round.archived_at.is_(None))
    ).one_or_none()
    if round_ is None:
        abort(404)
    return round_


@bp.route("/rounds/<round_code>/apply", methods=["GET", "POST"])
@login_required
def start_application(round_code: str):
    """Choose which organisation to apply for; organisations the round does not accept are
    shown with the reason, before anyone types anything."""
    round_ = _round_by_code(round_code)
    organisations = organisations_of(db.session,
                                     permissions.active_organisation_ids(current_user))
    reasons = {o.id: services.why_organisation_cannot_apply(round_, o) for o in organisations}
    eligible = [o for o in organisations if reasons[o.id] is None]
    form = StartApplicationForm()
    form.organisation_id.choices = [(str(o.id), o.name) for o in eligible]
    if len(eligible) == 1 and not form.is_submitted():
        form.organisation_id.data = str(eligible[0].id)  # the only choice, chosen already
    closed_reason = None
    try:
        services.ensure_round_open(round_)
    except Refusal as error:
        closed_reason = error.message
    if form.validate_on_submit() and closed_reason is None:
        chosen = next((o for o in eligible if str(o.id) == form.organisation_id.data), None)
        if chosen is None:
            form.organisation_id.errors.append("Select the organisation you are applying for")
        else:
            try:
                application, created = services.start_application(
                    db.session, current_user, round_, chosen)
            except Refusal as error:
                db.session.rollback()
                form.organisation_id.errors.append(error.message)
            else:
                if not created:
                    flash(f"{chosen.name} has already started an application to this round. "
                          "Here it is.", "info")
                return redirect(url_for("applications.task_list",
                                        application_id=application.id))
    return render_template("applications/start.html", round=round_, form=form,
                           organisations=organisations, reasons=reasons, eligible=eligible,
                           closed_reason=closed_reason,
                           back_url=_url_if_registered("rounds.view_round", code=round_.code)
                           or url_for("organisations.dashboard"))


def _application_for(check, application_id: int) -> Application:
    """The application, when the person may do this to it; 404 when they may not see it."""
    application = services.get_application(db.session, application_id)
    if not permissions.may_view_application(current_user, application):
        abort(404)
    if not check(current_user, application):
        abort(403)
    return application


@bp.get("/applications/<int:application_id>")
@login_required
def task_list(application_id: int):
    application = _application_for(permissions.may_view_application, application_id)
    if not permissions.may_edit_application(current_user, application):
        return redirect(url_for("applications.view_application",
                                application_id=application.id))
    sections = services.task_list(application)
    return render_template(
        "applications/task_list.html", application=application,
        sections=[(section, status, section_url(application, section))
                  for section, status in sections],
        completed=sum(status is SectionStatus.COMPLETED for _, status in sections),
        complete=services.all_sections_complete(application),
        may_submit=permissions.may_submit_applications(current_user),
        check_answers_url=_url_if_registered("applications.check_answers",
                                             application_id=application.id),
        round_open=_is_open(application.round),
    )


def section_url(application: Application, section) -> str | None:
    """The page that edits the section, once it exists."""
    if section.endpoint not in current_app.view_functions:
        return None
    if section.endpoint == "applications.edit_section":
        return url_for(section.endpoint, application_id=application.id, key=section.key)
    return url_for(section.endpoint, application_id=application.id)


def _url_if_registered(endpoint: str, **values) -> str | None:
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def _is_open(round_: Round) -> bool:
    try:
        services.ensure_round_open(round_)
    except Refusal:
        return False
    return True


@bp.route("/applications/<int:application_id>/sections/<key>", methods=["GET", "POST"])
@login_required
def edit_section(application_id: int, key: str):
    section = SECTIONS_BY_KEY.get(key)
    form_class = SECTION_FORMS.get(key)
    if section is None or form_class is None:
        abort(404)
    application = _application_for(permissions.may_edit_application, application_id)
    row = services.section_row(application, key)

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
    later = request.form.get("action") == "later"
    valid = form.validate()
    try:
        outcome = services.save_section(
            db.session, current_user, application, key,
            answers=form.answers(),
            expected_version=_int(form.version.data),
            apply=form.apply() if valid else None,
        )
    except services.SectionChanged as changed:
        db.session.rollback()
        form.version.data = str(changed.row.version)
        return _render_section(application, section, form, conflict=changed.message)
    except Refusal as error:
        db.session.rollback()
        flash(error.message, "info")
        return redirect(url_for("applications.task_list", application_id=application.id))

    if later:
        flash("Your answers are saved. You can come back to them at any time before the "
              "round closes.", "success")
        return redirect(url_for("applications.task_list", application_id=application.id))
    if outcome.completed:
        following = next_section(key)
        following_url = section_url(application, following) if following else None
        return redirect(following_url or url_for("applications.task_list",
                                                 application_id=application.id))
    for name, message in outcome.errors.items():
        getattr(form, name).errors.append(message)
    form.version.data = str(services.section_row(application, key).version)
    return _render_section(application, section, form)


def _int(value: str | None) -> int | None:
    # ASCII digits only ("²" is a digit to isdigit, not to int), few enough for the database.
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 9 \
        else None


def _render_section(application, section, form, *, conflict: str | None = None):
    return render_template(
        f"applications/sections/{section.key}.html", application=application,
        section=section, form=form, conflict=conflict,
    )


from grants.applications import documents_views, submission_views  # noqa: E402,F401
