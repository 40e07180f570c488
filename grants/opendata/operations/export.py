"""Counted awards as 360Giving JSON, CSV or XLSX, written a grant at a time.

The awards are read in batches (yield_per, a server-side cursor where the database has one), so
an export of any size never holds every award in memory.
"""

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import IO, Any

from openpyxl import Workbook
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from grants.applications.models import Application, application_area, application_key_aim
from grants.areas.models import LocalAuthority
from grants.awards.models import Award, award_area, award_key_aim
from grants.awards.operations.publicity import public_awards, published_moment
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.ids import row_id
from grants.core.months import month_bounds
from grants.core.spreadsheets import csv_lines, xlsx_cell
from grants.direct_awards.models import OnwardGrant, onward_grant_area
from grants.direct_awards.operations.listing import delegated_award_ids
from grants.funds.models import Fund, Round
from grants.monitoring.operations.schedule import varied_end_dates
from grants.opendata.operations.onward import onward_to_grant
from grants.opendata.operations.threesixty import (
    Publisher,
    award_to_grant,
    flat_columns,
    pick,
)
from grants.plans.models import KeyAim, Priority

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
FORMATS = ("json", "csv", "xlsx")
WHOLE_THAMES_VALLEY = "thames-valley"
MONEY_FORMAT = '"£"#,##0.00'


class EmptySelection(Refusal):
    """No counted award matches: a 360Giving file needs one grant or more."""

    status_code = 404


@dataclass(frozen=True)
class Selection:
    """Which counted awards: any of a round (id or code), a financial year ("2019/20"), a fund
    code, a priority id and an area (a GSS code, or "thames-valley")."""

    round: str | None = None
    year: str | None = None
    fund: str | None = None
    priority_id: int | None = None
    area: str | None = None
    month: str | None = None  # "2026-11": the awards whose decisions were published then

    def describe(self) -> str:
        parts = []
        if self.month:
            parts.append(f"the month {self.month}")
        if self.round:
            parts.append(f"round {self.round}")
        if self.year:
            parts.append(f"the year {self.year}")
        if self.fund:
            parts.append(f"fund {self.fund}")
        if self.priority_id:
            parts.append("the priority chosen")
        if self.area:
            parts.append("the area chosen")
        return " and ".join(parts) or "the whole service"

    def file_stem(self) -> str:
        parts = ["360giving"]
        for value in (self.fund, self.round, self.year, self.month):
            if value:
                parts.append(str(value).replace("/", "-"))
        return "-".join(parts)


def counted_awards(selection: Selection) -> Select:
    """Public awards (`publicity.public_awards`) in the selection, oldest round first."""
    return (
        select(Award)
        .join(Award.round)
        .join(Round.fund)
        .outerjoin(Award.application)
        .where(*_conditions(selection))
        .order_by(Round.closes_at, Round.id, Award.id)
    )


def _conditions(selection: Selection) -> list[Any]:
    """What makes an award count and be selected, on the award and (outer-joined) its
    application only: the round and fund are picked by the award's round id, so counting
    needs no join of every award to its round and fund."""
    conditions: list[Any] = [public_awards()]
    rounds = []
    if selection.round:
        value = selection.round
        number = row_id(value) if value.isdigit() else None
        rounds.append(Round.id == number if number is not None else Round.code == value)
    if selection.year:
        try:
            clock.financial_year_start(selection.year)
        except ValueError:
            raise Refusal(f"{selection.year} is not a financial year: write it like "
                              "2019/20", field="year") from None
        rounds.append(Round.financial_year == selection.year)
    if selection.fund:
        rounds.append(Round.fund_id.in_(select(Fund.id).where(Fund.code == selection.fund)))
    if rounds:
        conditions.append(Award.round_id.in_(select(Round.id).where(*rounds)))
    if selection.month:
        start, end = month_bounds(selection.month)
        moment = published_moment()
        conditions.extend([moment >= start, moment < end])
    if selection.priority_id:
        conditions.append(
            func.coalesce(Award.priority_id, Application.primary_priority_id)
            == selection.priority_id)
    if selection.area == WHOLE_THAMES_VALLEY:
        conditions.append(or_(
            and_(Award.application_id.is_(None), Award.serves_whole_thames_valley),
            Application.serves_whole_thames_valley,
        ))
    elif selection.area:
        area_id = (select(LocalAuthority.id).where(LocalAuthority.gss_code == selection.area)
                   .scalar_subquery())
        in_application = exists().where(application_area.c.application_id == Award.application_id,
                                        application_area.c.local_authority_id == area_id)
        in_award = exists().where(award_area.c.award_id == Award.id,
                                  award_area.c.local_authority_id == area_id)
        conditions.append(or_(and_(Award.application_id.is_not(None), in_application),
                              and_(Award.application_id.is_(None), in_award)))
    return conditions


