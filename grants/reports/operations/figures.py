"""A report's figures: the headline figures and every breakdown (by round, priority, key aim,
county, local authority, type of organisation and High Sheriff county).

Every figure is an SQL aggregate over the awards that count (see `counted`), so a report costs
the same fixed number of queries whatever the number of awards. Where an award's priorities,
key aims or areas come from two places (its own, or its application's), the two sources are
joined with UNION.
"""

import functools
import logging
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from grants.applications.models import Application, ApplicationStatus, application_area
from grants.areas.models import County, LocalAuthority
from grants.awards.models import Award, AwardSource, award_area
from grants.core import data_version
from grants.decisions.operations.remaining import remaining_by_round
from grants.funds.models import Round
from grants.monitoring.models import Repayment
from grants.offices.models import Office
from grants.offices.operations.speaking import is_office_of_request
from grants.organisations.models import OrganisationType
from grants.plans.models import KeyAim, Priority
from grants.reports.operations.counted import (
    award_measures,
    counted_awards,
    key_aim_pairs,
    organisation_type,
)
from grants.reports.operations.selection import Selection, round_clauses_of

logger = logging.getLogger(__name__)

# Row codes of the breakdowns that are not a priority, area or county of their own.
NONE_CODE = "none"
THAMES_VALLEY_CODE = "thames-valley"
# The row of awards serving the office's whole area is named "The whole of" its short name.
WHOLE_AREA_WORDS = "The whole of "
NO_PRIORITY_NAME = "No priority recorded"
NO_AREA_NAME = "No area recorded"

BREAKDOWNS = ("by_round", "by_priority", "by_key_aim", "by_county", "by_local_authority",
              "by_organisation_type", "by_high_sheriff_county")


@dataclass(frozen=True)
class Row:
    """One row of a breakdown."""

    code: str
    name: str
    awards: int
    amount_awarded_pence: int
    organisations_funded: int


@dataclass(frozen=True)
class Figures:
    """A report's figures; `to_json` gives the keys of the CLI's JSON. `applications` is
    None ("not recorded") when a round reported on had its awards imported without the
    applications behind them, so the number received is not known."""

    applications: int | None
    amount_requested_pence: int
    awards: int
    amount_awarded_pence: int
    # Unspent money recipients paid back on the rounds' awards, and the awards net of it.
    repaid_pence: int
    net_awarded_pence: int
    organisations_funded: int
    success_rate: float | None
    budget_pence: int
    remaining_pence: int
    by_round: tuple[Row, ...]
    by_priority: tuple[Row, ...]
    by_key_aim: tuple[Row, ...]
    by_county: tuple[Row, ...]
    by_local_authority: tuple[Row, ...]
    by_organisation_type: tuple[Row, ...]
    by_high_sheriff_county: tuple[Row, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "applications": self.applications,
            "amount_requested_pence": self.amount_requested_pence,
            "awards": self.awards,
            "amount_awarded_pence": self.amount_awarded_pence,
            "repaid_pence": self.repaid_pence,
            "net_awarded_pence": self.net_awarded_pence,
            "organisations_funded": self.organisations_funded,
            "success_rate": self.success_rate,
            "budget_pence": self.budget_pence,
            "remaining_pence": self.remaining_pence,
            **{name: [asdict(row) for row in getattr(self, name)] for name in BREAKDOWNS},
        }


def _row(code: str, name: str, awards, amount, organisations) -> Row:
    return Row(code=code, name=name, awards=int(awards or 0),
               amount_awarded_pence=int(amount or 0),
               organisations_funded=int(organisations or 0))


def _text(value: str):
    return literal(value, String)


def applications_recorded(received: int | None, imported_awards: int | None) -> bool:
    """Whether a round's applications received are known: not when it received none but has
    imported awards, whose applications were made outside this service."""
    return bool(received) or not imported_awards


def report_figures(session: Session, selection: Selection) -> Figures:
    """Every figure of the report: three queries, whatever the number of awards; kept until
    the data changes (`grants.core.data_version`), so asking again costs one."""
    key = ("report figures", selection.kind, tuple(sorted(selection.parameters().items())))
    return data_version.kept(session, key, lambda: _work_out_figures(session, selection))


