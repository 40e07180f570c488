"""The report figures on the hand-built 2019/20 data set (tests/reports/report_data.py), whose
answers are worked out by hand."""

import pytest
from sqlalchemy import select

from grants.core.errors import NotFound
from grants.reports.operations import figures, selection
from grants.reports.operations.selection import ReportError

JSON_KEYS = ["applications", "amount_requested_pence", "awards", "amount_awarded_pence",
             "repaid_pence", "net_awarded_pence", "organisations_funded", "success_rate",
             "budget_pence", "remaining_pence",
             "by_round", "by_priority", "by_key_aim", "by_county", "by_local_authority",
             "by_organisation_type", "by_high_sheriff_county"]
ROW_KEYS = ["code", "name", "awards", "amount_awarded_pence", "organisations_funded"]


def rows(breakdown):
    return {row.code: (row.awards, row.amount_awarded_pence, row.organisations_funded)
            for row in breakdown}


@pytest.fixture
def year(db_session, report_data):
    return figures.report_figures(db_session, selection.year_selection(db_session, "2019/20"))


def test_the_json_has_exactly_the_keys_the_issue_lists(year):
    data = year.to_json()
    assert list(data) == JSON_KEYS
    for name in JSON_KEYS[10:]:
        assert all(list(row) == ROW_KEYS for row in data[name])


def test_a_year_of_every_fund_counts_made_awards_only(year):
    # £8,000 + £5,000 (round 1), £2,000 + £3,000 (High Sheriffs), £20,000 (CSF): the
    # recipient's declined £3,000, the proposed £4,000 and 2020/21's £1,000 are left out.
    assert year.awards == 5
    assert year.amount_awarded_pence == 3_800_000


def test_an_organisation_funded_twice_is_counted_once(year):
    # Reading Youth Club has an award in round 1 and a High Sheriff award.
    assert year.organisations_funded == 4


def test_applications_received_include_withdrawn_ones_but_not_drafts(year):
    # Round 1: five sent in (one later withdrawn) and a draft; round 2: one.
    assert year.applications == 6
    assert year.amount_requested_pence == 3_000_000


def test_the_success_rate_is_awards_on_applications_over_applications(year):
    assert year.success_rate == pytest.approx(2 / 6, abs=0.0001)


def test_the_budget_is_the_rounds_budgets_and_remaining_is_what_is_not_committed(year):
    assert year.budget_pence == (150_000 + 100_000 + 75_000 + 200_000) * 100
    # Remaining is the decisions board's figure: the awards counted in the report (£38,000)
    # and the £4,000 proposed in a round not yet published are both committed.
    assert year.remaining_pence == year.budget_pence - 3_800_000 - 400_000


def test_every_round_of_the_year_has_a_row_in_closing_order(year):
    assert [(row.code, row.awards, row.amount_awarded_pence) for row in year.by_round] == [
        ("PPAF-2019-1", 2, 1_300_000), ("PPAF-HS-2019", 2, 500_000),
        ("PPAF-2019-2", 0, 0), ("CSF-2019", 1, 2_000_000)]


def test_priorities_add_up_to_the_total_with_awards_without_one_in_none(year):
    assert rows(year.by_priority) == {
        "P1": (1, 200_000, 1),  # the Berkshire High Sheriff award
        # Round 1's two: the application's P3, and P3 set on the award over the
        # application's P1.
        "P3": (2, 1_300_000, 2),
        "none": (2, 2_300_000, 2),  # the Oxfordshire High Sheriff award and the CSF share
    }
    assert [row.code for row in year.by_priority] == ["P1", "P3", "none"]
    assert sum(row.awards for row in year.by_priority) == year.awards
    assert sum(row.amount_awarded_pence for row in year.by_priority) == (
        year.amount_awarded_pence)


def test_key_aims_are_the_awards_own_else_the_applications(year):
    # The award's own P3.2 replaces its application's P1.1.
    assert rows(year.by_key_aim) == {"P3.1": (1, 800_000, 1), "P3.2": (1, 500_000, 1)}


