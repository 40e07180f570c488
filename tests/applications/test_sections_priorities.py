"""The "Priorities and key aims" section: one primary priority, any others, and key aims."""

import re
from dataclasses import dataclass

import pytest

from grants.applications.models import SectionStatus
from tests.applications.conftest import NOW
from tests.applications.section_pages import (
    checked,
    error_for,
    open_section,
    save_section,
    section_row,
    text_of,
)


@dataclass
class Plan:
    p1: object
    p2: object
    p3: object
    retired: object
    p1_1: object
    p1_2: object
    p2_1: object
    p3_1: object


@pytest.fixture
def plan(open_round, plan_factory, priority_factory, key_aim_factory):
    """A plan with three priorities and a retired one, all in the round, with key aims."""
    plan = plan_factory()
    p1 = priority_factory(plan=plan, number=1, code="P1", title="Vulnerability",
                          objective="Improve the response to vulnerable people.")
    p2 = priority_factory(plan=plan, number=2, code="P2",
                          title="Prevention and Early Intervention",
                          objective="Improve safeguarding of children and young adults.")
    p3 = priority_factory(plan=plan, number=3, code="P3", title="Reducing Re-offending")
    retired = priority_factory(plan=plan, number=4, code="P4", title="Retired priority",
                               retired_at=NOW)
    aims = {
        "p1_1": key_aim_factory(priority=p1, number=1, text="Better mental health response."),
        "p1_2": key_aim_factory(priority=p1, number=2, text="Find hidden abuse."),
        "p2_1": key_aim_factory(priority=p2, number=1, text="Divert young people from crime."),
        "p3_1": key_aim_factory(priority=p3, number=1, text="Support offenders to change."),
    }
    open_round.priorities.extend([p1, p2, p3, retired])
    open_round.key_aims.extend(aims.values())
    return Plan(p1=p1, p2=p2, p3=p3, retired=retired, **aims)


def ids(*records) -> list[str]:
    return [str(record.id) for record in records]


def test_the_page_offers_the_rounds_current_priorities_and_key_aims(plan, draft, member,
                                                                      sign_in_as):
    client = sign_in_as(member)

    page = text_of(open_section(client, draft, "priorities"))

    assert "P1 Vulnerability" in page
    assert "Improve the response to vulnerable people." in page  # the objective, as a hint
    assert "P2 Prevention and Early Intervention" in page
    assert "P2.1 Divert young people from crime." in page
    assert "Retired priority" not in page


def test_a_valid_save_writes_the_priorities_and_key_aims(plan, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {
        "primary_priority": str(plan.p1.id), "further_priorities": ids(plan.p2),
        "key_aims": ids(plan.p1_2, plan.p2_1)})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{draft.id}/sections/areas"
    assert draft.primary_priority is plan.p1
    assert draft.further_priorities == [plan.p2]
    assert {aim.id for aim in draft.key_aims} == {plan.p1_2.id, plan.p2_1.id}
    assert section_row(draft, "priorities").status is SectionStatus.COMPLETED


def test_a_primary_priority_is_required_and_what_was_ticked_is_kept(plan, draft, member,
                                                                     sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {
        "further_priorities": ids(plan.p2), "key_aims": ids(plan.p2_1)})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_for(page, "primary_priority") == "Select your project's primary priority"
    assert checked(page, "key_aims") == {str(plan.p2_1.id)}
    assert draft.primary_priority is None and draft.key_aims == []
    assert section_row(draft, "priorities").status is SectionStatus.IN_PROGRESS
    assert section_row(draft, "priorities").answers["key_aims"] == ids(plan.p2_1)


@pytest.mark.parametrize("which", ["retired", "another_round", "not_a_number"])
def test_a_primary_priority_the_round_does_not_offer_is_refused(
    which, plan, draft, member, sign_in_as, priority_factory
):
    value = {"retired": str(plan.retired.id),
             "another_round": str(priority_factory(code="P9").id),
             "not_a_number": "P1"}[which]
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {
        "primary_priority": value, "key_aims": ids(plan.p1_1)})

    assert response.status_code == 200
    assert error_for(response.get_data(as_text=True), "primary_priority") == (
        "Select a primary priority from this round's priorities")
    assert section_row(draft, "priorities").status is SectionStatus.IN_PROGRESS


def test_other_priorities_must_be_the_rounds(plan, draft, member, sign_in_as,
                                             priority_factory):
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {
        "primary_priority": str(plan.p1.id),
        "further_priorities": [str(priority_factory().id), "9999999"],
        "key_aims": ids(plan.p1_1)})

    assert error_for(response.get_data(as_text=True), "further_priorities") == (
        "Select other priorities from this round's priorities")
    assert draft.primary_priority is None


