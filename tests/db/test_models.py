"""The database itself refuses impossible records, and times stay in UTC."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from grants.accounts.models import User
from grants.core import clock
from grants.funds.models import RoundStatus
from grants.organisations.models import OrganisationType


def test_a_round_cannot_close_before_it_opens(round_factory, db_session):
    opens = datetime(2026, 6, 1, 9, tzinfo=UTC)
    with pytest.raises(IntegrityError):
        round_factory(opens_at=opens, closes_at=opens - timedelta(minutes=1))


@pytest.mark.parametrize("field,value", [
    ("budget_pence", -1),
    ("min_award_pence", -100),
])
def test_round_money_cannot_be_negative(field, value, round_factory):
    with pytest.raises(IntegrityError):
        round_factory(**{field: value})


def test_a_rounds_minimum_award_cannot_exceed_its_maximum(round_factory):
    with pytest.raises(IntegrityError):
        round_factory(min_award_pence=600_000, max_award_pence=500_000)


def test_an_award_must_be_for_a_positive_amount(award_factory):
    with pytest.raises(IntegrityError):
        award_factory(amount_pence=0)


def test_an_organisation_can_apply_once_per_round(application_factory, round_factory,
                                                   organisation_factory):
    round_, organisation = round_factory(), organisation_factory()
    application_factory(round=round_, organisation=organisation)
    with pytest.raises(IntegrityError):
        application_factory(round=round_, organisation=organisation)


def test_a_charity_number_belongs_to_one_organisation(organisation_factory):
    from grants.organisations.models import CharityRegulator

    organisation_factory(charity_regulator=CharityRegulator.CCEW, charity_number="1180001")
    with pytest.raises(IntegrityError):
        organisation_factory(charity_regulator=CharityRegulator.CCEW, charity_number="1180001")


def test_emails_are_stored_lower_case_only(db_session):
    db_session.add(User(email="Person@Example.org", name="P", password_hash="x"))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_a_naive_datetime_is_refused(round_factory):
    with pytest.raises(StatementError, match="naive"):
        round_factory(opens_at=datetime(2026, 6, 1, 9))


def test_times_come_back_aware_and_in_utc(round_factory, db_session):
    london_noon = datetime(2026, 7, 1, 12, tzinfo=clock.LONDON)  # 11:00 UTC in summer
    round_ = round_factory(opens_at=datetime(2026, 6, 1, tzinfo=UTC), closes_at=london_noon)
    db_session.expire_all()

    assert round_.closes_at == datetime(2026, 7, 1, 11, tzinfo=UTC)
    assert round_.closes_at.tzinfo is UTC


def test_a_round_belongs_by_default_to_the_financial_year_of_its_opening_date_in_london(
    round_factory, db_session
):
    # 00:30 on 1 April 2026 in London is still 31 March in UTC.
    first = round_factory(opens_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
                          closes_at=datetime(2026, 5, 1, tzinfo=UTC))
    last = round_factory(opens_at=datetime(2026, 3, 31, 22, 59, tzinfo=UTC),
                         closes_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    assert (first.financial_year, last.financial_year) == ("2026/27", "2025/26")


def test_a_rounds_financial_year_never_moves_with_its_closing_time(round_factory, db_session):
    round_ = round_factory(opens_at=datetime(2026, 1, 1, tzinfo=UTC),
                           closes_at=datetime(2026, 3, 31, 22, 59, tzinfo=UTC))
    round_.closes_at = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    db_session.flush()
    db_session.expire_all()
    assert round_.financial_year == "2025/26"


def test_round_status_follows_launch_and_the_clock(round_factory):
    opens = datetime(2026, 9, 1, 9, tzinfo=UTC)
    closes = datetime(2026, 9, 30, 12, tzinfo=UTC)
    round_ = round_factory(opens_at=opens, closes_at=closes)
    second = timedelta(seconds=1)

    assert round_.status_at(opens) is RoundStatus.DRAFT
    round_.launched_at = opens - timedelta(days=3)
    assert round_.status_at(opens - second) is RoundStatus.UPCOMING
    assert round_.status_at(opens) is RoundStatus.OPEN
    assert round_.status_at(closes - second) is RoundStatus.OPEN
    assert round_.status_at(closes) is RoundStatus.CLOSED
    round_.assessing_at = closes
    assert round_.status_at(closes) is RoundStatus.ASSESSING
    round_.decided_at = closes
    assert round_.status_at(closes) is RoundStatus.DECIDED
    round_.decisions_published_at = closes
    assert round_.status_at(closes) is RoundStatus.PUBLISHED


@pytest.mark.parametrize("day,label", [
    (datetime(2019, 8, 15).date(), "2019/20"),
    (datetime(2020, 1, 31).date(), "2019/20"),
    (datetime(2020, 3, 31).date(), "2019/20"),
    (datetime(2020, 4, 1).date(), "2020/21"),
    (datetime(2099, 12, 1).date(), "2099/00"),
    (datetime(1, 1, 1).date(), "0000/01"),  # four digits, so it reads back
])
def test_financial_years_run_from_april_to_march(day, label):
    assert clock.financial_year_of(day) == label


def test_financial_year_labels_are_checked():
    assert clock.financial_year_start("2019/20") == 2019
    assert clock.financial_year_after("0000/01") == "0001/02"
    # One way of writing each year: no other digits, signs or spaces.
    for bad in ("2019", "2019/21", "19/20", "abcd/ef", "２０１９/20", "+201/02", " 201/02",
                "2019/ 20", "2019/020"):
        with pytest.raises(ValueError):
            clock.financial_year_start(bad)


def test_a_labelled_enum_stores_its_value_alone_and_reads_back_with_its_label(
        organisation_factory, db_session):
    organisation = organisation_factory(organisation_type=OrganisationType.CIC)
    db_session.flush()
    stored = db_session.execute(
        text("SELECT organisation_type FROM organisation WHERE id = :id"),
        {"id": organisation.id}).scalar_one()
    assert stored == "cic"
    db_session.expire(organisation)
    assert organisation.organisation_type is OrganisationType("cic")
    assert organisation.organisation_type.label == "Community interest company (CIC)"
