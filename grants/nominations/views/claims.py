"""Claiming an organisation's account from an emailed invitation: sign in (or create an
account) with the address it was sent to, then join the organisation."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.accounts.operations.tokens import InvalidToken
from grants.auth import permissions
from grants.core.errors import Refusal
from grants.core.refusals import refused
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
    if signed_in and form.validate_on_submit():
        try:
            claims.claim(db.session, current_user, token)
        except Refusal as error:
            return refused(error, "nominations.claim_organisation", token=token)
        flash(f"You are now a member of {organisation.name}.", "success")
        return redirect(url_for("organisations.dashboard"))
    return render_template(
        "nominations/claim.html", organisation=organisation, invitation=invitation, form=form,
        signed_in=signed_in,
        right_person=signed_in and current_user.email == invitation.email,
        sign_in_url=url_for("accounts.sign_in", next=request.path))

