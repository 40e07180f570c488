"""The awards a report counts, as a CTE the report's queries share, and the measures taken
over them.

An award counts when it is public (`grants.awards.operations.publicity.public_awards`): made,
and its round's decisions published.
Where an award's priority, key aims or areas come from two places (its own, or its
application's), the query settles which.
"""

import logging
from typing import Any

from sqlalchemy import case, exists, func, null, select, union_all

from grants.applications.models import Application, application_key_aim
from grants.awards.models import Award, award_key_aim
from grants.awards.operations.publicity import public_awards
from grants.funds.models import Round
from grants.organisations.models import Organisation

logger = logging.getLogger(__name__)


def counted_awards(round_clauses: list[Any], *extra):
    """The awards that count in the rounds that `round_clauses` pick, with where their
    priority and areas come from settled, and the
    `extra` labelled columns a query needs (each column costs space when PostgreSQL works out
    the CTE once for several uses)."""
    from_application = Award.application_id.is_not(None)
    return (
        select(
            Award.id.label("award_id"),
            Award.round_id.label("round_id"),
            Award.organisation_id.label("organisation_id"),
            Award.application_id.label("application_id"),
            Award.amount_pence.label("amount_pence"),
            Award.amount_requested_pence.label("amount_requested_pence"),
            Award.nominating_county_id.label("nominating_county_id"),
            # The award's own priority when staff gave one, else the application's.
            func.coalesce(Award.priority_id, Application.primary_priority_id)
            .label("priority_id"),
            case((from_application, Application.serves_whole_thames_valley),
                 else_=Award.serves_whole_thames_valley).label("whole_thames_valley"),
            *extra,
        )
        .join(Round, Round.id == Award.round_id)
        .outerjoin(Application, Application.id == Award.application_id)
        .where(public_awards(), *round_clauses)
        .cte("counted")
    )


def award_details():
    """The extra columns of `counted_awards` that the progress report reads."""
    return (Award.awarded_on.label("awarded_on"), Award.offered_at.label("offered_at"),
            Award.title.label("title"), Round.kind.label("round_kind"),
            Round.fund_id.label("fund_id"))


def organisation_type():
    """The recipient's type of organisation, looked up award by award in the primary key
    index: with a join, PostgreSQL chose to hash every organisation (20,000 on the bench
    data) for a year's 1,500 awards, which took longer than the lookups."""
    return (select(Organisation.organisation_type)
            .where(Organisation.id == Award.organisation_id)
            .scalar_subquery().label("organisation_type"))


def award_measures(rows) -> tuple[Any, Any, Any]:
    """Awards, amount awarded and organisations funded over `rows`, which have the award_id,
    amount_pence and organisation_id columns of `counted_awards`."""
    return (func.count(rows.c.award_id),
            func.coalesce(func.sum(rows.c.amount_pence), 0),
            func.count(func.distinct(rows.c.organisation_id)))


def key_aim_pairs(counted):
    """(award, key aim) for each key aim of each award: its own, else its application's, with
    the award's amount and organisation. UNION ALL, as no pair can come twice: each table
    holds a pair once, and an award's application's key aims count only when it has none of
    its own."""
    carried = (counted.c.award_id, counted.c.amount_pence, counted.c.organisation_id)
    return union_all(*_with_key_aims(counted, carried)).subquery("award_key_aims")


def key_aims_or_none(counted, *columns):
    """Each counted award's `columns` with each of its key aims, as `key_aim_pairs` finds
    them, and once with none (key_aim_id NULL) for an award without one: everything a caller
    needs of the award carried along, so that nothing joins back to `counted`. (Joined back,
    the database planned the pairs once for each award when its statistics still held a
    table empty: a year of 1,000 awards took a minute.)"""
    own, from_application = _with_key_aims(counted, columns)
    no_aim = (select(*columns, null().label("key_aim_id"))
              .where(~_has_own(counted),
                     ~exists().where(application_key_aim.c.application_id
                                     == counted.c.application_id)))
    return union_all(own, from_application, no_aim).subquery("key_aims_or_none")


def _has_own(counted):
    return exists().where(award_key_aim.c.award_id == counted.c.award_id)


def _with_key_aims(counted, carried):
    own = (select(*carried, award_key_aim.c.key_aim_id)
           .join(award_key_aim, award_key_aim.c.award_id == counted.c.award_id))
    from_application = (
        select(*carried, application_key_aim.c.key_aim_id)
        .join(application_key_aim,
              application_key_aim.c.application_id == counted.c.application_id)
        .where(~_has_own(counted)))
    return own, from_application
