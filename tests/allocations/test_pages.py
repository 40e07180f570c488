"""The allocation pages: staff only, each form saving through its service."""

import io

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.allocations.operations.listing import allocation, recipients_of
from grants.awards.models import Award, AwardSource
from grants.extensions import db
from tests.allocations.conftest import SHARES_REASON
from tests.fixtures.auth import post_form


def base(round_):
    return f"/staff/rounds/{round_.id}/allocation"


@pytest.fixture
def staff_client(sign_in_as, staff):
    return sign_in_as(staff)


def test_staff_see_the_allocation_with_its_money_and_recipients(staff_client, ready_round):
    page = staff_client.get(base(ready_round)).get_data(as_text=True)

    assert "<h1 class=\"govuk-heading-xl\">Allocation</h1>" in page
    assert "£100,000 (10 % of the budget)" in page and "£900,000" in page
    assert "Reading Council" in page and "200,000" in page
    assert "Propose shares by formula" in page


def test_the_round_page_links_to_the_allocation(staff_client, ready_round):
    page = staff_client.get(f"/staff/rounds/{ready_round.id}").get_data(as_text=True)

    assert f'href="{base(ready_round)}"' in page


@pytest.mark.parametrize("path", ["", "/top-slice", "/recipients", "/factors", "/inputs",
                                  "/top-slice-awards/new"])
def test_people_other_than_staff_are_refused_every_allocation_page(
    client, sign_in_as, user_factory, ready_round, path,
):
    assert client.get(base(ready_round) + path).status_code == 302  # to sign in
    sign_in_as(user_factory(roles=[Role.APPLICANT]))
    assert client.get(base(ready_round) + path).status_code == 403


def test_a_non_staff_post_is_refused(client, sign_in_as, user_factory, ready_round):
    sign_in_as(user_factory(roles=[Role.REVIEWER]))

    assert client.post(base(ready_round) + "/propose").status_code in (400, 403)
    assert recipients_of(db.session, ready_round.id)[0].share_pence is None


def test_an_open_round_has_no_allocation_page(staff_client, round_factory):
    assert staff_client.get(f"/staff/rounds/{round_factory().id}/allocation").status_code == 404


def test_staff_set_the_top_slice_as_a_percentage(staff_client, csf_round):
    response = post_form(staff_client, base(csf_round) + "/top-slice",
                         {"how": "percentage", "percentage": "12.5"})

    assert response.status_code == 302
    db.session.refresh(csf_round)
    assert (csf_round.top_slice_pence, csf_round.top_slice_basis_points) == (12_500_000, 1250)


