"""A round's report counts its expressions of interest (received, invited, declined) beside
the full applications it counts as ever: on its page, in its spreadsheet and in the CLI's JSON."""

import io
import json

import pytest
from openpyxl import load_workbook

from grants.extensions import db
from grants.funds.models import RoundOrganisationType
from grants.interest.operations import deciding
from tests.fixtures import source
from tests.interest.making import sent_interest


@pytest.fixture
def answered(staff, member, organisation, staged_round, organisation_factory,
             membership_factory, user_factory):
    """Three sent: one waiting, one invited, one declined."""
    sent_interest(staged_round, organisation, member)
    for name in ("Oxford Night Shelter", "Slough Youth Club"):
        other = organisation_factory(name=name, organisation_type=organisation.organisation_type)
        someone = user_factory()
        membership_factory(user=someone, organisation=other)
        interest = sent_interest(staged_round, other, someone)
        if name.startswith("Oxford"):
            deciding.invite(db.session, staff, interest)
        else:
            deciding.decline(db.session, staff, interest, "Outside the round's priorities")
    db.session.commit()
    return staged_round


def test_the_round_report_page_counts_both_stages(sign_in_as, staff, answered):
    page = sign_in_as(staff).get(f"/staff/reports/rounds/{answered.id}")

    text = " ".join(page.get_data(as_text=True).split())
    for label, figure in (("Expressions of interest received", 3), ("Invited to apply", 1),
                          ("Declined", 1), ("Waiting for an answer", 1),
                          ("Applications received", 0)):
        assert f'{label}</dt> <dd class="govuk-summary-list__value">{figure}</dd>' in text, label


def test_the_round_report_spreadsheet_counts_both_stages(sign_in_as, staff, answered):
    download = sign_in_as(staff).get(f"/staff/reports/rounds/{answered.id}.xlsx")

    sheet = load_workbook(io.BytesIO(download.data))["Summary"]
    figures = {row[0].value: row[1].value for row in sheet.iter_rows() if len(row) > 1}
    assert [figures[label] for label in ("Expressions of interest received",
                                         "Invited to apply", "Declined",
                                         "Waiting for an answer", "Applications received")] \
        == [3, 1, 1, 1, 0]


def test_the_report_command_gives_the_stage_s_figures(runner, answered):
    result = runner.invoke(args=["report", "round", answered.code])

    assert json.loads(result.output)["expressions_of_interest"] == {
        "received": 3, "invited": 1, "declined": 1, "waiting": 1}


@pytest.fixture
def year_of_two(answered, round_factory, organisation, member):
    """The answered round and another of its year with the stage and one sent and waiting,
    and a third of the year without the stage: 4 received, 1 invited, 1 declined, 2 waiting."""
    same = {"fund": answered.fund, "opens_at": answered.opens_at,
            "closes_at": answered.closes_at, "launched_at": answered.launched_at}
    other = round_factory(code="PPAF-2026-3", interest_closes_at=answered.interest_closes_at,
                          organisation_type_rows=[
                              RoundOrganisationType(organisation_type=organisation.organisation_type)],
                          **same)
    sent_interest(other, organisation, member)
    round_factory(code="PPAF-2026-4", **same)
    return answered


def _year(round_, suffix=""):
    return f"/staff/reports/years/{round_.financial_year.replace('/', '-')}{suffix}"


def test_the_year_report_page_sums_the_stage_over_its_rounds(sign_in_as, staff, year_of_two):
    page = sign_in_as(staff).get(_year(year_of_two))

    text = " ".join(page.get_data(as_text=True).split())
    for label, figure in (("Expressions of interest received", 4), ("Invited to apply", 1),
                          ("Declined", 1), ("Waiting for an answer", 2)):
        assert f'{label}</dt> <dd class="govuk-summary-list__value">{figure}</dd>' in text, label


def test_the_year_report_downloads_sum_the_stage(sign_in_as, staff, year_of_two):
    client = sign_in_as(staff)
    sheet = load_workbook(io.BytesIO(client.get(_year(year_of_two, ".xlsx")).data))["Summary"]
    figures = {row[0].value: row[1].value for row in sheet.iter_rows() if len(row) > 1}
    rows = client.get(_year(year_of_two, ".csv")).get_data(as_text=True).splitlines()

    assert [figures[label] for label in ("Expressions of interest received", "Invited to apply",
                                         "Declined", "Waiting for an answer")] == [4, 1, 1, 2]
    assert [row.split(",")[6] for row in rows if row.startswith("expressions_of_interest")] \
        == ["4", "1", "1", "2"]


def test_the_year_command_gives_the_stage_s_summed_figures(runner, year_of_two):
    result = runner.invoke(args=["report", "year", year_of_two.financial_year])

    assert json.loads(result.output)["expressions_of_interest"] == {
        "received": 4, "invited": 1, "declined": 1, "waiting": 2}


def test_a_year_without_the_stage_has_no_stage_figures(runner, open_round):
    result = runner.invoke(args=["report", "year", open_round.financial_year])

    assert "expressions_of_interest" not in json.loads(result.output)


def test_only_the_one_function_counts_expressions_of_interest():
    counting = r"(?s)func\.count.*Interest(\.status|Status)|Interest(\.status|Status).*func\.count"
    assert source.modules_matching(counting) == {"interest/operations/listing.py"}
