"""The staff pages for plans, priorities and key aims, through HTTP with CSRF on."""

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.models import AuditEvent
from tests.core.html import page_title
from tests.fixtures.auth import post_form


def plan_form(**overrides):
    data = {
        "title": "Police and Crime Plan 2024 to 2029",
        "code": "TVPCC-PCP-2024-29",
        "valid_from": ["1", "4", "2024"],
        "valid_to": ["31", "3", "2029"],
    }
    return {**data, **overrides}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def error_summary(html: str) -> list[str]:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", match.group(0), re.S)]


def audit_actions(db_session, entity_type):
    return list(db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == entity_type)
        .order_by(AuditEvent.id)
    ))


@pytest.fixture
def paths(plan):
    p1 = plan.priorities[0]
    aim = p1.key_aims[0]
    base = f"/staff/plans/{plan.id}"
    priority = f"{base}/priorities/{p1.id}"
    key_aim = f"{priority}/key-aims/{aim.id}"
    return {
        "list": "/staff/plans",
        "new": "/staff/plans/new",
        "plan": base,
        "edit": f"{base}/edit",
        "new_priority": f"{base}/priorities/new",
        "edit_priority": f"{priority}/edit",
        "delete_priority": f"{priority}/delete",
        "new_key_aim": f"{priority}/key-aims/new",
        "edit_key_aim": f"{key_aim}/edit",
        "delete_key_aim": f"{key_aim}/delete",
        # POST only
        "make_current": f"{base}/make-current",
        "retire_priority": f"{priority}/retire",
        "reinstate_priority": f"{priority}/reinstate",
        "retire_key_aim": f"{key_aim}/retire",
        "reinstate_key_aim": f"{key_aim}/reinstate",
    }


PAGES = ["list", "new", "plan", "edit", "new_priority", "edit_priority", "delete_priority",
         "new_key_aim", "edit_key_aim", "delete_key_aim"]
ACTIONS = ["make_current", "retire_priority", "reinstate_priority", "retire_key_aim",
           "reinstate_key_aim", "delete_priority", "delete_key_aim"]


# Who may see them --------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_can_open_every_plan_page(paths, user_factory, sign_in_as, role):
    client = sign_in_as(user_factory(roles=[role]))

    for name in PAGES:
        assert client.get(paths[name]).status_code == 200, name


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER])
def test_people_who_are_not_staff_are_refused_every_plan_page(paths, user_factory,
                                                              sign_in_as, role):
    client = sign_in_as(user_factory(roles=[role]))

    for name in PAGES:
        assert client.get(paths[name]).status_code == 403, name


def test_people_who_are_not_staff_cannot_change_a_plan(db_session, paths, plan, user_factory,
                                                       sign_in_as):
    client = sign_in_as(user_factory(roles=[Role.APPLICANT]))

    for name in ACTIONS:
        response = post_form(client, paths[name], form_page="/account/password")
        assert response.status_code == 403, name

    db_session.refresh(plan)
    assert not plan.is_current
    assert plan.priorities[0].retired_at is None


def test_anonymous_people_are_sent_to_sign_in(paths, client):
    for name in PAGES:
        response = client.get(paths[name])
        assert response.status_code == 302, name
        assert response.headers["Location"].startswith("/sign-in"), name


def test_staff_navigation_links_to_plans(staff_client):
    html = staff_client.get("/staff/plans").text

    assert 'href="/staff/plans"' in html
    assert 'aria-current="page"' in html


# Seeing plans ------------------------------------------------------------------------------

def test_the_list_marks_the_current_plan_and_shows_dates(db_session, staff_client, plan,
                                                         plan_factory):
    plan_factory(code="TVPCC-PCP-2017-21", title="Police and Crime Plan 2017 to 2021",
                 valid_from=date(2017, 4, 1), valid_to=date(2021, 3, 31), is_current=True)

    html = staff_client.get("/staff/plans").text

    rows = [text_of(row) for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>",
                                               html, re.S)][1:]
    assert rows == [
        "Police and Crime Plan 2017 to 2021 TVPCC-PCP-2017-21 1 April 2017 31 March 2021 "
        "Current",
        "Police and Crime Plan 2021 to 2024 TVPCC-PCP-2021-24 1 April 2021 No end date",
    ]


