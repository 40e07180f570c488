"""Planning an awards event: the ceremony's details, checked, and what the planning pages read
(the ceremonies, one ceremony, the funds and years one may be for)."""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.ceremonies.models import (
    MAX_ADDRESS_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_PLACE_LENGTH,
    MAX_TITLE_LENGTH,
    Ceremony,
    CeremonyInvitation,
)
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed, or_not_found
from grants.core.paging import Page, page_of
from grants.funds.models import Fund, Round
from grants.offices.models import Office
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
FINANCIAL_YEAR = re.compile(r"^(?P<first>[0-9]{4})/(?P<second>[0-9]{2})$")
# How far back a ceremony may celebrate: the recipients of the last few years.
YEARS_BACK = 5
IN_THE_PAST = "The ceremony must be in the future"


@dataclass(frozen=True)
class CeremonyEntry:
    """What staff typed about the event. The date and time are London's."""

    title: str
    day: date | None
    at: time | None
    place: str
    address: str = ""
    notes: str = ""
    fund_id: int | None = None
    financial_year: str = ""


def financial_years(today: date) -> list[str]:
    """The years a ceremony may be for, the current one first: this year's recipients and
    those of the few years before it."""
    first = clock.financial_year_start(clock.financial_year_of(today))
    return [f"{year}/{(year + 1) % 100:02d}" for year in range(first, first - YEARS_BACK, -1)]


def funds(session: Session) -> list[Fund]:
    return list(session.scalars(select(Fund).order_by(Fund.code)))


def _texts(entry: CeremonyEntry, errors: dict[str, str]) -> dict[str, str]:
    """The typed texts, trimmed; a missing or too long one is noted in `errors`."""
    values = {"title": entry.title.strip(), "place": entry.place.strip(),
              "address": entry.address.strip(), "notes": entry.notes.strip()}
    for field, limit, named, missing in (
            ("title", MAX_TITLE_LENGTH, "The title", "Enter the ceremony's title"),
            ("place", MAX_PLACE_LENGTH, "The place", "Enter where the ceremony is held"),
            ("address", MAX_ADDRESS_LENGTH, "The address", None),
            ("notes", MAX_NOTES_LENGTH, "The notes", None)):
        if missing and not values[field]:
            errors[field] = missing
        elif len(values[field]) > limit:
            errors[field] = f"{named} must be {limit:,} characters or fewer"
    return values


def _starts_at(entry: CeremonyEntry, errors: dict[str, str]) -> datetime | None:
    """When the ceremony starts, in UTC, in the future; None (noted in `errors`) if not."""
    if entry.day is None:
        errors["day"] = "Enter the date of the ceremony"
        return None
    if entry.at is None:
        errors["at"] = "Enter the time the ceremony starts"
        return None
    try:
        starts_at = clock.london_to_utc(entry.day, entry.at)
    except clock.TimeError as error:
        errors["at"] = str(error)
        return None
    if starts_at <= clock.utcnow():
        errors["day"] = IN_THE_PAST
        return None
    return starts_at


def checked(session: Session, entry: CeremonyEntry) -> dict:
    """The ceremony's columns from the entry, or every problem with it at once."""
    errors: dict[str, str] = {}
    values = _texts(entry, errors)
    values["starts_at"] = _starts_at(entry, errors)
    if entry.fund_id is not None and session.get(Fund, entry.fund_id) is None:
        errors["fund"] = "Choose a fund from the list"
    if entry.financial_year not in financial_years(clock.today_in_london()):
        errors["financial_year"] = "Choose the financial year whose recipients are invited"
    if errors:
        raise ValidationFailed(errors)
    return values


def create_ceremony(session: Session, user: User, entry: CeremonyEntry) -> Ceremony:
    """Plan an awards event for a year's recipients (of one fund, or every fund); audited."""
    values = checked(session, entry)
    ceremony = Ceremony(**values, fund_id=entry.fund_id, financial_year=entry.financial_year,
                        created_by_id=user.id, office_id=_office_id(session, user, entry))
    session.add(ceremony)
    session.flush()
    record_event(session, actor_id=user.id, action="ceremony.created", entity_type="ceremony",
                 entity_id=ceremony.id,
                 after={"title": ceremony.title, "starts_at": ceremony.starts_at.isoformat(),
                        "place": ceremony.place, "fund_id": ceremony.fund_id,
                        "financial_year": ceremony.financial_year})
    logger.info("ceremony %s planned for %s", ceremony.id, ceremony.financial_year)
    return ceremony


def _office_id(session: Session, user: User, entry: CeremonyEntry) -> int:
    """The office whose recipients a new ceremony invites: its fund's; for every fund, the
    office of the member of staff planning it (with a role written without its office, the
    first office)."""
    if entry.fund_id is not None:
        return session.get_one(Fund, entry.fund_id).office_id
    if user.staff_office_id is not None:
        return user.staff_office_id
    first = session.scalar(select(func.min(Office.id)))
    if first is None:
        raise Refusal("There is no office yet: create one with flask offices create")
    return first


def get_ceremony(session: Session, ceremony_id: int) -> Ceremony:
    ceremony = session.scalars(select(Ceremony).where(Ceremony.id == ceremony_id)
                               .options(joinedload(Ceremony.fund))).one_or_none()
    return or_not_found(ceremony, "There is no such ceremony")


@dataclass(frozen=True)
class CeremonyRow:
    ceremony: Ceremony
    invited: int
    attending: int


def ceremonies(session: Session, number: int) -> Page[CeremonyRow]:
    """Every ceremony, the latest first, with how many organisations were invited and how many
    said they will come: three queries whatever the page."""
    query = (select(Ceremony).options(joinedload(Ceremony.fund))
             .order_by(Ceremony.starts_at.desc(), Ceremony.id.desc()))
    page = page_of(session, query, number, PAGE_SIZE, within=True)
    ids = [ceremony.id for ceremony in page.items]
    counts = {ceremony_id: (invited, attending or 0) for ceremony_id, invited, attending in
              session.execute(
                  select(CeremonyInvitation.ceremony_id, func.count(),
                         func.sum(func.coalesce(CeremonyInvitation.guests, 0))
                         .filter(CeremonyInvitation.attending.is_(True)))
                  .where(CeremonyInvitation.ceremony_id.in_(ids))
                  .group_by(CeremonyInvitation.ceremony_id))} if ids else {}
    return Page(items=[CeremonyRow(ceremony, *counts.get(ceremony.id, (0, 0)))
                       for ceremony in page.items],
                total=page.total, number=page.number, size=page.size)


def recipients_in(ceremony: Ceremony):
    """SQL: the awards a ceremony celebrates (a condition on Award and Round, joined): those
    of its financial year, and of its fund when it has one."""
    conditions = [Round.financial_year == ceremony.financial_year]
    if ceremony.fund_id is not None:
        conditions.append(Round.fund_id == ceremony.fund_id)
    return conditions
