"""A small published history with known answers, on the real reference data."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from grants.applications.models import Application
from grants.areas.models import County, LocalAuthority
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.funds.models import Fund, Round, RoundKind
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from grants.plans.models import Plan
from grants.reference.operations.seed import seed_reference


@dataclass
class History:
    """What the data set holds (the awards that count, and one that does not)."""

    august: Round
    sheriffs: Round
    csf: Round
    charity_award: Award
    company_award: Award
    nominated_award: Award
    csf_award: Award
    declined_award: Award
    proposed_award: Award


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _round(session, fund, code, title, closes, kind=RoundKind.OPEN) -> Round:
    round_ = Round(fund=fund, code=code, title=title, kind=kind,
                   opens_at=_at(date(closes.year, closes.month, 1)), closes_at=_at(closes),
                   budget_pence=50_000_000, launched_at=_at(date(closes.year, closes.month, 1)),
                   decided_at=_at(closes), decisions_published_at=_at(closes))
    session.add(round_)
    return round_


def _organisation(session, name, **numbers) -> Organisation:
    kind = numbers.pop("kind", OrganisationType.REGISTERED_CHARITY)
    organisation = Organisation(name=name, organisation_type=kind, contact_name="Pat Private",
                                contact_email="pat.private@example.org",
                                contact_phone="01234 567890", **numbers)
    session.add(organisation)
    return organisation


def _application(session, round_, organisation, sequence, **values) -> Application:
    application = Application(round=round_, organisation=organisation, sequence=sequence,
                              reference=f"{round_.code}-{sequence:04d}",
                              declared_by_name="Dana Declarer", **values)
    session.add(application)
    return application


@pytest.fixture
def reference(db_session):
    seed_reference(db_session)
    db_session.flush()
    plan = db_session.scalars(select(Plan).where(Plan.code == "TVPCC-PCP-2017-21")).one()
    priorities = {p.code: p for p in plan.priorities}
    aims = {a.code: a for p in plan.priorities for a in p.key_aims}
    areas = {la.gss_code: la for la in db_session.scalars(select(LocalAuthority))}
    counties = {c.name: c for c in db_session.scalars(select(County))}
    funds = {f.code: f for f in db_session.scalars(select(Fund))}
    return {"plan": plan, "priorities": priorities, "aims": aims, "areas": areas,
            "counties": counties, "funds": funds}


@pytest.fixture
def history(db_session, reference) -> History:
    ppaf, csf = reference["funds"]["PPAF"], reference["funds"]["CSF"]
    p = reference["priorities"]
    areas = reference["areas"]
    august = _round(db_session, ppaf, "PPAF-2019-08", "PPAF August 2019", date(2019, 7, 31))
    sheriffs = _round(db_session, ppaf, "PPAF-HS-2019", "High Sheriff awards 2019/20",
                      date(2019, 11, 30), kind=RoundKind.NOMINATION)
    csf_round = _round(db_session, csf, "CSF-2020-1", "CSF 2020/21 allocations",
                       date(2020, 5, 31))
    charity = _organisation(db_session, "Reading Riverside Mentors",
                            charity_regulator=CharityRegulator.CCEW, charity_number="1190001",
                            postcode="RG1 1AA")
    company = _organisation(db_session, "Slough Safe Streets CIC", kind=OrganisationType.CIC,
                            company_number="09123456")
    group = _organisation(db_session, "Banbury Street Pastors",
                          kind=OrganisationType.COMMUNITY_GROUP)
    scottish = _organisation(db_session, "Border Youth Trust",
                             charity_regulator=CharityRegulator.OSCR, charity_number="SC012345")

    first = _application(db_session, august, charity, 1, title="Mentoring young offenders",
                         summary="Weekly mentoring for young people leaving custody.",
                         amount_requested_pence=500_000, primary_priority=p["P3"],
                         planned_start=date(2019, 9, 1), planned_end=date(2020, 8, 31),
                         areas=[areas["E06000038"], areas["E06000039"]],
                         key_aims=[reference["aims"]["P3.1"]])
    second = _application(db_session, august, company, 2, title="County lines awareness",
                          amount_requested_pence=300_000, primary_priority=p["P4"],
                          serves_whole_thames_valley=True)
    third = _application(db_session, august, scottish, 3, title="Declined by the recipient",
                         primary_priority=p["P3"])
    fourth = _application(db_session, august, group, 4, title="Not yet offered",
                          primary_priority=p["P4"])
    charity_award = Award(round=august, organisation=charity, application=first,
                          amount_pence=450_050, status=AwardStatus.OFFERED,
                          awarded_on=date(2019, 8, 14))
    company_award = Award(round=august, organisation=company, application=second,
                          amount_pence=300_000, status=AwardStatus.PAID,
                          awarded_on=date(2019, 8, 14))
    declined = Award(round=august, organisation=scottish, application=third,
                     amount_pence=100_000, status=AwardStatus.DECLINED,
                     awarded_on=date(2019, 8, 14))
    proposed = Award(round=august, organisation=group, application=fourth,
                     amount_pence=100_000, status=AwardStatus.PROPOSED)
    nominated = Award(round=sheriffs, organisation=group, amount_pence=500_000,
                      status=AwardStatus.ACCEPTED, source=AwardSource.NOMINATION,
                      title="Night-time economy volunteers", priority=p["P2"],
                      nominating_county=reference["counties"]["Oxfordshire"],
                      areas=[areas["E07000177"]], awarded_on=date(2019, 12, 3))
    csf_award = Award(round=csf_round, organisation=charity, amount_pence=2_000_000,
                      status=AwardStatus.ACCEPTED, source=AwardSource.ALLOCATION,
                      title="Community safety allocation", areas=[areas["E06000038"]],
                      awarded_on=date(2020, 6, 1))
    db_session.add_all([charity_award, company_award, declined, proposed, nominated,
                        csf_award])
    db_session.flush()
    return History(august=august, sheriffs=sheriffs, csf=csf_round,
                   charity_award=charity_award, company_award=company_award,
                   nominated_award=nominated, csf_award=csf_award, declined_award=declined,
                   proposed_award=proposed)
