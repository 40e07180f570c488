"""Staff pages for nominations: the nomination rounds, a round's nominations by county with
each county's figures, and one nomination with its three answers (approve, ask for changes,
decline)."""

from flask import render_template, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.awards.operations.publicity import decisions_published
from grants.core.money import format_pounds
from grants.core.refusals import carry_out
from grants.decisions.operations import publishing
from grants.extensions import db
from grants.nominations.forms import ApproveForm, ChangesForm, DeclineForm
from grants.nominations.models import NominationStatus
from grants.nominations.operations import deciding, finding, guard, listing
from grants.nominations.views.blueprint import bp

staff_required = permission_required(permissions.may_decide_nominations)


@bp.get("/staff/nominations")
@staff_required
def staff_rounds():
    return render_template("nominations/staff_rounds.html",
                           rows=listing.nomination_rounds(db.session))


@bp.get("/staff/rounds/<int:round_id>/nominations")
@staff_required
def round_nominations(round_id: int):
    board = listing.round_nominations(db.session, round_id)
    return render_template("nominations/staff_round.html", board=board,
                           publication=publishing.publication(db.session, current_user,
                                                              board.round),
                           NominationStatus=NominationStatus)


def _staff_page(nomination_id: int, posted=None):
    """The nomination with staff's three answers; `posted` is the answer sent, shown again with
    its errors."""
    nomination = finding.get_nomination(db.session, nomination_id)
    decidable = nomination.status is NominationStatus.SUBMITTED
    declinable = nomination.status in permissions.CHANGEABLE_NOMINATION_STATUSES
    approve, changes, decline = (
        posted if isinstance(posted, form_class) else form_class(formdata=None)
        for form_class in (ApproveForm, ChangesForm, DeclineForm))
    return render_template(
        "nominations/staff_view.html", nomination=nomination,
        form=posted if posted is not None and posted.errors else None,
        approve_form=approve, changes_form=changes, decline_form=decline,
        decidable=decidable, declinable=declinable,
        published=decisions_published(nomination.round),
        position=guard.county_position(db.session, nomination.round_id,
                                          nomination.county_id, excluding=nomination.id))


@bp.get("/staff/nominations/<int:nomination_id>")
@staff_required
def staff_view(nomination_id: int):
    return _staff_page(nomination_id)


def _answer(nomination_id: int, form_class, operation, *, field: str, done):
    """Staff's answer to a nomination, with what they typed in `field`: done, back to the
    nomination saying `done`; else the nomination again with the answer's errors."""
    form = form_class()
    nomination_url = url_for("nominations.staff_view", nomination_id=nomination_id)
    answer = carry_out(
        form, lambda: operation(db.session, current_user, nomination_id,
                                form[field].data or ""),
        field=field, done=done,
        back_to=nomination_url)
    return answer or _staff_page(nomination_id, form)


@bp.post("/staff/nominations/<int:nomination_id>/approve")
@staff_required
def approve(nomination_id: int):
    form = ApproveForm()
    answer = carry_out(
        form, lambda: deciding.approve_nomination(
            db.session, current_user, nomination_id, form.conditions.data or "",
            public_reason=form.public_reason.data or ""),
        field="public_reason",
        done=lambda award: (f"Approved: {format_pounds(award.amount_pence)} to "
                            f"{award.organisation.name}. The organisation and the High Sheriff "
                            "are told when the round's decisions are published."),
        back_to=url_for("nominations.staff_view", nomination_id=nomination_id))
    return answer or _staff_page(nomination_id, form)


@bp.post("/staff/nominations/<int:nomination_id>/changes")
@staff_required
def ask_for_changes(nomination_id: int):
    return _answer(nomination_id, ChangesForm, deciding.request_changes, field="comment",
                   done="The High Sheriff has been asked to change the nomination.")


@bp.post("/staff/nominations/<int:nomination_id>/decline")
@staff_required
def decline(nomination_id: int):
    return _answer(nomination_id, DeclineForm, deciding.decline_nomination, field="reason",
                   done="The nomination was declined and the High Sheriff told.")
