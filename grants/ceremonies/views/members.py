"""The invited organisation's pages: its reply to the invitation (signed in as a member of the
organisation; to anyone else the invitation does not exist), and the certificate of each of its
public awards (reached through the award, so an invitation cancelled, or never sent, leaves
it)."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from grants.auth import permissions
from grants.ceremonies.forms import ReplyForm
from grants.ceremonies.models import CeremonyInvitation
from grants.ceremonies.operations import certificates, replying
from grants.ceremonies.views.blueprint import bp
from grants.core.downloads import attachment
from grants.core.errors import only_if_visible
from grants.core.pdf import html_to_pdf
from grants.core.refusals import carry_out, in_page_language
from grants.extensions import db
from grants.offices.operations.speaking import office_facts

NOT_FOUND = "There is no such invitation"


def _invitation(invitation_id: int) -> CeremonyInvitation:
    invitation = replying.get_invitation(db.session, invitation_id)
    return only_if_visible(invitation, permissions.may_reply_to_invitation(
        current_user, invitation.organisation), NOT_FOUND)


@bp.route("/ceremonies/invitations/<int:invitation_id>", methods=["GET", "POST"])
@login_required
def reply(invitation_id: int):
    invitation = _invitation(invitation_id)
    closed = replying.why_not_open(invitation.ceremony)
    form = ReplyForm()
    if request.method == "GET":
        form.fill_from(invitation)
    answer = None if closed else carry_out(
        form, lambda: replying.reply(db.session, current_user, invitation, form.reply()),
        field="attending",
        done=lambda replied: (_("Thank you. We look forward to seeing you.")
                              if replied.attending else _("Thank you for letting us know.")),
        then=url_for("ceremonies.reply", invitation_id=invitation_id))
    if answer is not None:
        return answer
    return render_template("ceremonies/reply.html", invitation=invitation,
                           ceremony=invitation.ceremony, form=form,
                           closed=in_page_language(closed),
                           awards=certificates.certificate_awards(db.session, invitation))


@bp.get("/awards/<int:award_id>/certificate")
@login_required
def download_certificate(award_id: int):
    # Reached through the award, never the invitation: cancelling an invitation stops its
    # reply, not the recipient's certificate.
    award = certificates.certified_award(db.session, award_id)
    only_if_visible(award, permissions.may_download_certificate(current_user, award.organisation),
                    certificates.NOT_FOUND)
    office = office_facts(db.session, award.round.fund.office_id)
    page = render_template(
        "ceremonies/certificate.html", certificate=certificates.certificate_of(award),
        office=office,
        commissioner=current_app.config["COMMISSIONER_NAME"],
        commissioner_title=current_app.config["COMMISSIONER_TITLE"])
    document = html_to_pdf(page, base_url=request.host_url,
                           static_url_path=current_app.static_url_path,
                           static_folder=current_app.static_folder,
                           footer=office.funder_name)
    return attachment(document, filename=certificates.certificate_file_name(award, office),
                      mimetype="application/pdf")
