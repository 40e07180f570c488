"""360Giving spreadsheets as flattentool makes them: the importer reads every sheet, and
export → flatten → import → export gives the same grants (flattentool is the oracle)."""

import io
import json
import socket
from datetime import date
from importlib import resources

import pytest
from flattentool import flatten, unflatten
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select

from grants.applications.models import Application
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.demo.operations.history import load_history
from grants.extensions import db
from grants.funds.models import Round
from grants.opendata.operations.checking import check_grants
from grants.opendata.operations.export import Selection, export_to
from grants.opendata.operations.importing import ImportRefused, import_file
from grants.opendata.operations.reading import read_grants
from grants.opendata.operations.threesixty import GRANT_SCHEMA_FILE
from grants.organisations.models import Organisation
from tests.opendata.schema import package_errors
from tests.opendata.test_export import PUBLISHER

# flattentool says it leaves out the schema's untitled transaction lists, which the export
# never writes.
pytestmark = pytest.mark.filterwarnings("ignore:Field .* does not have a title")

LIST_SHEETS = {"Recipient Org", "Funding Org", "Grant Programme", "Beneficiary Location",
               "Classifications", "Planned Dates"}


@pytest.fixture
def offline(monkeypatch):
    """flattentool must work from the schema kept in the package, never the network."""
    def refuse(*args, **kwargs):
        raise AssertionError("the test tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def schema_file(tmp_path):
    path = tmp_path / GRANT_SCHEMA_FILE
    path.write_text(resources.files("grants.opendata").joinpath(GRANT_SCHEMA_FILE)
                    .read_text("utf-8"), encoding="utf-8")
    return path


def export(selection: Selection, fmt: str = "json") -> bytes:
    out = io.BytesIO()
    export_to(db.session, selection, PUBLISHER, fmt, out)
    return out.getvalue()


def flattened(package: bytes, tmp_path, schema_file, fmt: str = "xlsx"):
    """The package as flattentool writes it with the standard's titles: one sheet per list."""
    tmp_path.mkdir(exist_ok=True)
    source = tmp_path / "package.json"
    source.write_bytes(package)
    target = tmp_path / ("flat.xlsx" if fmt == "xlsx" else "flat")
    flatten(str(source), schema=str(schema_file), output_name=str(target), output_format=fmt,
            main_sheet_name="grants", root_list_path="grants", root_id="", use_titles=True,
            remove_empty_schema_columns=True)
    return target


def wipe_awards_keeping_organisations() -> None:
    for model in (Award, Application, Round):
        db.session.execute(delete(model))
    db.session.expunge_all()


def run_import(data: bytes, name: str, fund: str = "PPAF", **options):
    return import_file(db.session, io.BytesIO(data), name, fund, prefix="360G-tvopcc",
                       **options)


def test_flattentool_writes_a_sheet_per_list_and_works_offline(history, tmp_path, schema_file,
                                                                offline):
    workbook = load_workbook(flattened(export(Selection()), tmp_path, schema_file))

    assert workbook.sheetnames[0] == "grants"
    assert set(workbook.sheetnames[1:]) == LIST_SHEETS


def _council_and_partnership_awards(history) -> None:
    """A council and a partnership (no org-id of its own) among the CSF's awards."""
    for name in ("Reading Borough Council", "South and Vale Community Safety Partnership"):
        organisation = db.session.scalars(select(Organisation).where(
            Organisation.name == name)).one()
        db.session.add(Award(round=history.csf, organisation=organisation,
                             amount_pence=1_000_000, status=AwardStatus.ACCEPTED,
                             source=AwardSource.ALLOCATION, title="Allocation",
                             areas=list(organisation.areas), awarded_on=date(2020, 6, 1)))
    db.session.flush()


def test_export_flatten_import_export_gives_the_same_grants(history, tmp_path, schema_file,
                                                             offline):
    load_history(db.session)
    _council_and_partnership_awards(history)
    packages = {fund: json.loads(export(Selection(fund=fund))) for fund in ("PPAF", "CSF")}
    assert [package_errors(package) for package in packages.values()] == [[], []]
    before = {fund: package["grants"] for fund, package in packages.items()}
    assert len(before["PPAF"]) == 83 and len(before["CSF"]) == 3
    assert sum("classifications" in g for g in before["PPAF"]) == 83
    assert sum("beneficiaryLocation" in g for g in before["PPAF"]) == 83
    assert sum("plannedDates" in g for g in before["PPAF"]) == 1
    assert {g["recipientOrganization"][0]["id"] for g in before["CSF"]} >= {"GB-LAE-RDG"}
    flat = {}
    for fund, grants in before.items():
        flat[fund] = flattened(json.dumps({"grants": grants}).encode(), tmp_path / fund,
                               schema_file)
    organisations = db.session.scalar(select(func.count(Organisation.id)))
    wipe_awards_keeping_organisations()

    for fund in before:
        summary = run_import(flat[fund].read_bytes(), "flat.xlsx", fund=fund)
        assert summary.organisations_created == []

    assert db.session.scalar(select(func.count(Organisation.id))) == organisations
    for fund, grants in before.items():
        assert json.loads(export(Selection(fund=fund)))["grants"] == grants


def test_json_csv_one_sheet_and_flattened_xlsx_give_the_same_grants(history, tmp_path,
                                                                     schema_file, offline):
    load_history(db.session)
    package = export(Selection(fund="PPAF"))
    files = {
        "grants.json": package,
        "grants.csv": export(Selection(fund="PPAF"), "csv"),
        "grants.xlsx": export(Selection(fund="PPAF"), "xlsx"),
        "flat.xlsx": flattened(package, tmp_path, schema_file).read_bytes(),
    }
    read = {}
    for name, data in files.items():
        raws, unit = read_grants(io.BytesIO(data), name)
        checked, problems = check_grants(raws, unit)
        assert problems == [], name
        read[name] = checked

    assert len(read["grants.json"]) == 83
    for name in ("grants.csv", "grants.xlsx", "flat.xlsx"):
        assert read[name] == read["grants.json"], name


def test_flattentool_reads_the_one_sheet_csv_as_the_json_export(history, tmp_path,
                                                                schema_file, offline):
    folder = tmp_path / "one-sheet"
    folder.mkdir()
    (folder / "grants.csv").write_bytes(export(Selection(), "csv"))
    target = tmp_path / "unflattened.json"
    unflatten(str(folder), input_format="csv", schema=str(schema_file),
              output_name=str(target), root_list_path="grants", root_id="",
              convert_titles=True)

    assert json.loads(target.read_text())["grants"] == json.loads(export(Selection()))["grants"]


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


MAIN = [["Identifier", "Title", "Currency", "Amount Awarded", "Award Date",
         "Recipient Org:Identifier", "Recipient Org:Name", "Grant Programme:Code"],
        ["360G-other-1", "Youth diversion", "GBP", 1500, "2019-08-20", "GB-CHC-1170001",
         "Didcot Youth Trust", "PPAF-2019-AUG"]]


def test_a_sheet_the_standard_does_not_have_is_refused_by_name(reference):
    data = workbook_bytes({"grants": MAIN, "Notes": [["Remember to check"]],
                           "Sheet2": []})

    with pytest.raises(ImportRefused) as refused:
        run_import(data, "grants.xlsx")

    assert [str(p) for p in refused.value.problems] == [
        "The file, Notes sheet: is not a sheet of the 360Giving standard: a workbook holds "
        "the grants sheet and a sheet for each list named by its title (Recipient Org, "
        "Beneficiary Location, Classifications, …). Remove the sheet or give it the right name"]
    assert db.session.scalar(select(func.count(Award.id))) == 0


def test_a_list_row_for_a_grant_the_file_does_not_have_is_refused(reference):
    data = workbook_bytes({"grants": MAIN, "Classifications": [
        ["Identifier", "Classifications:Vocabulary", "Classifications:Code"],
        ["360G-other-1", "TVPCC-PCP-2017-21", "P3"],
        ["360G-other-9", "TVPCC-PCP-2017-21", "P4"],
        ["", "TVPCC-PCP-2017-21", "P4"]]})

    with pytest.raises(ImportRefused) as refused:
        run_import(data, "grants.xlsx")

    assert [str(p) for p in refused.value.problems] == [
        "Classifications sheet, row 2, Identifier: 360G-other-9 is not the identifier of a "
        "grant on the grants sheet",
        "Classifications sheet, row 3, Identifier: is missing: give the identifier of the "
        "grant the row belongs to"]
    assert db.session.scalar(select(func.count(Award.id))) == 0


def test_each_list_sheet_adds_its_rows_to_their_grants_in_order(reference):
    data = workbook_bytes({"grants": MAIN, "Classifications": [
        ["Identifier", "Classifications:Vocabulary", "Classifications:Code"],
        ["360G-other-1", "TVPCC-PCP-2017-21", "P3"],
        ["360G-other-1", "TVPCC-PCP-2017-21", "P3.2"]],
        "Beneficiary Location": [["Identifier", "Beneficiary Location:Geographic Code"],
                                 ["360G-other-1", "E07000179"]],
        "Planned Dates": [["Identifier", "Planned Dates:Start Date",
                           "Planned Dates:Duration (months)"],
                          ["360G-other-1", "2019-09-01", 6]]})

    run_import(data, "grants.xlsx")

    award = db.session.scalars(select(Award)).one()
    assert award.priority.code == "P3" and [a.code for a in award.key_aims] == ["P3.2"]
    assert [a.gss_code for a in award.areas] == ["E07000179"]
    assert (award.planned_start.isoformat(), award.planned_end.isoformat()) == (
        "2019-09-01", "2020-02-29")


def test_the_import_command_reads_a_flattened_workbook(history, runner, tmp_path, schema_file,
                                                       offline):
    flat = flattened(export(Selection(fund="PPAF")), tmp_path, schema_file)
    wipe_awards_keeping_organisations()
    db.session.commit()  # inside the test's outer transaction, seen by the command's session

    result = runner.invoke(args=["import-360giving", str(flat), "--fund", "PPAF", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "3 grants in the file; 0 already in the service." in result.output
    assert "Would create 3 awards totalling £12,500.50." in result.output
