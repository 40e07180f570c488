"""An open round with an expression-of-interest stage (closing in a week, the round in four),
a section of its questions asked at that stage, an organisation it accepts with a member,
and a member of staff."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.funds.models import QuestionKind
from grants.records.models import OutboxMessage
from tests.applications.conftest import (  # noqa: F401 (fixtures shared with applications)
    NOW,
    fixed_clock,
    member,
    open_round,
    organisation,
)
from tests.applications.round_questions import ask, question

K = QuestionKind


@pytest.fixture
def staged_round(open_round):  # noqa: F811
    open_round.interest_closes_at = NOW + timedelta(days=7)
    return open_round


@pytest.fixture
def idea(staged_round):
    """The section of questions the expression of interest asks (and the full application)."""
    section = ask(staged_round, "Your idea",
                  question("Have you worked with the police before?", K.YES_NO),
                  question("How many people will take part?", K.NUMBER, required=False))
    section.in_interest = True
    return section


@pytest.fixture
def staff(user_factory):
    return user_factory(roles=[Role.STAFF], name="Sam Officer", email="sam@example.org")


@pytest.fixture
def emails_to(db_session):
    """`emails_to(address)`: the (subject, body) of the messages queued for that address."""

    def find(address: str) -> list[tuple[str, str]]:
        return [(message.subject, message.body_text) for message in db_session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id))]

    return find
