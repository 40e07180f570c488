"""The direct awards pages: staff record one from the fund's pages, a second member of staff
checks and signs it off on its own page, and the fund's direct awards are listed."""

import pytest
from sqlalchemy import select

from grants.awards.models import AwardStatus
from grants.direct_awards.models import DirectAward
from grants.extensions import db
from tests.assessment.screening_data import words
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27


def typed(charity, plan, **changes) -> dict:
    priority = plan.priorities[1]
    form = {"organisation": str(charity.id), "amount": "£2,500",
            "decided_on": ["20", "5", "2026"], "decision_maker": "commissioner",
            "delegate_name": "", "title": "Emergency repairs after a flood",
            "description": "", "public_reason": "The night shelter flooded.",
            "priority": str(priority.id), "key_aims": [str(priority.key_aims[0].id)],
            "whole_thames_valley": "yes", "conditions": "Send photos of the repairs."}
    form.update(changes)
    return form


@pytest.fixture
def recorder_client(recorder, sign_in_as):
    return sign_in_as(recorder)


@pytest.fixture
def signer_client(app, signer, sign_in_as):
    return sign_in_as(signer, on=app.test_client())


def recorded() -> list[DirectAward]:
    db.session.expire_all()
    return list(db.session.scalars(select(DirectAward).order_by(DirectAward.award_id)))


def test_the_funds_list_and_money_page_lead_to_the_funds_direct_awards(recorder_client, ppaf):
    funds = recorder_client.get("/staff/funds").text
    money = recorder_client.get(f"/staff/funds/{ppaf.id}/money").text

    link = f'href="/staff/funds/{ppaf.id}/direct-awards"'
    assert link in funds and link in money
    page = words(recorder_client.get(f"/staff/funds/{ppaf.id}/direct-awards").text)
    assert "No direct awards have been recorded for the PPAF yet" in page
    assert "Record a direct award" in page


def test_staff_record_a_direct_award_and_are_sent_to_its_sign_off_page(
        recorder_client, ppaf, pay_in, charity, plan):
    pay_in(10_000)

    response = post_form(recorder_client, f"/staff/funds/{ppaf.id}/direct-awards/new",
                         typed(charity, plan))

    direct, = recorded()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/direct-awards/{direct.award_id}/sign-off"
    assert direct.award.conditions == "Send photos of the repairs."
    page = words(recorder_client.get(response.headers["Location"]).text)
    assert ("Direct award of £2,500 to Reading Street Support recorded. Another member of "
            "staff must sign it off before it is offered and published.") in page
    assert ("You recorded this direct award, so another member of staff must sign it off"
            in page)
    assert "Sign off the direct award" not in page
    listed = words(recorder_client.get(f"/staff/funds/{ppaf.id}/direct-awards").text)
    assert "Reading Street Support Emergency repairs after a flood £2,500 Waiting for sign-off" \
        in listed


def test_a_refused_award_shows_each_problem_on_its_field_and_records_nothing(
        recorder_client, ppaf, pay_in, charity, plan):
    pay_in(2_000)

    response = post_form(recorder_client, f"/staff/funds/{ppaf.id}/direct-awards/new",
                         typed(charity, plan, organisation="0", public_reason="",
                               decision_maker="delegate"))
    assert response.status_code == 200
    assert error_messages(response.text) == [
        "Choose the organisation the award is made to",
        "Enter the name and role of the person who decided the award",
        "Enter the reason for the award, as it will be published"]

    response = post_form(recorder_client, f"/staff/funds/{ppaf.id}/direct-awards/new",
                         typed(charity, plan))
    assert response.status_code == 200
    assert error_messages(response.text) == [
        "£2,000 is available in the PPAF for 2026/27, so this direct award can be no more "
        "than £2,000 until more money is paid in"]
    assert recorded() == []


