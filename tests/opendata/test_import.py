"""360Giving import: all or nothing, named problems, twice changes nothing, and round trips."""

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import delete, func, select

from grants.applications.models import Application
from grants.awards.models import MADE_STATUSES, Award, AwardSource, AwardStatus
from grants.extensions import db
from grants.funds.models import Round, RoundKind, RoundStatus
from grants.opendata.operations.export import Selection, export_to
from grants.opendata.operations.importing import ImportRefused, import_file
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from tests.opendata.schema import package_errors
from tests.opendata.test_export import PUBLISHER

PLAN = "TVPCC-PCP-2017-21"


def grant(identifier="360G-other-1", amount=1500, **changes) -> dict:
    item = {
        "id": identifier, "title": "Youth diversion", "description": "Sport after school.",
        "currency": "GBP", "amountAwarded": amount, "awardDate": "2019-08-20",
        "recipientOrganization": [{"id": "GB-CHC-1170001", "name": "Didcot Youth Trust"}],
        "fundingOrganization": [{"id": "GB-GOR-PC000117", "name": "OPCC Thames Valley"}],
        "grantProgramme": [{"code": "PPAF-2019-AUG", "title": "PPAF August 2019"}],
        "beneficiaryLocation": [{"name": "South Oxfordshire", "geoCode": "E07000179"}],
        "classifications": [{"vocabulary": PLAN, "code": "P3"},
                            {"vocabulary": PLAN, "code": "P3.2"}],
    }
    item.update(changes)
    return item


def package(*grants) -> bytes:
    return json.dumps({"grants": list(grants)}).encode()


def run_import(data: bytes, name="grants.json", fund="PPAF", **options):
    return import_file(db.session, io.BytesIO(data), name, fund, prefix="360G-tvopcc",
                       **options)


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(Award.id))),
            db.session.scalar(select(func.count(Organisation.id))),
            db.session.scalar(select(func.count(Round.id))))


def figures(fund_code=None) -> dict[str, tuple[int, int]]:
    """Counted awards and their amount per round, by SQL."""
    query = (select(Round.code, func.count(Award.id), func.sum(Award.amount_pence))
             .join(Award.round).where(Award.status.in_(MADE_STATUSES)).group_by(Round.code))
    return {code: (n, int(total)) for code, n, total in db.session.execute(query)}


def test_an_import_records_awards_organisations_and_rounds_as_published(reference):
    sheriff = grant("360G-other-2", 2500.25, awardDate="2019-12-03",
                    recipientOrganization=[{"id": "GB-COH-09000123", "name": "Witney CIC"}],
                    grantProgramme=[{"code": "PPAF-HS-1920", "title": "High Sheriff awards"}],
                    beneficiaryLocation=[{"geoCode": "E23000029"}],
                    classifications=[{"vocabulary": PLAN, "code": "P2"},
                                     {"vocabulary": "TVPCC-High-Sheriff",
                                      "code": "Oxfordshire"}],
                    amountAppliedFor="3000")
    summary = run_import(package(grant(), sheriff))

    assert summary.awards_created == 2 and summary.amount_created_pence == 400_025
    assert sorted(summary.rounds_created) == ["PPAF-2019-AUG", "PPAF-HS-1920"]
    first = db.session.scalars(select(Award).where(
        Award.external_identifier == "360G-other-1")).one()
    assert first.status is AwardStatus.CLOSED and first.source is AwardSource.IMPORTED
    assert first.amount_pence == 150_000 and first.awarded_on == date(2019, 8, 20)
    assert first.priority.code == "P3" and [a.code for a in first.key_aims] == ["P3.2"]
    assert [a.gss_code for a in first.areas] == ["E07000179"]
    assert first.organisation.charity_regulator is CharityRegulator.CCEW
    assert first.organisation.charity_number == "1170001"
    assert first.organisation.organisation_type is OrganisationType.REGISTERED_CHARITY
    round_ = first.round
    assert round_.kind is RoundKind.OPEN and round_.status is RoundStatus.PUBLISHED
    assert round_.financial_year == "2019/20" and round_.budget_pence == 150_000
    assert [p.code for p in round_.priorities] == ["P3"]
    nominated = db.session.scalars(select(Award).where(
        Award.external_identifier == "360G-other-2")).one()
    assert nominated.round.kind is RoundKind.NOMINATION
    assert nominated.nominating_county.name == "Oxfordshire"
    assert nominated.serves_whole_thames_valley and nominated.areas == []
    assert nominated.amount_requested_pence == 300_000
    assert nominated.organisation.company_number == "09000123"


