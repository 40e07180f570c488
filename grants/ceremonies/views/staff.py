"""Staff's ceremony pages: the ceremonies, planning one (and changing it), inviting its
recipients, and its guest list (a page and a CSV download)."""

from flask import render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.ceremonies.forms import CeremonyForm, InviteForm
from grants.ceremonies.operations import changing, guests, inviting, planning
from grants.ceremonies.operations.replying import why_not_open
from grants.ceremonies.views.blueprint import bp
from grants.core import clock
from grants.core.downloads import csv_attachment
from grants.core.paging import page_number
from grants.core.refusals import carry_out
from grants.extensions import db

ceremonies_staff_required = permission_required(permissions.may_plan_ceremonies)


def _ceremony_url(ceremony_id: int) -> str:
    return url_for("ceremonies.view_ceremony", ceremony_id=ceremony_id)


@bp.get("/staff/ceremonies")
@ceremonies_staff_required
def list_ceremonies():
    page = planning.ceremonies(db.session, page_number(request.args.get("page")))
    return render_template("ceremonies/list.html", page=page)


@bp.route("/staff/ceremonies/new", methods=["GET", "POST"])
@ceremonies_staff_required
def plan_ceremony():
    years = planning.financial_years(clock.today_in_london())
    form = CeremonyForm()
    form.set_choices(planning.funds(db.session), years)
    if request.method == "GET":
        form.financial_year.data = years[0]
    answer = carry_out(
        form, lambda: planning.create_ceremony(db.session, current_user, form.entry()),
        field="title",
        done=lambda ceremony: (f"{ceremony.title} planned. Now choose the recipients to "
                               "invite."),
        then=lambda ceremony: url_for("ceremonies.invite_recipients", ceremony_id=ceremony.id))
    return answer or render_template("ceremonies/plan.html", form=form, ceremony=None)


@bp.route("/staff/ceremonies/<int:ceremony_id>/change", methods=["GET", "POST"])
@ceremonies_staff_required
def change_ceremony(ceremony_id: int):
    ceremony = planning.get_ceremony(db.session, ceremony_id)
    form = CeremonyForm()
    form.set_choices(planning.funds(db.session), planning.financial_years(
        clock.today_in_london()))
    if request.method == "GET":
        form.fill_from(ceremony)
    answer = carry_out(
        form, lambda: changing.change_ceremony(db.session, current_user, ceremony,
                                               form.entry()),
        field="title", done="Ceremony changed. Every organisation invited has been told.",
        back_to=_ceremony_url(ceremony_id), ruled_out=why_not_open(ceremony))
    return answer or render_template("ceremonies/plan.html", form=form, ceremony=ceremony)


@bp.get("/staff/ceremonies/<int:ceremony_id>")
@ceremonies_staff_required
def view_ceremony(ceremony_id: int):
    ceremony = planning.get_ceremony(db.session, ceremony_id)
    invitations = guests.guest_list(db.session, ceremony)
    return render_template("ceremonies/view.html", ceremony=ceremony, invitations=invitations,
                           figures=guests.figures(invitations),
                           started=why_not_open(ceremony) is not None)


@bp.route("/staff/ceremonies/<int:ceremony_id>/invite", methods=["GET", "POST"])
@ceremonies_staff_required
def invite_recipients(ceremony_id: int):
    ceremony = planning.get_ceremony(db.session, ceremony_id)
    recipients = inviting.recipients(db.session, ceremony)
    form = InviteForm()
    form.set_choices(recipients)
    if request.method == "GET":
        # Every recipient not yet invited, unless staff untick some.
        form.organisations.data = [value for value, _ in form.organisations.choices]
    answer = carry_out(
        form, lambda: inviting.send_invitations(db.session, current_user, ceremony,
                                                form.organisations.data or []),
        field="organisations",
        done=lambda sent: (f"{len(sent)} invitation{'' if len(sent) == 1 else 's'} sent."
                           if sent else "Those organisations were invited already."),
        then=_ceremony_url(ceremony_id), ruled_out=why_not_open(ceremony),
        refusals_to=_ceremony_url(ceremony_id))
    if answer is not None:
        return answer
    return render_template("ceremonies/invite.html", ceremony=ceremony, form=form,
                           recipients=recipients)


@bp.get("/staff/ceremonies/<int:ceremony_id>/guests.csv")
@ceremonies_staff_required
def download_guest_list(ceremony_id: int):
    ceremony = planning.get_ceremony(db.session, ceremony_id)
    return csv_attachment(guests.guest_list_csv(guests.guest_list(db.session, ceremony)),
                          filename=guests.guest_list_file_name(ceremony))
