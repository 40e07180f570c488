"""The report figures of a round, or of a financial year's rounds of one fund or all funds.

Every figure is an SQL aggregate over the awards that count (status in MADE_STATUSES: offered,
accepted, paid or closed), so a report costs the same fixed number of queries whatever the
number of awards. Where an award's priorities, key aims or areas come from two places (its
own, or its application's), the two sources are joined with UNION.
"""

import logging
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    String,
    case,
    exists,
    func,
    literal,
    null,
    select,
    union,
)
from sqlalchemy.orm import Session

from grants import clock
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
from grants.errors import GrantsError, NotFound
from grants.funds.models import Fund, Round, RoundKind, round_priority
from grants.organisations.models import Organisation
from grants.organisations.types import OrganisationType
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


class ReportError(GrantsError):
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

    def round_clauses(self) -> list[Any]:
        """The WHERE clauses on Round that pick the rounds reported on."""
        if self.round is not None:
            return [Round.id == self.round.id]
        start, end = financial_year_bounds(self.year)
        clauses = [Round.closes_at >= start, Round.closes_at < end]
        if self.fund is not None:
            clauses.append(Round.fund_id == self.fund.id)
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
    """The report of one round, named by its id or its code."""
    text = str(reference).strip()
    round_ = None
    if text.isdigit():
        round_ = session.get(Round, int(text))
    if round_ is None and text:
        round_ = session.scalar(select(Round).where(func.upper(Round.code) == text.upper()))
    if round_ is None:
        raise NotFound(f"There is no round with the id or code {text!r}", field="round")
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
            raise NotFound(f"There is no fund with the code {fund_code.strip()!r}",
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


def _counted(selection: Selection):
    """The awards that count, with where their priority and areas come from settled."""
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
            Award.awarded_on.label("awarded_on"),
            Award.offered_at.label("offered_at"),
            Award.title.label("title"),
            Round.kind.label("round_kind"),
            Round.fund_id.label("fund_id"),
            # The award's own priority when staff gave one, else the application's.
            func.coalesce(Award.priority_id, Application.primary_priority_id)
            .label("priority_id"),
            case((from_application, Application.serves_whole_thames_valley),
                 else_=Award.serves_whole_thames_valley).label("whole_thames_valley"),
        )
        .join(Round, Round.id == Award.round_id)
        .outerjoin(Application, Application.id == Award.application_id)
        .where(Award.status.in_(MADE_STATUSES), *selection.round_clauses())
        .cte("counted")
    )


def _measures(counted) -> tuple[Any, Any, Any]:
    return (func.count(counted.c.award_id),
            func.coalesce(func.sum(counted.c.amount_pence), 0),
            func.count(func.distinct(counted.c.organisation_id)))


def _row(code: str, name: str, awards, amount, organisations) -> Row:
    return Row(code=code, name=name, awards=int(awards or 0),
               amount_awarded_pence=int(amount or 0),
               organisations_funded=int(organisations or 0))


def _text(value: str):
    return literal(value, String)


def report_figures(session: Session, selection: Selection) -> Figures:
    """Every figure of the report: nine queries, whatever the number of awards."""
    counted = _counted(selection)
    awards, amount, organisations, on_applications, imported_requested = session.execute(
        select(*_measures(counted), func.count(counted.c.application_id),
               func.coalesce(func.sum(case((counted.c.application_id.is_(None),
                                            counted.c.amount_requested_pence))), 0))
    ).one()
    applications, requested = _applications(session, selection)
    by_round, budget = _by_round(session, selection, counted)
    amount = int(amount)
    return Figures(
        applications=applications,
        # What applicants asked for, plus what the recipients of awards made without an
        # application (imported ones) had applied for, where that is known.
        amount_requested_pence=requested + int(imported_requested),
        awards=int(awards),
        amount_awarded_pence=amount,
        organisations_funded=int(organisations),
        # Awards made on applications over the applications received, so it stays within
        # 0-1 when a year also has nominated, allocated or imported awards.
        success_rate=round(on_applications / applications, 4) if applications else None,
        budget_pence=budget,
        remaining_pence=budget - amount,
        by_round=by_round,
        by_priority=_by_priority(session, counted),
        by_key_aim=_by_key_aim(session, counted),
        by_county=_by_area(session, counted, county=True),
        by_local_authority=_by_area(session, counted, county=False),
        by_organisation_type=_by_organisation_type(session, counted),
        by_high_sheriff_county=_by_high_sheriff_county(session, counted),
    )