def test_importing_the_same_file_twice_changes_nothing(reference):
    data = package(grant(), grant("360G-other-2", 700))
    run_import(data)
    before = counts()
    again = run_import(data)

    assert counts() == before
    assert again.awards_created == 0 and again.already_present == 2


def test_a_dry_run_says_what_it_would_create_and_changes_nothing(reference):
    before = counts()
    summary = run_import(package(grant(), grant("360G-other-2", 700)), dry_run=True)

    assert summary.awards_created == 2 and summary.rounds_created == ["PPAF-2019-AUG"]
    assert summary.organisations_created == ["Didcot Youth Trust"]
    assert counts() == before


def csv_file(rows: list[dict]) -> bytes:
    header = list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(title, "") for title in header])
    return out.getvalue().encode()


def csv_row(identifier: str, amount: str) -> dict:
    return {"Identifier": identifier, "Title": "Youth diversion", "Description": "Sport",
            "Currency": "GBP", "Amount Awarded": amount, "Award Date": "2019-08-20",
            "Recipient Org:0:Identifier": "GB-CHC-1170001", "Recipient Org:Name": "Didcot",
            "Grant Programme:Code": "PPAF-2019-AUG", "Grant Programme:Title": "August",
            "Beneficiary Location:0:Geographic Code": "E07000179",
            "Beneficiary Location:1:Geographic Code": "E07000178",
            "Classifications:0:Vocabulary": PLAN, "Classifications:0:Code": "P4"}


def test_a_csv_with_the_standards_titles_and_numbered_columns_imports(reference):
    summary = run_import(csv_file([csv_row("360G-x-1", "1,250.50"), csv_row("360G-x-2", "99")]),
                         name="grants.csv")

    assert summary.awards_created == 2 and summary.amount_created_pence == 134_950
    award = db.session.scalars(select(Award).where(Award.external_identifier == "360G-x-1")).one()
    assert sorted(a.gss_code for a in award.areas) == ["E07000178", "E07000179"]
    assert award.priority.code == "P4"


def test_an_xlsx_file_imports(reference):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "grants"
    row = csv_row("360G-x-9", "")
    sheet.append(list(row))
    row["Amount Awarded"] = 2000.5
    row["Award Date"] = date(2019, 8, 20)
    sheet.append(list(row.values()))
    out = io.BytesIO()
    workbook.save(out)

    summary = run_import(out.getvalue(), name="grants.xlsx")
    assert summary.awards_created == 1 and summary.amount_created_pence == 200_050


def test_a_file_with_a_bad_amount_a_missing_and_a_duplicate_identifier_imports_nothing(
        reference):
    rows = [csv_row("360G-x-1", "100"), csv_row("360G-x-2", "12.345"), csv_row("", "100"),
            csv_row("360G-x-1", "100"), csv_row("360G-x-5", "-4")]
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        run_import(csv_file(rows), name="grants.csv")

    problems = [str(p) for p in refused.value.problems]
    assert problems == [
        "Row 2, Amount Awarded: '12.345' has more than 2 decimal places",
        "Row 3, Identifier: is missing: every grant needs its own identifier",
        "Row 4, Identifier: 360G-x-1 is also the identifier of row 1: each grant needs its own",
        "Row 5, Amount Awarded: The amount must be more than 0",
    ]
    assert counts() == before


def test_an_unknown_fund_is_named_and_nothing_is_imported(reference):
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        run_import(package(grant()), fund="NOPE")

    assert [str(p) for p in refused.value.problems] == [
        "The file, fund: There is no fund with the code NOPE"]
    assert counts() == before


