"""The report figures of a round, or of a financial year's rounds of one fund or all funds.

Every figure is an SQL aggregate over the awards that count (status in MADE_STATUSES: offered,
accepted, paid or closed), so a report costs the same fixed number of queries whatever the
number of awards. Where an award's priorities, key aims or areas come from two places (its
own, or its application's), the two sources are joined with UNION.
"""

import functools
import logging
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.orm import Session, joinedload

from grants.applications.models import (
    Application,
    ApplicationStatus,
    application_area,
    application_key_aim,
)
from grants.areas.models import County, LocalAuthority
from grants.awards.models import (
    MADE_STATUSES,
    Award,
    MonitoringProject,
    MonitoringReport,
    award_area,
    award_key_aim,
    monitoring_project_key_aim,
    monitoring_project_priority,
)
from grants.core import clock
from grants.core.errors import Refusal
from grants.funds.models import Fund, Round, RoundKind, round_priority
from grants.organisations.models import Organisation, OrganisationType
from grants.plans.models import KeyAim, Priority
from grants.staff.services import financial_year_bounds

logger = logging.getLogger(__name__)

# Row codes of the breakdowns that are not a priority, area or county of their own.
NONE_CODE = "none"
THAMES_VALLEY_CODE = "thames-valley"
THAMES_VALLEY_NAME = "The whole of Thames Valley"
NO_PRIORITY_NAME = "No priority recorded"
NO_AREA_NAME = "No area recorded"

BREAKDOWNS = ("by_round", "by_priority", "by_key_aim", "by_county", "by_local_authority",
              "by_organisation_type", "by_high_sheriff_county")

_YEAR = re.compile(r"^([0-9]{4})[/-]([0-9]{2})$")


class ReportError(Refusal):
    """What was asked for cannot be reported on, e.g. a badly written financial year."""


# --- What a report covers ----------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """One round, or the rounds of a financial year (by closing date) of one fund or all."""

    round: Round | None = None
    year: str | None = None
    fund: Fund | None = None

    @property
    def title(self) -> str:
        if self.round is not None:
            return f"{self.round.title} ({self.round.code})"
        return f"{self.fund.name if self.fund else 'All funds'}, {self.year}"

    @property
    def year_slug(self) -> str:
        """The year as it is written in addresses and file names: "2019-20"."""
        return (self.year or "").replace("/", "-")

    @property
    def file_stem(self) -> str:
        if self.round is not None:
            return f"report-{self.round.code}"
        return f"report-{self.year_slug}-{self.fund.code if self.fund else 'all-funds'}"

    @property
    def kind(self) -> str:
        """How the rounds are picked, which settles the shape of the report's queries."""
        if self.round is not None:
            return "round"
        return "fund year" if self.fund is not None else "year"

    def parameters(self) -> dict[str, Any]:
        """The values of the bound parameters of the kind's round clauses."""
        if self.round is not None:
            return {"round_id": self.round.id}
        start, end = financial_year_bounds(self.year)
        fund = {"fund_id": self.fund.id} if self.fund is not None else {}
        return {"year_start": start, "year_end": end, **fund}

    def round_clauses(self) -> list[Any]:
        """The WHERE clauses on Round that pick the rounds reported on."""
        return _round_clauses(self.kind, self.parameters())


def _round_clauses(kind: str, values: dict[str, Any] | None = None) -> list[Any]:
    """The WHERE clauses on Round of a kind of selection, with `values` bound, or with their
    values left to bind when a query runs."""

    def value(name: str):
        return bindparam(name) if values is None else bindparam(name, values[name])

    if kind == "round":
        return [Round.id == value("round_id")]
    clauses = [Round.closes_at >= value("year_start"), Round.closes_at < value("year_end")]
    if kind == "fund year":
        clauses.append(Round.fund_id == value("fund_id"))
    return clauses


def parse_year(text: str | None) -> str:
    """A financial year written "2019/20" (or "2019-20", as in addresses) as "2019/20"."""
    value = (text or "").strip()
    match = _YEAR.match(value)
    if match is None:
        raise ReportError("Write the financial year as 4 digits, a slash and 2 digits, like "
                          "2019/20", field="year")
    label = f"{match[1]}/{match[2]}"
    try:
        clock.financial_year_start(label)
    except ValueError:
        raise ReportError(f"{value} is not a financial year: the second year must be the one "
                          "after the first, like 2019/20", field="year") from None
    return label