def _applications(session: Session, selection: Selection) -> tuple[int, int]:
    """Applications received: every application sent in (it has a reference), whatever
    happened to it since, withdrawn and ineligible ones included."""
    count, requested = session.execute(
        select(func.count(Application.id),
               func.coalesce(func.sum(Application.amount_requested_pence), 0))
        .join(Round, Round.id == Application.round_id)
        .where(Application.reference.is_not(None),
               Application.status != ApplicationStatus.DRAFT, *selection.round_clauses())
    ).one()
    return int(count), int(requested)


def _by_round(session: Session, selection: Selection, counted) -> tuple[tuple[Row, ...], int]:
    """A row for every round reported on, with or without awards, and their budgets."""
    rows = session.execute(
        select(Round.code, Round.title, Round.budget_pence, *_measures(counted))
        .outerjoin(counted, counted.c.round_id == Round.id)
        .where(*selection.round_clauses())
        .group_by(Round.id, Round.code, Round.title, Round.budget_pence, Round.closes_at)
        .order_by(Round.closes_at, Round.code)
    ).all()
    budget = sum(int(row.budget_pence) for row in rows)
    return tuple(_row(code, title, *measures) for code, title, _, *measures in rows), budget


def _by_priority(session: Session, counted) -> tuple[Row, ...]:
    """Each award once, under its primary priority; those with none under `none`."""
    rows = session.execute(
        select(Priority.code, Priority.title, Priority.number, *_measures(counted))
        .select_from(counted)
        .outerjoin(Priority, Priority.id == counted.c.priority_id)
        .group_by(Priority.id, Priority.code, Priority.title, Priority.number)
    ).all()
    ordered = sorted(rows, key=lambda row: (row.code is None, row.number or 0, row.code or ""))
    return tuple(_row(code or NONE_CODE, title or NO_PRIORITY_NAME, *measures)
                 for code, title, _, *measures in ordered)


def _key_aim_pairs(counted):
    """(award, key aim) for each key aim of each award: its own, else its application's."""
    own = (select(counted.c.award_id, award_key_aim.c.key_aim_id)
           .join(award_key_aim, award_key_aim.c.award_id == counted.c.award_id))
    has_own = exists().where(award_key_aim.c.award_id == counted.c.award_id)
    from_application = (
        select(counted.c.award_id, application_key_aim.c.key_aim_id)
        .join(application_key_aim,
              application_key_aim.c.application_id == counted.c.application_id)
        .where(~has_own))
    return union(own, from_application).subquery("award_key_aims")


def _by_key_aim(session: Session, counted) -> tuple[Row, ...]:
    """Each award once under each key aim it supports (so the rows need not add up)."""
    pairs = _key_aim_pairs(counted)
    rows = session.execute(
        select(Priority.code, Priority.number, KeyAim.number, KeyAim.text, *_measures(counted))
        .select_from(pairs)
        .join(counted, counted.c.award_id == pairs.c.award_id)
        .join(KeyAim, KeyAim.id == pairs.c.key_aim_id)
        .join(Priority, Priority.id == KeyAim.priority_id)
        .group_by(KeyAim.id, Priority.code, Priority.number, KeyAim.number, KeyAim.text)
    ).all()
    ordered = sorted(rows, key=lambda row: (row[1], row[0], row[2]))
    return tuple(_row(f"{priority_code}.{number}", text, *measures)
                 for priority_code, _, number, text, *measures in ordered)


