"""Staff's pages: set up a round's expression-of-interest stage before it opens, see the
round's expressions of interest, and invite or decline each."""

from flask import render_template, request, url_for
from flask_login import current_user

from grants.auth.decorators import staff_required
from grants.core import clock
from grants.core.errors import NotFound
from grants.core.refusals import carry_out
from grants.extensions import db
from grants.funds.operations.rounds import get_round
from grants.interest.forms import DecideInterestForm, InterestStageForm
from grants.interest.models import InterestStatus
from grants.interest.operations import deciding, drafting, stage
from grants.interest.operations.listing import (
    StageFigures,
    get_interest,
    interests_of_round,
    round_stage_figures,
)
from grants.interest.views.blueprint import bp


@bp.route("/staff/rounds/<int:round_id>/expression-of-interest-stage", methods=["GET", "POST"])
@staff_required
def set_up_stage(round_id: int):
    round_ = get_round(db.session, round_id)
    form = InterestStageForm(round_=round_)
    if request.method == "GET":
        form.fill_from(round_)
    answer = carry_out(
        form, lambda: stage.set_stage(
            db.session, round_, closes_at=form.closes_at_utc if form.has_stage.data == "yes"
            else None, section_ids=form.chosen_sections(), actor_id=current_user.id),
        field="has_stage", done="Expression of interest stage saved",
        then=url_for("funds.view_round", round_id=round_id, _anchor="interest_stage"))
    return answer or render_template(
        "interest/stage_form.html", round=round_, form=form,
        locked_reason=stage.why_stage_cannot_change(round_, clock.utcnow()))


@bp.get("/staff/rounds/<int:round_id>/expressions-of-interest")
@staff_required
def round_interests(round_id: int):
    round_ = get_round(db.session, round_id)
    return render_template("interest/round_list.html", round=round_,
                           interests=interests_of_round(db.session, round_id),
                           figures=round_stage_figures(db.session, round_) or StageFigures())


@bp.route("/staff/expressions-of-interest/<int:interest_id>", methods=["GET", "POST"])
@staff_required
def decide_interest(interest_id: int):
    """One expression of interest's answers, and the form that invites or declines it."""
    interest = get_interest(db.session, interest_id)
    if interest.status is InterestStatus.DRAFT:
        # A draft is the applicant's own until they send it.
        raise NotFound("There is no such expression of interest")
    form = DecideInterestForm()

    def decide():
        if form.decision.data == "invite":
            return deciding.invite(db.session, current_user, interest)
        return deciding.decline(db.session, current_user, interest, form.reason.data or "")

    answer = carry_out(
        form, decide, field="decision",
        done=lambda decided: (f"{decided.organisation.name} is invited to apply"
                              if decided.status is InterestStatus.INVITED
                              else f"{decided.organisation.name}'s expression of interest "
                                   "is declined"),
        then=url_for("interest.round_interests", round_id=interest.round_id))
    return answer or render_template(
        "interest/decide.html", interest=interest, form=form,
        answered=drafting.answered(interest), why_not=deciding.why_not_decide(interest))
