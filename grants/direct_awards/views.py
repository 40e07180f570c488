"""Staff pages for direct awards: a fund's direct awards, recording one (or a Community
Foundation allocation), a second member of staff's sign-off, and withdrawing one before
sign-off. Once signed off, a direct award is looked after on the awards pages like any other;
a Community Foundation allocation also has its onward grants, typed or uploaded."""

import io
import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core.errors import Refusal
from grants.core.money import format_pounds
from grants.core.paging import page_number
from grants.core.refusals import carry_out, pressed, show_errors
from grants.core.uploads import chosen_file, shown_name
from grants.direct_awards.forms import (
    DelegatedAwardForm,
    DirectAwardForm,
    OnwardFileForm,
    OnwardGrantForm,
    SignOffForm,
    WithdrawForm,
)
from grants.direct_awards.operations import (
    listing,
    onward,
    onward_figures,
    onward_import,
    recording,
    signing_off,
)
from grants.extensions import db
from grants.opendata.operations.reading import ImportRefused

logger = logging.getLogger(__name__)

bp = Blueprint("direct_awards", __name__, url_prefix="/staff")

# Direct awards are OPCC staff's (and admins') business alone.
every_page_requires(bp, permissions.may_record_direct_awards)

def _list_url(fund_id: int) -> str:
    return url_for("direct_awards.list_direct_awards", fund_id=fund_id)


def _sign_off_url(award_id: int) -> str:
    return url_for("direct_awards.sign_off_direct_award", award_id=award_id)


@bp.get("/funds/<int:fund_id>/direct-awards")
def list_direct_awards(fund_id: int):
    fund = listing.get_fund(db.session, fund_id)
    page = listing.fund_direct_awards(db.session, fund, page_number(request.args.get("page")))
    return render_template("direct_awards/list.html", fund=fund, page=page)


@bp.route("/funds/<int:fund_id>/direct-awards/new", methods=["GET", "POST"])
def record_direct_award(fund_id: int):
    return _record(fund_id, DirectAwardForm(), "Direct award")


@bp.route("/funds/<int:fund_id>/community-foundation-allocations/new", methods=["GET", "POST"])
def record_delegated_award(fund_id: int):
    return _record(fund_id, DelegatedAwardForm(), "Allocation", delegated=True)


def _record(fund_id: int, form, what: str, *, delegated: bool = False):
    """Record a direct award or a Community Foundation allocation (`form` says which)."""
    fund = listing.get_fund(db.session, fund_id)
    priorities = listing.priority_choices(db.session)
    form.set_choices(listing.organisation_choices(db.session), priorities)
    answer = carry_out(
        form, lambda: recording.record_direct_award(db.session, current_user, fund.id,
                                                    form.entry()),
        field="amount",
        done=lambda direct: (f"{what} of {format_pounds(direct.award.amount_pence)} to "
                             f"{direct.award.organisation.name} recorded. Another member of "
                             "staff must sign it off before it is offered and published."),
        then=lambda direct: _sign_off_url(direct.award_id))
    return answer or render_template("direct_awards/record.html", fund=fund, form=form,
                                     priorities=priorities, delegated=delegated)


@bp.route("/direct-awards/<int:award_id>/sign-off", methods=["GET", "POST"])
def sign_off_direct_award(award_id: int):
    direct = listing.direct_award_of(db.session, award_id)
    form = SignOffForm()
    answer = carry_out(
        form, lambda: signing_off.sign_off_direct_award(db.session, current_user, award_id,
                                                        confirmed=bool(form.confirm.data)),
        field="confirm",
        done=lambda signed: (f"Direct award signed off. It is offered to "
                             f"{signed.award.organisation.name}, whose contact has been "
                             "emailed, and published."),
        then=url_for("awards.manage_award", award_id=award_id))
    if answer is not None:
        return answer
    return render_template("direct_awards/sign_off.html", direct=direct, award=direct.award,
                           form=form, problems=signing_off.sign_off_problems(current_user,
                                                                             direct),
                           withdraw_refusal=signing_off.why_not_withdrawable(direct))