def _area_pairs(counted, *, county: bool):
    """(award, code, name) for each area an award serves: a local authority (GSS code) or
    county (name); `thames-valley` for the whole of it; `none` when no area is recorded."""

    def columns():
        if county:
            return County.name.label("code"), County.name.label("name")
        return LocalAuthority.gss_code.label("code"), LocalAuthority.name.label("name")

    def with_area(query, link_column):
        query = query.join(LocalAuthority, LocalAuthority.id == link_column)
        return query.join(County, County.id == LocalAuthority.county_id) if county else query

    served_in_part = counted.c.whole_thames_valley.is_(False)
    from_application = with_area(
        select(counted.c.award_id, *columns())
        .join(application_area, application_area.c.application_id == counted.c.application_id),
        application_area.c.local_authority_id,
    ).where(served_in_part)
    own = with_area(
        select(counted.c.award_id, *columns())
        .join(award_area, award_area.c.award_id == counted.c.award_id),
        award_area.c.local_authority_id,
    ).where(counted.c.application_id.is_(None), served_in_part)
    whole = select(counted.c.award_id, _text(THAMES_VALLEY_CODE).label("code"),
                   _text(THAMES_VALLEY_NAME).label("name")
                   ).where(counted.c.whole_thames_valley.is_(True))
    # Two selects, not one with an OR: inside an OR, PostgreSQL reads NOT EXISTS as a hash
    # of every application area row (133,000 at national scale); alone, as an anti join that
    # looks up each award's application in the index.
    no_application_area = ~exists().where(
        application_area.c.application_id == counted.c.application_id)
    no_own_area = ~exists().where(award_area.c.award_id == counted.c.award_id)
    unrecorded = [
        select(counted.c.award_id, _text(NONE_CODE).label("code"),
               _text(NO_AREA_NAME).label("name")).where(served_in_part, *where)
        for where in ((counted.c.application_id.is_not(None), no_application_area),
                      (counted.c.application_id.is_(None), no_own_area))]
    return union(from_application, own, whole, *unrecorded).subquery("award_areas")


def _by_area(session: Session, counted, *, county: bool) -> tuple[Row, ...]:
    """Each award in full once per local authority (or county) it serves."""
    pairs = _area_pairs(counted, county=county)
    rows = session.execute(
        select(pairs.c.code, pairs.c.name, *_measures(counted))
        .select_from(pairs)
        .join(counted, counted.c.award_id == pairs.c.award_id)
        .group_by(pairs.c.code, pairs.c.name)
    ).all()
    last = {THAMES_VALLEY_CODE: 1, NONE_CODE: 2}
    ordered = sorted(rows, key=lambda row: (last.get(row.code, 0), row.name, row.code))
    return tuple(_row(*row) for row in ordered)


def _by_organisation_type(session: Session, counted) -> tuple[Row, ...]:
    rows = session.execute(
        select(Organisation.organisation_type, *_measures(counted))
        .select_from(counted)
        .join(Organisation, Organisation.id == counted.c.organisation_id)
        .group_by(Organisation.organisation_type)
    ).all()
    order = list(OrganisationType)
    ordered = sorted(rows, key=lambda row: order.index(row[0]))
    return tuple(_row(kind.value, kind.label, *measures) for kind, *measures in ordered)


def _by_high_sheriff_county(session: Session, counted) -> tuple[Row, ...]:
    """Awards a county's High Sheriff nominated, by that county."""
    rows = session.execute(
        select(County.name, *_measures(counted))
        .select_from(counted)
        .join(County, County.id == counted.c.nominating_county_id)
        .group_by(County.id, County.name)
        .order_by(County.name)
    ).all()
    return tuple(_row(name, name, *measures) for name, *measures in rows)


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
    counted = _counted(selection)
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
    counted = _counted(selection)
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
    counted = _counted(selection)
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
