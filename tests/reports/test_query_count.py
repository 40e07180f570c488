"""The reports run a fixed number of queries whatever the number of awards: 10 awards and
1,000 (made with bulk inserts) cost the same."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from grants.applications.models import (
    Application,
    ApplicationStatus,
    application_area,
    application_key_aim,
)
from grants.areas.models import County, LocalAuthority
from grants.awards.models import Award, AwardSource, AwardStatus, award_area, award_key_aim
from grants.extensions import db
from grants.funds.models import Fund, Round, RoundKind
from grants.organisations.models import Organisation, OrganisationType
from grants.plans.models import KeyAim, Plan, Priority
from grants.reports.operations import figures, panel
from grants.reports.operations.selection import year_selection
from tests.fixtures.factories import OfficeFactory

# Measured on SQLite and PostgreSQL: one for the rounds (their budgets, applications and
# awards), one for the totals and the six other breakdowns, and one for the money committed
# from the rounds (what is left of their budgets); and for the progress report
# one for the plan in force, three for the rounds, two for the allocation rounds, one for
# the High Sheriff awards, one for the direct awards and two for the initiatives.
FIGURES_QUERIES = 3
# One more for the Community Foundation allocations; seven more again when there are any, whatever
# their number (tests/reports/test_delegated.py).
PANEL_QUERIES = 11


def bulk_awards(count: int) -> None:
    """`count` offered awards in one 2019/20 round: half on applications (with areas and key
    aims), half nominated (with their own areas and a nominating county)."""
    session = db.session
    office = OfficeFactory()
    county = County(office=office, name="Berkshire")
    authorities = [LocalAuthority(office=office, gss_code=f"E0600{n:04d}", name=f"Council {n}",
                                  county=county, tier="unitary") for n in range(3)]
    plan = Plan(office=office, code="PLAN", title="Plan",
                valid_from=datetime(2017, 4, 1).date())
    priority = Priority(plan=plan, code="P1", number=1, title="Vulnerability")
    aim = KeyAim(priority=priority, number=1, text="An aim")
    fund = Fund(office=office, code="PPAF", name="Police Property Act Fund")
    round_ = Round(fund=fund, code="PPAF-2019-1", title="Round 1", kind=RoundKind.OPEN,
                   opens_at=datetime(2019, 6, 1, tzinfo=UTC),
                   closes_at=datetime(2019, 7, 1, tzinfo=UTC), budget_pence=10**10,
                   decisions_published_at=datetime(2019, 8, 1, tzinfo=UTC))
    session.add_all([county, *authorities, plan, priority, aim, fund, round_])
    session.flush()
    organisation_ids = list(session.scalars(
        insert(Organisation).returning(Organisation.id),
        [{"name": f"Group {n}", "organisation_type": OrganisationType.COMMUNITY_GROUP}
         for n in range(count)]))
    on_applications = organisation_ids[: count // 2]
    application_ids = list(session.scalars(
        insert(Application).returning(Application.id),
        [{"round_id": round_.id, "organisation_id": organisation_id,
          "status": ApplicationStatus.OFFER_ACCEPTED, "reference": f"PPAF-2019-1-{n:04d}",
          "sequence": n, "amount_requested_pence": 100_000, "primary_priority_id": priority.id}
         for n, organisation_id in enumerate(on_applications, start=1)]))
    session.execute(insert(application_area), [
        {"application_id": application_id, "local_authority_id": authority.id}
        for application_id in application_ids for authority in authorities[:2]])
    session.execute(insert(application_key_aim), [
        {"application_id": application_id, "key_aim_id": aim.id}
        for application_id in application_ids])
    common = {"round_id": round_.id, "amount_pence": 50_000, "status": AwardStatus.OFFERED}
    session.execute(insert(Award), [
        {**common, "organisation_id": organisation_id, "application_id": application_id}
        for organisation_id, application_id in zip(on_applications, application_ids,
                                                   strict=True)])
    nominated = list(session.scalars(insert(Award).returning(Award.id), [
        {**common, "organisation_id": organisation_id, "source": AwardSource.NOMINATION,
         "nominating_county_id": county.id, "title": f"Nominated {organisation_id}"}
        for organisation_id in organisation_ids[count // 2:]]))
    session.execute(insert(award_area), [
        {"award_id": award_id, "local_authority_id": authorities[2].id}
        for award_id in nominated])
    session.execute(insert(award_key_aim), [
        {"award_id": award_id, "key_aim_id": aim.id} for award_id in nominated[::2]])
    session.flush()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_figures_take_the_same_number_of_queries_for_any_number_of_awards(
    db_session, count_queries, count
):
    bulk_awards(count)
    selection = year_selection(db_session, "2019/20", "PPAF")
    with count_queries() as log:
        report = figures.report_figures(db_session, selection)
    assert report.awards == count
    assert report.organisations_funded == count
    assert {row.code: row.awards for row in report.by_local_authority} == {
        "E06000000": count // 2, "E06000001": count // 2, "E06000002": count - count // 2}
    assert log.count == FIGURES_QUERIES, str(log)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_progress_report_takes_the_same_number_of_queries_for_any_number_of_awards(
    db_session, count_queries, count
):
    bulk_awards(count)
    selection = year_selection(db_session, "2019/20", "PPAF")
    with count_queries() as log:
        report = panel.panel_report(db_session, selection)
    assert f"to {count} charities and community groups" in report.round_paragraphs[0]
    assert log.count == PANEL_QUERIES, str(log)
