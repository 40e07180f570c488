"""Past awards imported into a round the service already holds: taken only once the round's
decisions are published, and only within its budget and its counties' allocations; otherwise
the whole file is refused, naming the grant and the field."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from grants.awards.models import Award, AwardSource, AwardStatus
from grants.extensions import db
from grants.funds.models import CountyAllocation, Round, RoundKind
from grants.nominations.operations.guard import county_position
from grants.opendata.operations.importing import ImportRefused
from tests.opendata.test_import import grant, package, run_import

PUBLISHED = datetime(2026, 9, 1, 12, tzinfo=UTC)
SHERIFF = "TVPCC-High-Sheriff"


def held_round(reference, code: str, *, budget: int, published: bool,
               kind: RoundKind = RoundKind.OPEN) -> Round:
    """A round staff set up (not made by an import)."""
    round_ = Round(fund=reference["funds"]["PPAF"], code=code, title=f"Round {code}", kind=kind,
                   opens_at=datetime(2026, 5, 1, 8, tzinfo=UTC),
                   closes_at=datetime(2026, 6, 30, 11, tzinfo=UTC), budget_pence=budget,
                   launched_at=datetime(2026, 4, 20, 8, tzinfo=UTC),
                   decisions_published_at=PUBLISHED if published else None)
    db.session.add(round_)
    db.session.flush()
    return round_


def past_grant(identifier: str, code: str, pounds: int, **changes) -> dict:
    return grant(identifier, pounds, awardDate="2026-06-01",
                 grantProgramme=[{"code": code, "title": "Past grants"}], **changes)


def imported_into(round_: Round) -> int:
    return db.session.scalar(select(func.count(Award.id)).where(
        Award.round_id == round_.id, Award.source == AwardSource.IMPORTED))


def test_a_grant_cannot_join_a_held_round_before_its_decisions_are_published(reference):
    round_ = held_round(reference, "PPAF-2026-1", budget=1_000_000, published=False)

    with pytest.raises(ImportRefused) as refused:
        run_import(package(past_grant("360G-other-7", "PPAF-2026-1", 1_500)))

    [problem] = refused.value.problems
    assert problem.field == "Grant Programme:Code"
    assert "360G-other-7" in problem.message and "not yet published" in problem.message
    assert imported_into(round_) == 0


def test_a_grant_joins_a_published_held_round_within_its_budget(reference):
    round_ = held_round(reference, "PPAF-2026-1", budget=1_000_000, published=True)

    summary = run_import(package(past_grant("360G-other-7", "PPAF-2026-1", 10_000)))

    assert summary.awards_created == 1 and summary.rounds_created == []
    award = db.session.scalars(select(Award).where(Award.round_id == round_.id)).one()
    assert award.status is AwardStatus.CLOSED and award.amount_pence == 1_000_000


def test_grants_that_take_a_held_round_over_its_budget_are_refused_by_name(reference):
    round_ = held_round(reference, "PPAF-2026-1", budget=1_000_000, published=True)

    with pytest.raises(ImportRefused) as refused:
        run_import(package(
            past_grant("360G-other-7", "PPAF-2026-1", 6_000),
            past_grant("360G-other-8", "PPAF-2026-1", 5_000,
                       recipientOrganization=[{"id": "GB-CHC-1170009",
                                               "name": "Thame Youth Club"}])))

    [problem] = refused.value.problems
    assert problem.field == "Amount Awarded" and problem.row == 2
    assert "360G-other-8" in problem.message
    assert "only £4,000 of its £10,000 is left" in problem.message
    assert imported_into(round_) == 0


def test_a_grant_in_a_county_s_name_stays_within_the_county_s_allocation(reference):
    round_ = held_round(reference, "HSA-2026-1", budget=2_000_000, published=True,
                        kind=RoundKind.NOMINATION)
    berkshire = reference["counties"]["Berkshire"]
    db.session.add(CountyAllocation(round_id=round_.id, county_id=berkshire.id,
                                    amount_pence=500_000))
    db.session.flush()
    in_berkshire = [{"vocabulary": SHERIFF, "code": "Berkshire"}]

    run_import(package(past_grant("360G-other-7", "HSA-2026-1", 3_000,
                                  classifications=in_berkshire)))
    with pytest.raises(ImportRefused) as refused:
        run_import(package(past_grant("360G-other-8", "HSA-2026-1", 2_500,
                                      classifications=in_berkshire)))

    [problem] = refused.value.problems
    assert problem.field == "Amount Awarded" and "360G-other-8" in problem.message
    assert "Berkshire's allocation" in problem.message
    # The imported award holds the county's money, as the guard of nominations sees it.
    assert county_position(db.session, round_.id, berkshire.id).remaining_pence == 200_000
    assert imported_into(round_) == 1
