"""What the Commissioner's progress report needs: the rounds with counted awards, the High
Sheriff awards, and what was funded under each priority and key aim."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, func, null, select, union
from sqlalchemy.orm import Session

from grants.applications.models import Application
from grants.areas.models import County
from grants.awards.models import Award, AwardSource
from grants.core import clock
from grants.direct_awards.operations.listing import delegated_award_ids
from grants.funds.models import Fund, Round, RoundKind, round_priority
from grants.monitoring.models import (
    MonitoringProject,
    MonitoringReport,
    monitoring_project_key_aim,
    monitoring_project_priority,
)
from grants.offices.models import Office
from grants.organisations.models import Organisation, OrganisationType
from grants.plans.models import KeyAim, Priority
from grants.reports.operations.counted import (
    award_details,
    award_measures,
    counted_awards,
    key_aims_or_none,
)
from grants.reports.operations.selection import Selection

logger = logging.getLogger(__name__)


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
    # The short name of the office whose fund the round is of: the area it serves.
    area_name: str


@dataclass(frozen=True)
class HighSheriffSummary:
    """The awards of nomination rounds (the High Sheriff awards)."""

    awards: int
    amount_awarded_pence: int
    organisations_funded: int
    counties: int
    county_name: str | None  # the county, when only one county's High Sheriff nominated


@dataclass(frozen=True)
class TopSliceAward:
    organisation_name: str
    amount_pence: int
    purpose: str  # the award's title, else its priority's title, else ""


@dataclass(frozen=True)
class DirectAwardSummary:
    """A counted direct award (made outside any round), for its sentence of the progress
    report."""

    award_id: int
    decided_on: date | None
    organisation_name: str
    amount_pence: int
    purpose: str  # the award's title, else its priority's title, else ""


@dataclass(frozen=True)
class Spend:
    """What a recipient reported spending, in its returns, on projects supporting the same
    key aims (or, for projects naming none, priorities)."""

    organisation_name: str
    towards: tuple[str, ...]  # "P3.1 Reduce reoffending by young people", in plan order
    spent_pence: int


@dataclass(frozen=True)
class AllocationSummary:
    """An allocation round with counted awards, for its paragraph of the progress report."""

    round_id: int
    code: str
    decided_on: date | None  # the day staff say the allocation was decided; None if not given
    formula_pence: int
    formula_recipients: int
    recipient_types: frozenset[OrganisationType]
    top_slice_basis_points: int | None
    top_slice_awards: tuple[TopSliceAward, ...]
    spending: tuple[Spend, ...]

    @property
    def top_slice_awarded_pence(self) -> int:
        return sum(award.amount_pence for award in self.top_slice_awards)


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
    # For a Community Foundation's onward grant: the foundation, whose allocation from the
    # fund it was granted from (the fund's money counts once, as the allocation).
    through: str = ""

    @property
    def key_aim_code(self) -> str | None:
        if self.key_aim_number is None:
            return None
        return f"{self.priority_code}.{self.key_aim_number}"


def _counted(selection: Selection, *extra):
    """The selection's counted awards, with the details the progress report reads."""
    return counted_awards(selection.round_clauses(), *award_details(), *extra)


def _london_date(moment: datetime | None) -> date | None:
    return clock.to_london(moment).date() if moment is not None else None


