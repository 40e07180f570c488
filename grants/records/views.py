"""Admin pages: the audit log (read only) and exporting a person's data."""

import logging

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user

from grants.accounts.operations.users import find_user_by_email
from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core.downloads import attachment
from grants.core.paging import page_number
from grants.extensions import db
from grants.records.forms import AuditFilterForm, ExportPersonForm
from grants.records.operations import audit_log
from grants.records.operations.mail import transport_for
from grants.records.operations.sending import send_due
from grants.security.operations.export import export_json

logger = logging.getLogger(__name__)

bp = Blueprint("records", __name__, url_prefix="/admin")

# In development the queued emails are sent (to the log, without SMTP) after each request
# that queued them, so that a newcomer running `make run` can read the confirmation link.
DEVELOPMENT_SENDING_LIMIT = 20


@bp.after_app_request
def send_queued_emails(response: Response) -> Response:
    """Runs after the request's commit (registered before it, so Flask runs it after)."""
    if current_app.config.get("SEND_EMAILS_AFTER_EACH_REQUEST") and response.status_code < 400:
        send_due(db.session, transport_for(current_app.config), limit=DEVELOPMENT_SENDING_LIMIT)
    return response


def _actor_id(form: AuditFilterForm) -> tuple[int | None, bool]:
    """The user the "who did it" box names, and whether it names one at all."""
    text = form.user.data or ""
    if not text:
        return None, True
    if text.isascii() and text.isdigit():
        return int(text), True
    user = find_user_by_email(db.session, text)
    if user is None:
        form.user.errors.append("There is no user with that email address")
        return None, False
    return user.id, True


@bp.get("/audit")
@permission_required(permissions.may_view_audit_log)
def audit():
    form = AuditFilterForm(formdata=request.args)
    form.entity_type.choices = [("", "Any")] + [
        (kind, kind.replace("_", " ").capitalize()) for kind in audit_log.entity_types(db.session)
    ]
    valid = form.validate() if request.args else True
    actor_id, actor_found = _actor_id(form) if valid else (None, False)
    if valid and actor_found:
        filters = audit_log.AuditFilters(
            actor_id=actor_id,
            entity_type=form.entity_type.data or None,
            entity_id=form.entity_id.data,
            from_day=form.from_day.data,
            to_day=form.to_day.data,
        )
        page = audit_log.audit_page(db.session, filters,
                                    page_number(request.args.get("page")))
    else:
        page = None
    # The filters as given, for the page links (without the page number itself).
    query = {key: value for key, value in request.args.items(multi=True) if key != "page"}
    return render_template("records/audit.html", form=form, page=page, query=query)


@bp.route("/data-export", methods=["GET", "POST"])
@permission_required(permissions.may_export_personal_data)
def export_person():
    form = ExportPersonForm()
    if form.validate_on_submit():
        user = find_user_by_email(db.session, form.email.data)
        if user is None:
            form.email.errors.append("There is no user with that email address")
        else:
            text = export_json(db.session, user, actor_id=current_user.id)
            return attachment(text, filename=f"personal-data-user-{user.id}.json",
                              mimetype="application/json")
    return render_template("records/export.html", form=form)