def round_selection(session: Session, reference: str | int) -> Selection:
    """The report of one round, named by its id or its code, with its fund, which the
    report's heading names (joined, rather than a query of its own)."""
    text = str(reference).strip()
    round_ = None
    with_fund = joinedload(Round.fund)
    if text.isdigit():
        round_ = session.get(Round, int(text), options=[with_fund])
    if round_ is None and text:
        round_ = session.scalar(select(Round).options(with_fund)
                                .where(func.upper(Round.code) == text.upper()))
    if round_ is None:
        raise ReportError(f"There is no round with the id or code {text!r}", field="round")
    return Selection(round=round_)


def year_selection(session: Session, year: str | None, fund_code: str | None = None
                   ) -> Selection:
    """The report of a financial year's rounds, of the fund with this code or of every fund."""
    label = parse_year(year)
    fund = None
    if fund_code:
        fund = session.scalar(select(Fund).where(func.upper(Fund.code)
                                                 == fund_code.strip().upper()))
        if fund is None:
            raise ReportError(f"There is no fund with the code {fund_code.strip()!r}",
                              field="fund")
    return Selection(year=label, fund=fund)


def selection_choices(session: Session) -> tuple[list[Round], list[Fund], list[str]]:
    """What staff choose a report from: every round (newest first), fund and year with
    rounds. Three queries."""
    rounds = list(session.scalars(select(Round).order_by(Round.closes_at.desc(), Round.code)))
    funds = list(session.scalars(select(Fund).order_by(Fund.code)))
    closing = session.scalars(select(Round.closes_at).distinct())
    years = sorted({clock.financial_year_of(clock.to_london(moment).date())
                    for moment in closing}, reverse=True)
    return rounds, funds, years


# --- The figures -------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One row of a breakdown."""

    code: str
    name: str
    awards: int
    amount_awarded_pence: int
    organisations_funded: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Figures:
    """A report's figures; `to_json` gives the keys of the CLI's JSON."""

    applications: int
    amount_requested_pence: int
    awards: int
    amount_awarded_pence: int
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
            "organisations_funded": self.organisations_funded,
            "success_rate": self.success_rate,
            "budget_pence": self.budget_pence,
            "remaining_pence": self.remaining_pence,
            **{name: [row.to_json() for row in getattr(self, name)] for name in BREAKDOWNS},
        }


def _counted(round_clauses: list[Any], *extra):
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
        .where(Award.status.in_(MADE_STATUSES), *round_clauses)
        .cte("counted")
    )


def _award_details():
    """The extra columns of `_counted` that the progress report reads."""
    return (Award.awarded_on.label("awarded_on"), Award.offered_at.label("offered_at"),
            Award.title.label("title"), Round.kind.label("round_kind"),
            Round.fund_id.label("fund_id"))


def _organisation_type():
    """The recipient's type of organisation, looked up award by award in the primary key
    index: with a join, PostgreSQL chose to hash every organisation (20,000 on the bench
    data) for a year's 1,500 awards, which took longer than the lookups."""
    return (select(Organisation.organisation_type)
            .where(Organisation.id == Award.organisation_id)
            .scalar_subquery().label("organisation_type"))


def _measures(rows) -> tuple[Any, Any, Any]:
    """Awards, amount awarded and organisations funded over `rows`, which have the award_id,
    amount_pence and organisation_id columns of `counted`."""
    return (func.count(rows.c.award_id),
            func.coalesce(func.sum(rows.c.amount_pence), 0),
            func.count(func.distinct(rows.c.organisation_id)))


def _row(code: str, name: str, awards, amount, organisations) -> Row:
    return Row(code=code, name=name, awards=int(awards or 0),
               amount_awarded_pence=int(amount or 0),
               organisations_funded=int(organisations or 0))


def _text(value: str):
    return literal(value, String)


