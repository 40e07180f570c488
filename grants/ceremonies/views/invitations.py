"""Staff's pages for one invitation: sending it again (to a new address), cancelling it, and
recording a reply the organisation gave by phone."""

from flask import render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.ceremonies.forms import CancelInvitationForm, PhoneReplyForm, SendAgainForm
from grants.ceremonies.models import CeremonyInvitation
from grants.ceremonies.operations import changing, replying
from grants.ceremonies.views.blueprint import bp
from grants.core.refusals import carry_out
from grants.extensions import db

ceremonies_staff_required = permission_required(permissions.may_plan_ceremonies)


def _invitation(invitation_id: int) -> CeremonyInvitation:
    return replying.get_invitation(db.session, invitation_id, cancelled_too=True)


def _guest_list_url(invitation: CeremonyInvitation) -> str:
    return url_for("ceremonies.view_ceremony", ceremony_id=invitation.ceremony_id)


@bp.route("/staff/ceremonies/invitations/<int:invitation_id>/send-again",
          methods=["GET", "POST"])
@ceremonies_staff_required
def send_invitation_again(invitation_id: int):
    invitation = _invitation(invitation_id)
    form = SendAgainForm()
    if request.method == "GET":
        form.sent_to.data = invitation.sent_to or invitation.organisation.contact_email
    answer = carry_out(
        form, lambda: changing.send_again(db.session, current_user, invitation,
                                          form.sent_to.data or ""),
        field="sent_to",
        done=lambda sent: (f"Invitation to {sent.organisation.name} sent again to "
                           f"{sent.sent_to}."),
        back_to=_guest_list_url(invitation),
        ruled_out=changing.why_not_changeable(invitation))
    return answer or render_template("ceremonies/send_again.html", invitation=invitation,
                                     ceremony=invitation.ceremony, form=form)


@bp.route("/staff/ceremonies/invitations/<int:invitation_id>/cancel", methods=["GET", "POST"])
@ceremonies_staff_required
def cancel_invitation(invitation_id: int):
    invitation = _invitation(invitation_id)
    form = CancelInvitationForm()
    answer = carry_out(
        form, lambda: changing.cancel_invitation(db.session, current_user, invitation,
                                                 form.message.data or ""),
        field="message",
        done=lambda cancelled: (f"Invitation to {cancelled.organisation.name} cancelled."
                                + (" Its contact has been emailed." if cancelled.sent_to
                                   else "")),
        back_to=_guest_list_url(invitation),
        ruled_out=changing.why_not_changeable(invitation))
    return answer or render_template("ceremonies/cancel.html", invitation=invitation,
                                     ceremony=invitation.ceremony, form=form,
                                     max_length=changing.MAX_MESSAGE)


@bp.route("/staff/ceremonies/invitations/<int:invitation_id>/phone-reply",
          methods=["GET", "POST"])
@ceremonies_staff_required
def take_phone_reply(invitation_id: int):
    invitation = _invitation(invitation_id)
    form = PhoneReplyForm()
    if request.method == "GET":
        form.fill_from(invitation)
    answer = carry_out(
        form, lambda: changing.take_reply_by_phone(db.session, current_user, invitation,
                                                   form.reply()),
        field="attending",
        done=lambda replied: f"Reply from {replied.organisation.name} recorded as taken by "
                             "phone.",
        back_to=_guest_list_url(invitation),
        ruled_out=changing.why_not_changeable(invitation))
    return answer or render_template("ceremonies/phone_reply.html", invitation=invitation,
                                     ceremony=invitation.ceremony, form=form)
