"""360Giving export: what counts, the standard's shape, and its identifiers."""

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from grants.awards.models import Award, AwardSource, AwardStatus
from grants.extensions import db
from grants.opendata.operations.export import (
    EmptySelection,
    Selection,
    export_to,
    iter_grants,
)
from grants.opendata.operations.threesixty import (
    Publisher,
    duration_months,
    geo_code_type,
)
from grants.organisations.models import Organisation, OrganisationType
from tests.opendata.schema import package_errors

PUBLISHER = Publisher(prefix="360G-tvopcc", funder_org_id="GB-GOR-PC000117",
                      funder_name="Office of the Police and Crime Commissioner for Thames Valley",
                      area_name="Thames Valley")


def export_json(selection: Selection) -> dict:
    out = io.BytesIO()
    export_to(db.session, selection, PUBLISHER, "json", out)
    return json.loads(out.getvalue())


def by_id(package: dict) -> dict[str, dict]:
    return {grant["id"]: grant for grant in package["grants"]}


def test_the_json_export_validates_against_the_package_schema_with_formats_checked(history):
    package = export_json(Selection())

    assert package_errors(package) == []
    assert len(package["grants"]) == 4


def test_the_validator_checks_dates_so_a_bad_award_date_fails_and_a_good_one_passes(history):
    package = export_json(Selection())
    package["grants"][0]["awardDate"] = "2019-13-45"
    assert any("awardDate" in error for error in package_errors(package))
    package["grants"][0]["awardDate"] = "2019-08-14T10:00:00+01:00"
    assert package_errors(package) == []


def test_only_counted_awards_are_exported_with_their_ids_amounts_and_dates(history):
    grants = by_id(export_json(Selection(fund="PPAF")))
    sheriff_id = f"360G-tvopcc-PPAF-HS-2019-A{history.nominated_award.id}"

    assert set(grants) == {"360G-tvopcc-PPAF-2019-08-0001", "360G-tvopcc-PPAF-2019-08-0002",
                           sheriff_id}
    first = grants["360G-tvopcc-PPAF-2019-08-0001"]
    assert first["amountAwarded"] == 4500.5 and first["amountAppliedFor"] == 5000
    assert first["awardDate"] == "2019-08-14" and first["currency"] == "GBP"
    assert first["title"] == "Mentoring young offenders"
    assert first["description"] == "Weekly mentoring for young people leaving custody."
    assert first["grantProgramme"] == [{"code": "PPAF-2019-08", "title": "PPAF August 2019"}]
    assert first["fundingOrganization"] == [{
        "id": "GB-GOR-PC000117",
        "name": "Office of the Police and Crime Commissioner for Thames Valley"}]
    assert "amountAppliedFor" not in grants[sheriff_id]


def test_recipients_are_named_by_org_id_or_an_internal_id_where_they_have_no_number(history):
    grants = by_id(export_json(Selection()))
    sheriff_id = f"360G-tvopcc-PPAF-HS-2019-A{history.nominated_award.id}"

    assert grants["360G-tvopcc-PPAF-2019-08-0001"]["recipientOrganization"][0] == {
        "id": "GB-CHC-1190001", "name": "Reading Riverside Mentors",
        "charityNumber": "1190001", "postalCode": "RG1 1AA"}
    assert grants["360G-tvopcc-PPAF-2019-08-0002"]["recipientOrganization"][0]["id"] == (
        "GB-COH-09123456")
    assert grants[sheriff_id]["recipientOrganization"][0]["id"] == (
        f"360G-tvopcc-org-{history.nominated_award.organisation_id}")


def test_locations_have_gss_codes_and_classifications_the_plan_and_the_high_sheriff(history):
    grants = by_id(export_json(Selection()))
    first = grants["360G-tvopcc-PPAF-2019-08-0001"]
    whole = grants["360G-tvopcc-PPAF-2019-08-0002"]
    nominated = grants[f"360G-tvopcc-PPAF-HS-2019-A{history.nominated_award.id}"]

    assert [(loc["geoCode"], loc["geoCodeType"]) for loc in first["beneficiaryLocation"]] == [
        ("E06000038", "UA"), ("E06000039", "UA")]
    assert whole["beneficiaryLocation"] == [{"name": "Thames Valley", "countryCode": "GB",
                                             "geoCode": "E23000029", "geoCodeType": "PFA"}]
    assert [(c["vocabulary"], c["code"]) for c in first["classifications"]] == [
        ("TVPCC-PCP-2017-21", "P3"), ("TVPCC-PCP-2017-21", "P3.1")]
    assert [(c["vocabulary"], c["code"]) for c in nominated["classifications"]] == [
        ("TVPCC-PCP-2017-21", "P2"), ("TVPCC-High-Sheriff", "Oxfordshire")]
    assert nominated["beneficiaryLocation"][0]["geoCodeType"] == "NMD"


