"""Staff list, add and change funds."""

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.funds.models import Fund
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

NEW_FUND = {
    "code": "vrf",
    "name": "Violence Reduction Fund",
    "description": "Grants for violence reduction work",
    "eligible_recipients": "Charities and community groups",
    "legal_basis": "Section 9",
    "limited_by_money": "no",
}


def test_staff_see_every_fund_with_its_rounds(staff_client, ppaf, fund_factory, round_factory):
    fund_factory(code="CSF", name="Community Safety Fund")
    round_factory(fund=ppaf)

    html = staff_client.get("/staff/funds").text

    assert "Police Property Act Fund" in html and "Community Safety Fund" in html
    assert "/staff/rounds/new?fund=PPAF" in html


def test_staff_add_a_fund_with_its_code_in_capitals(staff_client, db_session, audit_actions,
                                                    office_factory):
    office = office_factory()
    response = post_form(staff_client, "/staff/funds/new", NEW_FUND)

    assert response.status_code == 302
    fund = db_session.scalars(select(Fund).where(Fund.code == "VRF")).one()
    assert (fund.name, fund.eligible_recipients, fund.legal_basis) == (
        "Violence Reduction Fund", "Charities and community groups", "Section 9")
    assert fund.office_id == office.id
    assert audit_actions("fund", fund.id) == ["fund.created"]


def test_fund_codes_are_unique(staff_client, ppaf):
    response = post_form(staff_client, "/staff/funds/new", {**NEW_FUND, "code": "ppaf"})

    assert error_messages(response.text) == ["There is already a fund with the code PPAF"]


@pytest.mark.parametrize("code,message", [
    ("", "Enter a fund code, like PPAF"),
    ("PP AF", "Fund code must start with a capital letter and use only capital letters, "
              "digits and hyphens, like PPAF"),
    ("1PPAF", "Fund code must start with a capital letter and use only capital letters, "
              "digits and hyphens, like PPAF"),
    ("A" * 21, "Fund code must be 20 characters or fewer"),
])
def test_a_fund_code_must_be_a_short_code(staff_client, code, message):
    response = post_form(staff_client, "/staff/funds/new", {**NEW_FUND, "code": code})

    assert error_messages(response.text) == [message]


def test_staff_change_a_fund(staff_client, ppaf, db_session, audit_actions):
    response = post_form(staff_client, f"/staff/funds/{ppaf.id}/edit",
                         {**NEW_FUND, "code": "PPAF", "name": "Police Property Fund"})

    assert response.status_code == 302
    db_session.refresh(ppaf)
    assert ppaf.name == "Police Property Fund"
    assert audit_actions("fund", ppaf.id) == ["fund.updated"]


def test_a_fund_edit_post_that_leaves_out_the_code_and_name_is_refused_not_saved_as_before(
    staff_client, ppaf, db_session, audit_actions
):
    # WTForms keeps the fund's value for a field a post leaves out: the edit form must read a
    # post alone, or this would be saved with the old code and name.
    before = (ppaf.code, ppaf.name, ppaf.description)

    response = post_form(staff_client, f"/staff/funds/{ppaf.id}/edit",
                         {"description": "Changed"})

    assert response.status_code == 200
    assert error_messages(response.text) == [
        "Enter a fund code, like PPAF", "Enter the fund's name",
        "Choose whether rounds' budgets are limited by the money paid in"]
    db_session.refresh(ppaf)
    assert (ppaf.code, ppaf.name, ppaf.description) == before
    assert audit_actions("fund", ppaf.id) == []


def test_staff_limit_a_funds_budgets_to_the_money_paid_in_and_see_it_when_they_change_it(
    staff_client, ppaf, db_session, audit_actions
):
    assert 'value="no" checked' in staff_client.get(f"/staff/funds/{ppaf.id}/edit").text

    response = post_form(staff_client, f"/staff/funds/{ppaf.id}/edit",
                         {**NEW_FUND, "code": "PPAF", "limited_by_money": "yes"})

    assert response.status_code == 302
    db_session.refresh(ppaf)
    assert ppaf.budgets_limited_by_money_paid_in is True
    assert audit_actions("fund", ppaf.id) == ["fund.updated"]
    assert 'value="yes" checked' in staff_client.get(f"/staff/funds/{ppaf.id}/edit").text


def test_a_fund_cannot_take_another_funds_code(staff_client, ppaf, fund_factory):
    csf = fund_factory(code="CSF", name="Community Safety Fund")

    response = post_form(staff_client, f"/staff/funds/{csf.id}/edit",
                         {**NEW_FUND, "code": "PPAF"})

    assert error_messages(response.text) == ["There is already a fund with the code PPAF"]


@pytest.mark.parametrize("path", ["/staff/funds", "/staff/funds/new", "/staff/rounds/new"])
def test_anonymous_people_are_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER])
def test_other_roles_are_refused(role, user_factory, sign_in_as, round_factory):
    client = sign_in_as(user_factory(roles=[role]))
    round_ = round_factory()

    for path in ("/staff/funds", "/staff/rounds/new", f"/staff/rounds/{round_.id}",
                 f"/staff/rounds/{round_.id}/edit"):
        assert client.get(path).status_code == 403
    launch = post_form(client, f"/staff/rounds/{round_.id}/launch", form_page="/accessibility")
    assert launch.status_code == 403
    assert round_.launched_at is None


def test_admins_may_set_up_funds(user_factory, sign_in_as):
    client = sign_in_as(user_factory(roles=[Role.ADMIN]))

    assert client.get("/staff/funds").status_code == 200
