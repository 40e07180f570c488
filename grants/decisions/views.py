"""Staff pages for a round's decisions: the ranking with each decision and the what-if funding
line, the proposal to fund in rank order, deciding one application (after declaring any
conflict of interest), sign-off and publishing. Also the template helpers that show an
applicant their published outcome."""

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from grants.applications.models import Application
from grants.auth import permissions
from grants.auth.decorators import permission_required
from grants.core.errors import Refusal, ValidationFailed
from grants.core.money import format_pounds
from grants.core.refusals import carry_out, refused, show_errors
from grants.decisions.forms import DeciderDeclarationForm, DecisionForm, ProposalForm
from grants.decisions.models import Decision, DecisionOutcome
from grants.decisions.operations import (
    board,
    checks,
    declarations,
    guard,
    proposal,
    publishing,
    queries,
    rules,
)
from grants.decisions.operations import sign_off as signing
from grants.extensions import db
from grants.funds.models import RoundKind
from grants.funds.operations.rounds import find_round

logger = logging.getLogger(__name__)

bp = Blueprint("decisions", __name__)

decisions_required = permission_required(permissions.may_decide)


# --- The round's decisions ----------------------------------------------------------------

@bp.get("/staff/rounds/<int:round_id>/decisions")
@decisions_required
def round_decisions(round_id: int):
    return render_template("decisions/round.html",
                           board=board.board(db.session, current_user, round_id),
                           outcomes=DecisionOutcome)


@bp.route("/staff/rounds/<int:round_id>/decisions/proposal", methods=["GET", "POST"])
@decisions_required
def propose(round_id: int):
    """Show what funding in rank order would decide; staff confirm it (then adjust any
    decision one by one)."""
    form = ProposalForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            made = proposal.apply_proposal(db.session, current_user, round_id,
                                           form.fingerprint.data or "")
        except Refusal as error:
            return refused(error, "decisions.propose", round_id=round_id)
        flash(f"{len(made.awards)} awarded in full and {len(made.declines)} declined, "
              "in rank order. Check each decision before sign-off.", "success")
        return redirect(url_for("decisions.round_decisions", round_id=round_id))
    round_ = find_round(db.session, round_id)
    proposed = proposal.propose_in_rank_order(db.session, current_user, round_id)
    form.fingerprint.data = proposed.fingerprint
    return render_template("decisions/proposal.html", round=round_, proposal=proposed,
                           form=form, not_funded_reason=rules.NOT_FUNDED_REASON,
                           may_change=rules.may_change(round_))


# Where each kind of round shows its decisions, with their sign-off and publishing (a fund's
# direct awards are each signed off on their own: its round's page leads to them).
DECISIONS_PAGES = {
    RoundKind.OPEN: "decisions.round_decisions",
    RoundKind.NOMINATION: "nominations.round_nominations",
    RoundKind.ALLOCATION: "allocations.overview",
    RoundKind.DIRECT: "funds.view_round",
}


@bp.post("/staff/rounds/<int:round_id>/sign-off")
@decisions_required
def sign_off(round_id: int):
    page = DECISIONS_PAGES[find_round(db.session, round_id).kind]
    try:
        signing.sign_off(db.session, current_user, round_id)
    except Refusal as error:
        return refused(error, page, round_id=round_id)
    flash("Decisions signed off. They can now be published.", "success")
    return redirect(url_for(page, round_id=round_id, _anchor="publish"))


@bp.post("/staff/rounds/<int:round_id>/publish")
@decisions_required
def publish(round_id: int):
    kind = find_round(db.session, round_id).kind
    try:
        result = publishing.publish(db.session, current_user, round_id)
    except Refusal as error:
        return refused(error, DECISIONS_PAGES[kind], round_id=round_id)
    if result.already:
        flash("These decisions were already published.", "info")
    elif kind is RoundKind.OPEN:
        flash(f"Decisions published: {result.awarded} awarded and {result.declined} declined. "
              "Each applicant has been emailed.", "success")
    else:
        flash(f"Decisions published: {result.awarded} award{'' if result.awarded == 1 else 's'} "
              "offered. Each recipient has been emailed.", "success")
    return redirect(url_for(DECISIONS_PAGES[kind], round_id=round_id))


# --- One application ------------------------------------------------------------------------

def _decide_page(application: Application, form: DecisionForm):
    decision = queries.decision_for(db.session, application.id)
    return render_template(
        "decisions/decide.html", application=application, form=form, decision=decision,
        decided_by_name=queries.decider_name(db.session, decision),
        award=queries.award_for(db.session, application.id),
        refusal=rules.why_not_decidable(application.round, application),
        standing=checks.standing(db.session, application),
        round=application.round,
    )


def _declaration_page(application: Application, form: DeciderDeclarationForm):
    return render_template("decisions/declare.html", application=application, form=form)


@bp.route("/staff/applications/<int:application_id>/decision", methods=["GET", "POST"])
@decisions_required
def decide(application_id: int):
    application = queries.sent_application(db.session, application_id)
    declaration = queries.declaration_for(db.session, application.id, current_user.id)
    if declaration is None:
        return _declaration_page(application, DeciderDeclarationForm(formdata=None))
    if not permissions.may_decide_on(current_user, declaration):
        return render_template("decisions/conflict.html", application=application,
                               declaration=declaration,
                               decision=queries.decision_for(db.session, application.id)), \
            (403 if request.method == "POST" else 200)
    if request.method == "GET":
        return _decide_page(application, DecisionForm.for_decision(
            queries.decision_for(db.session, application.id),
            queries.award_for(db.session, application.id)))
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            decision = guard.decide(db.session, current_user, application,
                                    form.decision_input())
        except (ValidationFailed, rules.OverBudget) as error:
            show_errors(form, error, "outcome")
        except Refusal as error:  # e.g. published meanwhile: nothing to correct
            return refused(error, "decisions.decide", application_id=application_id)
        else:
            flash(_saved_message(application, decision), "success")
            return redirect(url_for("decisions.round_decisions",
                                    round_id=application.round_id,
                                    _anchor=f"application-{application.id}"))
    return _decide_page(application, form)


CONFLICT_RECORDED = ("Conflict of interest recorded. Another member of staff must decide on this "
                     "application.")


def _saved_message(application: Application, decision: Decision) -> str:
    if decision.outcome is DecisionOutcome.DECLINE:
        return f"Decision saved: {application.reference} declined."
    return (f"Decision saved: {application.reference} awarded "
            f"{format_pounds(decision.amount_pence)}.")


@bp.post("/staff/applications/<int:application_id>/decision/declaration")
@decisions_required
def declare(application_id: int):
    application = queries.sent_application(db.session, application_id)
    form = DeciderDeclarationForm()
    decide_url = url_for("decisions.decide", application_id=application.id)
    answer = carry_out(
        form, lambda: declarations.declare(db.session, current_user, application,
                                           has_conflict=form.has_conflict(),
                                           note=form.note.data or ""),
        field="conflict", category="info",
        done=lambda declaration: CONFLICT_RECORDED if declaration.has_conflict else None,
        back_to=decide_url)
    return answer or _declaration_page(application, form)


# --- What applicants see ----------------------------------------------------------------------

@bp.app_template_global("published_decision")
def published_decision(application: Application) -> Decision | None:
    """The application's decision once the round's decisions are published, else None."""
    return queries.published_decision(db.session, application)


@bp.app_template_global("decision_offer_url")
def decision_offer_url(application: Application) -> str | None:
    """The link to the application's offer, once published; None without one."""
    award = queries.published_award(db.session, application)
    return url_for("awards.view_offer", award_id=award.id) if award is not None else None
