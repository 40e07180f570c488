"""A round's status: staff launch it, the server's clock opens and closes it, and staff move it
on to assessment and decision. Every step is recorded."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from grants.funds.models import RoundKind, RoundStatus
from grants.organisations.models import OrganisationType
from grants.records.models import AuditEvent
from tests.fixtures.auth import post_form
from tests.funds.conftest import NOW

OPENS = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
CLOSES = datetime(2026, 9, 30, 11, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def ready(round_factory, plan):
    """A draft open round with everything it needs to launch."""
    from grants.funds.models import RoundOrganisationType, ScoringCriterion

    return round_factory(
        code="PPAF-2026-1", opens_at=OPENS, closes_at=CLOSES,
        priorities=[plan.priorities[0]],
        organisation_type_rows=[RoundOrganisationType(
            organisation_type=OrganisationType.REGISTERED_CHARITY)],
        scoring_criteria=[ScoringCriterion(position=1, name="Need", weight=1, max_score=5)],
    )


@pytest.fixture
def travel(now, staff, staff_client, sign_in_as):
    """Move the clock, then sign staff in again: a jump of weeks ends the idle session (the
    next request signs out), as it would in a browser."""

    def to(moment):
        now.set(moment)
        if staff_client.get("/staff/").status_code != 200:
            sign_in_as(staff, on=staff_client)

    return to


def launch(client, round_):
    return post_form(client, f"/staff/rounds/{round_.id}/launch",
                     form_page=f"/staff/rounds/{round_.id}")


def action(client, round_, name):
    return post_form(client, f"/staff/rounds/{round_.id}/{name}",
                     form_page=f"/staff/rounds/{round_.id}")


def events(db_session, round_):
    return list(db_session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "round",
                                 AuditEvent.entity_id == round_.id).order_by(AuditEvent.id)))


def test_launching_a_draft_records_when_and_who(staff_client, staff, ready, db_session):
    response = launch(staff_client, ready)

    assert response.status_code == 302
    db_session.refresh(ready)
    assert ready.launched_at == NOW
    [event] = events(db_session, ready)
    assert (event.action, event.actor_id) == ("round.launched", staff.id)
    assert event.after["status"] == "upcoming"


def test_a_draft_stays_a_draft_whatever_the_clock_says(ready, now):
    for moment in (OPENS - SECOND, OPENS, CLOSES - SECOND, CLOSES):
        now.set(moment)
        assert ready.status is RoundStatus.DRAFT


@pytest.mark.parametrize("moment,status,tag", [
    (OPENS - SECOND, RoundStatus.UPCOMING, "Launched, not yet open"),
    (OPENS, RoundStatus.OPEN, "Open"),
    (CLOSES - SECOND, RoundStatus.OPEN, "Open"),
    (CLOSES, RoundStatus.CLOSED, "Closed"),
])
def test_a_launched_round_opens_and_closes_by_the_servers_clock(
    staff_client, ready, travel, db_session, moment, status, tag
):
    launch(staff_client, ready)
    travel(moment)

    html = staff_client.get(f"/staff/rounds/{ready.id}").text

    db_session.refresh(ready)
    assert ready.status is status
    assert '<strong class="govuk-tag' in html and f">{tag}</strong>" in html


@pytest.mark.parametrize("missing,message", [
    ({"priorities": []}, "Choose at least one priority for an open round"),
    ({"organisation_type_rows": []}, "Choose at least one type of organisation that may apply"),
    ({"scoring_criteria": []}, "Add at least one scoring criterion"),
])
def test_an_open_round_launches_only_with_a_priority_an_organisation_type_and_a_criterion(
    staff_client, ready, db_session, missing, message
):
    for name, value in missing.items():
        setattr(ready, name, value)
    db_session.flush()

    response = launch(staff_client, ready)

    assert response.status_code == 200
    assert "<title>Error: " in response.text
    assert message in response.text
    db_session.refresh(ready)
    assert ready.launched_at is None


def test_the_launch_problems_link_to_what_to_fix(staff_client, ready, db_session):
    ready.priorities = []
    db_session.flush()

    html = launch(staff_client, ready).text

    assert '<a href="#priorities">Choose at least one priority for an open round</a>' in html


def test_a_round_whose_closing_time_has_passed_cannot_be_launched(staff_client, ready,
                                                                   travel):
    travel(CLOSES + SECOND)

    response = launch(staff_client, ready)

    assert "The closing date has passed: move it later to launch the round" in response.text


def test_a_nomination_round_launches_only_with_a_county_allocation(staff_client, round_factory,
                                                                    db_session):
    round_ = round_factory(kind=RoundKind.NOMINATION, opens_at=OPENS, closes_at=CLOSES,
                           min_award_pence=None, max_award_pence=None)

    response = launch(staff_client, round_)

    assert "Set an allocation for at least one county" in response.text


def test_a_launched_round_cannot_be_launched_again(staff_client, ready, db_session):
    launch(staff_client, ready)

    response = launch(staff_client, ready)

    assert ("Only a draft round can be launched; this round is launched, not yet open"
            in response.text)
    assert len(events(db_session, ready)) == 1


def test_assessment_starts_only_once_the_round_has_closed(staff_client, ready, travel,
                                                          db_session):
    launch(staff_client, ready)
    travel(CLOSES - SECOND)
    refused = action(staff_client, ready, "start-assessment")
    travel(CLOSES)
    started = action(staff_client, ready, "start-assessment")

    assert "Only a closed round can start assessment; this round is open" in refused.text
    assert started.status_code == 302
    db_session.refresh(ready)
    assert ready.assessing_at == CLOSES
    assert ready.status is RoundStatus.ASSESSING
    assert [e.action for e in events(db_session, ready)] == [
        "round.launched", "round.assessment_started"]


def test_a_round_is_marked_decided_only_while_assessing(staff_client, ready, travel,
                                                        db_session):
    launch(staff_client, ready)
    travel(CLOSES + timedelta(days=1))
    refused = action(staff_client, ready, "mark-decided")
    action(staff_client, ready, "start-assessment")
    decided = action(staff_client, ready, "mark-decided")

    assert "Only an assessing round can be marked decided; this round is closed" in refused.text
    assert decided.status_code == 302
    db_session.refresh(ready)
    assert ready.status is RoundStatus.DECIDED
    assert events(db_session, ready)[-1].action == "round.decided"


def test_the_round_page_offers_the_next_step_only(staff_client, ready, travel):
    launch(staff_client, ready)
    travel(CLOSES)

    html = staff_client.get(f"/staff/rounds/{ready.id}").text

    assert "Start assessment" in html
    assert "Launch round" not in html and "Mark as decided" not in html


def test_an_open_round_cannot_be_archived(staff_client, ready, travel, db_session):
    launch(staff_client, ready)
    travel(OPENS)

    response = action(staff_client, ready, "archive")

    assert ("An open round cannot be archived: applicants may be working on applications "
            "until it closes at midday on 30 September 2026 (BST)") in response.text
    db_session.refresh(ready)
    assert ready.archived_at is None


def test_a_draft_is_archived_with_a_record_and_cannot_then_be_launched(staff_client, ready,
                                                                       db_session):
    archived = action(staff_client, ready, "archive")
    relaunch = launch(staff_client, ready)

    assert archived.status_code == 302
    db_session.refresh(ready)
    assert ready.archived_at == NOW
    assert "This round is archived, so it cannot be launched" in relaunch.text
    assert [e.action for e in events(db_session, ready)] == ["round.archived"]
