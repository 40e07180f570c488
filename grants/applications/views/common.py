"""What the applications pages share: loading the application a person may act on, the page
that edits each section, and where a section's page goes once it is saved."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from grants.applications.models import Application
from grants.applications.operations.loading import get_application
from grants.applications.operations.sections import Section, next_section
from grants.auth import permissions
from grants.auth.decorators import permitted
from grants.extensions import db


def application_for(check, application_id: int, *, answers: bool = True) -> Application:
    """The application, when the person may do this to it; 404 when they may not see it.
    (`answers`: as `loading.get_application` says.)"""
    return permitted(get_application(db.session, application_id, answers=answers),
                     permissions.may_view_application, check)


def viewable_application(application_id: int) -> Application:
    """The application, when the person may see it; 404 when they may not."""
    return application_for(permissions.may_view_application, application_id)


def section_url(application: Application, section: Section) -> str:
    """The page that edits the section."""
    if section.endpoint == "applications.edit_section":
        return url_for(section.endpoint, application_id=application.id, key=section.key)
    return url_for(section.endpoint, application_id=application.id)


def saved_for_later(application: Application, what: str):
    """Back to the task list, saying that the section's `what` ("answers" or "documents") are
    kept."""
    saved = (_("Your documents are saved. You can come back to them at any time before the "
               "round closes.") if what == "documents" else
             _("Your answers are saved. You can come back to them at any time before the round "
               "closes."))
    flash(saved, "success")
    return redirect(url_for("applications.task_list", application_id=application.id))


def to_next_section(application: Application, key: str):
    """On to the section after this completed one; after the last, back to the task list."""
    following = next_section(key, application.round)
    return redirect(section_url(application, following) if following else
                    url_for("applications.task_list", application_id=application.id))