def report_figures(session: Session, selection: Selection) -> Figures:
    """Every figure of the report: two queries, whatever the number of awards."""
    rounds_query, breakdowns_query = _figures_queries(selection.kind)
    parameters = selection.parameters()
    rounds = session.execute(rounds_query, parameters).all()
    breakdowns = _by_breakdown(session.execute(breakdowns_query, parameters))
    awards, amount, organisations = breakdowns.pop("totals")[0][4:]
    applications = sum(int(row.applications or 0) for row in rounds)
    on_applications = sum(int(row.on_applications or 0) for row in rounds)
    budget = sum(int(row.budget_pence) for row in rounds)
    amount = int(amount)
    return Figures(
        applications=applications,
        # What applicants asked for, plus what the recipients of awards made without an
        # application (imported ones) had applied for, where that is known.
        amount_requested_pence=sum(int(row.requested or 0) + int(row.imported_requested or 0)
                                   for row in rounds),
        awards=int(awards),
        amount_awarded_pence=amount,
        organisations_funded=int(organisations),
        # Awards made on applications over the applications received, so it stays within
        # 0-1 when a year also has nominated, allocated or imported awards.
        success_rate=round(on_applications / applications, 4) if applications else None,
        budget_pence=budget,
        remaining_pence=budget - amount,
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
    round_clauses = _round_clauses(kind)
    counted = _counted(round_clauses, _organisation_type())
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
    awards, amount, organisations = _measures(counted)
    made = (
        select(counted.c.round_id, awards.label("awards"), amount.label("amount"),
               organisations.label("organisations"),
               func.count(counted.c.application_id).label("on_applications"),
               func.coalesce(func.sum(case((counted.c.application_id.is_(None),
                                            counted.c.amount_requested_pence))), 0)
               .label("imported_requested"))
        .group_by(counted.c.round_id)
        .subquery("made"))
    return (
        select(Round.code, Round.title, Round.budget_pence, received.c.applications,
               received.c.requested, made.c.awards, made.c.amount, made.c.organisations,
               made.c.on_applications, made.c.imported_requested)
        .outerjoin(received, received.c.round_id == Round.id)
        .outerjoin(made, made.c.round_id == Round.id)
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
                    _measures(rows), ("awards", "amount", "organisations"), strict=True)))
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
    aims = _key_aim_pairs(counted)
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
               no_number.label("second_number"), *_measures(counted)),
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
               _text(THAMES_VALLEY_NAME)),
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


def _key_aim_pairs(counted):
    """(award, key aim) for each key aim of each award: its own, else its application's, with
    the award's amount and organisation. UNION ALL, as no pair can come twice: each table
    holds a pair once, and an award's application's key aims count only when it has none of
    its own."""
    carried = (counted.c.award_id, counted.c.amount_pence, counted.c.organisation_id)
    own = (select(*carried, award_key_aim.c.key_aim_id)
           .join(award_key_aim, award_key_aim.c.award_id == counted.c.award_id))
    has_own = exists().where(award_key_aim.c.award_id == counted.c.award_id)
    from_application = (
        select(*carried, application_key_aim.c.key_aim_id)
        .join(application_key_aim,
              application_key_aim.c.application_id == counted.c.application_id)
        .where(~has_own))
    return union_all(own, from_application).subquery("award_key_aims")


def _by_key_aim(rows) -> tuple[Row, ...]:
    """Each award once under each key aim it supports (so the rows need not add up)."""
    ordered = sorted(rows, key=lambda row: (row[2], row[0], row[3]))
    return tuple(_row(f"{priority_code}.{number}", text, *measures)
                 for priority_code, text, _, number, *measures in ordered)


def _by_area(rows, thames_valley) -> tuple[Row, ...]:
    """Each award in full once per local authority (or county) it serves; `thames-valley` for
    the whole of it; `none` when no area is recorded."""
    last = {THAMES_VALLEY_CODE: 1, NONE_CODE: 2}
    ordered = sorted([*rows, *thames_valley],
                     key=lambda row: (last.get(row[0], 0), row[1], row[0]))
    return tuple(_row(code, name, *measures) for code, name, _, _, *measures in ordered)


def _by_organisation_type(rows) -> tuple[Row, ...]:
    order = list(OrganisationType)
    kinds = sorted(((OrganisationType(code), measures) for code, _, _, _, *measures in rows),
                   key=lambda kind_measures: order.index(kind_measures[0]))
    return tuple(_row(kind.value, kind.label, *measures) for kind, measures in kinds)