def grant_loading_options() -> tuple:
    """Everything award_to_grant reads, loaded with the awards."""
    plan_of_aim = joinedload(KeyAim.priority).joinedload(Priority.plan)
    return (
        joinedload(Award.round),
        joinedload(Award.organisation),
        joinedload(Award.nominating_county),
        joinedload(Award.priority).joinedload(Priority.plan),
        selectinload(Award.key_aims).options(plan_of_aim),
        selectinload(Award.areas),
        joinedload(Award.application).options(
            selectinload(Application.areas),
            joinedload(Application.primary_priority).joinedload(Priority.plan),
            selectinload(Application.key_aims).options(plan_of_aim),
        ),
    )


def count_awards(session: Session, selection: Selection) -> int:
    """How many awards count in the selection: read from the award rows alone (and their
    applications where a filter needs them), as every page of the public register asks."""
    query = select(func.count(Award.id)).select_from(Award).where(*_conditions(selection))
    if selection.priority_id or selection.area:
        query = query.outerjoin(Award.application)
    return session.scalar(query) or 0


def require_awards(session: Session, selection: Selection) -> int:
    """The number of counted awards selected; refuses an empty selection."""
    total = count_awards(session, selection)
    if total == 0:
        raise EmptySelection(
            f"No published awards match {selection.describe()}, so there is nothing to export: "
            "a 360Giving file needs at least one grant.")
    return total


def iter_grants(session: Session, selection: Selection,
                publisher: Publisher) -> Iterator[dict[str, Any]]:
    """The selected awards as 360Giving grants, read in batches."""
    query = (counted_awards(selection).options(*grant_loading_options())
             .execution_options(yield_per=BATCH_SIZE))
    for batch in session.scalars(query).partitions():
        ids = [award.id for award in batch]
        varied_ends = varied_end_dates(session, ids)
        regrants = _delegated(session, ids)
        for award in batch:
            yield award_to_grant(award, publisher, varied_ends.get(award.id),
                                 regrant=award.id in regrants)


def _delegated(session: Session, award_ids: list[int]) -> set[int]:
    """Which of the awards are Community Foundation allocations, granted onward."""
    return set(session.scalars(select(Award.id).where(
        Award.id.in_(award_ids), Award.id.in_(delegated_award_ids()))))


def _onward_query(selection: Selection) -> Select:
    """The onward grants beneath the selected public awards (Community Foundation
    allocations), oldest allocation first."""
    awards = counted_awards(selection).order_by(None).with_only_columns(Award.id)
    return (select(OnwardGrant).where(OnwardGrant.award_id.in_(awards))
            .order_by(OnwardGrant.award_id, OnwardGrant.awarded_on, OnwardGrant.id))


def count_onward_grants(session: Session, selection: Selection) -> int:
    query = _onward_query(selection).order_by(None).subquery()
    return session.scalar(select(func.count()).select_from(query)) or 0


def iter_onward_grants(session: Session, selection: Selection,
                       publisher: Publisher) -> Iterator[dict[str, Any]]:
    """The onward grants of the selected allocations as 360Giving grants, with the
    Community Foundation as their funder, read in batches."""
    plan_of_aim = joinedload(KeyAim.priority).joinedload(Priority.plan)
    query = (_onward_query(selection).options(
        joinedload(OnwardGrant.award).options(
            joinedload(Award.round).joinedload(Round.fund), joinedload(Award.organisation)),
        joinedload(OnwardGrant.priority).joinedload(Priority.plan),
        joinedload(OnwardGrant.key_aim).options(plan_of_aim),
        selectinload(OnwardGrant.areas)).execution_options(yield_per=BATCH_SIZE))
    for batch in session.scalars(query).partitions():
        for grant in batch:
            yield onward_to_grant(grant, publisher)


def package_header(publisher: Publisher) -> dict[str, Any]:
    return {
        "version": "1.4",
        "publisher": {"identifier": publisher.funder_org_id, "name": publisher.funder_name},
        "modified": clock.utcnow().replace(microsecond=0).isoformat(),
    }


def write_json(grants: Iterator[dict[str, Any]], publisher: Publisher) -> Iterator[str]:
    """A 360Giving package, written a grant at a time."""
    header = json.dumps(package_header(publisher), ensure_ascii=False)
    yield header[:-1] + ', "grants": [\n'
    for number, grant in enumerate(grants):
        yield ("" if number == 0 else ",\n") + json.dumps(grant, ensure_ascii=False)
    yield "\n]}\n"