def test_the_plan_page_shows_priorities_and_numbered_key_aims(db_session, staff_client, plan):
    p2 = plan.priorities[1]
    p2.retired_at = datetime(2026, 1, 1, tzinfo=UTC)
    db_session.flush()

    text = text_of(staff_client.get(f"/staff/plans/{plan.id}").text)

    assert "P1 Strong local policing" in text
    assert "Keep communities safe" in text
    assert "P1.1 More visible neighbourhood policing" in text
    assert "P1.2 Better response to rural crime" in text
    assert "P2 Fighting serious organised crime Retired" in text
    assert "Reinstate P2" in text and "Retire P1" in text
    assert "Make this the current plan" in text


def test_the_current_plan_page_offers_no_make_current_button(db_session, staff_client, plan):
    plan.is_current = True
    db_session.flush()

    html = staff_client.get(f"/staff/plans/{plan.id}").text

    assert "Make this the current plan" not in html
    assert "Current" in text_of(html)


def test_the_plan_page_runs_the_same_queries_however_many_priorities(
    db_session, staff_client, plan, priority_factory, key_aim_factory, count_queries
):
    path = f"/staff/plans/{plan.id}"
    staff_client.get(path)
    with count_queries() as before:
        staff_client.get(path)
    for number in range(3, 8):
        priority = priority_factory(plan=plan, number=number, code=f"P{number}")
        key_aim_factory(priority=priority, number=1)
    db_session.flush()

    with count_queries() as after:
        staff_client.get(path)

    assert after.count == before.count, str(after)


@pytest.mark.parametrize("path", [
    "/staff/plans/999999",
    "/staff/plans/999999/edit",
    "/staff/plans/999999/priorities/new",
])
def test_a_missing_plan_is_not_found(staff_client, path):
    assert staff_client.get(path).status_code == 404


def test_a_priority_or_key_aim_reached_through_another_plan_is_not_found(
    staff_client, plan, plan_factory, priority_factory
):
    other = plan_factory()
    other_priority = priority_factory(plan=other, number=1, code="P1")
    p1 = plan.priorities[0]
    aim = p1.key_aims[0]
    # A request answered with an error rolls back what the test added since the last
    # successful one: make one first so the rows outlive the refusals below.
    assert staff_client.get("/staff/plans").status_code == 200

    assert staff_client.get(
        f"/staff/plans/{plan.id}/priorities/{other_priority.id}/edit").status_code == 404
    assert staff_client.get(
        f"/staff/plans/{other.id}/priorities/{p1.id}/delete").status_code == 404
    assert staff_client.get(
        f"/staff/plans/{other.id}/priorities/{other_priority.id}/key-aims/{aim.id}/edit"
    ).status_code == 404
    assert staff_client.get(
        f"/staff/plans/{plan.id}/priorities/{p1.id}/key-aims/999999/delete").status_code == 404


# Adding and editing a plan -----------------------------------------------------------------

def test_staff_add_a_plan_and_land_on_its_page(db_session, staff_client, staff, office_factory):
    office = office_factory()
    response = post_form(staff_client, "/staff/plans/new", plan_form())

    plan = db_session.scalars(select(Plan).where(Plan.code == "TVPCC-PCP-2024-29")).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/plans/{plan.id}"
    assert (plan.title, plan.valid_from, plan.valid_to, plan.is_current) == (
        "Police and Crime Plan 2024 to 2029", date(2024, 4, 1), date(2029, 3, 31), False)
    assert plan.office_id == office.id
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "plan")).one()
    assert (event.action, event.actor_id, event.entity_id) == ("plan.created", staff.id, plan.id)
    page = staff_client.get(response.headers["Location"]).text
    assert "Plan TVPCC-PCP-2024-29 added" in page


