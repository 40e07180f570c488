"""A High Sheriff award is public only once its round's decisions are published: approving a
nomination tells nobody and lists nothing; a second member of staff signs the decisions off
and they are published through the round's page, and then the register, the 360Giving files,
the round's report, the organisation's dashboard and the High Sheriff's pages show it, and the
emails go."""

import json

import pytest
from sqlalchemy import select

from grants.awards.models import Award, AwardStatus
from grants.core import clock
from grants.extensions import db
from grants.nominations.operations import deciding
from grants.records.models import OutboxMessage
from tests.fixtures.auth import post_form
from tests.fixtures.factories import MembershipFactory, UserFactory
from tests.nominations.conftest import (
    AFTER_CLOSE,
    REASON,
    high_sheriff,
    nominate,
    nomination_round,
    organisation,
    staff_member,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")

NAME = "Reading Youth Trust"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _offer_emails() -> list[str]:
    return sorted(db.session.scalars(
        select(OutboxMessage.to_address)
        .where(OutboxMessage.idempotency_key.like("nomination-offer:%"))))


def _sheriff_emails(sheriff) -> list[str]:
    return [m.subject for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == sheriff.email))]


def _what_outsiders_see(new_client, sign_in_as, runner, member, sheriff, round_) -> dict:
    """Every place an outsider could learn of the award: True where it shows."""
    anyone = new_client()
    # Each download is read to its end before the next request: they stream.
    json_file = anyone.get(f"/awards/360giving.json?round={round_.code}")
    json_text = _text(json_file)
    csv_file = anyone.get(f"/awards/360giving.csv?round={round_.code}")
    csv_text = _text(csv_file)
    command = runner.invoke(args=["export-360giving", "--round", round_.code])
    report = runner.invoke(args=["report", "round", round_.code, "--format", "json"])
    dashboard = _text(sign_in_as(member, on=new_client()).get("/dashboard"))
    sheriff_client = sign_in_as(sheriff, on=new_client())
    home = _text(sheriff_client.get("/nominations"))
    return {
        "register": NAME in _text(anyone.get("/awards")),
        "json": json_file.status_code == 200
        and NAME in [g["recipientOrganization"][0]["name"]
                     for g in json.loads(json_text)["grants"]],
        "csv": csv_file.status_code == 200 and NAME in csv_text,
        "command": command.exit_code == 0 and NAME in command.output,
        "report": json.loads(report.output)["awards"] == 1,
        "dashboard": NAME in dashboard and "Your other grants" in dashboard,
        "high sheriff": "Approved" in home,
    }


def test_a_high_sheriff_award_is_public_only_once_its_round_is_published(
    new_client, sign_in_as, runner, monkeypatch,
):
    round_ = nomination_round()
    org = organisation(name=NAME, contact_email="office@readingyouth.example")
    member = UserFactory(email="member@example.org")
    MembershipFactory(user=member, organisation=org)
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 250_000, org=org, contact_email="jo@example.org")
    decider = sign_in_as(staff_member("Dee Decider"), on=new_client())
    approved = post_form(decider, f"/staff/nominations/{nomination.id}/approve",
                         {"conditions": "", "public_reason": REASON},
                         form_page=f"/staff/nominations/{nomination.id}")
    award = db.session.scalars(select(Award)).one()

    before = _what_outsiders_see(new_client, sign_in_as, runner, member, sheriff, round_)

    assert approved.status_code == 302 and award.status is AwardStatus.PROPOSED
    assert not any(before.values()), before
    assert _offer_emails() == [] and _sheriff_emails(sheriff) == []
    staff_page = _text(decider.get(f"/staff/rounds/{round_.id}/nominations"))
    assert "Not yet published" in staff_page

    monkeypatch.setattr(clock, "utcnow", lambda: AFTER_CLOSE)
    approver = sign_in_as(staff_member("Alex Approver"), on=new_client())
    round_page = f"/staff/rounds/{round_.id}/nominations"
    assert "Sign off the decisions" in _text(approver.get(round_page))
    signed = post_form(approver, f"/staff/rounds/{round_.id}/sign-off", form_page=round_page)
    published = post_form(approver, f"/staff/rounds/{round_.id}/publish", form_page=round_page)
    db.session.expire_all()

    assert signed.status_code == published.status_code == 302
    assert published.headers["Location"].startswith(round_page)
    assert (award.status, award.offered_at) == (AwardStatus.OFFERED, AFTER_CLOSE)
    after = _what_outsiders_see(new_client, sign_in_as, runner, member, sheriff, round_)
    assert all(after.values()), after
    assert _offer_emails() == ["jo@example.org", "member@example.org"]
    assert _sheriff_emails(sheriff) == [f"Your nomination of {NAME} was approved"]
    assert "Not yet published" not in _text(approver.get(round_page))


def test_whoever_decided_a_nomination_cannot_sign_off_the_round(new_client, sign_in_as,
                                                                monkeypatch):
    round_ = nomination_round()
    decider = staff_member("Dee Decider")
    deciding.approve_nomination(db.session, decider, nominate(round_, high_sheriff(),
                                                              100_000).id, public_reason=REASON)
    db.session.commit()
    monkeypatch.setattr(clock, "utcnow", lambda: AFTER_CLOSE)
    client = sign_in_as(decider, on=new_client())
    round_page = f"/staff/rounds/{round_.id}/nominations"

    page = _text(client.get(round_page))
    response = post_form(client, f"/staff/rounds/{round_.id}/sign-off", form_page=round_page)
    db.session.expire_all()

    assert "a second member of staff who made none of them must sign them off" in page
    assert response.status_code == 302 and response.headers["Location"] == round_page
    assert round_.decisions_signed_off_at is None


def test_a_high_sheriff_sees_an_approval_only_once_the_round_is_published(
    new_client, sign_in_as, monkeypatch,
):
    round_ = nomination_round()
    sheriff = high_sheriff()
    nomination = nominate(round_, sheriff, 100_000)
    deciding.approve_nomination(db.session, staff_member(), nomination.id, public_reason=REASON)
    db.session.commit()
    client = sign_in_as(sheriff, on=new_client())

    view = _text(client.get(f"/nominations/{nomination.id}"))
    home = _text(client.get("/nominations"))

    assert "Approved" not in view and "Submitted" in view
    assert "Approved" not in home and "approved" not in home
