"""Staff pages for direct awards: a fund's direct awards, recording one, a second member of
staff's sign-off, and withdrawing one before sign-off. Once signed off, a direct award is
looked after on the awards pages like any other."""

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.auth import permissions
from grants.auth.decorators import every_page_requires
from grants.core.money import format_pounds
from grants.core.paging import page_number
from grants.core.refusals import carry_out
from grants.direct_awards.forms import DirectAwardForm, SignOffForm, WithdrawForm
from grants.direct_awards.operations import listing, recording, signing_off
from grants.extensions import db

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
    fund = listing.get_fund(db.session, fund_id)
    priorities = listing.priority_choices(db.session)
    form = DirectAwardForm()
    form.set_choices(listing.organisation_choices(db.session), priorities)
    answer = carry_out(
        form, lambda: recording.record_direct_award(db.session, current_user, fund.id,
                                                    form.entry()),
        field="amount",
        done=lambda direct: (f"Direct award of {format_pounds(direct.award.amount_pence)} to "
                             f"{direct.award.organisation.name} recorded. Another member of "
                             "staff must sign it off before it is offered and published."),
        then=lambda direct: _sign_off_url(direct.award_id))
    return answer or render_template("direct_awards/record.html", fund=fund, form=form,
                                     priorities=priorities)


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
    refusal = signing_off.why_not_withdrawable(direct)
    if refusal:
        flash(refusal, "info")
        return redirect(_sign_off_url(award_id))
    form = WithdrawForm()
    answer = carry_out(
        form, lambda: signing_off.withdraw_direct_award(db.session, current_user, award_id,
                                                        form.reason.data),
        field="reason",
        done=(f"Direct award withdrawn. {format_pounds(direct.award.amount_pence)} is back in "
              f"the {direct.award.round.fund.code}'s available money."),
        then=_list_url(direct.award.round.fund_id), refusals_to=_sign_off_url(award_id))
    return answer or render_template("direct_awards/withdraw.html", direct=direct,
                                     award=direct.award, form=form,
                                     max_length=signing_off.MAX_REASON)
