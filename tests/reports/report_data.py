"""A hand-built 2019/20 data set with known report figures.

PPAF-2019-1 (open, closed 31 July 2019, decisions published 20 August 2019, budget £150,000,
priorities P1 and P3): five applications received (£26,000 asked for), a draft that does not
count; two awards count: £8,000 to Reading Youth Club (serving Reading and Oxford, the
application's P3 and key aim P3.1) and £5,000 to Safer Homes Trust (the whole of Thames
Valley; staff set P3 and key aim P3.2 on the award over the application's P1 and P1.1); an
award declined by the recipient does not count.
PPAF-2019-2 (open, closed 10 January 2020, not published, budget £100,000): one application,
a proposed award that does not count.
PPAF-HS-2019 (nomination, budget £75,000): High Sheriff awards of £2,000 to Reading Youth Club
again (Berkshire, serving Reading, P1) and £3,000 to St Mary's Church (Oxfordshire, no area, no
priority).
CSF-2019 (allocation, budget £200,000, decided on 27 February 2020): £20,000 to West
Berkshire CSP (West Berkshire, no priority), with a monitoring return naming a knife crime
project (£5,000) under P3.1.
PPAF-2020-1 (2020/21): £1,000 that 2019/20 leaves out.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from grants.applications.models import Application, ApplicationStatus
from grants.areas.models import County, LocalAuthority
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.extensions import db
from grants.funds.models import Fund, Round, RoundKind
from grants.monitoring.models import MonitoringProject, MonitoringReport, ReportKind, ReportStatus
from grants.organisations.models import Organisation, OrganisationType
from grants.plans.models import KeyAim, Plan, Priority
from tests.fixtures.factories import OfficeFactory

POUND = 100


@dataclass(frozen=True)
class ReportData:
    round_a_id: int
    round_e_id: int
    round_hs_id: int
    round_csf_id: int
    round_d_id: int


def _moment(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def build_report_data() -> ReportData:
    """Add the data set to the session and flush it; returns the rounds' ids."""
    session = db.session
    office = OfficeFactory()
    berkshire = County(office=office, name="Berkshire")
    oxfordshire = County(office=office, name="Oxfordshire")
    reading = LocalAuthority(office=office, gss_code="E06000038", name="Reading",
                             county=berkshire, tier="unitary")
    west_berkshire = LocalAuthority(office=office, gss_code="E06000037", name="West Berkshire",
                                    county=berkshire, tier="unitary")
    oxford = LocalAuthority(office=office, gss_code="E07000178", name="Oxford",
                            county=oxfordshire, tier="district")
    plan = Plan(office=office, code="TVPCC-PCP-2017-21", title="Police and Crime Plan 2017-2021",
                valid_from=date(2017, 4, 1), is_current=True)
    p1 = Priority(plan=plan, code="P1", number=1, title="Vulnerability")
    p3 = Priority(plan=plan, code="P3", number=3, title="Reducing Re-offending")
    p1_1 = KeyAim(priority=p1, number=1, text="Protect vulnerable people")
    p3_1 = KeyAim(priority=p3, number=1, text="Reduce reoffending by young people")
    p3_2 = KeyAim(priority=p3, number=2, text="Support people leaving prison")
    ppaf = Fund(office=office, code="PPAF", name="Police Property Act Fund")
    csf = Fund(office=office, code="CSF", name="Community Safety Fund")
    session.add_all([berkshire, oxfordshire, reading, west_berkshire, oxford, plan, p1, p3,
                     p1_1, p3_1, p3_2, ppaf, csf])

    def round_(code, title, fund, closes_at, budget_pounds, kind=RoundKind.OPEN, **values):
        made = Round(code=code, title=title, fund=fund, kind=kind,
                     opens_at=closes_at - timedelta(days=30),
                     closes_at=closes_at, budget_pence=budget_pounds * POUND,
                     launched_at=closes_at - timedelta(days=31), **values)
        session.add(made)
        return made

    round_a = round_("PPAF-2019-1", "PPAF 2019/20 Round 1", ppaf, _moment(2019, 7, 31), 150_000,
                     decided_at=_moment(2019, 8, 10),
                     decisions_published_at=datetime(2019, 8, 20, 9, 0, tzinfo=UTC))
    round_a.priorities = [p1, p3]
    round_e = round_("PPAF-2019-2", "PPAF 2019/20 Round 2", ppaf, _moment(2020, 1, 10),
                     100_000, assessing_at=_moment(2020, 1, 12))
    # Nomination and allocation rounds publish their decisions too: these were, the day
    # their awards were offered.
    round_hs = round_("PPAF-HS-2019", "High Sheriff awards 2019/20", ppaf,
                      _moment(2019, 12, 1), 75_000, kind=RoundKind.NOMINATION,
                      decisions_published_at=_moment(2020, 1, 15))
    round_csf = round_("CSF-2019", "CSF 2019/20 allocations", csf, _moment(2020, 3, 1),
                       200_000, kind=RoundKind.ALLOCATION,
                       decisions_published_at=_moment(2020, 3, 10),
                       allocation_decided_on=date(2020, 2, 27))
    round_d = round_("PPAF-2020-1", "PPAF 2020/21 Round 1", ppaf, _moment(2020, 7, 31),
                     100_000, decisions_published_at=_moment(2020, 8, 20))

    def organisation(name, kind):
        made = Organisation(name=name, organisation_type=kind)
        session.add(made)
        return made

    youth_club = organisation("Reading Youth Club", OrganisationType.COMMUNITY_GROUP)
    safer_homes = organisation("Safer Homes Trust", OrganisationType.REGISTERED_CHARITY)
    declined_group = organisation("Declined Group", OrganisationType.CIC)
    refused_group = organisation("Refused Group", OrganisationType.COMMUNITY_GROUP)
    withdrawn_group = organisation("Withdrawn Group", OrganisationType.COMMUNITY_GROUP)
    draft_group = organisation("Draft Group", OrganisationType.COMMUNITY_GROUP)
    waiting_group = organisation("Waiting Group", OrganisationType.COMMUNITY_GROUP)
    church = organisation("St Mary's Church", OrganisationType.FAITH_GROUP)
    csp = organisation("West Berkshire CSP", OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP)

    sequence = iter(range(1, 100))

    def application(round_, organisation, status, requested_pounds, **values):
        number = next(sequence)
        made = Application(
            round=round_, organisation=organisation, status=status,
            amount_requested_pence=requested_pounds * POUND,
            reference=None if status is ApplicationStatus.DRAFT else f"{round_.code}-{number:04d}",
            sequence=None if status is ApplicationStatus.DRAFT else number, **values)
        session.add(made)
        return made

    def award(round_, organisation, pounds, status, **values):
        made = Award(round=round_, organisation=organisation, amount_pence=pounds * POUND,
                     status=status, **values)
        session.add(made)
        return made

    youth_application = application(round_a, youth_club, ApplicationStatus.OFFER_ACCEPTED,
                                    10_000, title="Youth mentoring", primary_priority=p3)
    youth_application.key_aims = [p3_1]
    youth_application.areas = [reading, oxford]
    award(round_a, youth_club, 8_000, AwardStatus.ACCEPTED, application=youth_application,
          offered_at=datetime(2019, 8, 20, 9, 0, tzinfo=UTC))

    homes_application = application(round_a, safer_homes, ApplicationStatus.PAID, 5_000,
                                    title="Safe at home", primary_priority=p1,
                                    serves_whole_thames_valley=True)
    homes_application.key_aims = [p1_1]
    homes_award = award(round_a, safer_homes, 5_000, AwardStatus.PAID,
                        application=homes_application, priority=p3,
                        title="Safe at home: prison leavers",
                        offered_at=datetime(2019, 8, 20, 9, 0, tzinfo=UTC))
    homes_award.key_aims = [p3_2]

    application(round_a, refused_group, ApplicationStatus.DECLINED, 7_000, primary_priority=p1)
    declined_application = application(round_a, declined_group, ApplicationStatus.AWARDED,
                                       3_000, primary_priority=p1)
    declined_application.areas = [reading]
    award(round_a, declined_group, 3_000, AwardStatus.DECLINED,
          application=declined_application, recipient_declined_at=_moment(2019, 8, 25))
    application(round_a, withdrawn_group, ApplicationStatus.WITHDRAWN, 1_000,
                withdrawn_at=_moment(2019, 7, 20))
    application(round_a, draft_group, ApplicationStatus.DRAFT, 9_000)

    waiting_application = application(round_e, waiting_group, ApplicationStatus.AWARDED, 4_000,
                                      primary_priority=p1)
    award(round_e, waiting_group, 4_000, AwardStatus.PROPOSED, application=waiting_application)

    nominated = award(round_hs, youth_club, 2_000, AwardStatus.OFFERED,
                      source=AwardSource.NOMINATION, nominating_county=berkshire, priority=p1,
                      awarded_on=date(2020, 1, 15), offered_at=_moment(2020, 1, 15))
    nominated.areas = [reading]
    award(round_hs, church, 3_000, AwardStatus.OFFERED, source=AwardSource.NOMINATION,
          nominating_county=oxfordshire, awarded_on=date(2020, 1, 15),
          offered_at=_moment(2020, 1, 15))

    allocation = award(round_csf, csp, 20_000, AwardStatus.ACCEPTED,
                       source=AwardSource.ALLOCATION, awarded_on=date(2020, 3, 10))
    allocation.areas = [west_berkshire]
    report = MonitoringReport(award=allocation, kind=ReportKind.INTERIM,
                              due_on=date(2020, 10, 31), status=ReportStatus.SUBMITTED,
                              submitted_at=_moment(2020, 10, 20))
    project = MonitoringProject(report=report, position=1, name="Knife crime workshops",
                                spent_pence=500_000)
    project.key_aims = [p3_1]
    session.add_all([report, project])

    award(round_d, safer_homes, 1_000, AwardStatus.PAID, offered_at=_moment(2020, 8, 20))
    session.flush()
    return ReportData(round_a_id=round_a.id, round_e_id=round_e.id, round_hs_id=round_hs.id,
                      round_csf_id=round_csf.id, round_d_id=round_d.id)
