"""The open and upcoming rounds, and each round's page."""

from flask import render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from grants.core import clock
from grants.core.money import format_pounds
from grants.extensions import db
from grants.funds.operations import public, wording
from grants.rounds.views.blueprint import bp


def _english() -> bool:
    return str(get_locale() or "en") == "en"


@bp.app_template_filter("round_timing")
def round_timing(summary: public.PublicRound) -> str | None:
    """ "Closes in 3 days" (or "Opens …"), in the page's language; None once closed."""
    if summary.timing is None or _english():
        return summary.timing.capitalize() if summary.timing else None
    round_ = summary.round
    opening = summary.is_upcoming
    days = max(wording.days_until(round_.opens_at if opening else round_.closes_at,
                                  clock.utcnow()), 0)
    if days == 0:
        return _("Opens today") if opening else _("Closes today")
    if days == 1:
        return _("Opens tomorrow") if opening else _("Closes tomorrow")
    if opening:
        return ngettext("Opens in %(num)d day", "Opens in %(num)d days", days)
    return ngettext("Closes in %(num)d day", "Closes in %(num)d days", days)


@bp.app_template_filter("award_range")
def award_range(summary: public.PublicRound) -> str | None:
    """ "£1,000 to £5,000", "Up to £5,000", "£1,000 or more", in the page's language."""
    low, high = summary.round.min_award_pence, summary.round.max_award_pence
    if summary.award_range is None or _english() or low == high:
        return summary.award_range
    if low is not None and high is not None:
        return _("%(low)s to %(high)s", low=format_pounds(low), high=format_pounds(high))
    if high is not None:
        return _("Up to %(high)s", high=format_pounds(high))
    return _("%(low)s or more", low=format_pounds(low))


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
