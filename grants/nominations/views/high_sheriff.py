"""The High Sheriff's pages: their rounds and nominations, nominating an organisation (found
by searching, or new), and viewing, changing or withdrawing a nomination. Another county's
nomination does not exist for them (404)."""

import logging

from flask import render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core.errors import only_if_visible
from grants.core.money import format_pounds
from grants.core.refusals import carry_out
from grants.extensions import db
from grants.nominations import forms
from grants.nominations.models import Nomination
from grants.nominations.operations import changing, finding, guard, nominating, sheriff_home
from grants.nominations.views.blueprint import bp
from grants.organisations.models import Organisation
from grants.organisations.operations.listing import current_local_authorities

logger = logging.getLogger(__name__)

high_sheriff_required = permission_required(permissions.is_high_sheriff)


def _round_for_nominating(round_id: int):
    """The round, for its current High Sheriff of a county with an allocation; for anyone
    else it does not exist."""
    round_ = finding.get_nomination_round(db.session, round_id)
    return only_if_visible(round_, permissions.may_nominate_in(current_user, round_),
                           "There is no such nomination round")


def _position(round_):
    return guard.county_position(db.session, round_.id, current_user.county_id)


@bp.get("/nominations")
@high_sheriff_required
def home():
    return render_template("nominations/home.html",
                           home=sheriff_home.high_sheriff_home(db.session, current_user))


@bp.get("/nominations/rounds/<int:round_id>/nominate")
@high_sheriff_required
def choose_organisation(round_id: int):
    round_ = _round_for_nominating(round_id)
    form = forms.SearchForm(request.args)
    searched = "q" in request.args and form.validate()
    results = sheriff_home.find_organisations(db.session, form.q.data) if searched else []
    return _nominate_page("nominations/choose.html", round_, form, searched=searched,
                          results=results)


def _nominate_page(template: str, round_, form, **context):
    organisation = context.get("organisation")
    refusal = finding.why_not_open(round_) or (
        finding.why_not_nominable(round_, organisation) if organisation else None)
    return render_template(template, round=round_, form=form, position=_position(round_),
                           refusal=refusal, nominable=finding.nominable_types(round_),
                           **context)


def _nominate(template: str, round_, form, *, field: str, **context):
    """Nominate from the form, then on to the nomination; else the page again with errors
    (a refusal not about the answers is said on the High Sheriff's home page)."""
    answer = carry_out(
        form, lambda: nominating.nominate(db.session, current_user, round_.id,
                                          form.nomination_input()),
        field=field, refusals_to=url_for("nominations.home"),
        done=lambda nomination: (f"You nominated {nomination.organisation.name} for "
                                 f"{format_pounds(nomination.amount_pence)}. "
                                 "Staff will look at it."),
        then=lambda nomination: url_for("nominations.view_nomination",
                                        nomination_id=nomination.id))
    return answer or _nominate_page(template, round_, form, **context)


@bp.route("/nominations/rounds/<int:round_id>/nominate/organisations/<int:organisation_id>",
          methods=["GET", "POST"])
@high_sheriff_required
def nominate_existing(round_id: int, organisation_id: int):
    round_ = _round_for_nominating(round_id)
    organisation = db.get_or_404(Organisation, organisation_id)
    form = forms.ExistingNominationForm()
    form.set_priorities(round_)
    form.organisation_id.data = str(organisation.id)
    return _nominate("nominations/nominate_existing.html", round_, form, field="amount",
                     organisation=organisation)


@bp.route("/nominations/rounds/<int:round_id>/nominate/new", methods=["GET", "POST"])
@high_sheriff_required
def nominate_new(round_id: int):
    round_ = _round_for_nominating(round_id)
    form = forms.NewOrganisationNominationForm()
    form.set_priorities(round_)
    form.set_local_authorities(current_local_authorities(db.session))
    return _nominate("nominations/nominate_new.html", round_, form, field="name")


@bp.get("/nominations/<int:nomination_id>")
@high_sheriff_required
def view_nomination(nomination_id: int):
    nomination = finding.nomination_for(db.session, current_user, nomination_id)
    return render_template(
        "nominations/view.html", nomination=nomination,
        shown_status=sheriff_home.status_shown_to_sheriff(nomination),
        may_change=permissions.may_change_nomination(current_user, nomination))


def _why_unchangeable(nomination: Nomination) -> str | None:
    """Why the High Sheriff can no longer change the nomination, or None while they can."""
    if not permissions.may_change_nomination(current_user, nomination):
        return "This nomination can no longer be changed."
    return None


@bp.route("/nominations/<int:nomination_id>/edit", methods=["GET", "POST"])
@high_sheriff_required
def edit_nomination(nomination_id: int):
    nomination = finding.nomination_for(db.session, current_user, nomination_id)
    form = forms.EditNominationForm()
    form.set_priorities(nomination.round)
    if request.method == "GET":
        form.fill_from(nomination)
    nomination_url = url_for("nominations.view_nomination", nomination_id=nomination_id)
    answer = carry_out(
        form, lambda: changing.update_nomination(db.session, current_user, nomination_id,
                                                 form.nomination_input()),
        field="amount", done="Your nomination was saved and sent to staff.",
        back_to=nomination_url,
        ruled_out=_why_unchangeable(nomination))
    return answer or render_template(
        "nominations/edit.html", nomination=nomination, form=form,
        position=guard.county_position(db.session, nomination.round_id,
                                          nomination.county_id, excluding=nomination.id))


@bp.route("/nominations/<int:nomination_id>/withdraw", methods=["GET", "POST"])
@high_sheriff_required
def withdraw_nomination(nomination_id: int):
    nomination = finding.nomination_for(db.session, current_user, nomination_id)
    form = forms.ActionForm()
    answer = carry_out(
        form, lambda: changing.withdraw_nomination(db.session, current_user, nomination_id),
        field="csrf_token", then=url_for("nominations.home"),
        done=f"You withdrew your nomination of {nomination.organisation.name}.",
        refusals_to=url_for("nominations.view_nomination", nomination_id=nomination_id),
        ruled_out=_why_unchangeable(nomination))
    return answer or render_template("nominations/withdraw.html", nomination=nomination, form=form)
