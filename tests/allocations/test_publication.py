"""An allocation round's awards are public only once its decisions are published: confirming
the shares and recording a top-slice award list nothing and tell nobody; a second member of
staff signs off on the allocation page and the round is published, and then the register, the
360Giving files, the round's report and the recipient's dashboard show the awards, and the
offers are emailed."""

import json

from sqlalchemy import select

from grants.accounts.models import Role
from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.proposal import propose_shares
from grants.allocations.operations.top_slice_awards import TopSliceAward, record_top_slice_award
from grants.awards.models import Award, AwardStatus
from grants.records.models import OutboxMessage
from tests.allocations.conftest import SHARES_REASON
from tests.fixtures.auth import post_form

NAME = "Reading Council"


def _text(response) -> str:
    return response.get_data(as_text=True)


def _what_outsiders_see(new_client, sign_in_as, runner, member, round_) -> dict:
    anyone = new_client()
    json_file = anyone.get(f"/awards/360giving.json?round={round_.code}")
    json_text = _text(json_file)  # read before the next request: downloads stream
    csv_file = anyone.get(f"/awards/360giving.csv?round={round_.code}")
    csv_text = _text(csv_file)
    command = runner.invoke(args=["export-360giving", "--round", round_.code])
    report = runner.invoke(args=["report", "round", round_.code, "--format", "json"])
    dashboard = _text(sign_in_as(member, on=new_client()).get("/dashboard"))
    return {
        "register": NAME in _text(anyone.get("/awards")),
        "json": json_file.status_code == 200 and len(json.loads(json_text)["grants"]) == 4,
        "csv": csv_file.status_code == 200 and NAME in csv_text,
        "command": command.exit_code == 0 and NAME in command.output,
        "report": json.loads(report.output)["awards"] == 4,
        "dashboard": "Community Safety Fund allocation 2019/20" in dashboard,
    }


def test_an_allocation_is_public_only_once_its_round_is_published(
    db_session, new_client, sign_in_as, runner, staff, approver, ready_round, councils,
    user_factory, membership_factory, key_aim_factory, organisation_factory,
):
    member = user_factory(roles=[Role.APPLICANT])
    membership_factory(user=member, organisation=councils[0])
    aim = key_aim_factory(text="Tackle online fraud and cybercrime")
    charity = organisation_factory(name="Cyber Safe", contact_email="cyber@example.org")
    propose_shares(db_session, staff, ready_round.id)
    confirm_allocation(db_session, staff, ready_round.id, public_reason=SHARES_REASON)
    record_top_slice_award(db_session, staff, ready_round.id, TopSliceAward(
        organisation_id=charity.id, amount_pence=1_000_000, priority_id=aim.priority_id,
        key_aim_ids=[aim.id], title="Cybercrime initiatives", public_reason=SHARES_REASON))
    db_session.commit()

    before = _what_outsiders_see(new_client, sign_in_as, runner, member, ready_round)

    assert not any(before.values()), before
    assert db_session.scalars(select(OutboxMessage)).all() == []
    page = f"/staff/rounds/{ready_round.id}/allocation"
    staff_client = sign_in_as(staff, on=new_client())
    assert "Not yet published" in _text(staff_client.get(page))

    approving = sign_in_as(approver, on=new_client())
    signed = post_form(approving, f"/staff/rounds/{ready_round.id}/sign-off", form_page=page)
    published = post_form(staff_client, f"/staff/rounds/{ready_round.id}/publish",
                          form_page=page)
    db_session.expire_all()

    assert signed.status_code == published.status_code == 302
    assert published.headers["Location"] == page
    assert {a.status for a in db_session.scalars(select(Award))} == {AwardStatus.OFFERED}
    after = _what_outsiders_see(new_client, sign_in_as, runner, member, ready_round)
    assert all(after.values()), after
    assert sorted(db_session.scalars(select(OutboxMessage.to_address))) == sorted(
        [c.contact_email for c in councils] + ["cyber@example.org"])
    shown = _text(staff_client.get(page))
    assert "Not yet published" not in shown and "Record an award from the top-slice" not in shown
