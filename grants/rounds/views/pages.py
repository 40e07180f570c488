"""The open and upcoming rounds, and each round's page."""

from flask import render_template, url_for

from grants.core import clock
from grants.extensions import db
from grants.funds.operations import public
from grants.rounds.views.blueprint import bp


@bp.get("/rounds")
def list_rounds():
    return render_template(
        "rounds/list.html",
        rounds=public.open_and_upcoming_rounds(db.session, clock.utcnow()),
    )


@bp.get("/rounds/<code>")
def view_round(code: str):
    now = clock.utcnow()
    summary = public.public_round(db.session, code, now)
    stage_closes_at = summary.round.interest_closes_at
    return render_template(
        "rounds/view.html",
        summary=summary,
        round=summary.round,
        start_url=(url_for("applications.start_application", round_code=code)
                   if summary.is_open else None),
        check_url=(url_for("rounds.check_start", round_code=code)
                   if summary.is_open or summary.is_upcoming else None),
        # A round that starts with an expression of interest, while that stage is open.
        interest_url=(url_for("interest.start_interest", round_code=code)
                      if summary.is_open and stage_closes_at and now < stage_closes_at
                      else None),
    )
