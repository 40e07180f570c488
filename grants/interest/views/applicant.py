"""The applicant's pages: start an expression of interest for one of your organisations,
answer it (saving as you go), check and send it, and read staff's answer."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from grants.applications.operations.loading import launched_round
from grants.applications.operations.starting import organisation_choices
from grants.auth import permissions
from grants.core.errors import NotFound, Refusal
from grants.core.refusals import in_page_language, pressed, refused, show_errors
from grants.core.translatable import N_
from grants.extensions import db
from grants.interest.forms import StartInterestForm, interest_form
from grants.interest.models import Interest, InterestStatus
from grants.interest.operations import drafting
from grants.interest.operations.listing import get_interest
from grants.interest.views.blueprint import bp


def _own(interest_id: int) -> Interest:
    """The expression of interest, for a member of its organisation; to anyone else it does
    not exist (staff answer it on their own pages)."""
    interest = get_interest(db.session, interest_id)
    if not permissions.is_member_of(current_user, interest.organisation):
        raise NotFound("There is no such expression of interest")
    return interest


def _view(interest: Interest):
    return redirect(url_for("interest.view_interest", interest_id=interest.id))


@bp.route("/rounds/<round_code>/expression-of-interest", methods=["GET", "POST"])
@login_required
def start_interest(round_code: str):
    """Choose the organisation; those the round does not accept are shown with the reason."""
    round_ = launched_round(db.session, round_code)
    choices = organisation_choices(db.session, round_,
                                   permissions.active_organisation_ids(current_user))
    form = StartInterestForm()
    form.offer(choices)
    closed_reason = drafting.why_stage_not_open(round_)
    if form.is_submitted() and closed_reason is not None:
        # Nothing is started once the stage has closed; the error summary says why.
        show_errors(form, drafting.StageNotOpen(closed_reason), "organisation_id")
    elif form.validate_on_submit():
        chosen = next((o for o in choices.eligible if str(o.id) == form.organisation_id.data),
                      None)
        if chosen is None:
            form.organisation_id.errors.append(
                _("Select the organisation the expression of interest is for"))
        else:
            try:
                interest, created = drafting.start_interest(db.session, current_user, round_,
                                                            chosen)
            except Refusal as error:
                show_errors(form, error, "organisation_id")
            else:
                if not created:
                    flash(_("%(name)s has already started an expression of interest in this "
                            "round. Here it is.", name=chosen.name), "info")
                return (redirect(url_for("interest.edit_interest", interest_id=interest.id))
                        if interest.status is InterestStatus.DRAFT else _view(interest))
    return render_template("interest/start.html", round=round_, form=form, choices=choices,
                           closed_reason=in_page_language(closed_reason))


@bp.route("/expressions-of-interest/<int:interest_id>/answers", methods=["GET", "POST"])
@login_required
def edit_interest(interest_id: int):
    """The questions on one page: "Save and continue" goes on to check them once every one
    is answered; "Save and come back later" keeps what is given."""
    interest = _own(interest_id)
    if interest.status is not InterestStatus.DRAFT:
        return _view(interest)
    form = interest_form(interest.round)()
    if request.method == "GET":
        form.fill_from(interest)
    closed_reason = drafting.why_stage_not_open(interest.round)
    if form.is_submitted() and closed_reason is not None:
        # Nothing is saved once the stage has closed; the error summary says why.
        show_errors(form, drafting.StageNotOpen(closed_reason), "title")
    elif form.is_submitted() and form.validate():
        complete = request.form.get("action") != "later"
        try:
            drafting.save_interest(db.session, interest, form.answers(), complete=complete,
                                   actor_id=current_user.id)
        except Refusal as error:
            # What was given is kept; only what is missing is said.
            show_errors(form, error, "title",
                        roll_back=not isinstance(error, drafting.Incomplete))
        else:
            if complete:
                return _view(interest)
            flash(_("Your answers are saved. You can come back to them at any time before "
                    "expressions of interest close."), "success")
            return redirect(url_for("organisations.dashboard"))
    return render_template("interest/answers.html", interest=interest, form=form,
                           closed_reason=in_page_language(closed_reason))


@bp.get("/expressions-of-interest/<int:interest_id>")
@login_required
def view_interest(interest_id: int):
    """Check your answers and send (a draft), or what was sent and staff's answer."""
    interest = _own(interest_id)
    draft = interest.status is InterestStatus.DRAFT
    return render_template(
        "interest/view.html", interest=interest, answered=drafting.answered(interest),
        missing=drafting.missing(interest) if draft else {},
        closed_reason=in_page_language(drafting.why_stage_not_open(interest.round))
        if draft else None,
        may_send=permissions.may_submit_applications(current_user))


@bp.post("/expressions-of-interest/<int:interest_id>/send")
@login_required
def send_interest(interest_id: int):
    interest = _own(interest_id)
    if not permissions.may_submit_applications(current_user):
        return refused(Refusal(N_("Confirm your email address before you send it")),
                       "interest.view_interest", interest_id=interest.id)
    return pressed(lambda: drafting.send_interest(db.session, current_user, interest),
                   done=_("Expression of interest sent"), endpoint="interest.view_interest",
                   interest_id=interest.id)
