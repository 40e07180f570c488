"""What the Commissioner's progress report needs: the rounds with counted awards, the High
Sheriff awards, and what was funded under each priority and key aim."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, func, null, select, union
from sqlalchemy.orm import Session

from grants.applications.models import Application
from grants.areas.models import County
from grants.core import clock
from grants.funds.models import Fund, Round, RoundKind, round_priority
from grants.monitoring.models import (
    MonitoringProject,
    MonitoringReport,
    monitoring_project_key_aim,
    monitoring_project_priority,
)
from grants.organisations.models import Organisation
from grants.plans.models import KeyAim, Priority
from grants.reports.operations.counted import (
    award_details,
    award_measures,
    counted_awards,
    key_aim_pairs,
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
    counted = counted_awards(selection.round_clauses(), *award_details())
    rows = session.execute(
        select(Round.id, Round.code, Round.title, Round.kind, Round.decisions_published_at,
               func.max(counted.c.awarded_on), func.max(counted.c.offered_at),
               *award_measures(counted))
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
    counted = counted_awards(selection.round_clauses(), *award_details())
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


def funded_initiatives(session: Session, selection: Selection) -> list[Initiative]:
    """What the counted awards funded, under each priority and key aim: each award (under
    its key aims, else under its priority alone), and each project an allocation recipient
    reported in its monitoring returns (under the project's key aims, else priorities). Two
    queries."""
    counted = counted_awards(selection.round_clauses(), *award_details())
    aims = key_aim_pairs(counted)
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