def test_an_award_serving_two_authorities_counts_in_full_in_each(year):
    assert rows(year.by_local_authority) == {
        "E07000178": (1, 800_000, 1),  # Oxford
        "E06000038": (2, 1_000_000, 1),  # Reading: round 1 and the High Sheriff award
        "E06000037": (1, 2_000_000, 1),  # West Berkshire: the CSF share (its own areas)
        "thames-valley": (1, 500_000, 1),
        "none": (1, 300_000, 1),
    }
    assert [row.name for row in year.by_local_authority] == [
        "Oxford", "Reading", "West Berkshire", "The whole of Thames Valley", "No area recorded"]


def test_counties_count_each_award_once_per_county_it_serves(year):
    assert rows(year.by_county) == {
        "Berkshire": (3, 3_000_000, 2),
        "Oxfordshire": (1, 800_000, 1),
        "thames-valley": (1, 500_000, 1),
        "none": (1, 300_000, 1),
    }


def test_organisation_types_are_counted(year):
    assert rows(year.by_organisation_type) == {
        "registered_charity": (1, 500_000, 1),
        "community_group": (2, 1_000_000, 1),
        "community_safety_partnership": (1, 2_000_000, 1),
        "faith_group": (1, 300_000, 1),
    }
    assert year.by_organisation_type[0].name == "Registered charity"


def test_high_sheriff_awards_are_counted_by_nominating_county(year):
    assert rows(year.by_high_sheriff_county) == {"Berkshire": (1, 200_000, 1),
                                                 "Oxfordshire": (1, 300_000, 1)}


def test_a_fund_leaves_out_the_other_funds_rounds(db_session, report_data):
    ppaf = figures.report_figures(db_session,
                                  selection.year_selection(db_session, "2019/20", "ppaf"))
    assert (ppaf.awards, ppaf.amount_awarded_pence, ppaf.organisations_funded) == (
        4, 1_800_000, 3)
    assert [row.code for row in ppaf.by_round] == ["PPAF-2019-1", "PPAF-HS-2019",
                                                   "PPAF-2019-2"]
    assert ppaf.budget_pence == 32_500_000


def test_a_round_report_has_the_rounds_figures(db_session, report_data):
    report = figures.report_figures(db_session,
                                    selection.round_selection(db_session, "PPAF-2019-1"))
    assert report.to_json() | {name: None for name in JSON_KEYS[10:]} == {
        "applications": 5, "amount_requested_pence": 2_600_000, "awards": 2,
        "amount_awarded_pence": 1_300_000, "repaid_pence": 0, "net_awarded_pence": 1_300_000,
        "organisations_funded": 2, "success_rate": 0.4,
        "budget_pence": 15_000_000, "remaining_pence": 13_700_000,
        **{name: None for name in JSON_KEYS[10:]}}
    assert rows(report.by_priority) == {"P3": (2, 1_300_000, 2)}


def test_a_round_is_found_by_its_id_or_its_code(db_session, report_data):
    by_id = selection.round_selection(db_session, str(report_data.round_hs_id))
    assert by_id.round.code == "PPAF-HS-2019"
    assert selection.round_selection(db_session, report_data.round_hs_id).round is by_id.round


def test_a_round_without_applications_has_no_success_rate(db_session, report_data):
    report = figures.report_figures(db_session,
                                    selection.round_selection(db_session, "PPAF-HS-2019"))
    assert report.applications == 0
    assert report.success_rate is None
    assert report.to_json()["success_rate"] is None


def test_the_next_year_has_only_its_own_rounds(db_session, report_data):
    report = figures.report_figures(db_session, selection.year_selection(db_session, "2020-21"))
    assert (report.awards, report.amount_awarded_pence) == (1, 100_000)
    assert rows(report.by_local_authority) == {"none": (1, 100_000, 1)}