def test_unknown_codes_and_missing_org_ids_are_named_by_grant_and_field(reference):
    bad = grant("360G-other-3", recipientOrganization=[{"name": "No id"}],
                awardDate="2019-02-30")
    unknown = grant("360G-other-4", beneficiaryLocation=[{"geoCode": "E06000001"}],
                    classifications=[{"vocabulary": PLAN, "code": "P9"}])
    with pytest.raises(ImportRefused) as refused:
        run_import(package(grant(), bad, unknown))

    assert [str(p) for p in refused.value.problems] == [
        "Grant 2, Award Date: 2019-02-30 is not a date: write it as YYYY-MM-DD",
        "Grant 2, Recipient Org:Identifier: is missing: give the recipient's org-id, like "
        "GB-CHC-1123456",
        "Grant 3, Beneficiary Location:0:Geographic Code: E06000001 is not a Thames Valley "
        "council's GSS code",
        "Grant 3, Classifications:0:Code: P9 is not a priority of the plan TVPCC-PCP-2017-21",
    ]


def test_the_import_command_prints_each_problem_and_imports_nothing(reference, runner,
                                                                    tmp_path):
    db.session.commit()
    path = tmp_path / "bad.json"
    path.write_bytes(package(grant(amount="ten pounds"), grant("360G-other-2")))
    result = runner.invoke(args=["import-360giving", str(path), "--fund", "PPAF"])

    assert result.exit_code != 0
    assert "Grant 1, Amount Awarded: 'ten pounds' is not an amount in pounds" in result.output
    assert "Nothing was imported" in result.output
    assert counts()[0] == 0


