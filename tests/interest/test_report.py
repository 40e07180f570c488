"""A round's report counts its expressions of interest (received, invited, declined) beside
the full applications it counts as ever: on its page, in its spreadsheet and in the CLI's JSON."""

import io
import json

import pytest
from openpyxl import load_workbook

from grants.extensions import db
from grants.interest.operations import deciding
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