def test_a_plan_added_as_current_replaces_the_current_plan(db_session, staff_client,
                                                           plan_factory):
    old = plan_factory(is_current=True)

    post_form(staff_client, "/staff/plans/new", plan_form(make_current="y"))

    assert db_session.scalars(select(Plan.code).where(Plan.is_current)).all() == [
        "TVPCC-PCP-2024-29"]
    db_session.refresh(old)
    assert not old.is_current


def test_an_empty_plan_form_shows_each_error_in_the_summary_and_on_its_field(staff_client):
    response = post_form(staff_client, "/staff/plans/new",
                         plan_form(title="", code="", valid_from=["", "", ""],
                                   valid_to=["", "", ""]))

    html = response.text
    assert response.status_code == 200
    assert page_title(html).startswith("Error: Add a plan")
    assert error_summary(html) == [
        "Enter the plan's title",
        "Enter a code for the plan",
        "Enter the date the plan is valid from",
    ]
    assert 'href="#valid_from"' in html
    assert '<input class="govuk-input govuk-date-input__input govuk-input--width-2 ' \
           'govuk-input--error" id="valid_from"' in html
    assert html.count('class="govuk-error-message"') == 3


@pytest.mark.parametrize("overrides,field,message", [
    ({"code": "TVPCC PCP 2024"}, "code",
     "Code must use only letters, numbers and hyphens, like TVPCC-PCP-2021-24"),
    ({"code": "TVPCC-PCP-2021-24"}, "code",
     "A plan with the code TVPCC-PCP-2021-24 already exists"),
    ({"valid_to": ["31", "3", "2024"]}, "valid_to",
     "Valid to must be the same as or after valid from"),
    ({"valid_from": ["1", "", ""]}, "valid_from", "Valid from must include a month and year"),
    ({"valid_from": ["31", "2", "2024"]}, "valid_from", "Valid from must be a real date"),
    ({"valid_from": ["1", "April", "2024"]}, "valid_from", "Valid from must be a real date"),
    ({"valid_from": ["1", "4", "24"]}, "valid_from", "Valid from must be a real date"),
    ({"valid_to": ["", "3", "2029"]}, "valid_to", "Valid to must include a day"),
    ({"title": "x" * 201}, "title", "Title must be 200 characters or fewer"),
])
def test_a_wrong_answer_is_shown_on_its_field(db_session, staff_client, plan, overrides,
                                              field, message):
    response = post_form(staff_client, "/staff/plans/new", plan_form(**overrides))

    assert response.status_code == 200
    assert error_summary(response.text) == [message]
    assert f'href="#{field}"' in response.text
    assert db_session.scalars(select(Plan.code)).all() == ["TVPCC-PCP-2021-24"]


def test_a_wrong_answer_keeps_what_was_typed(staff_client, plan):
    html = post_form(staff_client, "/staff/plans/new",
                     plan_form(valid_from=["31", "2", "2024"])).text

    assert 'value="Police and Crime Plan 2024 to 2029"' in html
    assert 'value="TVPCC-PCP-2024-29"' in html
    assert re.search(r'id="valid_from"[^>]*value="31"', html)
    assert re.search(r'id="valid_to-year"[^>]*value="2029"', html)


@pytest.mark.parametrize("valid_from", [["1"], [], ["1\x00", "4", "2024"], ["9" * 400, "4", "2024"],
                                        ["1", "4", "99999"], ["-1", "4", "2024"]])
def test_a_malformed_date_is_refused_without_failing(staff_client, valid_from):
    response = post_form(staff_client, "/staff/plans/new", plan_form(valid_from=valid_from))

    assert response.status_code == 200
    assert len(error_summary(response.text)) == 1


def test_nul_characters_in_text_are_dropped_rather_than_failing(db_session, staff_client,
                                                                plan):
    p1 = plan.priorities[0]

    response = post_form(staff_client, f"/staff/plans/{plan.id}/priorities/{p1.id}/edit",
                         {"title": "Local\x00 policing", "objective": "\x00"})

    assert response.status_code == 302
    db_session.refresh(p1)
    assert (p1.title, p1.objective) == ("Local policing", "")