def test_weights_that_do_not_add_up_are_shown_as_an_error(staff_client, csf_round):
    response = post_form(staff_client, base(csf_round) + "/factors",
                         {"name_0": "Population", "weight_0": "50", "name_1": "Crime",
                          "weight_1": "25"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Factors and weights" in page
    assert "The weights add up to 75 %. They must add up to 100 %" in page


def test_staff_choose_recipients_and_factors_and_type_inputs(staff_client, csf_round, councils):
    path = base(csf_round)
    assert post_form(staff_client, path + "/recipients",
                     {"organisations": [str(c.id) for c in councils[:2]]}).status_code == 302
    assert post_form(staff_client, path + "/factors",
                     {"name_0": "Population", "weight_0": "100"}).status_code == 302
    view = allocation(db.session, csf_round.id)
    fields = {f"input_{row.recipient.id}_{view.factors[0].id}": value
              for row, value in zip(view.rows, ["125,000", "80000"], strict=True)}

    assert post_form(staff_client, path + "/inputs", fields).status_code == 302

    db.session.expire_all()
    view = allocation(db.session, csf_round.id)
    assert [list(r.values.values()) for r in view.rows] == [[125_000], [80_000]]


def test_an_input_that_is_not_a_number_is_shown_on_its_box(staff_client, ready_round):
    view = allocation(db.session, ready_round.id)
    name = f"input_{view.rows[0].recipient.id}_{view.factors[0].id}"

    page = post_form(staff_client, base(ready_round) + "/inputs",
                     {name: "lots"}).get_data(as_text=True)

    assert f'<p id="{name}-error" class="govuk-error-message">' in page
    assert f'href="#{name}"' in page


def test_a_csv_file_with_problems_lists_each_with_its_row_and_column(staff_client, ready_round):
    text = "Recipient,Population,Recorded crime,Non-crime demand\nReading Council,x,1,1\n"

    response = post_form(staff_client, base(ready_round) + "/inputs/upload",
                         {"inputs_file": (io.BytesIO(text.encode()), "inputs.csv")},
                         form_page=base(ready_round) + "/inputs",
                         content_type="multipart/form-data")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Row 2, column B (Population): Enter a number of 0 or more" in page


def test_a_csv_file_sets_the_inputs(staff_client, ready_round):
    text = ("Recipient,Population,Recorded crime,Non-crime demand\n"
            "Reading Council,1,1,1\nSlough Council,1,1,1\nWokingham Council,2,2,2\n")

    response = post_form(staff_client, base(ready_round) + "/inputs/upload",
                         {"inputs_file": (io.BytesIO(text.encode()), "inputs.csv")},
                         form_page=base(ready_round) + "/inputs",
                         content_type="multipart/form-data")

    assert response.status_code == 302
    db.session.expire_all()
    assert [list(r.values.values())[0] for r in
            allocation(db.session, ready_round.id).rows] == [1, 1, 2]


def test_staff_propose_override_with_a_reason_and_confirm(staff_client, ready_round):
    path = base(ready_round)
    assert post_form(staff_client, path + "/propose", form_page=path).status_code == 302
    reading = recipients_of(db.session, ready_round.id)[0]
    share = f"{path}/recipients/{reading.id}/share"

    missing = post_form(staff_client, share, {"amount": "370000", "reason": ""})
    assert "Enter why this share differs" in missing.get_data(as_text=True)
    over = post_form(staff_client, share, {"amount": "390000", "reason": "More demand"})
    assert "£7,500 over the £900,000" in over.get_data(as_text=True)
    assert post_form(staff_client, share, {"amount": "370000",
                                           "reason": "Carried forward"}).status_code == 302
    page = staff_client.get(path).get_data(as_text=True)
    assert "Carried forward" in page and "£12,500 under the £900,000" in page

    unreasoned = post_form(staff_client, path + "/confirm", form_page=path)
    assert unreasoned.status_code == 200
    assert "Enter the reason for the award, as it will be published" in unreasoned.get_data(
        as_text=True)
    assert db.session.scalars(select(Award).where(Award.round_id == ready_round.id)).all() == []
    assert post_form(staff_client, path + "/confirm", {"public_reason": SHARES_REASON},
                     form_page=path).status_code == 302

    awards = db.session.scalars(select(Award).where(Award.round_id == ready_round.id)).all()
    assert sum(a.amount_pence for a in awards) == 88_750_000
    assert {a.source for a in awards} == {AwardSource.ALLOCATION}
    assert {a.public_reason for a in awards} == {SHARES_REASON}


def test_a_refused_confirmation_says_why_on_the_allocation_page(staff_client, ready_round):
    response = post_form(staff_client, base(ready_round) + "/confirm",
                         {"public_reason": SHARES_REASON}, form_page=base(ready_round),
                         follow_redirects=True)

    assert "Propose the shares by formula before confirming them" in response.get_data(
        as_text=True)


def test_staff_record_an_award_from_the_top_slice(staff_client, ready_round, key_aim_factory,
                                                 organisation_factory):
    aim = key_aim_factory(text="Tackle cybercrime")
    aim.priority.plan.is_current = True
    db.session.commit()
    charity = organisation_factory(name="Cyber Safe")
    path = base(ready_round) + "/top-slice-awards/new"
    data = {"organisation": str(charity.id), "title": "Cybercrime initiatives",
            "amount": "100001", "priority": str(aim.priority_id), "key_aims": [str(aim.id)],
            "whole_thames_valley": "yes", "public_reason": "Fraud against older people is rising"}

    over = post_form(staff_client, path, data).get_data(as_text=True)
    assert "Only £100,000 of the top-slice of £100,000 is left" in over
    assert post_form(staff_client, path, {**data, "amount": "100000"}).status_code == 302

    page = staff_client.get(base(ready_round)).get_data(as_text=True)
    assert "Cybercrime initiatives" in page and "£0 left" in page


def test_staff_enter_the_date_the_allocation_was_decided_and_it_is_audited(staff_client,
                                                                           csf_round):
    from datetime import date

    from grants.records.models import AuditEvent

    path = base(csf_round) + "/decision-date"
    assert "Not entered" in staff_client.get(base(csf_round)).get_data(as_text=True)

    future = post_form(staff_client, path, {"decided_on": ["15", "5", "2019"]})
    assert future.status_code == 200
    assert "must be today or in the past" in future.get_data(as_text=True)
    half = post_form(staff_client, path, {"decided_on": ["31", "2", "2019"]})
    assert "The date the allocation was decided must be a real date" in half.get_data(
        as_text=True)
    db.session.refresh(csf_round)
    assert csf_round.allocation_decided_on is None

    assert post_form(staff_client, path,
                     {"decided_on": ["17", "4", "2019"]}).status_code == 302
    db.session.refresh(csf_round)
    assert csf_round.allocation_decided_on == date(2019, 4, 17)
    assert "17 April 2019" in staff_client.get(base(csf_round)).get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "allocation.decision_date_set")).one()
    assert event.after == {"allocation_decided_on": "2019-04-17"}
