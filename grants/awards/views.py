"""The awards blueprint: the recipient's offer (accept or decline) and bank details pages;
staff's award page (verifying bank details, recording payments, withdrawing the offer),
approving and rejecting payments, the payments list and the finance download."""

import logging
from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.awards import forms
from grants.awards.models import Award, AwardStatus, Payment, PaymentStatus
from grants.awards.operations import bank_details as bank
from grants.awards.operations import finding, listing, offers, payments, publicity
from grants.awards.operations.finance_export import finance_csv
from grants.awards.operations.terms import offer_terms
from grants.core import clock
from grants.core.downloads import csv_attachment
from grants.core.errors import only_if_visible
from grants.core.money import format_pounds
from grants.core.paging import page_number
from grants.core.refusals import carry_out, pressed
from grants.direct_awards.operations.onward import onward_record_of
from grants.extensions import db

logger = logging.getLogger(__name__)

bp = Blueprint("awards", __name__)

awards_staff_required = permission_required(permissions.may_manage_awards)


def _manage_url(award_id: int) -> str:
    return url_for("awards.manage_award", award_id=award_id)


# --- The recipient's pages ----------------------------------------------------------------

def _members_award(award_id: int) -> Award:
    """The award, for a member of its organisation once the offer is published; to anyone
    else it does not exist."""
    award = finding.get_award(db.session, award_id)
    return only_if_visible(award, permissions.may_view_offer(current_user, award),
                           "There is no such award")


@bp.route("/awards/<int:award_id>/offer", methods=["GET", "POST"])
@login_required
def view_offer(award_id: int):
    award = _members_award(award_id)
    form = None
    if award.status is AwardStatus.OFFERED:
        form = forms.AcceptOfferForm()
        form.set_organisation(award.organisation.name)
        if request.method == "GET":
            form.name.data = current_user.name
            form.accepted_on.data = clock.today_in_london()
        answer = carry_out(
            form, lambda: offers.accept_offer(
                db.session, current_user, award, name=form.name.data,
                position=form.position.data, accepted_on=form.accepted_on.data,
                confirmed=form.confirm.data),
            field="confirm",
            done=_("You accepted the grant offer of %(amount)s. Now give the bank details we "
                   "pay the grant into.", amount=format_pounds(award.amount_pence)),
            then=url_for("awards.bank_details", award_id=award_id),
            refusals_to=url_for("awards.view_offer", award_id=award_id))
        if answer is not None:
            return answer
    elif request.method == "POST":
        # Sent twice, or answered in another tab: show the answer already given.
        return redirect(url_for("awards.view_offer", award_id=award_id))
    return render_template(
        "awards/offer.html", award=award, terms=offer_terms(award), form=form,
        bank_details=bank.current_bank_details(award),
        # Its certificate, once anyone may know of the award (invited to a ceremony or not).
        certificate=publicity.is_public(award),
        # A Community Foundation's allocation: the grants it made from it, as recorded.
        onward=onward_record_of(db.session, award.id))


@bp.route("/awards/<int:award_id>/decline", methods=["GET", "POST"])
@login_required
def decline_offer(award_id: int):
    award = _members_award(award_id)
    offer_url = url_for("awards.view_offer", award_id=award_id)
    if award.status is not AwardStatus.OFFERED:
        return redirect(offer_url)
    form = forms.DeclineOfferForm()
    answer = carry_out(
        form, lambda: offers.decline_offer(db.session, current_user, award, form.reason.data),
        field="reason", done=_("You declined the grant offer."), then=offer_url,
        refusals_to=offer_url)
    return answer or render_template("awards/decline.html", award=award,
                                     terms=offer_terms(award), form=form,
                                     max_length=offers.MAX_REASON)


@bp.route("/awards/<int:award_id>/bank-details", methods=["GET", "POST"])
@login_required
def bank_details(award_id: int):
    award = _members_award(award_id)
    if award.status is AwardStatus.OFFERED:
        return redirect(url_for("awards.view_offer", award_id=award_id))
    here = url_for("awards.bank_details", award_id=award_id)
    form = forms.BankDetailsForm() if bank.may_give_bank_details(award) else None
    if form is None and request.method == "POST":
        return redirect(here)
    if form is not None:
        answer = carry_out(
            form, lambda: bank.save_bank_details(
                db.session, current_user, award, account_name=form.account_name.data,
                sort_code=form.sort_code.data, account_number=form.account_number.data),
            field="account_name",
            done=_("We have your bank details. We check them before we pay the grant."),
            back_to=here)
        if answer is not None:
            return answer
    return render_template("awards/bank_details.html", award=award, form=form,
                           current=bank.current_bank_details(award))


# --- Staff: one award ---------------------------------------------------------------------

def _render_manage(award: Award, *, record_form: forms.RecordPaymentForm | None = None,
                   status: int = 200):
    details = bank.current_bank_details(award)
    history = sorted(award.bank_details, key=lambda d: (d.entered_at, d.id), reverse=True)
    payable_refusal = payments.why_not_payable(award)
    if record_form is None and payable_refusal is None:
        record_form = forms.RecordPaymentForm()
    user_ids = [p.recorded_by_id for p in award.payments]
    user_ids += [p.approved_by_id for p in award.payments]
    user_ids += [d.entered_by_id for d in award.bank_details]
    user_ids += [d.verified_by_id for d in award.bank_details]
    return render_template(
        "awards/manage.html", award=award, terms=offer_terms(award),
        totals=payments.totals_from_loaded(award),
        bank_details=details, earlier_bank_details=[d for d in history if d is not details],
        verify_refusal=(bank.why_not_verifiable(current_user, award, details)
                        if details else None),
        payments_list=sorted(award.payments, key=lambda p: (p.recorded_at, p.id)),
        may_decide={p.id: permissions.may_approve_payment(current_user, p)
                    for p in award.payments},
        form=record_form, payable_refusal=payable_refusal,
        withdraw_refusal=offers.why_not_withdrawable(award),
        names=listing.people_names(db.session, user_ids),
        published=permissions.offer_is_published(award),
    ), status