def _work_out_figures(session: Session, selection: Selection) -> Figures:
    rounds_query, breakdowns_query = _figures_queries(selection.kind)
    parameters = selection.parameters()
    rounds = session.execute(rounds_query, parameters).all()
    breakdowns = _by_breakdown(session.execute(breakdowns_query, parameters))
    awards, amount, organisations = breakdowns.pop("totals")[0][4:]
    known = all(applications_recorded(row.applications, row.imported_awards) for row in rounds)
    applications = sum(int(row.applications or 0) for row in rounds) if known else None
    on_applications = sum(int(row.on_applications or 0) for row in rounds)
    budget = sum(int(row.budget_pence) for row in rounds)
    amount = int(amount)
    repaid = sum(int(row.repaid or 0) for row in rounds)
    return Figures(
        applications=applications,
        # What applicants asked for, plus what the recipients of awards made without an
        # application (imported ones) had applied for, where that is known.
        amount_requested_pence=sum(int(row.requested or 0) + int(row.imported_requested or 0)
                                   for row in rounds),
        awards=int(awards),
        amount_awarded_pence=amount,
        repaid_pence=repaid,
        net_awarded_pence=amount - repaid,
        organisations_funded=int(organisations),
        # Awards made on applications over the applications received, so it stays within
        # 0-1 when a year also has nominated, allocated or imported awards.
        success_rate=round(on_applications / applications, 4) if applications else None,
        budget_pence=budget,
        # What is left of the rounds' budgets once every award committed from them is taken
        # off, published or not: the figure the decisions board and the budget guard show.
        remaining_pence=sum(remaining_by_round(
            session, {row.id: int(row.budget_pence) for row in rounds}).values()),
        by_round=tuple(_row(row.code, row.title, row.awards, row.amount, row.organisations)
                       for row in rounds),
        by_priority=_by_priority(breakdowns["by_priority"]),
        by_key_aim=_by_key_aim(breakdowns["by_key_aim"]),
        by_county=_by_area(breakdowns["by_county"], breakdowns["thames_valley"]),
        by_local_authority=_by_area(breakdowns["by_local_authority"],
                                    breakdowns["thames_valley"]),
        by_organisation_type=_by_organisation_type(breakdowns["by_organisation_type"]),
        # Already in order of county name, as the database sorts them.
        by_high_sheriff_county=tuple(_row(code, name, *measures) for code, name, _, _, *measures
                                     in breakdowns["by_high_sheriff_county"]),
    )


@functools.cache
def _figures_queries(kind: str) -> tuple[Select, Select]:
    """The report's two queries for a kind of selection, built once a process (building them
    cost about 4 ms a request, a quarter of running them on a year of the bench data); each
    run binds its selection's values. They hold no data, so every process has the same."""
    round_clauses = round_clauses_of(kind)
    counted = counted_awards(round_clauses, organisation_type(), Award.source.label("source"))
    return _rounds_query(round_clauses, counted), _breakdowns_query(counted)