def test_a_year_without_rounds_reports_zeros(db_session, report_data):
    report = figures.report_figures(db_session, selection.year_selection(db_session, "2010/11"))
    assert report.to_json() == {**dict.fromkeys(JSON_KEYS[:10], 0), "success_rate": None,
                                **{name: [] for name in JSON_KEYS[10:]}}


@pytest.mark.parametrize("text", ["2019", "19/20", "2019/2020", "2019/21", "", "twenty"])
def test_a_badly_written_year_is_refused(db_session, text):
    with pytest.raises(ReportError, match="2019/20"):
        selection.year_selection(db_session, text)


def test_an_unknown_fund_or_round_is_not_found(db_session, report_data):
    with pytest.raises(NotFound, match="no fund with the code 'XYZ'"):
        selection.year_selection(db_session, "2019/20", "XYZ")
    with pytest.raises(NotFound, match="no round with the id or code 'NOPE'"):
        selection.round_selection(db_session, "NOPE")


def _imported_round(db_session, requested_pence):
    """A past round whose one award came from a 360Giving file: no application behind it."""
    from datetime import UTC, datetime

    from grants.awards.models import Award, AwardSource, AwardStatus
    from grants.funds.models import Fund, Round
    from grants.organisations.models import Organisation, OrganisationType

    fund = db_session.scalar(select(Fund).where(Fund.code == "PPAF"))
    round_ = Round(code="PPAF-2019-OLD", title="Imported round", fund=fund,
                   opens_at=datetime(2019, 5, 1, tzinfo=UTC),
                   closes_at=datetime(2019, 6, 1, tzinfo=UTC), budget_pence=1_000_000,
                   decisions_published_at=datetime(2019, 6, 2, tzinfo=UTC))
    group = Organisation(name="Old Group", organisation_type=OrganisationType.COMMUNITY_GROUP)
    db_session.add_all([round_, group, Award(
        round=round_, organisation=group, amount_pence=500_000, status=AwardStatus.PAID,
        source=AwardSource.IMPORTED, amount_requested_pence=requested_pence,
        external_identifier="360G-old-1")])
    db_session.flush()
    return round_


def test_an_imported_rounds_applications_are_not_recorded_never_zero(db_session, report_data):
    _imported_round(db_session, 700_000)
    report = figures.report_figures(db_session,
                                    selection.round_selection(db_session, "PPAF-2019-OLD"))
    assert report.to_json()["applications"] is None
    assert report.amount_requested_pence == 700_000
    assert report.success_rate is None
    # The year it belongs to cannot say how many applications it received either.
    year = figures.report_figures(db_session, selection.year_selection(db_session, "2019/20"))
    assert (year.applications, year.success_rate) == (None, None)


def test_a_nomination_round_received_no_applications_which_is_known(db_session, report_data):
    report = figures.report_figures(db_session,
                                    selection.round_selection(db_session, "PPAF-HS-2019"))
    assert figures.applications_recorded(0, 0) and not figures.applications_recorded(0, 1)
    assert report.applications == 0


def test_repayments_are_shown_and_taken_off_the_amount_awarded(db_session, report_data,
                                                               user_factory):
    from datetime import date

    from grants.awards.models import Award
    from grants.monitoring.models import Repayment

    homes = db_session.scalar(select(Award).where(Award.title == "Safe at home: prison leavers"))
    db_session.add(Repayment(award_id=homes.id, amount_pence=120_050,
                             received_on=date(2020, 2, 1), reference="BACS 1",
                             recorded_by_id=user_factory().id))
    db_session.flush()
    report = figures.report_figures(db_session, selection.year_selection(db_session, "2019/20"))
    assert (report.amount_awarded_pence, report.repaid_pence, report.net_awarded_pence) == (
        3_800_000, 120_050, 3_679_950)
    other_year = figures.report_figures(db_session,
                                        selection.year_selection(db_session, "2020/21"))
    assert other_year.repaid_pence == 0
