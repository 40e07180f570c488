"""Round codes ({fund}-{first year of the financial year}-{n}), and copying a round."""

from datetime import UTC, datetime

from sqlalchemy import select

from grants.funds.models import (
    CountyAllocation,
    EligibilityQuestion,
    Round,
    RoundKind,
    RoundOrganisationType,
    ScoringCriterion,
)
from grants.funds.operations import codes
from grants.organisations.models import OrganisationType
from tests.fixtures.auth import post_form
from tests.funds.conftest import error_messages, round_form


def test_the_first_round_of_a_financial_year_is_number_1(db_session, ppaf):
    code = codes.suggest_round_code(db_session, ppaf, "2019/20")

    assert code == "PPAF-2019-1"


def test_the_january_2020_round_after_one_earlier_that_year_is_ppaf_2019_2(
    db_session, ppaf, round_factory
):
    round_factory(fund=ppaf, code="PPAF-2019-1")
    round_factory(fund=ppaf, code="PPAF-2018-1")
    round_factory(fund=ppaf, code="PPAF-2020-1")

    code = codes.suggest_round_code(db_session, ppaf, "2019/20")

    assert code == "PPAF-2019-2"


def test_a_suggested_code_skips_one_already_taken(db_session, ppaf, round_factory):
    round_factory(fund=ppaf, code="PPAF-2019-2")

    assert codes.suggest_round_code(db_session, ppaf, "2019/20") == "PPAF-2019-3"


def test_a_blank_code_on_the_form_becomes_the_suggested_one(staff_client, ppaf, round_factory,
                                                            db_session):
    round_factory(fund=ppaf, code="PPAF-2026-1")

    post_form(staff_client, "/staff/rounds/new", round_form(fund=ppaf.id, code=""))

    codes = db_session.scalars(select(Round.code).order_by(Round.id)).all()
    assert codes == ["PPAF-2026-1", "PPAF-2026-2"]


def test_a_code_is_unique(staff_client, ppaf, round_factory):
    round_factory(fund=ppaf, code="PPAF-2026-1")

    response = post_form(staff_client, "/staff/rounds/new",
                         round_form(fund=ppaf.id, code="PPAF-2026-1"))

    assert error_messages(response.text) == ["Another round already has the code PPAF-2026-1"]


def test_a_code_uses_only_capital_letters_digits_and_hyphens(staff_client, ppaf):
    response = post_form(staff_client, "/staff/rounds/new",
                         round_form(fund=ppaf.id, code="PPAF 2026/1"))

    assert error_messages(response.text) == [
        "Round code must use only capital letters, digits and single hyphens, like PPAF-2026-1"]


def test_a_code_typed_in_lower_case_is_stored_in_capitals(staff_client, ppaf, db_session):
    post_form(staff_client, "/staff/rounds/new", round_form(fund=ppaf.id, code="ppaf-2026-x"))

    assert db_session.scalars(select(Round.code)).one() == "PPAF-2026-X"


def test_clearing_a_drafts_code_after_moving_it_to_another_year_suggests_a_new_one(
    staff_client, round_factory, db_session
):
    round_ = round_factory(code="PPAF-2026-4")

    post_form(staff_client, f"/staff/rounds/{round_.id}/edit",
              round_form(code="", opens_at=["1", "1", "2027"], closes_at=["30", "4", "2027"],
                         financial_year="2027/28"))

    db_session.refresh(round_)
    assert (round_.code, round_.financial_year) == ("PPAF-2027-1", "2027/28")


def test_a_drafts_code_follows_the_stated_year_not_the_closing_date(
    staff_client, round_factory, db_session
):
    round_ = round_factory(code="PPAF-2026-4")

    post_form(staff_client, f"/staff/rounds/{round_.id}/edit",
              round_form(code="", opens_at=["1", "1", "2027"], closes_at=["30", "4", "2027"],
                         financial_year="2026/27"))

    db_session.refresh(round_)
    assert (round_.code, round_.financial_year) == ("PPAF-2026-4", "2026/27")


def test_clearing_a_drafts_code_in_the_same_year_keeps_it(staff_client, round_factory,
                                                          db_session):
    round_ = round_factory(code="PPAF-2026-4")

    post_form(staff_client, f"/staff/rounds/{round_.id}/edit", round_form(code=""))

    db_session.refresh(round_)
    assert round_.code == "PPAF-2026-4"


def test_copying_a_round_makes_a_draft_with_everything_a_year_later(
    staff_client, round_factory, plan, county_factory, db_session, audit_actions
):
    retired = plan.priorities[1]
    retired.retired_at = datetime(2026, 1, 1, tzinfo=UTC)
    source = round_factory(
        code="PPAF-2026-1", title="Spring round", kind=RoundKind.NOMINATION,
        financial_year="2026/27",
        opens_at=datetime(2026, 3, 2, 9, tzinfo=UTC),  # 9am GMT
        closes_at=datetime(2026, 4, 30, 11, tzinfo=UTC),  # noon BST
        launched_at=datetime(2026, 2, 1, tzinfo=UTC), guidance="Read this",
        priorities=list(plan.priorities), key_aims=list(plan.priorities[0].key_aims),
        organisation_type_rows=[RoundOrganisationType(organisation_type=OrganisationType.CIC)],
        eligibility_questions=[EligibilityQuestion(position=1, text="Based here?",
                                                   mandatory=False)],
        scoring_criteria=[ScoringCriterion(position=1, name="Need", weight=3, max_score=4)],
        county_allocations=[CountyAllocation(county=county_factory(), amount_pence=5_000_00)],
    )

    response = post_form(staff_client, f"/staff/rounds/{source.id}/copy",
                         form_page=f"/staff/rounds/{source.id}")

    copy = db_session.scalars(select(Round).where(Round.id != source.id)).one()
    assert response.headers["Location"] == f"/staff/rounds/{copy.id}"
    assert (copy.code, copy.title, copy.kind) == ("PPAF-2027-1", "Spring round (copy)",
                                                 RoundKind.NOMINATION)
    assert copy.financial_year == "2027/28"
    assert copy.launched_at is None and copy.archived_at is None
    assert copy.opens_at == datetime(2027, 3, 2, 9, tzinfo=UTC)
    assert copy.closes_at == datetime(2027, 4, 30, 11, tzinfo=UTC)
    assert (copy.budget_pence, copy.min_award_pence, copy.max_award_pence) == (
        source.budget_pence, source.min_award_pence, source.max_award_pence)
    assert copy.guidance == "Read this"
    assert [p.code for p in copy.priorities] == ["P1"]  # the retired priority is left out
    assert [a.code for a in copy.key_aims] == ["P1.1", "P1.2"]
    assert copy.organisation_types == {OrganisationType.CIC}
    assert [(q.text, q.mandatory) for q in copy.eligibility_questions] == [("Based here?",
                                                                            False)]
    assert [(c.name, c.weight, c.max_score) for c in copy.scoring_criteria] == [("Need", 3, 4)]
    assert [a.amount_pence for a in copy.county_allocations] == [5_000_00]
    assert audit_actions("round", copy.id) == ["round.copied"]
    page = staff_client.get(response.headers["Location"]).text
    assert "Its dates have moved forward a year: check them" in page