def test_the_edit_page_shows_the_saved_dates_as_typed(db_session, staff_client, plan):
    html = staff_client.get(f"/staff/plans/{plan.id}/edit").text

    assert re.search(r'id="valid_from"[^>]*value="1"', html)
    assert re.search(r'id="valid_from-month"[^>]*value="4"', html)
    assert re.search(r'id="valid_from-year"[^>]*value="2021"', html)


def test_staff_change_a_plans_title_and_dates_but_not_its_code(db_session, staff_client, plan):
    response = post_form(staff_client, f"/staff/plans/{plan.id}/edit",
                         {"title": "Police and Crime Plan 2021 to 2025",
                          "code": "SOMETHING-ELSE",
                          "valid_from": ["1", "4", "2021"], "valid_to": ["31", "3", "2025"]})

    assert response.status_code == 302
    db_session.refresh(plan)
    assert (plan.title, plan.valid_to, plan.code) == (
        "Police and Crime Plan 2021 to 2025", date(2025, 3, 31), "TVPCC-PCP-2021-24")
    assert audit_actions(db_session, "plan") == ["plan.updated"]


def test_editing_a_plan_with_dates_out_of_order_shows_the_error(db_session, staff_client,
                                                                plan):
    response = post_form(staff_client, f"/staff/plans/{plan.id}/edit",
                         {"title": plan.title, "valid_from": ["1", "4", "2021"],
                          "valid_to": ["1", "4", "2020"]})

    assert response.status_code == 200
    assert error_summary(response.text) == ["Valid to must be the same as or after valid from"]
    db_session.refresh(plan)
    assert plan.valid_to is None


@pytest.mark.parametrize("page,sent,errors", [
    ("edit", {}, ["Enter the plan's title", "Enter the date the plan is valid from"]),
    ("edit_priority", {"objective": "Changed"}, ["Enter the priority's title"]),
    ("edit_key_aim", {}, ["Enter the key aim"]),
])
def test_an_edit_post_that_leaves_out_a_required_answer_is_refused_not_saved_as_before(
    db_session, staff_client, paths, plan, page, sent, errors
):
    # WTForms keeps the record's value for a field a post leaves out: the edit forms must read
    # a post alone, or this would be saved.
    before = [(row.title, row.valid_from) for row in db_session.scalars(select(Plan))] + [
        (row.title, row.objective) for row in db_session.scalars(select(Priority))] + [
        row.text for row in db_session.scalars(select(KeyAim))]

    response = post_form(staff_client, paths[page], sent)

    assert response.status_code == 200
    assert error_summary(response.text) == errors
    db_session.expire_all()
    assert [(row.title, row.valid_from) for row in db_session.scalars(select(Plan))] + [
        (row.title, row.objective) for row in db_session.scalars(select(Priority))] + [
        row.text for row in db_session.scalars(select(KeyAim))] == before


def test_make_current_moves_the_current_plan(db_session, staff_client, plan, plan_factory):
    old = plan_factory(is_current=True)

    response = post_form(staff_client, f"/staff/plans/{plan.id}/make-current",
                         form_page=f"/staff/plans/{plan.id}")

    assert response.status_code == 302
    assert db_session.scalars(select(Plan.id).where(Plan.is_current)).all() == [plan.id]
    db_session.refresh(old)
    assert not old.is_current
    assert audit_actions(db_session, "plan") == ["plan.no_longer_current", "plan.made_current"]


def test_make_current_needs_a_post(staff_client, plan):
    assert staff_client.get(f"/staff/plans/{plan.id}/make-current").status_code == 405


# Priorities and key aims -------------------------------------------------------------------

def test_staff_add_a_priority_which_takes_the_next_number(db_session, staff_client, plan):
    path = f"/staff/plans/{plan.id}/priorities/new"
    assert "It will be P3." in staff_client.get(path).text

    response = post_form(staff_client, path,
                         {"title": "Reducing re-offending", "objective": "Fewer victims"})

    assert response.status_code == 302
    added = db_session.scalars(select(Priority).where(Priority.code == "P3")).one()
    assert (added.plan_id, added.number, added.title, added.objective) == (
        plan.id, 3, "Reducing re-offending", "Fewer victims")
    assert audit_actions(db_session, "priority") == ["priority.created"]