def list_widths(session: Session, selection: Selection) -> tuple[int, int]:
    """How many location and classification columns the spreadsheet needs (at most): found by
    SQL so the header can be written before the first row."""
    ids = counted_awards(selection).order_by(None).with_only_columns(
        Award.id, Award.application_id).subquery()

    def most(table, key, column) -> int:
        per = (select(func.count().label("n")).select_from(table)
               .where(key.in_(select(column))).group_by(key).subquery())
        return session.scalar(select(func.max(per.c.n))) or 0

    areas = max(most(application_area, application_area.c.application_id, ids.c.application_id),
                most(award_area, award_area.c.award_id, ids.c.id))
    aims = max(
        most(application_key_aim, application_key_aim.c.application_id, ids.c.application_id),
        most(award_key_aim, award_key_aim.c.award_id, ids.c.id))
    whole = session.scalar(
        select(func.count()).select_from(Award).outerjoin(Award.application)
        .where(Award.id.in_(select(ids.c.id)),
               or_(Award.serves_whole_thames_valley,
                   Application.serves_whole_thames_valley)))
    counties = session.scalar(
        select(func.count()).select_from(Award)
        .where(Award.id.in_(select(ids.c.id)), Award.nominating_county_id.is_not(None)))
    return areas + (1 if whole else 0), 1 + aims + (1 if counties else 0)


def _widths(session: Session, selection: Selection, include_onward: bool) -> tuple[int, int]:
    """The awards' columns, and with onward grants enough for theirs: their areas (or the
    office's whole area), and a priority and a key aim."""
    locations, classifications = list_widths(session, selection)
    if not include_onward:
        return locations, classifications
    onward_ids = _onward_query(selection).order_by(None).with_only_columns(OnwardGrant.id)
    per = (select(func.count().label("n")).select_from(onward_grant_area)
           .where(onward_grant_area.c.onward_grant_id.in_(onward_ids))
           .group_by(onward_grant_area.c.onward_grant_id).subquery())
    areas = session.scalar(select(func.max(per.c.n))) or 0
    return max(locations, areas, 1), max(classifications, 2)


def _csv_value(value: Any) -> Any:
    """A grant's value for its CSV cell: an amount with pence (a JSON float) keeps both
    decimals ("1500.50"); whole pounds are already an integer."""
    return f"{value:.2f}" if isinstance(value, float) else value


def write_csv(grants: Iterator[dict[str, Any]], widths: tuple[int, int]) -> Iterator[str]:
    """The grants as one CSV sheet with the standard's column titles, a row at a time. Names
    and descriptions come from applicants: a spreadsheet must not run them."""
    columns = flat_columns(*widths)
    rows = ([_csv_value(pick(grant, path)) for _, path in columns] for grant in grants)
    yield from csv_lines(chain([[title for title, _ in columns]], rows))


def write_xlsx(grants: Iterator[dict[str, Any]], widths: tuple[int, int],
               out: IO[bytes]) -> None:
    """The grants as an XLSX workbook (sheet "grants"): amounts as currency cells, the award
    date as a date cell, everything else as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("grants")
    columns = flat_columns(*widths)
    sheet.append([title for title, _ in columns])
    for grant in grants:
        row = []
        for title, path in columns:
            value = pick(grant, path)
            if value is not None and title in ("Amount Awarded", "Amount Applied For"):
                row.append(xlsx_cell(sheet, value, MONEY_FORMAT))
            elif value is not None and title == "Award Date":
                row.append(xlsx_cell(sheet, date.fromisoformat(value), "yyyy-mm-dd"))
            else:
                row.append(xlsx_cell(sheet, None if value is None else str(value)))
        sheet.append(row)
    workbook.save(out)


def export_to(session: Session, selection: Selection, publisher: Publisher, fmt: str,
              out: IO[bytes], *, include_onward: bool = False) -> int:
    """Write the selection to a binary file in a format; returns the number of grants.
    `include_onward`: the Community Foundations' onward grants too, after the awards."""
    if fmt not in FORMATS:
        raise Refusal(f"The format must be one of {', '.join(FORMATS)}", field="format")
    total = require_awards(session, selection)
    grants = iter_grants(session, selection, publisher)
    if include_onward:
        total += count_onward_grants(session, selection)
        grants = chain(grants, iter_onward_grants(session, selection, publisher))
    if fmt == "json":
        for chunk in write_json(grants, publisher):
            out.write(chunk.encode("utf-8"))
    elif fmt == "csv":
        for chunk in write_csv(grants, _widths(session, selection, include_onward)):
            out.write(chunk.encode("utf-8"))
    else:
        write_xlsx(grants, _widths(session, selection, include_onward), out)
    logger.info("exported %s grants (%s) as %s", total, selection.describe(), fmt)
    return total