def test_a_second_member_of_staff_signs_it_off_on_its_page(
        signer_client, record, pay_in):
    pay_in(10_000)
    award_id = record().award_id
    path = f"/staff/direct-awards/{award_id}/sign-off"

    page = words(signer_client.get(path).text)
    assert "Reason for the award, as it will be published The night shelter flooded" in page
    assert "Decided by The Police and Crime Commissioner" in page
    assert "Recorded by Rita Recorder" in page

    response = post_form(signer_client, path, {})
    assert response.status_code == 200
    assert error_messages(response.text) == [
        "Confirm that you have checked the award and its reason as it will be published"]

    response = post_form(signer_client, path, {"confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/awards/{award_id}"
    direct, = recorded()
    assert direct.award.status is AwardStatus.OFFERED
    assert "Signed off by Sam Signer" in words(signer_client.get(path).text)


def test_a_withdrawn_award_goes_back_to_the_list_and_cannot_be_signed_off(
        recorder_client, signer_client, record, ppaf, pay_in):
    pay_in(10_000)
    award_id = record().award_id

    response = post_form(recorder_client, f"/staff/direct-awards/{award_id}/withdraw",
                         {"reason": "Recorded by mistake"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/funds/{ppaf.id}/direct-awards"
    assert recorded()[0].award.status is AwardStatus.WITHDRAWN
    page = words(signer_client.get(f"/staff/direct-awards/{award_id}/sign-off").text)
    assert "This direct award was withdrawn" in page
    assert "Sign off the direct award" not in page


def test_an_award_that_is_not_a_direct_one_has_no_sign_off_page(recorder_client,
                                                                award_factory):
    award = award_factory()

    assert recorder_client.get(f"/staff/direct-awards/{award.id}/sign-off").status_code == 404
    assert recorder_client.get(f"/staff/direct-awards/{award.id}/withdraw").status_code == 404


def test_the_staff_page_of_the_direct_awards_round_is_the_funds_direct_awards(
        recorder_client, record, ppaf, pay_in):
    pay_in(10_000)
    round_ = record().award.round

    response = recorder_client.get(f"/staff/rounds/{round_.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/funds/{ppaf.id}/direct-awards"


def test_every_staff_page_about_a_round_answers_the_direct_awards_round_without_an_error(
        app, recorder_client, record, pay_in):
    """Addresses of rounds reached by hand: none fails on the service's own round."""
    pay_in(10_000)
    round_id = record().award.round.id
    paths = sorted({rule.rule for rule in app.url_map.iter_rules()
                    if rule.arguments == {"round_id"} and "GET" in rule.methods})

    answers = {path: recorder_client.get(path.replace("<int:round_id>", str(round_id)))
               .status_code for path in paths}

    assert {path: status for path, status in answers.items() if status >= 500} == {}


def test_the_staff_page_of_a_direct_award_leads_to_its_record(signer_client, record, pay_in):
    pay_in(10_000)
    award_id = record().award_id

    html = signer_client.get(f"/staff/awards/{award_id}").text

    assert "It is offered to the recipient when a second member of staff signs it off" in words(
        html)
    assert f'href="/staff/direct-awards/{award_id}/sign-off"' in html


def test_the_rounds_dashboard_shows_the_years_direct_awards_with_nothing_left_over(
        recorder_client, record, pay_in):
    pay_in(10_000)
    record()

    page = words(recorder_client.get("/staff/?fund=PPAF&year=2026/27").text)

    assert ("Direct awards 2026/27 PPAF-DIRECT-2026 · Direct awards Published Opens midnight on "
            "1 April 2026 (BST) Closes 11:59pm on 31 March 2027 (BST) £2,500 £2,500 £0") in page


def test_the_list_takes_the_same_number_of_queries_for_one_award_or_several(
        recorder_client, record, ppaf, pay_in, count_queries, organisation_factory):
    pay_in(10_000)
    record()
    path = f"/staff/funds/{ppaf.id}/direct-awards"
    recorder_client.get(path)
    with count_queries() as one:
        recorder_client.get(path)
    for number in range(3):
        record(organisation_id=organisation_factory().id, title=f"Need {number}",
               amount_pence=1_000_00)
    recorder_client.get(path)  # as before: the first request after the test's own writes
    with count_queries() as four:
        page = recorder_client.get(path).text

    assert page.count("Waiting for sign-off") == 4
    assert four.count == one.count, str(four)