# --- What the Commissioner's progress report needs ----------------------------------------

@dataclass(frozen=True)
class RoundSummary:
    """A round with counted awards, for its paragraph of the progress report."""

    round_id: int
    code: str
    title: str
    kind: RoundKind
    decided_on: date | None
    awards: int
    amount_awarded_pence: int
    organisations_funded: int
    priority_titles: tuple[str, ...]


@dataclass(frozen=True)
class HighSheriffSummary:
    """The awards of nomination rounds (the High Sheriff awards)."""

    awards: int
    amount_awarded_pence: int
    organisations_funded: int
    counties: int
    county_name: str | None  # the county, when only one county's High Sheriff nominated


@dataclass(frozen=True)
class Initiative:
    """Something funded, under a priority and key aim (either may be missing)."""

    priority_code: str | None
    priority_number: int | None
    priority_title: str | None
    key_aim_number: int | None
    key_aim_text: str | None
    fund_name: str
    high_sheriff: bool  # a High Sheriff award (from a nomination round)
    organisation_name: str
    title: str

    @property
    def key_aim_code(self) -> str | None:
        if self.key_aim_number is None:
            return None
        return f"{self.priority_code}.{self.key_aim_number}"


def _london_date(moment: datetime | None) -> date | None:
    return clock.to_london(moment).date() if moment is not None else None


def round_summaries(session: Session, selection: Selection) -> list[RoundSummary]:
    """The rounds with counted awards, in order of decision, with the priorities each round
    funds (or, for rounds that name none, those of its awards). Three queries."""
    counted = _counted(selection.round_clauses(), *_award_details())
    rows = session.execute(
        select(Round.id, Round.code, Round.title, Round.kind, Round.decisions_published_at,
               func.max(counted.c.awarded_on), func.max(counted.c.offered_at),
               *_measures(counted))
        .join(counted, counted.c.round_id == Round.id)
        .group_by(Round.id, Round.code, Round.title, Round.kind, Round.decisions_published_at)
    ).all()
    named = session.execute(
        select(round_priority.c.round_id, Priority.title)
        .join(Priority, Priority.id == round_priority.c.priority_id)
        .join(Round, Round.id == round_priority.c.round_id)
        .where(*selection.round_clauses())
        .order_by(Priority.number, Priority.title)
    ).all()
    of_awards = session.execute(
        select(counted.c.round_id, Priority.title)
        .join(Priority, Priority.id == counted.c.priority_id)
        .group_by(counted.c.round_id, Priority.title, Priority.number)
        .order_by(Priority.number, Priority.title)
    ).all()
    titles: dict[int, list[str]] = {}
    for round_id, title in named:
        titles.setdefault(round_id, []).append(title)
    fallback: dict[int, list[str]] = {}
    for round_id, title in of_awards:
        fallback.setdefault(round_id, []).append(title)
    summaries = []
    for (round_id, code, title, kind, published_at, awarded_on, offered_at,
         awards, amount, organisations) in rows:
        decided_on = _london_date(published_at) or awarded_on or _london_date(offered_at)
        summaries.append(RoundSummary(
            round_id=round_id, code=code, title=title, kind=kind, decided_on=decided_on,
            awards=int(awards), amount_awarded_pence=int(amount),
            organisations_funded=int(organisations),
            priority_titles=tuple(titles.get(round_id) or fallback.get(round_id, ()))))
    return sorted(summaries, key=lambda s: (s.decided_on or date.max, s.code))


def high_sheriff_summary(session: Session, selection: Selection) -> HighSheriffSummary:
    """The counted awards of nomination rounds, and how many counties' High Sheriffs
    nominated them. One query."""
    counted = _counted(selection.round_clauses(), *_award_details())
    awards, amount, organisations, counties, county_name = session.execute(
        select(*_measures(counted), func.count(func.distinct(counted.c.nominating_county_id)),
               func.min(County.name))
        .select_from(counted)
        .outerjoin(County, County.id == counted.c.nominating_county_id)
        .where(counted.c.round_kind == RoundKind.NOMINATION)
    ).one()
    return HighSheriffSummary(
        awards=int(awards), amount_awarded_pence=int(amount),
        organisations_funded=int(organisations), counties=int(counties),
        county_name=county_name if counties == 1 else None)