def test_a_priority_without_a_title_shows_the_error(db_session, staff_client, plan):
    response = post_form(staff_client, f"/staff/plans/{plan.id}/priorities/new",
                         {"title": "  ", "objective": "Something"})

    assert response.status_code == 200
    assert error_summary(response.text) == ["Enter the priority's title"]
    assert "Something" in response.text
    assert db_session.scalars(select(Priority.code).where(Priority.plan_id == plan.id)).all() \
        == ["P1", "P2"]


def test_staff_change_a_priority(db_session, staff_client, plan):
    p2 = plan.priorities[1]

    post_form(staff_client, f"/staff/plans/{plan.id}/priorities/{p2.id}/edit",
              {"title": "Serious and organised crime", "objective": "Disrupt gangs"})

    db_session.refresh(p2)
    assert (p2.code, p2.title, p2.objective) == (
        "P2", "Serious and organised crime", "Disrupt gangs")
    assert audit_actions(db_session, "priority") == ["priority.updated"]


def test_staff_add_a_key_aim_which_takes_the_next_number(db_session, staff_client, plan):
    p1 = plan.priorities[0]
    path = f"/staff/plans/{plan.id}/priorities/{p1.id}/key-aims/new"
    assert "It will be P1.3." in staff_client.get(path).text

    response = post_form(staff_client, path, {"text": "Tackle rural crime"})

    assert response.status_code == 302
    db_session.refresh(p1)
    assert [(aim.code, aim.text) for aim in p1.key_aims][-1] == ("P1.3", "Tackle rural crime")
    assert audit_actions(db_session, "key_aim") == ["key_aim.created"]
    assert "P1.3 Tackle rural crime" in text_of(staff_client.get(f"/staff/plans/{plan.id}").text)


def test_an_empty_key_aim_shows_the_error(staff_client, plan):
    p1 = plan.priorities[0]

    response = post_form(staff_client,
                         f"/staff/plans/{plan.id}/priorities/{p1.id}/key-aims/new",
                         {"text": ""})

    assert response.status_code == 200
    assert error_summary(response.text) == ["Enter the key aim"]


def test_a_key_aim_over_the_limit_shows_the_limit_with_a_thousands_comma(staff_client, plan):
    p1 = plan.priorities[0]

    response = post_form(staff_client,
                         f"/staff/plans/{plan.id}/priorities/{p1.id}/key-aims/new",
                         {"text": "x" * 5001})

    assert response.status_code == 200
    assert error_summary(response.text) == ["Key aim must be 5,000 characters or fewer"]


def test_staff_change_a_key_aim(db_session, staff_client, plan):
    p1 = plan.priorities[0]
    aim = p1.key_aims[1]

    post_form(staff_client,
              f"/staff/plans/{plan.id}/priorities/{p1.id}/key-aims/{aim.id}/edit",
              {"text": "Tackle rural and wildlife crime"})

    db_session.refresh(aim)
    assert (aim.code, aim.text) == ("P1.2", "Tackle rural and wildlife crime")
    assert audit_actions(db_session, "key_aim") == ["key_aim.updated"]


def test_staff_retire_and_reinstate_a_priority_and_a_key_aim(db_session, staff_client, plan,
                                                             paths):
    plan_page = paths["plan"]
    for name in ["retire_priority", "retire_key_aim"]:
        assert post_form(staff_client, paths[name], form_page=plan_page).status_code == 302
    p1 = plan.priorities[0]
    db_session.refresh(p1)
    db_session.refresh(p1.key_aims[0])
    assert p1.retired_at is not None and p1.key_aims[0].retired_at is not None
    text = text_of(staff_client.get(plan_page).text)
    assert "P1 Strong local policing Retired" in text
    assert "Reinstate P1.1" in text

    for name in ["reinstate_priority", "reinstate_key_aim"]:
        assert post_form(staff_client, paths[name], form_page=plan_page).status_code == 302

    db_session.refresh(p1)
    db_session.refresh(p1.key_aims[0])
    assert p1.retired_at is None and p1.key_aims[0].retired_at is None
    assert audit_actions(db_session, "priority") == ["priority.retired", "priority.reinstated"]
    assert audit_actions(db_session, "key_aim") == ["key_aim.retired", "key_aim.reinstated"]


