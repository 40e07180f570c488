"""A round offers the councils and partnerships that stand on its closing date: Buckinghamshire's
district councils and partnerships until 31 March 2020, the unitary council and the Safer
Buckinghamshire Board after. What was chosen before is kept."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grants.allocations.operations.listing import recipient_choices
from grants.allocations.operations.recipients import set_recipients
from grants.applications.operations.rules import areas_on_offer
from grants.core.errors import ValidationFailed
from grants.funds.models import RoundKind
from grants.organisations.models import Organisation
from grants.reference.operations.seed import seed_reference

BUCKS_2019 = {"Aylesbury Vale District Council", "Wycombe District Council",
              "Wycombe Community Safety Partnership", "Buckinghamshire County Council"}
BUCKS_2020 = {"Buckinghamshire Council", "Safer Buckinghamshire Board"}


@pytest.fixture
def rounds(db_session, round_factory, fund_factory):
    seed_reference(db_session)
    fund = fund_factory(code="CSF", name="Community Safety Fund")

    def allocation_round(code, closes_at):
        return round_factory(fund=fund, code=code, kind=RoundKind.ALLOCATION,
                             min_award_pence=None, max_award_pence=None,
                             opens_at=datetime(closes_at.year, 1, 1, tzinfo=UTC),
                             closes_at=closes_at)

    return (allocation_round("CSF-2019-1", datetime(2020, 3, 1, 12, tzinfo=UTC)),
            allocation_round("CSF-2020-1", datetime(2020, 6, 30, 12, tzinfo=UTC)))


def test_each_round_offers_the_recipients_of_its_time(db_session, rounds):
    before, after = ({o.name for o in recipient_choices(db_session, round_)}
                     for round_ in rounds)
    assert BUCKS_2019 <= before and not BUCKS_2020 & before
    assert BUCKS_2020 <= after and not BUCKS_2019 & after
    assert "Reading Borough Council" in before & after


def test_a_recipient_of_another_time_cannot_be_chosen(db_session, staff, rounds):
    wycombe = db_session.scalars(select(Organisation).where(
        Organisation.name == "Wycombe District Council")).one()
    with pytest.raises(ValidationFailed):
        set_recipients(db_session, staff, rounds[1].id, [wycombe.id])
    assert [r.organisation.name for r in set_recipients(db_session, staff, rounds[0].id,
                                                         [wycombe.id])] == [wycombe.name]


def test_the_recipients_page_lists_only_the_rounds_recipients(sign_in_as, staff, rounds):
    page = sign_in_as(staff).get(f"/staff/rounds/{rounds[1].id}/allocation/recipients").get_data(
        as_text=True)
    assert "Safer Buckinghamshire Board" in page and "Wycombe District Council" not in page


def test_an_application_offers_the_areas_of_its_rounds_time(db_session, rounds):
    before, after = ({a.name for a in areas_on_offer(db_session, round_)} for round_ in rounds)
    assert {"Wycombe", "Chiltern"} <= before and "Buckinghamshire" not in before
    assert "Buckinghamshire" in after and not {"Wycombe", "Chiltern"} & after


def test_a_recipient_chosen_before_stays_on_offer(db_session, staff, rounds):
    wycombe = db_session.scalars(select(Organisation).where(
        Organisation.name == "Wycombe District Council")).one()
    set_recipients(db_session, staff, rounds[0].id, [wycombe.id])
    rounds[0].closes_at = datetime(2020, 6, 30, tzinfo=UTC)  # later moved past the change
    assert wycombe in recipient_choices(db_session, rounds[0])
