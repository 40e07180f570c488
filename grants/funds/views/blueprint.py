"""The staff funds and rounds blueprint, and what every page of it shares."""

from typing import Any

from flask import Blueprint, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors

from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.funds.models import RoundKind
from grants.funds.operations import wording

bp = Blueprint("funds", __name__, url_prefix="/staff")

# Date inputs are three boxes: the error summary links to the first.
DATE_FIELDS = ("opens_at", "closes_at")

# Every page here is for OPCC staff (and admins) only.
every_page_requires(bp, permissions.may_view_staff_pages)


@bp.context_processor
def page_helpers() -> dict[str, Any]:
    return {"summary_errors": summary_errors, "kind_labels": wording.KIND_LABELS,
            "kind_hints": wording.KIND_HINTS, "status_labels": wording.STATUS_LABELS,
            "RoundKind": RoundKind}


def summary_errors(form: FlaskForm, hrefs: dict[str, str] | None = None) -> dict[str, Any]:
    """The error summary's items, each linking to its field (a date's day box)."""
    params = wtforms_errors(form)
    targets = {f"#{name}": f"#{name}-day" for name in DATE_FIELDS}
    targets.update({f"#{name}": href for name, href in (hrefs or {}).items()})
    for item in params["errorList"]:
        item["href"] = targets.get(item["href"], item["href"])
    return params


def actor_id() -> int:
    return current_user.id


def round_url(round_id: int, anchor: str | None = None) -> str:
    return url_for("funds.view_round", round_id=round_id, _anchor=anchor)


def to_round(round_id: int, anchor: str | None = None):
    return redirect(round_url(round_id, anchor))
