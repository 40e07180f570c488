"""Committed money counts every award except those declined by the recipient or withdrawn."""

from grants.awards.models import AwardStatus
from grants.awards.operations.committed import committed_pence, committed_pence_by_round
from grants.extensions import db


def test_committed_money_leaves_out_declined_and_withdrawn_awards(round_factory,
                                                                   award_factory):
    round_ = round_factory()
    for status, amount in [(AwardStatus.PROPOSED, 100_000), (AwardStatus.OFFERED, 20_000),
                           (AwardStatus.ACCEPTED, 3_000), (AwardStatus.PAID, 400),
                           (AwardStatus.CLOSED, 50), (AwardStatus.DECLINED, 6),
                           (AwardStatus.WITHDRAWN, 7)]:
        award_factory(round=round_, status=status, amount_pence=amount)

    assert committed_pence(db.session, round_.id) == 123_450


def test_committed_money_of_many_rounds_takes_one_query(round_factory, award_factory,
                                                        count_queries):
    rounds = [round_factory() for _ in range(5)]
    for round_ in rounds[:3]:
        award_factory(round=round_, amount_pence=1_000)
    ids = [r.id for r in rounds]
    with count_queries() as log:
        committed = committed_pence_by_round(db.session, ids)

    assert log.count == 1, str(log)
    assert committed == {round_id: (1_000 if i < 3 else 0) for i, round_id in enumerate(ids)}
