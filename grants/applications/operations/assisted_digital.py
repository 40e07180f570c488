"""Assisted digital: staff starting and sending an application on an organisation's behalf."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.applications.models import Application
from grants.auth import permissions
from grants.funds.models import Round, RoundKind, RoundOrganisationType
from grants.organisations.models import Organisation

ASSISTED_SUBMISSION_NOTE = "assisted digital: submitted by staff on the organisation's behalf"


def is_assisted(user: User, application: Application) -> bool:
    """A staff member acting for an organisation they do not belong to (assisted digital)."""
    return (permissions.is_staff(user)
            and not permissions.is_member_of(user, application.organisation))


def open_rounds_for(session: Session, organisation: Organisation,
                    now: datetime) -> list[Round]:
    """The rounds open now that accept the organisation's type, closing soonest first."""
    accepting = select(RoundOrganisationType.round_id).where(
        RoundOrganisationType.organisation_type == organisation.organisation_type)
    return list(session.scalars(
        select(Round)
        .where(Round.kind == RoundKind.OPEN, Round.launched_at.is_not(None),
               Round.archived_at.is_(None), Round.assessing_at.is_(None),
               Round.decided_at.is_(None), Round.decisions_published_at.is_(None),
               Round.opens_at <= now, Round.closes_at > now, Round.id.in_(accepting))
        .options(joinedload(Round.fund))
        .order_by(Round.closes_at, Round.code)
    ))