def round_summaries(session: Session, selection: Selection) -> list[RoundSummary]:
    """The rounds with counted awards, in order of decision, with the priorities each round
    funds (or, for rounds that name none, those of its awards). Three queries."""
    counted = _counted(selection)
    rows = session.execute(
        select(Round.id, Round.code, Round.title, Round.kind, Round.decisions_published_at,
               Office.short_name, func.max(counted.c.awarded_on),
               func.max(counted.c.offered_at), *award_measures(counted))
        .join(counted, counted.c.round_id == Round.id)
        .join(Fund, Fund.id == Round.fund_id)
        .join(Office, Office.id == Fund.office_id)
        .group_by(Round.id, Round.code, Round.title, Round.kind, Round.decisions_published_at,
                  Office.short_name)
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
    for (round_id, code, title, kind, published_at, area_name, awarded_on, offered_at,
         awards, amount, organisations) in rows:
        decided_on = _london_date(published_at) or awarded_on or _london_date(offered_at)
        summaries.append(RoundSummary(
            round_id=round_id, code=code, title=title, kind=kind, decided_on=decided_on,
            awards=int(awards), amount_awarded_pence=int(amount),
            organisations_funded=int(organisations),
            priority_titles=tuple(titles.get(round_id) or fallback.get(round_id, ())),
            area_name=area_name))
    return sorted(summaries, key=lambda s: (s.decided_on or date.max, s.code))


def high_sheriff_summary(session: Session, selection: Selection) -> HighSheriffSummary:
    """The counted awards of nomination rounds, and how many counties' High Sheriffs
    nominated them. One query."""
    counted = _counted(selection)
    awards, amount, organisations, counties, county_name = session.execute(
        select(*award_measures(counted),
               func.count(func.distinct(counted.c.nominating_county_id)),
               func.min(County.name))
        .select_from(counted)
        .outerjoin(County, County.id == counted.c.nominating_county_id)
        .where(counted.c.round_kind == RoundKind.NOMINATION)
    ).one()
    return HighSheriffSummary(
        awards=int(awards), amount_awarded_pence=int(amount),
        organisations_funded=int(organisations), counties=int(counties),
        county_name=county_name if counties == 1 else None)


def direct_award_summaries(session: Session, selection: Selection) -> list[DirectAwardSummary]:
    """The counted direct awards, in order of decision (the day the Commissioner or their
    delegate decided each), but Community Foundation allocations, which have their own
    paragraph (`panel.delegated_paragraph`). One query."""
    counted = _counted(selection)
    rows = session.execute(
        select(counted.c.award_id, counted.c.awarded_on, counted.c.offered_at, Organisation.name,
               counted.c.amount_pence, counted.c.title, Priority.title)
        .select_from(counted)
        .join(Organisation, Organisation.id == counted.c.organisation_id)
        .outerjoin(Priority, Priority.id == counted.c.priority_id)
        .where(counted.c.round_kind == RoundKind.DIRECT,
               counted.c.award_id.not_in(delegated_award_ids()))
    ).all()
    summaries = [
        DirectAwardSummary(award_id=award_id,
                           decided_on=awarded_on or _london_date(offered_at),
                           organisation_name=organisation, amount_pence=int(amount),
                           purpose=title or (priority_title or "").lower())
        for award_id, awarded_on, offered_at, organisation, amount, title, priority_title
        in rows]
    return sorted(summaries, key=lambda s: (s.decided_on or date.max, s.award_id))


def funded_initiatives(session: Session, selection: Selection) -> list[Initiative]:
    """What the counted awards funded, under each priority and key aim: each award (under
    its key aims, else under its priority alone), and each project an allocation recipient
    reported in its monitoring returns (under the project's key aims, else priorities). Two
    queries."""
    counted = _counted(selection)
    award_aims = key_aims_or_none(
        counted, counted.c.priority_id, counted.c.fund_id, counted.c.round_kind,
        counted.c.organisation_id, counted.c.title, counted.c.application_id)
    priority_id = func.coalesce(KeyAim.priority_id, award_aims.c.priority_id)
    award_rows = session.execute(
        select(Priority.code, Priority.number, Priority.title, KeyAim.number, KeyAim.text,
               Fund.name, award_aims.c.round_kind, Organisation.name, award_aims.c.title,
               Application.title)
        .select_from(award_aims)
        .join(Fund, Fund.id == award_aims.c.fund_id)
        .join(Organisation, Organisation.id == award_aims.c.organisation_id)
        .outerjoin(Application, Application.id == award_aims.c.application_id)
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


def allocation_summaries(session: Session, selection: Selection) -> list[AllocationSummary]:
    """The allocation rounds with counted awards, in order of decision: the formula's shares,
    the top-slice awards, and what recipients reported spending by key aim in their returns
    (those sent in). Two queries."""
    counted = _counted(selection, Award.source.label("source"))
    rows = session.execute(
        select(Round.id, Round.code, Round.allocation_decided_on, Round.top_slice_basis_points,
               counted.c.source, counted.c.amount_pence, counted.c.organisation_id,
               Organisation.name, Organisation.organisation_type, counted.c.title,
               Priority.title)
        .join(counted, counted.c.round_id == Round.id)
        .join(Organisation, Organisation.id == counted.c.organisation_id)
        .outerjoin(Priority, Priority.id == counted.c.priority_id)
        .where(counted.c.round_kind == RoundKind.ALLOCATION)
        .order_by(Round.id, Organisation.name, counted.c.award_id)
    ).all()
    spend_rows = session.execute(
        select(counted.c.round_id, Organisation.name, MonitoringProject.id,
               MonitoringProject.spent_pence, Priority.number, Priority.code, Priority.title,
               KeyAim.number, KeyAim.text)
        .select_from(MonitoringProject)
        .join(MonitoringReport, MonitoringReport.id == MonitoringProject.report_id)
        .join(counted, counted.c.award_id == MonitoringReport.award_id)
        .join(Organisation, Organisation.id == counted.c.organisation_id)
        .outerjoin(monitoring_project_key_aim,
                   monitoring_project_key_aim.c.project_id == MonitoringProject.id)
        .outerjoin(KeyAim, KeyAim.id == monitoring_project_key_aim.c.key_aim_id)
        .outerjoin(monitoring_project_priority,
                   (monitoring_project_priority.c.project_id == MonitoringProject.id)
                   & monitoring_project_key_aim.c.key_aim_id.is_(None))
        .outerjoin(Priority, Priority.id == func.coalesce(
            KeyAim.priority_id, monitoring_project_priority.c.priority_id))
        .where(counted.c.round_kind == RoundKind.ALLOCATION,
               MonitoringReport.submitted_at.is_not(None))
    ).all()
    # Each project once, with what it supports, so its spend counts once.
    projects: dict[int, tuple[int, str, int, set]] = {}
    for (round_id, organisation, project_id, spent, p_number, p_code, p_title, aim_number,
         aim_text) in spend_rows:
        entry = projects.setdefault(project_id, (round_id, organisation, int(spent), set()))
        if p_code is not None:
            label = (f"{p_code}.{aim_number} {aim_text}" if aim_number is not None
                     else f"{p_code} {p_title}")
            entry[3].add((p_number, aim_number or 0, label))
    spending: dict[int, dict[tuple[str, tuple[str, ...]], int]] = {}
    for round_id, organisation, spent, supports in projects.values():
        towards = tuple(label for *_, label in sorted(supports))
        by_aims = spending.setdefault(round_id, {})
        by_aims[organisation, towards] = by_aims.get((organisation, towards), 0) + spent
    rounds: dict[int, dict] = {}
    for (round_id, code, decided_on, basis_points, source, amount, organisation_id,
         organisation, organisation_type, title, priority_title) in rows:
        found = rounds.setdefault(round_id, {
            "code": code, "decided_on": decided_on, "basis_points": basis_points,
            "formula_pence": 0, "recipients": set(), "types": set(), "top_slice": []})
        if source is AwardSource.ALLOCATION:
            found["formula_pence"] += int(amount)
            found["recipients"].add(organisation_id)
            found["types"].add(organisation_type)
        else:
            found["top_slice"].append(TopSliceAward(
                organisation_name=organisation, amount_pence=int(amount),
                # A priority's title reads in lower case, as in the open rounds' paragraphs.
                purpose=title or (priority_title or "").lower()))
    summaries = [
        AllocationSummary(
            round_id=round_id, code=found["code"], decided_on=found["decided_on"],
            formula_pence=found["formula_pence"],
            formula_recipients=len(found["recipients"]),
            recipient_types=frozenset(found["types"]),
            top_slice_basis_points=found["basis_points"],
            top_slice_awards=tuple(found["top_slice"]),
            spending=tuple(
                Spend(organisation_name=organisation, towards=towards, spent_pence=spent)
                for (organisation, towards), spent in sorted(
                    spending.get(round_id, {}).items(),
                    key=lambda item: (item[0][0].casefold(), -item[1], item[0][1]))))
        for round_id, found in rounds.items()]
    return sorted(summaries, key=lambda s: (s.decided_on or date.max, s.code))