def test_the_import_command_dry_run_prints_what_it_would_create(reference, runner, tmp_path):
    db.session.commit()
    path = tmp_path / "good.json"
    path.write_bytes(package(grant(), grant("360G-other-2", 700)))
    result = runner.invoke(args=["import-360giving", str(path), "--fund", "PPAF", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Would create 2 awards totalling £2,200." in result.output
    assert "PPAF-2019-AUG (new round): 2 awards, £2,200" in result.output
    assert "Dry run: nothing was changed." in result.output
    assert counts()[0] == 0

    done = runner.invoke(args=["import-360giving", str(path), "--fund", "PPAF"])
    assert done.exit_code == 0, done.output
    assert counts()[0] == 2


def wipe_awards() -> None:
    """A clean state: no awards, applications, rounds or organisations."""
    for model in (Award, Application, Round, Organisation):
        db.session.execute(delete(model))
    db.session.expunge_all()


def export_package(selection: Selection) -> bytes:
    out = io.BytesIO()
    export_to(db.session, selection, PUBLISHER, "json", out)
    return out.getvalue()


def _award_of(amount_pence: int) -> Award:
    return db.session.scalars(select(Award).where(Award.amount_pence == amount_pence)).one()


def test_an_export_imported_into_a_clean_state_gives_the_same_figures(history):
    expected = {code: value for code, value in figures().items() if code != "CSF-2020-1"}
    published = _award_of(450_050)
    published.conditions = "Spend at least £500 on safeguarding training"
    published.public_reason = "Ranked first of twelve"
    db.session.flush()
    data = export_package(Selection(fund="PPAF"))
    assert package_errors(json.loads(data)) == []
    wipe_awards()

    run_import(data)
    assert figures() == expected
    imported = _award_of(450_050)
    assert (imported.conditions, imported.public_reason) == (
        "Spend at least £500 on safeguarding training", "Ranked first of twelve")

    # and the imported awards export and re-import to the same figures again
    again = export_package(Selection(fund="PPAF"))
    wipe_awards()
    run_import(again)
    assert figures() == expected
    assert json.loads(again)["grants"][0]["id"] == "360G-tvopcc-PPAF-2019-08-0001"


def test_re_importing_the_services_own_export_adds_nothing(history):
    before = counts()
    summary = run_import(export_package(Selection(fund="PPAF")))

    assert summary.awards_created == 0 and summary.already_present == 3
    assert counts() == before


def test_a_round_of_another_fund_is_refused(history):
    with pytest.raises(ImportRefused) as refused:
        run_import(package(grant(grantProgramme=[{"code": "CSF-2020-1"}])))

    assert [str(p) for p in refused.value.problems] == [
        "Grant 1, Grant Programme:Code: round CSF-2020-1 belongs to fund CSF, not PPAF"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_spreadsheet_export_imports_into_a_clean_state_with_the_same_figures(history, fmt):
    expected = figures()
    published = _award_of(450_050)
    published.conditions = "Spend at least £500 on safeguarding training"
    published.public_reason = "Ranked first of twelve"
    db.session.flush()
    out = io.BytesIO()
    export_to(db.session, Selection(fund="PPAF"), PUBLISHER, fmt, out)
    csf = io.BytesIO()
    export_to(db.session, Selection(fund="CSF"), PUBLISHER, fmt, csf)
    wipe_awards()

    run_import(out.getvalue(), name=f"ppaf.{fmt}")
    run_import(csf.getvalue(), name=f"csf.{fmt}", fund="CSF")
    assert figures() == expected
    amounts = db.session.scalars(select(Award.amount_requested_pence).order_by(Award.id))
    assert 500_000 in set(amounts)
    imported = _award_of(450_050)
    assert (imported.conditions, imported.public_reason) == (
        "Spend at least £500 on safeguarding training", "Ranked first of twelve")


def test_organisations_are_matched_by_org_id_whatever_the_form_of_their_number(reference):
    existing = [
        Organisation(name="Belfast Link", organisation_type=OrganisationType.REGISTERED_CHARITY,
                     charity_regulator=CharityRegulator.CCNI, charity_number="NIC100123"),
        Organisation(name="Glasgow Link", organisation_type=OrganisationType.REGISTERED_CHARITY,
                     charity_regulator=CharityRegulator.OSCR, charity_number="SC012345"),
        Organisation(name="Company Link", organisation_type=OrganisationType.CIC,
                     company_number="09000001"),
    ]
    db.session.add_all(existing)
    db.session.flush()
    summary = run_import(package(*[
        grant(f"360G-other-{n}", recipientOrganization=[{"id": org_id, "name": "Renamed"}])
        for n, org_id in enumerate(("GB-NIC-100123", "GB-SC-SC012345", "GB-COH-09000001"))]))

    assert summary.organisations_created == []
    imported = db.session.scalars(select(Award).where(Award.source == AwardSource.IMPORTED)
                                  .order_by(Award.external_identifier)).all()
    assert [a.organisation for a in imported] == existing


def test_a_charity_that_is_also_a_company_is_one_organisation(reference):
    db.session.add(Organisation(name="Company Link", organisation_type=OrganisationType.OTHER,
                                company_number="09000001"))
    db.session.flush()
    both = {"id": "GB-CHC-1170009", "name": "Company Link", "companyNumber": "09000001"}
    summary = run_import(package(
        grant("360G-other-1", recipientOrganization=[both]),
        grant("360G-other-2", recipientOrganization=[{"id": "GB-COH-09000001", "name": "CL"}]),
        grant("360G-other-3", recipientOrganization=[{"id": "GB-CHC-1170009", "name": "CL"}])))

    assert summary.organisations_created == []
    assert len({a.organisation_id for a in db.session.scalars(
        select(Award).where(Award.source == AwardSource.IMPORTED))}) == 1


def test_a_council_is_found_by_its_org_id_whatever_name_the_file_gives_it(reference):
    council = db.session.scalars(select(Organisation).where(
        Organisation.name == "Reading Borough Council")).one()
    summary = run_import(package(grant(recipientOrganization=[
        {"id": "GB-LAE-RDG", "name": "Reading Council"}])))

    assert summary.organisations_created == []
    assert db.session.scalars(select(Award)).one().organisation == council


def test_the_services_own_identifier_finds_its_organisation_when_the_name_agrees(reference):
    group = Organisation(name="Banbury Street Pastors",
                         organisation_type=OrganisationType.COMMUNITY_GROUP)
    db.session.add(group)
    db.session.flush()
    summary = run_import(package(
        grant("360G-other-1", recipientOrganization=[
            {"id": f"360G-tvopcc-org-{group.id}", "name": "banbury street pastors"}]),
        grant("360G-other-2", recipientOrganization=[
            {"id": f"360G-tvopcc-org-{group.id}", "name": "Someone Else Entirely"}])))

    assert summary.organisations_created == ["Someone Else Entirely"]
    awards = db.session.scalars(select(Award).order_by(Award.external_identifier)).all()
    assert awards[0].organisation == group and awards[1].organisation != group


def test_planned_dates_and_the_postcode_are_kept(reference):
    run_import(package(
        grant("360G-other-1", plannedDates=[{"startDate": "2019-09-01",
                                             "endDate": "2020-08-31", "duration": 12}],
              recipientOrganization=[{"id": "GB-CHC-1170001", "name": "Didcot Youth Trust",
                                      "postalCode": "ox11 7aa"}]),
        grant("360G-other-2", plannedDates=[{"startDate": "2019-10-31", "duration": 4}],
              recipientOrganization=[{"id": "GB-CHC-1170002", "name": "Wantage Trust"}])))

    first, second = db.session.scalars(select(Award).order_by(Award.external_identifier))
    assert (first.planned_start, first.planned_end) == (date(2019, 9, 1), date(2020, 8, 31))
    assert first.organisation.postcode == "OX11 7AA"
    assert (second.planned_start, second.planned_end) == (date(2019, 10, 31), date(2020, 2, 28))


def test_bad_planned_dates_and_postcodes_are_named_and_nothing_is_imported(reference):
    with pytest.raises(ImportRefused) as refused:
        run_import(package(
            grant("360G-other-1", plannedDates=[{"startDate": "2019-09-01",
                                                 "endDate": "2019-08-31"}]),
            grant("360G-other-2", plannedDates=[{"startDate": "1 Sept", "duration": "a year"}]),
            grant("360G-other-3", recipientOrganization=[
                {"id": "GB-CHC-1170001", "name": "Didcot Youth Trust",
                 "postalCode": "Didcot"}])))

    assert [str(p) for p in refused.value.problems] == [
        "Grant 1, Planned Dates:End Date: must be on or after the start date",
        "Grant 2, Planned Dates:Start Date: 1 Sept is not a date: write it as YYYY-MM-DD",
        "Grant 2, Planned Dates:Duration (months): a year is not a number of months: write a "
        "whole number, like 12",
        "Grant 3, Recipient Org:Postal Code: Didcot is not a postcode: write it like RG1 1AA"]
    assert counts()[0] == 0


def test_the_conditions_and_reason_published_as_additional_data_are_kept(reference):
    run_import(package(
        grant("360G-other-1", additional_data={
            "conditions": " Spend at least £500 on safeguarding training ",
            "reason": "Ranked first of twelve", "their_own_field": 3}),
        grant("360G-other-2", recipientOrganization=[{"id": "GB-CHC-1170002",
                                                      "name": "Wantage Trust"}])))

    first, second = db.session.scalars(select(Award).order_by(Award.external_identifier))
    assert first.conditions == "Spend at least £500 on safeguarding training"
    assert first.public_reason == "Ranked first of twelve"
    assert (second.conditions, second.public_reason) == ("", "")


@pytest.mark.parametrize("additional_data,named", [
    ("Ranked first", "Additional data"),
    ({"reason": 12}, "Additional data:reason"),
])
def test_additional_data_that_is_not_text_is_named_and_nothing_is_imported(
        reference, additional_data, named):
    with pytest.raises(ImportRefused) as refused:
        run_import(package(grant(additional_data=additional_data)))

    assert [problem.field for problem in refused.value.problems] == [named]
    assert counts()[0] == 0