def _rounds_query(round_clauses: list[Any], counted) -> Select:
    """Each round reported on, with or without awards, in closing order: its budget, the
    applications it received and the awards it made. Applications received are every
    application sent in (it has a reference), whatever happened to it since, withdrawn and
    ineligible ones included."""
    received = (
        select(Application.round_id.label("round_id"),
               func.count(Application.id).label("applications"),
               func.coalesce(func.sum(Application.amount_requested_pence), 0)
               .label("requested"))
        .join(Round, Round.id == Application.round_id)
        .where(Application.reference.is_not(None),
               Application.status != ApplicationStatus.DRAFT, *round_clauses)
        .group_by(Application.round_id)
        .subquery("received"))
    awards, amount, organisations = award_measures(counted)
    made = (
        select(counted.c.round_id, awards.label("awards"), amount.label("amount"),
               organisations.label("organisations"),
               func.count(counted.c.application_id).label("on_applications"),
               func.coalesce(func.sum(case((counted.c.application_id.is_(None),
                                            counted.c.amount_requested_pence))), 0)
               .label("imported_requested"),
               func.count(case((counted.c.source == AwardSource.IMPORTED, 1)))
               .label("imported_awards"))
        .group_by(counted.c.round_id)
        .subquery("made"))
    # Money paid back on the counted awards (an award is paid, so public, before any comes
    # back); the year's figures net it off the amount awarded.
    repaid = (
        select(counted.c.round_id, func.sum(Repayment.amount_pence).label("repaid"))
        .join(Repayment, Repayment.award_id == counted.c.award_id)
        .group_by(counted.c.round_id)
        .subquery("repaid"))
    return (
        select(Round.code, Round.title, Round.budget_pence, received.c.applications,
               received.c.requested, made.c.awards, made.c.amount, made.c.organisations,
               made.c.on_applications, made.c.imported_requested, made.c.imported_awards,
               repaid.c.repaid, Round.id)
        .outerjoin(received, received.c.round_id == Round.id)
        .outerjoin(made, made.c.round_id == Round.id)
        .outerjoin(repaid, repaid.c.round_id == Round.id)
        .where(*round_clauses)
        .order_by(Round.closes_at, Round.code)
    )


def _breakdowns_query(counted) -> Select:
    """The totals and every breakdown but the rounds', in one query that reads the awards
    that count once: rows of (breakdown, code, name, number, second number, awards, amount,
    organisations), in order of name."""

    # Typed nulls, as PostgreSQL settles the type of a UNION's column from its first rows.
    no_text, no_number = cast(null(), String), cast(null(), Integer)

    def measured(rows, key, *where):
        """The measures of `rows` for each value of `key`. Grouped on the id before any name
        is joined, so that the groups sort small rows."""
        return (select(key.label("key"), *(measure.label(label) for measure, label in zip(
                    award_measures(rows), ("awards", "amount", "organisations"), strict=True)))
                .select_from(rows).where(*where).group_by(key).subquery())

    def branch(breakdown: str, measures, code, name, number=no_number,
               second_number=no_number):
        return (select(_text(breakdown).label("breakdown"), code.label("code"),
                       name.label("name"), number.label("number"),
                       second_number.label("second_number"), measures.c.awards,
                       measures.c.amount, measures.c.organisations)
                .select_from(measures))

    served_in_part = counted.c.whole_thames_valley.is_(False)
    # Each award served in part with each local authority it serves (its application's, or its
    # own when it has no application), or a null one when no area is recorded: an outer join
    # rather than a separate NOT EXISTS, so each award's areas are looked up once. Used twice,
    # so PostgreSQL works it out once.
    areas = union_all(
        select(counted.c.award_id, counted.c.amount_pence, counted.c.organisation_id,
               application_area.c.local_authority_id)
        .select_from(counted)
        .outerjoin(application_area,
                   application_area.c.application_id == counted.c.application_id)
        .where(counted.c.application_id.is_not(None), served_in_part),
        select(counted.c.award_id, counted.c.amount_pence, counted.c.organisation_id,
               award_area.c.local_authority_id)
        .select_from(counted)
        .outerjoin(award_area, award_area.c.award_id == counted.c.award_id)
        .where(counted.c.application_id.is_(None), served_in_part),
    ).cte("award_areas")
    # An award serving two local authorities of one county counts once for the county.
    counties = (
        select(areas.c.award_id, areas.c.amount_pence, areas.c.organisation_id,
               LocalAuthority.county_id)
        .select_from(areas)
        .outerjoin(LocalAuthority, LocalAuthority.id == areas.c.local_authority_id)
        .distinct()
        .subquery("award_counties"))
    aims = key_aim_pairs(counted)
    by_priority = measured(counted, counted.c.priority_id)
    by_key_aim = measured(aims, aims.c.key_aim_id)
    by_local_authority = measured(areas, areas.c.local_authority_id)
    by_county = measured(counties, counties.c.county_id)
    thames_valley = measured(counted, counted.c.whole_thames_valley,
                             counted.c.whole_thames_valley.is_(True))
    by_organisation_type = measured(counted, counted.c.organisation_type)
    by_high_sheriff_county = measured(counted, counted.c.nominating_county_id,
                                      counted.c.nominating_county_id.is_not(None))
    everything = union_all(
        select(_text("totals").label("breakdown"), no_text.label("code"),
               no_text.label("name"), no_number.label("number"),
               no_number.label("second_number"), *award_measures(counted)),
        branch("by_priority", by_priority, Priority.code, Priority.title, Priority.number)
        .outerjoin(Priority, Priority.id == by_priority.c.key),
        branch("by_key_aim", by_key_aim, Priority.code, KeyAim.text, Priority.number,
               KeyAim.number)
        .join(KeyAim, KeyAim.id == by_key_aim.c.key)
        .join(Priority, Priority.id == KeyAim.priority_id),
        branch("by_local_authority", by_local_authority,
               func.coalesce(LocalAuthority.gss_code, _text(NONE_CODE)),
               func.coalesce(LocalAuthority.name, _text(NO_AREA_NAME)))
        .outerjoin(LocalAuthority, LocalAuthority.id == by_local_authority.c.key),
        branch("by_county", by_county, func.coalesce(County.name, _text(NONE_CODE)),
               func.coalesce(County.name, _text(NO_AREA_NAME)))
        .outerjoin(County, County.id == by_county.c.key),
        # One row for both area breakdowns.
        branch("thames_valley", thames_valley, _text(THAMES_VALLEY_CODE),
               _text(WHOLE_AREA_WORDS) + Office.short_name)
        .join(Office, is_office_of_request()),
        branch("by_organisation_type", by_organisation_type,
               type_coerce(by_organisation_type.c.key, String), no_text),
        branch("by_high_sheriff_county", by_high_sheriff_county, County.name, County.name)
        .join(County, County.id == by_high_sheriff_county.c.key),
    ).subquery("breakdowns")
    return select(everything).order_by(everything.c.name)


