"""Fair share: an organisation with a recent Police Property Act Fund grant is warned that the
panel favours organisations without one."""

from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, contains_eager, load_only

from grants.awards.models import Award
from grants.awards.operations.publicity import public_awards
from grants.core import clock
from grants.core.formatting import format_month
from grants.core.money import format_pounds
from grants.core.translatable import N_, Moment, Words
from grants.funds.models import Fund, Round
from grants.organisations.models import Organisation

FAIR_SHARE_FUND_CODE = "PPAF"


def recent_ppaf_award(session: Session, organisation: Organisation,
                      now: datetime) -> Award | None:
    """The organisation's latest Police Property Act Fund award of the last 12 months, if any.

    Counts public awards (`publicity.public_awards`: the round's decisions are published, as
    an imported round's are, and the award is not declined or withdrawn). An award's date is the
    day it was awarded, or when that is not recorded, when it was made.
    """
    today = clock.to_london(now).date()
    since_day = _a_year_before(today)
    since = now - (today - since_day)
    return session.scalars(
        select(Award)
        .join(Award.round)
        .join(Round.fund)
        .where(
            Award.organisation_id == organisation.id,
            Fund.code == FAIR_SHARE_FUND_CODE,
            public_awards(),
            or_(Award.awarded_on >= since_day,
                and_(Award.awarded_on.is_(None), Award.created_at >= since)),
        )
        # Only what the warning says, through the joins the condition already makes.
        .options(load_only(Award.amount_pence, Award.awarded_on, Award.created_at),
                 contains_eager(Award.round).load_only(Round.fund_id)
                 .contains_eager(Round.fund).load_only(Fund.name))
        .order_by(Award.awarded_on.desc().nulls_last(), Award.created_at.desc())
        .limit(1)
    ).first()


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def fair_share_warning(award: Award) -> Words:
    """The warning an applicant sees when their organisation had a recent grant (said in the
    page's language by grants.core.refusals.in_page_language)."""
    when = award.awarded_on or clock.to_london(award.created_at).date()
    return Words(
        N_("Your organisation had a %(fund)s grant of %(amount)s in %(month)s. You can still "
           "apply, but the panel gives priority to organisations that have not had a recent "
           "grant."),
        fund=award.round.fund.name, amount=format_pounds(award.amount_pence),
        month=Moment(when, format_month))
