"""The Community Foundation allocation pages: staff record an allocation from the fund's direct
awards, and once it is signed off add its onward grants by typing them or by uploading the
foundation's 360Giving file, with problems named by row and the sum guard's figures shown."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from grants.direct_awards.models import DirectAward, DirectAwardKind, OnwardGrant
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.extensions import db
from tests.assessment.screening_data import words
from tests.direct_awards.test_pages import recorded, typed
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27


@pytest.fixture
def client(recorder, sign_in_as):
    return sign_in_as(recorder)


@pytest.fixture
def allocation(signed_off, pay_in, charity):
    pay_in(50_000)
    direct = signed_off(organisation_id=charity.id, amount_pence=10_000_00,
                        kind=DirectAwardKind.DELEGATED, title="Small grants")
    # Inside the test's outer transaction: a refused request rolls back only its own work.
    db.session.commit()
    return direct


def test_staff_record_a_community_foundation_allocation_with_key_aims_of_two_priorities(
        client, ppaf, pay_in, charity, plan):
    pay_in(50_000)
    p1, p2 = plan.priorities
    path = f"/staff/funds/{ppaf.id}/community-foundation-allocations/new"

    response = post_form(client, path, typed(
        charity, plan, title="Small grants",
        key_aims=[str(p2.key_aims[0].id), str(p1.key_aims[0].id)]))

    [direct] = recorded()
    assert response.status_code == 302
    assert response.location.endswith(f"/staff/direct-awards/{direct.award_id}/sign-off")
    assert direct.kind is DirectAwardKind.DELEGATED
    page = words(client.get(response.location).text)
    assert "Sign off a Community Foundation allocation" in page
    listed = words(client.get(f"/staff/funds/{ppaf.id}/direct-awards").text)
    assert "Small grants Community Foundation allocation" in listed


def test_the_onward_grants_page_waits_for_sign_off(client, record, pay_in, charity):
    pay_in(50_000)
    direct = record(organisation_id=charity.id, kind=DirectAwardKind.DELEGATED)

    page = words(client.get(f"/staff/direct-awards/{direct.award_id}/onward-grants").text)
    added = client.get(f"/staff/direct-awards/{direct.award_id}/onward-grants/new")

    assert "The allocation has not been signed off yet" in page
    assert added.status_code == 302


def test_a_direct_award_has_no_onward_grants_page(client, signed_off, pay_in):
    pay_in(50_000)
    direct = signed_off()

    assert client.get(f"/staff/direct-awards/{direct.award_id}/onward-grants").status_code == 404


def test_staff_type_an_onward_grant_and_the_guard_names_the_figures(client, allocation, plan):
    path = f"/staff/direct-awards/{allocation.award_id}/onward-grants/new"
    form = {"recipient_name": "Reading Youth Club", "amount": "6000",
            "awarded_on": ["20", "5", "2026"], "priority": str(plan.priorities[1].id),
            "key_aim": "0"}

    done = post_form(client, path, form)
    refused = post_form(client, path, form)

    assert done.status_code == 302
    assert error_messages(refused.text) == [
        "This grant would take the onward grants of Reading Street Support to £12,000, more "
        "than the £10,000 allocated to it: £6,000 is recorded already, so £4,000 is left"]
    page = words(client.get(f"/staff/direct-awards/{allocation.award_id}/onward-grants").text)
    assert "Left to record £4,000" in page
    assert "P2 Prevention and Early Intervention 1 £6,000" in page


def test_an_uploaded_file_with_problems_names_each_row_and_a_good_one_is_recorded(
        client, allocation):
    path = f"/staff/direct-awards/{allocation.award_id}/onward-grants/upload"
    header = ("Identifier,Title,Amount Awarded,Award Date,Recipient Org:Identifier,"
              "Recipient Org:Name\n")
    bad = header + "360G-X-1,Mentoring,lots,2026-05-02,GB-CHC-1000001,Reading Youth Club\n"
    good = header + "360G-X-1,Mentoring,2500,2026-05-02,GB-CHC-1000001,Reading Youth Club\n"

    refused = post_form(client, path, {"onward_file": (io.BytesIO(bad.encode()), "x.csv")},
                        content_type="multipart/form-data")
    done = post_form(client, path, {"onward_file": (io.BytesIO(good.encode()), "x.csv")},
                     content_type="multipart/form-data")

    assert "Row 1, Amount Awarded:" in words(refused.text)
    assert done.status_code == 302
    db.session.expire_all()
    grant = db.session.scalars(select(OnwardGrant)).one()
    assert (grant.identifier, grant.amount_pence) == ("360G-X-1", 2_500_00)


def test_staff_take_out_an_onward_grant_typed_by_mistake(client, allocation, recorder):
    grant = add_onward_grant(db.session, recorder, allocation.award_id, OnwardGrantEntry(
        recipient_name="Wrong Club", amount_pence=1_000_00, awarded_on=date(2026, 5, 2)))
    page = f"/staff/direct-awards/{allocation.award_id}/onward-grants"

    response = post_form(
        client, f"{page}/{grant.id}/remove", form_page=page)

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(OnwardGrant)).all() == []
    assert db.session.get(DirectAward, allocation.award_id) is not None
