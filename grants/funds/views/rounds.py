"""Staff pages for one round: creating and changing its settings, its page, and the buttons
that move it on (launch, start assessment, mark decided, archive, copy)."""

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for

from grants.core.errors import Refusal, ValidationFailed
from grants.core.refusals import carry_out, mark_refused
from grants.extensions import db
from grants.funds.forms import RoundForm
from grants.funds.models import Round, RoundKind
from grants.funds.operations import copying, funds, overview, rounds, settings, status
from grants.funds.views.blueprint import actor_id, bp, round_url, to_round


@bp.route("/rounds/new", methods=["GET", "POST"])
def new_round():
    choices = [summary.fund for summary in funds.list_funds(db.session)]
    form = RoundForm(funds=choices)
    if request.method == "GET" and request.args.get("fund"):
        fund = funds.fund_by_code(db.session, request.args["fund"])
        form.fund.data = fund.id if fund is not None else None
    answer = carry_out(
        form, lambda: settings.create_round(
            db.session, funds.get_fund(db.session, form.fund.data), form.settings(),
            actor_id=actor_id()),
        field="title",
        done=lambda round_: (f"Round {round_.code} created as a draft. Add what it funds, "
                             "asks and scores, then launch it"),
        then=lambda round_: round_url(round_.id))
    return answer or render_template("funds/round_form.html", form=form, round=None,
                                     has_funds=bool(choices))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def edit_round(round_id: int):
    round_ = rounds.get_round(db.session, round_id)
    form = RoundForm(round_=round_)
    if request.method == "GET":
        form.fill_from(round_)
    answer = carry_out(
        form, lambda: settings.update_round(db.session, round_, form.settings(round_),
                                            actor_id=actor_id()),
        field="title", done="Round saved", then=round_url(round_id))
    return answer or render_template("funds/round_form.html", form=form, round=round_,
                                     has_funds=True)


# Where the round page's error summary sends each problem: the row or section to fix.
PROBLEM_ANCHORS = {
    **{name: f"row-{name}" for name in ("code", "title", "kind", "financial_year", "opens_at",
                                        "closes_at", "budget", "min_award", "max_award")},
    **{name: name for name in ("priorities", "organisation_types", "eligibility_questions",
                               "scoring_criteria", "county_allocations")},
    "status": "round-status",
}


def _round_page(round_id: int, problems: dict[str, str] | None = None):
    page = overview.round_overview(db.session, round_id)
    return render_template("funds/round.html", overview=page, round=page.round,
                           problems=problems or {}, problem_anchors=PROBLEM_ANCHORS)


@bp.get("/rounds/<int:round_id>")
def view_round(round_id: int):
    round_ = rounds.find_round(db.session, round_id)
    if round_.kind is RoundKind.DIRECT:
        # The service keeps a fund's direct awards of a year as a round: they have their page.
        return redirect(url_for("direct_awards.list_direct_awards", fund_id=round_.fund_id))
    return _round_page(round_id)


def _round_action(round_id: int, action: Callable[..., Round], done: str):
    """Run a state change on the round; a refusal shows on the round page with its reason
    (each launch problem by its section, any other as the round's status)."""
    round_ = rounds.get_round(db.session, round_id)
    try:
        action(db.session, round_, actor_id=actor_id())
    except Refusal as error:
        mark_refused()
        if isinstance(error, ValidationFailed):
            return _round_page(round_id, error.errors)
        return _round_page(round_id, {"status": error.message})
    flash(done, "success")
    return to_round(round_id)


@bp.post("/rounds/<int:round_id>/launch")
def launch_round(round_id: int):
    return _round_action(round_id, status.launch_round,
                         "Round launched. Applicants can see it, and it opens at its "
                         "opening time")


@bp.post("/rounds/<int:round_id>/start-assessment")
def start_assessment(round_id: int):
    return _round_action(round_id, status.start_assessment, "Assessment started")


@bp.post("/rounds/<int:round_id>/mark-decided")
def mark_decided(round_id: int):
    return _round_action(round_id, status.mark_decided, "Round marked as decided")


@bp.post("/rounds/<int:round_id>/archive")
def archive_round(round_id: int):
    return _round_action(round_id, status.archive_round,
                         "Round archived. Applicants no longer see it")


@bp.post("/rounds/<int:round_id>/copy")
def copy_round(round_id: int):
    source = rounds.get_round(db.session, round_id)
    try:
        copy = copying.copy_round(db.session, source, actor_id=actor_id())
    except Refusal as error:
        mark_refused()
        return _round_page(round_id, error.errors if isinstance(error, ValidationFailed)
                           else {"status": error.message})
    flash(f"Round copied as draft {copy.code}. Its dates have moved forward a year: check "
          "them, the title and the code before you launch it", "success")
    return to_round(copy.id)