@bp.route("/direct-awards/<int:award_id>/withdraw", methods=["GET", "POST"])
def withdraw_direct_award(award_id: int):
    direct = listing.direct_award_of(db.session, award_id)
    form = WithdrawForm()
    answer = carry_out(
        form, lambda: signing_off.withdraw_direct_award(db.session, current_user, award_id,
                                                        form.reason.data),
        field="reason",
        done=(f"Direct award withdrawn. {format_pounds(direct.award.amount_pence)} is back in "
              f"the {direct.award.round.fund.code}'s available money."),
        then=_list_url(direct.award.round.fund_id), refusals_to=_sign_off_url(award_id),
        ruled_out=signing_off.why_not_withdrawable(direct))
    return answer or render_template("direct_awards/withdraw.html", direct=direct,
                                     award=direct.award, form=form,
                                     max_length=signing_off.MAX_REASON)


# --- A Community Foundation allocation's onward grants -------------------------------------

def _onward_url(award_id: int) -> str:
    return url_for("direct_awards.onward_grants", award_id=award_id)


@bp.get("/direct-awards/<int:award_id>/onward-grants")
def onward_grants(award_id: int):
    direct = listing.delegated_award_of(db.session, award_id)
    summary = onward_figures.onward_summaries(db.session, [award_id])[award_id]
    return render_template(
        "direct_awards/onward_grants.html", direct=direct, award=direct.award, summary=summary,
        grants=onward.onward_grants_of(db.session, award_id),
        served=onward.served_priorities(direct), refusal=onward.why_no_onward_grants(direct))


@bp.route("/direct-awards/<int:award_id>/onward-grants/new", methods=["GET", "POST"])
def add_onward_grant(award_id: int):
    direct = listing.delegated_award_of(db.session, award_id)
    served = onward.served_priorities(direct)
    form = OnwardGrantForm()
    form.set_choices(served, listing.area_choices(db.session))
    answer = carry_out(
        form, lambda: onward.add_onward_grant(db.session, current_user, award_id, form.entry()),
        field="amount",
        done=lambda grant: (f"Onward grant of {format_pounds(grant.amount_pence)} to "
                            f"{grant.recipient_name} recorded"),
        back_to=_onward_url(award_id), ruled_out=onward.why_no_onward_grants(direct))
    return answer or render_template("direct_awards/onward_grant.html", direct=direct,
                                     award=direct.award, form=form, served=served)


@bp.route("/direct-awards/<int:award_id>/onward-grants/upload", methods=["GET", "POST"])
def upload_onward_grants(award_id: int):
    direct = listing.delegated_award_of(db.session, award_id)
    refusal = onward.why_no_onward_grants(direct)
    if refusal:
        flash(refusal, "info")
        return redirect(_onward_url(award_id))
    form = OnwardFileForm()
    problems: list[str] = []
    chosen = chosen_file(form, "onward_file", "Choose the Community Foundation's 360Giving file")
    if chosen is not None:
        name = shown_name(chosen)
        try:
            done = onward_import.import_onward_grants(
                db.session, current_user, award_id,
                io.BytesIO(chosen.read(onward_import.MAX_FILE_BYTES + 1)), name)
        except ImportRefused as error:
            show_errors(form, error, "onward_file")
            problems = [str(problem) for problem in error.problems]
        except Refusal as error:
            show_errors(form, error, "onward_file")
        else:
            flash(f"{done.recorded and len(done.recorded) or 'No'} onward "
                  f"{'grant' if len(done.recorded) == 1 else 'grants'} "
                  f"({format_pounds(done.amount_pence)}) recorded from {name}"
                  + (f"; {done.already_recorded} already recorded"
                     if done.already_recorded else ""), "success")
            return redirect(_onward_url(award_id))
    return render_template("direct_awards/onward_upload.html", direct=direct,
                           award=direct.award, form=form, problems=problems)


@bp.post("/direct-awards/<int:award_id>/onward-grants/<int:onward_grant_id>/remove")
def remove_onward_grant(award_id: int, onward_grant_id: int):
    listing.delegated_award_of(db.session, award_id)
    return pressed(
        lambda: onward.remove_onward_grant(db.session, current_user, award_id, onward_grant_id),
        done=lambda grant: (f"Onward grant of {format_pounds(grant.amount_pence)} to "
                            f"{grant.recipient_name} taken out"),
        endpoint="direct_awards.onward_grants", award_id=award_id)