def _by_breakdown(rows) -> dict[str, list[Any]]:
    """The rows of `_breakdowns_query` under the name of their breakdown."""
    found: dict[str, list[Any]] = {"by_priority": [], "by_key_aim": [], "by_county": [],
                                   "by_local_authority": [], "thames_valley": [],
                                   "by_organisation_type": [], "by_high_sheriff_county": []}
    for breakdown, *row in rows:
        found.setdefault(breakdown, []).append(row)
    return found


def _by_priority(rows) -> tuple[Row, ...]:
    """Each award once, under its primary priority; those with none under `none`."""
    ordered = sorted(rows, key=lambda row: (row[0] is None, row[2] or 0, row[0] or ""))
    return tuple(_row(code or NONE_CODE, title or NO_PRIORITY_NAME, *measures)
                 for code, title, _, _, *measures in ordered)


def _by_key_aim(rows) -> tuple[Row, ...]:
    """Each award once under each key aim it supports (so the rows need not add up)."""
    ordered = sorted(rows, key=lambda row: (row[2], row[0], row[3]))
    return tuple(_row(f"{priority_code}.{number}", text, *measures)
                 for priority_code, text, _, number, *measures in ordered)


def _by_area(rows, thames_valley) -> tuple[Row, ...]:
    """Each award in full once per local authority (or county) it serves; `thames-valley` for
    the office's whole area; `none` when no area is recorded."""
    last = {THAMES_VALLEY_CODE: 1, NONE_CODE: 2}
    ordered = sorted([*rows, *thames_valley],
                     key=lambda row: (last.get(row[0], 0), row[1], row[0]))
    return tuple(_row(code, name, *measures) for code, name, _, _, *measures in ordered)


def _by_organisation_type(rows) -> tuple[Row, ...]:
    order = list(OrganisationType)
    kinds = sorted(((OrganisationType(code), measures) for code, _, _, _, *measures in rows),
                   key=lambda kind_measures: order.index(kind_measures[0]))
    return tuple(_row(kind.value, kind.label, *measures) for kind, measures in kinds)