@bp.get("/staff/awards/<int:award_id>")
@awards_staff_required
def manage_award(award_id: int):
    return _render_manage(finding.get_award(db.session, award_id))


@bp.post("/staff/awards/<int:award_id>/payments")
@awards_staff_required
def record_payment(award_id: int):
    award = finding.get_award(db.session, award_id)
    form = forms.RecordPaymentForm()
    answer = carry_out(
        form, lambda: payments.record_payment(
            db.session, current_user, award, paid_on=form.paid_on.data,
            amount_pence=form.amount.pence, reference=form.reference.data),
        field="amount",
        done=lambda payment: (f"You recorded a payment of {format_pounds(payment.amount_pence)}"
                              ". Another member of staff must approve it before it counts as "
                              "paid."),
        back_to=_manage_url(award_id))
    return answer or _render_manage(finding.get_award(db.session, award_id), record_form=form)


@bp.post("/staff/awards/<int:award_id>/bank-details/<int:details_id>/verify")
@awards_staff_required
def verify_bank_details(award_id: int, details_id: int):
    award = finding.get_award(db.session, award_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return pressed(lambda: bank.verify_bank_details(db.session, current_user, award, details_id),
                   done="You verified the bank details.", endpoint="awards.manage_award",
                   award_id=award_id)


@bp.route("/staff/awards/<int:award_id>/withdraw", methods=["GET", "POST"])
@awards_staff_required
def withdraw_offer(award_id: int):
    award = finding.get_award(db.session, award_id)
    form = forms.WithdrawOfferForm()
    answer = carry_out(
        form, lambda: offers.withdraw_offer(db.session, current_user, award, form.reason.data),
        field="reason",
        done=(f"You withdrew the offer. {format_pounds(award.amount_pence)} is back in the "
              "round's budget."),
        back_to=_manage_url(award_id),
        ruled_out=offers.why_not_withdrawable(award))
    return answer or render_template("awards/withdraw.html", award=award,
                                     terms=offer_terms(award), form=form,
                                     max_length=offers.MAX_REASON)


# --- Staff: approving and rejecting payments ----------------------------------------------

@bp.post("/staff/payments/<int:payment_id>/approve")
@awards_staff_required
def approve_payment(payment_id: int):
    payment = payments.get_payment(db.session, payment_id)
    award_id = payment.award_id
    if not FlaskForm().validate_on_submit():
        abort(400)
    return pressed(lambda: payments.approve_payment(db.session, current_user, payment),
                   done=_approved_message, endpoint="awards.manage_award", award_id=award_id)


def _approved_message(payment: Payment) -> str:
    message = f"You approved the payment of {format_pounds(payment.amount_pence)}."
    if payment.award.status is AwardStatus.PAID:
        message += " The award is now fully paid."
    return message


@bp.route("/staff/payments/<int:payment_id>/reject", methods=["GET", "POST"])
@awards_staff_required
def reject_payment(payment_id: int):
    payment = payments.get_payment(db.session, payment_id)
    award = finding.get_award(db.session, payment.award_id)
    form = forms.RejectPaymentForm()
    answer = carry_out(
        form, lambda: payments.reject_payment(db.session, current_user, payment,
                                              form.reason.data),
        field="reason",
        done=f"You rejected the payment of {format_pounds(payment.amount_pence)}.",
        back_to=_manage_url(award.id),
        ruled_out=payments.why_not_decidable(current_user, payment, "reject"))
    return answer or render_template(
        "awards/reject_payment.html", award=award, payment=payment, form=form,
        max_length=payments.MAX_REASON,
        names=listing.people_names(db.session, [payment.recorded_by_id]))


# --- Staff: the payments list and the finance download ------------------------------------

@bp.get("/staff/payments")
@awards_staff_required
def list_payments():
    export = forms.FinanceExportForm(formdata=request.args if "date_from" in request.args else None)
    if "date_from" in request.args and export.validate():
        if export.date_to.data < export.date_from.data:
            export.date_to.errors.append("The last date must be the same as or after the "
                                         "first date")
        else:
            return redirect(url_for("awards.download_payments_csv",
                                    **{"from": export.date_from.data.isoformat(),
                                       "to": export.date_to.data.isoformat()}))
    recent = listing.recent_payments(db.session, page_number(request.args.get("page")))
    return render_template(
        "awards/payments.html", form=export,
        awaiting=listing.payments_awaiting_approval(db.session),
        to_pay=listing.awards_to_pay(db.session), recent=recent,
        PaymentStatus=PaymentStatus)


@bp.get("/staff/payments.csv")
@awards_staff_required
def download_payments_csv():
    start, end = _iso_date(request.args.get("from")), _iso_date(request.args.get("to"))
    if start is None or end is None or end < start:
        abort(400)
    body = finance_csv(db.session, start, end)
    logger.info("user %s downloaded the payments from %s to %s", current_user.id, start, end)
    return csv_attachment(
        body, filename=f"payments-{start.isoformat()}-to-{end.isoformat()}.csv")


def _iso_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None
