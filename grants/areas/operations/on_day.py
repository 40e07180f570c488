"""Which councils and partnerships stood on a day: Buckinghamshire's changed on 1 April 2020.

A round offers the areas and recipients as they stand on its closing date, so a 2019/20 round
offers the four district councils and a 2020/21 round the unitary council; what was chosen
before keeps its old areas, whatever the round's list offers now.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from grants.areas.models import County, LocalAuthority
from grants.core import clock
from grants.funds.models import Round
from grants.organisations.models import Organisation


def round_day(round_: Round) -> date:
    """The day a round's areas and recipients are taken as they stand: its closing date."""
    return clock.to_london(round_.closes_at).date()


def local_authorities_on(session: Session, day: date) -> list[LocalAuthority]:
    """The councils that stood on the day, by county then name, with their county loaded."""
    authorities = session.scalars(
        select(LocalAuthority).join(LocalAuthority.county)
        .options(contains_eager(LocalAuthority.county))
        .order_by(County.name, LocalAuthority.name))
    return [authority for authority in authorities if authority.is_current_on(day)]


def stands_on(organisation: Organisation, day: date) -> bool:
    """Whether a council's or partnership's organisation stood on the day: every area it
    covers did (an organisation tied to no area always stands)."""
    return all(area.is_current_on(day) for area in organisation.areas)