def test_an_imported_award_keeps_its_own_identifier(history):
    history.csf_award.external_identifier = "360G-elsewhere-42"
    db.session.flush()

    assert set(by_id(export_json(Selection(fund="CSF")))) == {"360G-elsewhere-42"}


def test_selections_by_round_year_and_fund(history):
    assert len(export_json(Selection(year="2019/20"))["grants"]) == 3
    assert len(export_json(Selection(year="2020/21", fund="CSF"))["grants"]) == 1
    assert len(export_json(Selection(round="PPAF-HS-2019"))["grants"]) == 1
    assert len(export_json(Selection(round=str(history.august.id)))["grants"]) == 2


def test_an_empty_selection_is_refused_with_a_clear_message(history):
    with pytest.raises(EmptySelection, match="No published awards match the year 2015/16"):
        export_to(db.session, Selection(year="2015/16"), PUBLISHER, "json", io.BytesIO())


def test_the_export_holds_no_personal_data(history):
    out = io.BytesIO()
    export_to(db.session, Selection(), PUBLISHER, "json", out)
    text = out.getvalue().decode()

    for personal in ("Pat Private", "pat.private@example.org", "01234 567890", "Dana Declarer"):
        assert personal not in text


def test_the_csv_uses_the_standards_column_titles_with_numbered_lists(history):
    out = io.BytesIO()
    export_to(db.session, Selection(), PUBLISHER, "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode())))
    header = rows[0]

    assert header[:7] == ["Identifier", "Title", "Description", "Currency",
                          "Amount Applied For", "Amount Awarded", "Award Date"]
    for title in ("Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier",
                  "Funding Org:Name", "Grant Programme:Code", "Grant Programme:Title",
                  "Beneficiary Location:0:Name", "Beneficiary Location:0:Geographic Code",
                  "Beneficiary Location:1:Geographic Code", "Classifications:0:Vocabulary",
                  "Classifications:0:Code", "Classifications:0:Title", "Classifications:2:Code"):
        assert title in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Identifier"] == "360G-tvopcc-PPAF-2019-08-0001"
    assert first["Amount Awarded"] == "4500.50"
    assert first["Recipient Org:Identifier"] == "GB-CHC-1190001"
    assert len(rows) == 5


def test_the_xlsx_has_the_same_titles_and_money_as_currency_cells(history):
    out = io.BytesIO()
    export_to(db.session, Selection(fund="PPAF"), PUBLISHER, "xlsx", out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["grants"]
    header = [cell.value for cell in sheet[1]]
    first = {title: cell for title, cell in zip(header, sheet[2], strict=True)}

    assert header[0] == "Identifier" and "Recipient Org:Identifier" in header
    assert first["Amount Awarded"].value == 4500.5
    assert "£" in first["Amount Awarded"].number_format
    assert first["Recipient Org:Identifier"].value == "GB-CHC-1190001"
    assert sheet.max_row == 4


def test_the_grants_are_read_in_batches_not_all_at_once(history, monkeypatch):
    monkeypatch.setattr("grants.opendata.operations.export.BATCH_SIZE", 1)
    grants = iter_grants(db.session, Selection(), PUBLISHER)

    assert next(grants)["id"] == "360G-tvopcc-PPAF-2019-08-0001"
    assert len(list(grants)) == 3


def test_the_export_command_writes_a_file_and_refuses_an_empty_selection(history, runner,
                                                                         tmp_path):
    db.session.commit()  # inside the test's outer transaction, seen by the command's session
    target = tmp_path / "ppaf.json"
    result = runner.invoke(args=["export-360giving", "--year", "2019/20", "--fund", "PPAF",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(target.read_text())["grants"]) == 3

    refused = runner.invoke(args=["export-360giving", "--round", "NO-SUCH-ROUND"])
    assert refused.exit_code != 0
    assert "No published awards match round NO-SUCH-ROUND" in refused.output


def test_planned_dates_come_from_the_application_with_their_length_in_months(history):
    grants = by_id(export_json(Selection()))

    assert grants["360G-tvopcc-PPAF-2019-08-0001"]["plannedDates"] == [{
        "startDate": "2019-09-01", "endDate": "2020-08-31", "duration": 12}]
    assert "plannedDates" not in grants["360G-tvopcc-PPAF-2019-08-0002"]


def test_an_award_that_holds_its_own_dates_publishes_them_before_its_applications(history):
    history.nominated_award.planned_start = date(2019, 12, 15)
    history.nominated_award.planned_end = date(2020, 1, 14)
    history.charity_award.planned_start = date(2019, 10, 1)
    history.charity_award.planned_end = date(2019, 10, 1)
    db.session.flush()
    grants = by_id(export_json(Selection()))

    nominated = grants[f"360G-tvopcc-PPAF-HS-2019-A{history.nominated_award.id}"]
    assert nominated["plannedDates"] == [{"startDate": "2019-12-15", "endDate": "2020-01-14",
                                          "duration": 1}]
    assert grants["360G-tvopcc-PPAF-2019-08-0001"]["plannedDates"] == [{
        "startDate": "2019-10-01", "endDate": "2019-10-01", "duration": 1}]


def test_an_end_date_moved_by_a_variation_is_the_published_end_date(history, user_factory):
    from datetime import UTC, datetime

    from grants.monitoring.models import Variation

    staff = user_factory()
    award = history.charity_award
    for agreed_at, new_end_on in ((datetime(2020, 6, 1, tzinfo=UTC), date(2020, 11, 30)),
                                  (datetime(2020, 7, 1, tzinfo=UTC), date(2020, 12, 31)),
                                  (datetime(2020, 8, 1, tzinfo=UTC), None)):  # purpose only
        db.session.add(Variation(award_id=award.id, new_end_on=new_end_on, reason="Delays",
                                 changed_purpose="" if new_end_on else "Wider reach",
                                 agreed_by_id=staff.id, agreed_at=agreed_at))
    db.session.flush()

    grants = by_id(export_json(Selection()))

    # The latest variation that moved the end date: 1 September 2019 to 31 December 2020.
    assert grants["360G-tvopcc-PPAF-2019-08-0001"]["plannedDates"] == [{
        "startDate": "2019-09-01", "endDate": "2020-12-31", "duration": 16}]


@pytest.mark.parametrize(("start", "end", "months"), [
    (date(2020, 4, 1), date(2021, 3, 31), 12),
    (date(2020, 4, 1), date(2021, 4, 1), 13),
    (date(2020, 1, 31), date(2020, 2, 28), 1),
    (date(2020, 1, 31), date(2020, 3, 1), 2),
    (date(2020, 6, 15), date(2020, 6, 15), 1),
])
def test_a_grants_length_counts_a_part_month_as_a_whole_one(start, end, months):
    assert duration_months(start, end) == months


def test_the_recipients_postcode_is_published_when_it_has_one(history):
    grants = by_id(export_json(Selection()))

    assert grants["360G-tvopcc-PPAF-2019-08-0001"]["recipientOrganization"][0][
        "postalCode"] == "RG1 1AA"
    assert "postalCode" not in grants["360G-tvopcc-PPAF-2019-08-0002"][
        "recipientOrganization"][0]


def test_a_council_is_named_by_its_org_id_and_a_partnership_by_each_area_it_covers(history):
    organisations = {o.name: o for o in db.session.scalars(select(Organisation).where(
        Organisation.organisation_type.in_([OrganisationType.LOCAL_AUTHORITY,
                                            OrganisationType.COMMUNITY_SAFETY_PARTNERSHIP])))}
    council = organisations["Reading Borough Council"]
    partnership = organisations["South and Vale Community Safety Partnership"]
    for organisation in (council, partnership):
        db.session.add(Award(round=history.csf, organisation=organisation,
                             amount_pence=1_000_000, status=AwardStatus.ACCEPTED,
                             source=AwardSource.ALLOCATION, title="Allocation",
                             areas=list(organisation.areas), awarded_on=date(2020, 6, 1)))
    db.session.flush()
    package = export_json(Selection(fund="CSF"))
    grants = {g["recipientOrganization"][0]["name"]: g for g in package["grants"]}

    assert package_errors(package) == []
    assert grants["Reading Borough Council"]["recipientOrganization"][0]["id"] == "GB-LAE-RDG"
    assert [(loc["name"], loc["geoCode"], loc["geoCodeType"])
            for loc in grants["South and Vale Community Safety Partnership"][
                "beneficiaryLocation"]] == [
        ("South Oxfordshire", "E07000179", "NMD"), ("Vale of White Horse", "E07000180", "NMD")]
    assert not any("-org-" in g["recipientOrganization"][0]["id"] for g in package["grants"]
                   if g["recipientOrganization"][0]["name"] == "Reading Borough Council")


@pytest.mark.parametrize(("gss", "kind"), [
    ("E06000038", "UA"), ("E07000179", "NMD"), ("E10000002", "CTY"), ("E23000029", "PFA"),
    ("E22000001", "CSP"), ("W06000015", "UA"), ("E99999999", None)])
def test_the_kind_of_area_comes_from_the_standards_codelist_by_its_gss_code(gss, kind):
    assert geo_code_type(gss) == kind


def test_the_spreadsheet_has_columns_for_the_planned_dates_and_the_postcode(history):
    out = io.BytesIO()
    export_to(db.session, Selection(), PUBLISHER, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    first = next(r for r in rows if r["Identifier"] == "360G-tvopcc-PPAF-2019-08-0001")

    assert (first["Planned Dates:Start Date"], first["Planned Dates:End Date"],
            first["Planned Dates:Duration (months)"]) == ("2019-09-01", "2020-08-31", "12")
    assert first["Recipient Org:Postal Code"] == "RG1 1AA"