# Deleting ----------------------------------------------------------------------------------

def test_deleting_an_unused_priority_asks_first_then_deletes_it(db_session, staff_client,
                                                                plan, paths):
    p1_id = plan.priorities[0].id
    confirm = staff_client.get(paths["delete_priority"])
    assert "Are you sure you want to delete priority P1?" in confirm.text
    assert "Its key aims (P1.1, P1.2) will be deleted too." in confirm.text

    response = post_form(staff_client, paths["delete_priority"])

    assert response.status_code == 302
    assert response.headers["Location"] == paths["plan"]
    db_session.expire_all()
    assert db_session.get(Priority, p1_id) is None
    assert db_session.scalars(select(Priority.code).where(Priority.plan_id == plan.id)).all() \
        == ["P2"]
    assert audit_actions(db_session, "priority") == ["priority.deleted"]


def test_a_priority_used_by_a_round_cannot_be_deleted_only_retired(db_session, staff_client,
                                                                   plan, paths,
                                                                   round_factory):
    p1 = plan.priorities[0]
    round_ = round_factory(code="PPAF-2019-1")
    round_.priorities.append(p1)
    db_session.flush()
    reason = ("This priority is used by round PPAF-2019-1, so it cannot be deleted. "
              "You can retire it instead.")

    page = staff_client.get(paths["delete_priority"])
    assert page.status_code == 200
    assert "You cannot delete priority P1" in page.text
    assert reason in page.text
    assert "Yes, delete" not in page.text
    assert "Retire it instead" in page.text

    refused = post_form(staff_client, paths["delete_priority"], form_page=paths["plan"])
    assert refused.status_code == 409
    assert reason in refused.text
    db_session.expire_all()
    assert db_session.get(Priority, p1.id) is not None
    assert audit_actions(db_session, "priority") == []


def test_deleting_an_unused_key_aim_asks_first_then_deletes_it(db_session, staff_client,
                                                               plan, paths):
    aim_id = plan.priorities[0].key_aims[0].id
    assert "Are you sure you want to delete key aim P1.1?" in staff_client.get(
        paths["delete_key_aim"]).text

    response = post_form(staff_client, paths["delete_key_aim"])

    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(KeyAim, aim_id) is None
    assert "P1.2 Better response to rural crime" in text_of(
        staff_client.get(paths["plan"]).text)
    assert audit_actions(db_session, "key_aim") == ["key_aim.deleted"]


def test_a_key_aim_used_by_an_award_cannot_be_deleted(db_session, staff_client, plan, paths,
                                                      award_factory):
    aim = plan.priorities[0].key_aims[0]
    award = award_factory()
    award.key_aims.append(aim)
    db_session.flush()

    page = staff_client.get(paths["delete_key_aim"])
    assert ("This key aim is used by 1 award, so it cannot be deleted. "
            "You can retire it instead.") in page.text

    assert post_form(staff_client, paths["delete_key_aim"],
                     form_page=paths["plan"]).status_code == 409
    db_session.expire_all()
    assert db_session.get(KeyAim, aim.id) is not None


def test_a_delete_without_a_csrf_token_is_refused(db_session, staff_client, plan, paths):
    priority_id = plan.priorities[0].id
    # A successful request first, so the refusal's rollback keeps the test's rows.
    assert staff_client.get(paths["plan"]).status_code == 200

    response = staff_client.post(paths["delete_priority"])

    assert response.status_code == 400
    db_session.expire_all()
    assert db_session.get(Priority, priority_id) is not None
