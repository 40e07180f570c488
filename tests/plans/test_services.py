"""The plan's rules: one current plan, numbering, codes, dates, and deleting only what nothing
uses (retiring instead)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from grants.core import clock
from grants.core.errors import Conflict, ValidationFailed
from grants.plans.models import KeyAim, Plan, Priority
from grants.plans.operations import deleting, key_aims, plans, priorities, reading, retiring
from grants.records.models import AuditEvent
from tests.fixtures.factories import OfficeFactory

MOMENT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def events(session, entity_type, action=None):
    query = select(AuditEvent).where(AuditEvent.entity_type == entity_type)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query.order_by(AuditEvent.id)))


def new_plan(session, actor, code="TVPCC-PCP-2024-29", **kwargs):
    values = {"title": "Police and Crime Plan 2024 to 2029", "valid_from": date(2024, 4, 1),
              "valid_to": date(2029, 3, 31), **kwargs}
    OfficeFactory()  # a new plan is the one office's
    return plans.create_plan(session, actor_id=actor.id, code=code, **values)


# Plans -------------------------------------------------------------------------------------

def test_a_new_plan_is_stored_with_an_upper_case_code_and_an_audit_event(db_session, staff):
    plan = new_plan(db_session, staff, code=" tvpcc-pcp-2024-29 ")

    assert plan.code == "TVPCC-PCP-2024-29"
    assert plan.is_current is False
    [event] = events(db_session, "plan", "plan.created")
    assert event.actor_id == staff.id
    assert event.entity_id == plan.id
    assert event.after == {"code": "TVPCC-PCP-2024-29",
                           "title": "Police and Crime Plan 2024 to 2029",
                           "valid_from": "2024-04-01", "valid_to": "2029-03-31",
                           "is_current": False}


def test_a_plan_code_already_taken_is_refused_whatever_its_case(db_session, staff,
                                                                 plan_factory):
    plan_factory(code="TVPCC-PCP-2021-24")

    with pytest.raises(ValidationFailed) as refused:
        new_plan(db_session, staff, code="tvpcc-pcp-2021-24")

    assert refused.value.errors == {"code": "A plan with the code TVPCC-PCP-2021-24 "
                                            "already exists"}


@pytest.mark.parametrize("code", ["TVPCC PCP", "TVPCC_PCP", "-TVPCC", "TVPCC-", "PLAN/2024",
                                  "", "A" * 41])
def test_a_plan_code_must_be_letters_numbers_and_hyphens(db_session, staff, code):
    with pytest.raises(ValidationFailed) as refused:
        new_plan(db_session, staff, code=code)

    assert set(refused.value.errors) == {"code"}


def test_a_plan_may_not_end_before_it_starts(db_session, staff):
    with pytest.raises(ValidationFailed) as refused:
        new_plan(db_session, staff, valid_from=date(2024, 4, 1), valid_to=date(2024, 3, 31))

    assert refused.value.errors == {"valid_to": plans.DATES_MESSAGE}
    assert db_session.scalars(select(Plan)).all() == []


@pytest.mark.parametrize("valid_to", [date(2024, 4, 1), None])
def test_a_plan_may_end_the_day_it_starts_or_have_no_end(db_session, staff, valid_to):
    plan = new_plan(db_session, staff, valid_from=date(2024, 4, 1), valid_to=valid_to)

    assert plan.valid_to == valid_to


def test_making_a_plan_current_unsets_the_previous_one(db_session, staff, plan_factory):
    old = plan_factory(is_current=True)
    new = plan_factory()

    plans.make_plan_current(db_session, new, actor_id=staff.id)

    assert db_session.scalars(select(Plan.id).where(Plan.is_current)).all() == [new.id]
    assert [(e.entity_id, e.before, e.after) for e in events(db_session, "plan")] == [
        (old.id, {"is_current": True}, {"is_current": False}),
        (new.id, {"is_current": False}, {"is_current": True}),
    ]


def test_a_plan_added_as_current_is_the_only_current_plan(db_session, staff, plan_factory):
    old = plan_factory(is_current=True)

    plan = new_plan(db_session, staff, make_current=True)

    db_session.refresh(old)
    assert plan.is_current and not old.is_current
    assert db_session.scalars(select(Plan.id).where(Plan.is_current)).all() == [plan.id]


def test_making_the_current_plan_current_again_changes_nothing(db_session, staff,
                                                               plan_factory):
    plan = plan_factory(is_current=True)

    plans.make_plan_current(db_session, plan, actor_id=staff.id)

    assert plan.is_current
    assert events(db_session, "plan") == []


def test_editing_a_plan_records_only_the_fields_that_changed(db_session, staff, plan):
    plans.update_plan(db_session, plan, actor_id=staff.id, title=plan.title,
                      valid_from=date(2021, 4, 1), valid_to=date(2024, 3, 31))

    [event] = events(db_session, "plan", "plan.updated")
    assert event.before == {"valid_to": None}
    assert event.after == {"valid_to": "2024-03-31"}
    assert plan.code == "TVPCC-PCP-2021-24"


def test_editing_a_plan_checks_its_dates(db_session, staff, plan):
    with pytest.raises(ValidationFailed) as refused:
        plans.update_plan(db_session, plan, actor_id=staff.id, title="A plan",
                          valid_from=date(2024, 4, 1), valid_to=date(2023, 4, 1))

    assert set(refused.value.errors) == {"valid_to"}


# Numbering ---------------------------------------------------------------------------------

def test_priorities_take_the_next_number_and_its_code(db_session, staff, plan):
    p3 = priorities.add_priority(db_session, plan, actor_id=staff.id, title="Reducing harm",
                                 objective="Fewer victims")
    p4 = priorities.add_priority(db_session, plan, actor_id=staff.id, title="Better justice")

    assert (p3.number, p3.code, p4.number, p4.code) == (3, "P3", 4, "P4")
    assert [p.code for p in plan.priorities] == ["P1", "P2", "P3", "P4"]
    [event, _] = events(db_session, "priority", "priority.created")
    assert event.actor_id == staff.id
    assert event.after["code"] == "P3" and event.after["title"] == "Reducing harm"


def test_the_first_priority_of_a_new_plan_is_p1(db_session, staff, plan_factory):
    plan = plan_factory()

    priority = priorities.add_priority(db_session, plan, actor_id=staff.id, title="First")

    assert priority.code == "P1"


def test_retired_and_deleted_priorities_leave_their_numbers_alone(db_session, staff, plan):
    p1, p2 = plan.priorities
    p3 = priorities.add_priority(db_session, plan, actor_id=staff.id, title="Third")
    retiring.set_retired(db_session, p3, retired=True, actor_id=staff.id)
    deleting.delete_priority(db_session, p2, actor_id=staff.id)

    p4 = priorities.add_priority(db_session, plan, actor_id=staff.id, title="Fourth")

    assert [p.code for p in plan.priorities] == ["P1", "P3", "P4"]
    assert p4.number == 4


def test_key_aims_are_numbered_within_their_priority(db_session, staff, plan):
    p1, p2 = plan.priorities

    aim = key_aims.add_key_aim(db_session, p1, actor_id=staff.id, text="Tackle burglary")
    first_of_p2 = key_aims.add_key_aim(db_session, p2, actor_id=staff.id, text="Disrupt gangs")

    assert (aim.code, first_of_p2.code) == ("P1.3", "P2.1")
    [_, event] = events(db_session, "key_aim", "key_aim.created")
    assert event.after["code"] == "P2.1" and event.after["text"] == "Disrupt gangs"


def test_a_key_aim_needs_its_text(db_session, staff, plan):
    with pytest.raises(ValidationFailed) as refused:
        key_aims.add_key_aim(db_session, plan.priorities[0], actor_id=staff.id, text="  ")

    assert refused.value.errors == {"text": "Enter the key aim"}


def test_a_priority_needs_a_title(db_session, staff, plan):
    with pytest.raises(ValidationFailed) as refused:
        priorities.add_priority(db_session, plan, actor_id=staff.id, title="")

    assert refused.value.errors == {"title": "Enter the priority's title"}


def test_editing_a_priority_and_a_key_aim_records_before_and_after(db_session, staff, plan):
    p1 = plan.priorities[0]

    priorities.update_priority(db_session, p1, actor_id=staff.id, title="Local policing",
                               objective=p1.objective)
    key_aims.update_key_aim(db_session, p1.key_aims[0], actor_id=staff.id, text="Visible")

    [priority_event] = events(db_session, "priority", "priority.updated")
    assert (priority_event.before, priority_event.after) == (
        {"title": "Strong local policing"}, {"title": "Local policing"})
    [aim_event] = events(db_session, "key_aim", "key_aim.updated")
    assert (aim_event.before, aim_event.after) == (
        {"text": "More visible neighbourhood policing"}, {"text": "Visible"})


# Deleting, retiring, reinstating -----------------------------------------------------------

def test_a_priority_used_by_a_round_cannot_be_deleted(db_session, staff, plan, round_factory):
    p1 = plan.priorities[0]
    round_ = round_factory(code="PPAF-2019-1")
    round_.priorities.append(p1)
    db_session.flush()

    with pytest.raises(Conflict) as refused:
        deleting.delete_priority(db_session, p1, actor_id=staff.id)

    assert refused.value.message == (
        "This priority is used by round PPAF-2019-1, so it cannot be deleted. "
        "You can retire it instead."
    )
    assert db_session.get(Priority, p1.id) is not None
    assert events(db_session, "priority") == []


def test_a_priority_whose_key_aim_a_round_uses_cannot_be_deleted(db_session, staff, plan,
                                                                 round_factory):
    p1 = plan.priorities[0]
    round_ = round_factory(code="CSF-2020-1")
    round_.key_aims.append(p1.key_aims[1])
    db_session.flush()

    with pytest.raises(Conflict, match="used by round CSF-2020-1"):
        deleting.delete_priority(db_session, p1, actor_id=staff.id)


@pytest.mark.parametrize("how", ["primary", "further", "key_aim"])
def test_a_priority_an_application_names_cannot_be_deleted(db_session, staff, plan,
                                                           application_factory, how):
    p1 = plan.priorities[0]
    application = application_factory()
    if how == "primary":
        application.primary_priority = p1
    elif how == "further":
        application.further_priorities.append(p1)
    else:
        application.key_aims.append(p1.key_aims[0])
    db_session.flush()

    with pytest.raises(Conflict) as refused:
        deleting.delete_priority(db_session, p1, actor_id=staff.id)

    assert "used by 1 application, so it cannot be deleted" in refused.value.message


@pytest.mark.parametrize("how", ["priority", "key_aim"])
def test_a_priority_an_award_names_cannot_be_deleted(db_session, staff, plan, award_factory,
                                                     how):
    p1 = plan.priorities[0]
    award = award_factory()
    if how == "priority":
        award.priority = p1
    else:
        award.key_aims.append(p1.key_aims[0])
    db_session.flush()

    with pytest.raises(Conflict, match="used by 1 award, so it cannot be deleted"):
        deleting.delete_priority(db_session, p1, actor_id=staff.id)


def test_the_refusal_counts_everything_that_uses_a_priority(db_session, plan, round_factory,
                                                            application_factory,
                                                            award_factory):
    p1 = plan.priorities[0]
    rounds = [round_factory(code=code)
              for code in ["PPAF-2019-2", "PPAF-2019-1", "CSF-2020-1", "PPAF-2020-1"]]
    for round_ in rounds:
        round_.priorities.append(p1)
    for _ in range(2):
        application_factory(primary_priority=p1)
    award_factory(priority=p1)
    db_session.flush()

    usage = deleting.priority_usage(db_session, p1)

    assert usage.refusal("priority") == (
        "This priority is used by 4 rounds (including CSF-2020-1, PPAF-2019-1 and "
        "PPAF-2019-2), 2 applications and 1 award, so it cannot be deleted. "
        "You can retire it instead."
    )


@pytest.mark.parametrize("user", ["round", "application", "award"])
def test_a_key_aim_in_use_cannot_be_deleted(db_session, staff, plan, round_factory,
                                            application_factory, award_factory, user):
    aim = plan.priorities[0].key_aims[0]
    factory = {"round": round_factory, "application": application_factory,
               "award": award_factory}[user]
    user_of_aim = factory()
    user_of_aim.key_aims.append(aim)
    db_session.flush()

    with pytest.raises(Conflict, match=r"^This key aim is used by .*You can retire it"):
        deleting.delete_key_aim(db_session, aim, actor_id=staff.id)

    assert db_session.get(KeyAim, aim.id) is not None


def test_another_priority_in_use_does_not_stop_a_deletion(db_session, staff, plan,
                                                          round_factory):
    p1, p2 = plan.priorities
    round_ = round_factory()
    round_.priorities.append(p1)
    db_session.flush()

    deleting.delete_priority(db_session, p2, actor_id=staff.id)

    assert db_session.get(Priority, p2.id) is None


def test_an_unused_priority_is_deleted_with_its_key_aims(db_session, staff, plan):
    p1 = plan.priorities[0]
    aim_ids = [aim.id for aim in p1.key_aims]

    deleting.delete_priority(db_session, p1, actor_id=staff.id)

    assert db_session.get(Priority, p1.id) is None
    assert db_session.scalars(select(KeyAim).where(KeyAim.id.in_(aim_ids))).all() == []
    assert [p.code for p in plan.priorities] == ["P2"]
    [event] = events(db_session, "priority", "priority.deleted")
    assert event.actor_id == staff.id
    assert event.before["code"] == "P1"
    assert [aim["number"] for aim in event.before["key_aims"]] == [1, 2]


def test_an_unused_key_aim_is_deleted_and_the_others_keep_their_numbers(db_session, staff,
                                                                        plan):
    p1 = plan.priorities[0]
    first = p1.key_aims[0]

    deleting.delete_key_aim(db_session, first, actor_id=staff.id)

    db_session.refresh(p1)
    assert [aim.code for aim in p1.key_aims] == ["P1.2"]
    [event] = events(db_session, "key_aim", "key_aim.deleted")
    assert event.before["code"] == "P1.1"
    assert key_aims.add_key_aim(db_session, p1, actor_id=staff.id, text="New").code == "P1.3"


def test_a_priority_in_use_can_be_retired_and_reinstated(db_session, staff, plan,
                                                         round_factory, monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: MOMENT)
    p1 = plan.priorities[0]
    round_ = round_factory()
    round_.priorities.append(p1)
    db_session.flush()

    retiring.set_retired(db_session, p1, retired=True, actor_id=staff.id)
    assert p1.retired_at == MOMENT

    retiring.set_retired(db_session, p1, retired=False, actor_id=staff.id)
    assert p1.retired_at is None

    assert [(e.action, e.before, e.after) for e in events(db_session, "priority")] == [
        ("priority.retired", {"retired_at": None}, {"retired_at": MOMENT.isoformat()}),
        ("priority.reinstated", {"retired_at": MOMENT.isoformat()}, {"retired_at": None}),
    ]


def test_a_key_aim_in_use_can_be_retired_and_reinstated(db_session, staff, plan,
                                                        round_factory, monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: MOMENT)
    aim = plan.priorities[0].key_aims[0]
    round_ = round_factory()
    round_.key_aims.append(aim)
    db_session.flush()

    retiring.set_retired(db_session, aim, retired=True, actor_id=staff.id)
    assert aim.retired_at == MOMENT
    retiring.set_retired(db_session, aim, retired=False, actor_id=staff.id)
    assert aim.retired_at is None

    assert [e.action for e in events(db_session, "key_aim")] == [
        "key_aim.retired", "key_aim.reinstated"]


def test_retiring_twice_keeps_the_first_time(db_session, staff, plan, monkeypatch):
    p2 = plan.priorities[1]
    monkeypatch.setattr(clock, "utcnow", lambda: MOMENT)
    retiring.set_retired(db_session, p2, retired=True, actor_id=staff.id)
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2027, 1, 1, tzinfo=UTC))

    retiring.set_retired(db_session, p2, retired=True, actor_id=staff.id)

    assert p2.retired_at == MOMENT
    assert len(events(db_session, "priority", "priority.retired")) == 1


# What new rounds are offered ---------------------------------------------------------------

def test_new_rounds_are_offered_only_priorities_and_key_aims_that_are_not_retired(
    db_session, staff, plan, plan_factory, priority_factory
):
    p1, p2 = plan.priorities
    retiring.set_retired(db_session, p1.key_aims[0], retired=True, actor_id=staff.id)
    retiring.set_retired(db_session, p2, retired=True, actor_id=staff.id)
    priority_factory(plan=plan_factory(), number=1, code="P1")

    offered = reading.offerable_priorities(db_session, plan)

    assert [(o.priority.code, [aim.code for aim in o.key_aims]) for o in offered] == [
        ("P1", ["P1.2"]),
    ]
