"""Claiming an organisation's account from an emailed invitation: sign in (or create an
account) with the address it was sent to, then join the organisation."""

from flask import render_template, request, url_for
from flask_login import current_user

from grants.accounts.operations.tokens import InvalidToken
from grants.auth import permissions
from grants.core.refusals import carry_out
from grants.extensions import db
from grants.nominations.forms import ActionForm
from grants.nominations.views.blueprint import bp
from grants.organisations.notifications import read_claim_token
from grants.organisations.operations import claims


@bp.route("/organisations/claim/<token>", methods=["GET", "POST"])
def claim_organisation(token: str):
    try:
        invitation = read_claim_token(token)
        organisation = claims.invitation_organisation(db.session, invitation)
    except InvalidToken as error:
        return render_template("nominations/claim_invalid.html", message=error.message), 400
    signed_in = permissions.is_signed_in(current_user)
    form = ActionForm()
    answer = None if not signed_in else carry_out(
        form, lambda: claims.claim(db.session, current_user, token), field="csrf_token",
        done=f"You are now a member of {organisation.name}.",
        then=url_for("organisations.dashboard"),
        refusals_to=url_for("nominations.claim_organisation", token=token))
    return answer or render_template(
        "nominations/claim.html", organisation=organisation, invitation=invitation, form=form,
        signed_in=signed_in,
        right_person=signed_in and current_user.email == invitation.email,
        sign_in_url=url_for("accounts.sign_in", next=request.path))

