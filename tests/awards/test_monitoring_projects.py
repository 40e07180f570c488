"""Monitoring returns of formula allocations list the projects funded, with the priorities
and key aims each supports; staff see them when reviewing."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grants.awards.models import AwardSource, AwardStatus
from grants.extensions import db
from grants.funds.models import MonitoringSchedule, RoundKind
from grants.monitoring.models import MonitoringProject, ReportKind, ReportStatus
from grants.monitoring.operations import schedule
from grants.organisations.models import OrganisationType
from tests.awards.monitoring_fixtures import (  # noqa: F401  (fixtures)
    ACCEPTED_AT,
    approver_fixture,
    fixed_clock_fixture,
    make_award,
    member_fixture,
    organisation_fixture,
    published_round_fixture,
    staff_fixture,
)
from tests.fixtures.auth import post_form


@pytest.fixture
def cyber_aim(key_aim_factory, plan_factory, priority_factory):
    plan = plan_factory(is_current=True)
    priority = priority_factory(plan=plan, code="P4", number=4, title="Strong local policing")
    key_aim_factory(priority=priority, number=1, text="Visible neighbourhood policing")
    return key_aim_factory(priority=priority, number=2, text="Tackle cybercrime")


@pytest.fixture
def allocation_award(award_factory, round_factory, organisation):
    organisation.organisation_type = OrganisationType.LOCAL_AUTHORITY
    round_ = round_factory(kind=RoundKind.ALLOCATION, monitoring=MonitoringSchedule.TWICE_YEARLY,
                           min_award_pence=None, max_award_pence=None,
                           opens_at=datetime(2027, 2, 1, tzinfo=UTC),
                           closes_at=datetime(2027, 3, 1, tzinfo=UTC))
    return award_factory(round=round_, organisation=organisation, amount_pence=5_000_000,
                         source=AwardSource.ALLOCATION, status=AwardStatus.ACCEPTED,
                         title="Community Safety Fund allocation 2026/27",
                         offered_at=datetime(2027, 3, 1, 9, tzinfo=UTC), accepted_at=ACCEPTED_AT,
                         accepted_on=ACCEPTED_AT.date(), accepted_by_name="Jo Member")


@pytest.fixture
def interim(db_session, allocation_award, cyber_aim):
    reports = schedule.ensure_reports(db_session, allocation_award)
    db_session.commit()
    return next(r for r in reports if r.kind is ReportKind.INTERIM)


def send(client, report, action="save", **answers):
    return post_form(client, f"/reports/{report.id}", {**answers, "action": action},
                     content_type="multipart/form-data")


def summary(response) -> str:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', response.get_data(as_text=True),
                      re.S)
    return found.group(0) if found else ""


COMPLETE = {"delivered": "Funded two projects.", "outcomes_achieved": "Fewer frauds.",
            "beneficiaries_reached": "400", "spent": "20000"}


def test_an_allocation_asks_for_twice_yearly_returns_that_list_projects(
    client, sign_in_as, member, interim,
):
    page = sign_in_as(member).get(f"/reports/{interim.id}").get_data(as_text=True)

    assert interim.period == "October 2026 to March 2027"
    assert "Projects funded" in page
    assert 'name="project_0_name"' in page and 'name="project_2_key_aims"' in page
    assert "P4.2 Tackle cybercrime" in page


def test_a_project_is_saved_with_its_spend_priorities_and_key_aims(client, sign_in_as, member,
                                                                  interim, cyber_aim):
    response = send(sign_in_as(member), interim, project_0_name="Cyber aware schools",
                    project_0_description="Talks in 12 schools.", project_0_spent="12,500",
                    project_0_key_aims=str(cyber_aim.id))

    assert response.status_code == 302
    project = db.session.scalars(select(MonitoringProject)).one()
    assert (project.name, project.spent_pence, project.report_id) == (
        "Cyber aware schools", 1_250_000, interim.id)
    # Choosing a key aim brings its priority.
    assert project.priorities == [cyber_aim.priority] and project.key_aims == [cyber_aim]


def test_a_project_needs_a_name_and_what_was_spent_on_it(client, sign_in_as, member, interim):
    response = send(sign_in_as(member), interim, project_1_description="Something")

    errors = summary(response)
    assert "Enter the name of project 1" in errors
    assert "Enter how much was spent on project 1" in errors
    assert db.session.scalars(select(MonitoringProject)).all() == []


def test_sending_a_return_without_projects_asks_for_one(client, sign_in_as, member, interim):
    response = send(sign_in_as(member), interim, "send", **COMPLETE)

    assert "List at least one project the grant funded" in summary(response)
    db.session.refresh(interim)
    assert interim.status is ReportStatus.DUE


def test_the_projects_cannot_have_spent_more_than_the_return_says(client, sign_in_as, member,
                                                                  interim, cyber_aim):
    response = send(sign_in_as(member), interim, "send", **COMPLETE,
                    project_0_name="Fraud clinic", project_0_spent="25000",
                    project_0_priorities=str(cyber_aim.priority_id))

    assert ("The projects&#39; spending adds up to £25,000, more than the £20,000 you say you "
            "spent") in summary(response)


def test_staff_see_the_projects_when_reviewing_a_sent_return(client, sign_in_as, member, staff,
                                                             interim, cyber_aim, new_client):
    sent = send(sign_in_as(member), interim, "send", **COMPLETE,
                project_0_name="Fraud clinic", project_0_spent="15000",
                project_0_key_aims=str(cyber_aim.id))
    assert sent.status_code == 302

    page = sign_in_as(staff, on=new_client()).get(f"/staff/reports/{interim.id}").get_data(
        as_text=True)

    assert "Fraud clinic" in page and "£15,000" in page
    assert "P4 Strong local policing" in page and "Key aims: P4.2" in page


def test_returns_of_awards_from_applications_list_no_projects(client, sign_in_as, member,
                                                              award_factory, application_factory,
                                                              published_round, organisation):
    award = make_award(award_factory, application_factory, published_round, organisation,
                       status=AwardStatus.ACCEPTED)
    report = schedule.ensure_reports(db.session, award)[0]
    db.session.commit()

    page = sign_in_as(member).get(f"/reports/{report.id}").get_data(as_text=True)

    assert "project_0_name" not in page