def test_choosing_the_primary_priority_again_as_another_one_is_ignored(plan, draft, member,
                                                                        sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {
        "primary_priority": str(plan.p1.id), "further_priorities": ids(plan.p1, plan.p3),
        "key_aims": ids(plan.p1_1)})

    assert response.status_code == 302
    assert draft.primary_priority is plan.p1
    assert draft.further_priorities == [plan.p3]


def test_a_key_aim_must_belong_to_a_chosen_priority_and_the_message_names_it(
    plan, draft, member, sign_in_as
):
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {
        "primary_priority": str(plan.p1.id), "further_priorities": ids(plan.p2),
        "key_aims": ids(plan.p1_1, plan.p3_1)})

    assert error_for(response.get_data(as_text=True), "key_aims") == (
        "P3.1 is not a key aim of your primary or other priorities. Select P3 as another "
        "priority, or untick P3.1")
    assert draft.key_aims == []
    assert section_row(draft, "priorities").status is SectionStatus.IN_PROGRESS


def test_several_stray_key_aims_are_all_named(plan, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {
        "primary_priority": str(plan.p1.id), "key_aims": ids(plan.p2_1, plan.p3_1)})

    assert error_for(response.get_data(as_text=True), "key_aims") == (
        "P2.1 and P3.1 are not key aims of your primary or other priorities. Select their "
        "priorities as other priorities, or untick them")


@pytest.mark.parametrize("which", ["another_plan", "retired", "not_a_number"])
def test_a_key_aim_the_round_does_not_offer_is_refused(which, plan, draft, member, sign_in_as,
                                                       key_aim_factory):
    if which == "another_plan":
        value = str(key_aim_factory().id)
    elif which == "retired":
        retired = key_aim_factory(priority=plan.p1, number=9, text="Retired aim",
                                  retired_at=NOW)
        draft.round.key_aims.append(retired)
        value = str(retired.id)
    else:
        value = "P1.1"
    client = sign_in_as(member)
    assert "Retired aim" not in open_section(client, draft, "priorities")

    response = save_section(client, draft, "priorities", {
        "primary_priority": str(plan.p1.id), "key_aims": [str(plan.p1_1.id), value]})

    assert response.status_code == 200
    assert error_for(response.get_data(as_text=True), "key_aims") == (
        "Select key aims from this round's list")
    assert draft.key_aims == []


def test_at_least_one_key_aim_is_required(plan, draft, member, sign_in_as):
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {"primary_priority": str(plan.p2.id)})

    assert error_for(response.get_data(as_text=True), "key_aims") == (
        "Select at least one key aim your project supports")
    assert draft.primary_priority is None


def test_a_priority_without_key_aims_needs_none(plan, draft, member, sign_in_as,
                                                priority_factory):
    bare = priority_factory(plan=plan.p1.plan, number=5, code="P5", title="No aims yet")
    draft.round.priorities.append(bare)
    client = sign_in_as(member)

    response = save_section(client, draft, "priorities", {"primary_priority": str(bare.id)})

    assert response.status_code == 302
    assert draft.primary_priority is bare and draft.key_aims == []


def test_a_first_visit_shows_the_priorities_already_on_the_application(plan, draft, member,
                                                                       sign_in_as):
    draft.primary_priority = plan.p2
    draft.further_priorities = [plan.p3]
    draft.key_aims = [plan.p3_1]
    client = sign_in_as(member)

    page = open_section(client, draft, "priorities")

    assert checked(page, "primary_priority") == {str(plan.p2.id)}
    assert checked(page, "further_priorities") == {str(plan.p3.id)}
    assert checked(page, "key_aims") == {str(plan.p3_1.id)}


def _offered(page: str, name: str) -> set[str]:
    return set(re.findall(rf'<input [^>]*name="{name}" type="checkbox" value="([^"]*)"', page))


def test_the_other_priorities_leave_out_the_primary_one_chosen(plan, draft, member,
                                                               sign_in_as):
    client = sign_in_as(member)
    assert _offered(open_section(client, draft, "priorities"), "further_priorities") == set(
        ids(plan.p1, plan.p2, plan.p3))

    save_section(client, draft, "priorities", {"primary_priority": str(plan.p2.id)},
                 action="later")

    assert _offered(open_section(client, draft, "priorities"), "further_priorities") == set(
        ids(plan.p1, plan.p3))
