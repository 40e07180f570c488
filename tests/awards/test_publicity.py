"""One rule decides what is public: `grants.awards.operations.publicity`. Its Python predicates
and SQL conditions agree on every kind of award; every public reader (the register, the
360Giving export, the reports) counts the same awards; and no other module works publication
out again from an award's status or its round's publication time."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from grants.awards.models import Award, AwardSource, AwardStatus
from grants.awards.operations import publicity
from grants.funds.models import RoundKind
from grants.opendata.operations.export import Selection, count_awards, counted_awards
from grants.reports.operations.counted import counted_awards as report_counted_awards
from tests.fixtures import source

PUBLISHED = datetime(2026, 6, 1, 12, tzinfo=UTC)

# The modules that may read a round's publication time or an award's status, and why: none
# of them decides whether an outsider may see an award.
MAY_READ_PUBLICATION_TIME = {
    "awards/operations/publicity.py": "the rule itself",
    "funds/models.py": "the column, and the round's status it sets",
    "decisions/operations/publishing.py": "publishing sets it",
    "opendata/operations/importing.py": "imported rounds arrive published",
    "demo/operations/rounds.py": "the demo's history arrives published",
    "opendata/operations/threesixty.py": "a grant's award date when no other is recorded",
    "reports/operations/progress.py": "the date a round's paragraph gives",
    "funds/operations/public.py": "which rounds are still open to apply to",
    "applications/operations/assisted_digital.py": "which rounds still take applications",
    "decisions/operations/board.py": "staff's page: the decisions no longer change",
    "decisions/operations/declarations.py": "no declaration once the decisions are final",
}
MAY_FILTER_ON_AWARD_STATUS = {
    "awards/operations/publicity.py": "the rule itself",
    "awards/operations/committed.py": "committed money: awards not released",
    "awards/operations/public_reasons.py": "the reasons sign-off approves: awards holding money",
    "nominations/operations/guard.py": "a county's committed money",
    "allocations/operations/listing.py": "the top-slice's committed money",
    "decisions/operations/guard.py": "releasing the awards of withdrawn applications",
    "applications/operations/withdrawal.py": "an application's award released on withdrawal",
    "allocations/operations/confirmation.py": "publishing offers the proposed awards",
    "awards/operations/listing.py": "staff's list of accepted awards to pay",
    "monitoring/operations/listing.py": "the returns grants owe",
    "monitoring/operations/reminders.py": "the returns grants owe",
}


def test_only_the_named_modules_read_a_rounds_publication_time():
    assert source.modules_matching(r"decisions_published_at") == set(MAY_READ_PUBLICATION_TIME)


def test_only_the_publicity_rule_uses_the_made_statuses():
    assert source.modules_matching(r"\bMADE_STATUSES\b") == {"awards/models.py",
                                                       "awards/operations/publicity.py"}


def test_only_the_named_modules_filter_awards_by_status():
    assert source.modules_matching(r"Award\.status\s*(\.in_|\.not_in|==|!=)") == set(
        MAY_FILTER_ON_AWARD_STATUS)


SOURCES = {RoundKind.OPEN: AwardSource.APPLICATION, RoundKind.NOMINATION: AwardSource.NOMINATION,
           RoundKind.ALLOCATION: AwardSource.ALLOCATION, RoundKind.DIRECT: AwardSource.DIRECT}


@pytest.fixture
def every_kind_of_award(round_factory, award_factory):
    """An award of each status in a published and an unpublished round of each kind."""
    awards = []
    for kind in RoundKind:
        for published in (PUBLISHED, None):
            round_ = round_factory(kind=kind, decisions_published_at=published)
            for status in AwardStatus:
                offered = None if status is AwardStatus.PROPOSED else PUBLISHED
                awards.append(award_factory(
                    round=round_, status=status, offered_at=offered,
                    source=SOURCES[kind]))
    return awards


def test_the_predicates_and_their_sql_agree_on_every_kind_of_award(db_session,
                                                                   every_kind_of_award):
    public = {a.id for a in every_kind_of_award if publicity.is_public(a)}
    told = {a.id for a in every_kind_of_award if publicity.recipient_told(a)}

    assert public == set(db_session.scalars(select(Award.id).where(publicity.public_awards())))
    assert told == set(db_session.scalars(select(Award.id).where(publicity.told_recipients())))
    # Made (offered, accepted, paid, closed) in the published round of each kind.
    assert len(public) == len(RoundKind) * 4
    assert all(a.round.decisions_published_at for a in every_kind_of_award if a.id in public)
    assert public <= told


def test_the_register_the_export_and_the_reports_count_the_same_public_awards(
    db_session, every_kind_of_award,
):
    public = {a.id for a in every_kind_of_award if publicity.is_public(a)}
    exported = set(db_session.scalars(counted_awards(Selection()).with_only_columns(Award.id)))
    counted = report_counted_awards([])
    reported = set(db_session.scalars(select(counted.c.award_id)))

    assert exported == reported == public
    assert count_awards(db_session, Selection()) == len(public)