def funded_initiatives(session: Session, selection: Selection) -> list[Initiative]:
    """What the counted awards funded, under each priority and key aim: each award (under
    its key aims, else under its priority alone), and each project an allocation recipient
    reported in its monitoring returns (under the project's key aims, else priorities). Two
    queries."""
    counted = _counted(selection.round_clauses(), *_award_details())
    aims = _key_aim_pairs(counted)
    has_aim = exists().where(aims.c.award_id == counted.c.award_id)
    award_aims = union(
        select(aims.c.award_id, aims.c.key_aim_id),
        select(counted.c.award_id, null().label("key_aim_id")).where(~has_aim),
    ).subquery("initiative_aims")
    priority_id = func.coalesce(KeyAim.priority_id, counted.c.priority_id)
    award_rows = session.execute(
        select(Priority.code, Priority.number, Priority.title, KeyAim.number, KeyAim.text,
               Fund.name, counted.c.round_kind, Organisation.name, counted.c.title,
               Application.title)
        .select_from(award_aims)
        .join(counted, counted.c.award_id == award_aims.c.award_id)
        .join(Fund, Fund.id == counted.c.fund_id)
        .join(Organisation, Organisation.id == counted.c.organisation_id)
        .outerjoin(Application, Application.id == counted.c.application_id)
        .outerjoin(KeyAim, KeyAim.id == award_aims.c.key_aim_id)
        .outerjoin(Priority, Priority.id == priority_id)
    ).all()
    initiatives = [
        Initiative(priority_code=p_code, priority_number=p_number, priority_title=p_title,
                   key_aim_number=aim_number, key_aim_text=aim_text, fund_name=fund_name,
                   high_sheriff=kind is RoundKind.NOMINATION, organisation_name=organisation,
                   title=award_title or application_title or "")
        for (p_code, p_number, p_title, aim_number, aim_text, fund_name, kind, organisation,
             award_title, application_title) in award_rows
    ]
    project_aims = union(
        select(monitoring_project_key_aim.c.project_id.label("project_id"),
               KeyAim.priority_id.label("priority_id"),
               monitoring_project_key_aim.c.key_aim_id.label("key_aim_id"))
        .join(KeyAim, KeyAim.id == monitoring_project_key_aim.c.key_aim_id),
        select(monitoring_project_priority.c.project_id, monitoring_project_priority.c.priority_id,
               null())
        .where(~exists().where(
            monitoring_project_key_aim.c.project_id == monitoring_project_priority.c.project_id,
            KeyAim.id == monitoring_project_key_aim.c.key_aim_id,
            KeyAim.priority_id == monitoring_project_priority.c.priority_id)),
    ).subquery("project_aims")
    project_rows = session.execute(
        select(Priority.code, Priority.number, Priority.title, KeyAim.number, KeyAim.text,
               Fund.name, Organisation.name, MonitoringProject.name)
        .select_from(project_aims)
        .join(MonitoringProject, MonitoringProject.id == project_aims.c.project_id)
        .join(MonitoringReport, MonitoringReport.id == MonitoringProject.report_id)
        .join(counted, counted.c.award_id == MonitoringReport.award_id)
        .where(MonitoringReport.submitted_at.is_not(None))
        .join(Fund, Fund.id == counted.c.fund_id)
        .join(Organisation, Organisation.id == counted.c.organisation_id)
        .join(Priority, Priority.id == project_aims.c.priority_id)
        .outerjoin(KeyAim, KeyAim.id == project_aims.c.key_aim_id)
        .distinct()
    ).all()
    initiatives += [
        Initiative(priority_code=p_code, priority_number=p_number, priority_title=p_title,
                   key_aim_number=aim_number, key_aim_text=aim_text, fund_name=fund_name,
                   high_sheriff=False, organisation_name=organisation, title=project)
        for (p_code, p_number, p_title, aim_number, aim_text, fund_name, organisation,
             project) in project_rows
    ]
    return initiatives
