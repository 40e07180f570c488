"""`flask offices create` and `flask offices load-areas`: an office set up without code."""

import csv
import io

import pytest
from sqlalchemy import func, select

from grants.areas.models import CommunitySafetyPartnership, County, LocalAuthority
from grants.offices.models import Office
from grants.offices.operations.areas_file import COLUMNS
from grants.organisations.models import Organisation
from grants.records.models import AuditEvent
from grants.reference.operations.seed import load_json, seed_reference

DYFED_POWYS = ["offices", "create", "--name",
               "Office of the Police and Crime Commissioner for Dyfed-Powys",
               "--short-name", "Dyfed-Powys", "--slug", "dyfed-powys",
               "--org-id", "GB-GOR-PC000105", "--grant-id-prefix", "360G-dppcc",
               "--contact-email", "Grants@DyfedPowys.example.org", "--welsh"]

HEADER = ",".join(COLUMNS)
ROWS = [
    "Dyfed,yes,Ceredigion,Ceredigion County Council,W06000008,unitary,GB-WLA-CRD,"
    "Ceredigion Community Safety Partnership,,",
    "Dyfed,yes,Pembrokeshire,Pembrokeshire County Council,W06000009,unitary,,"
    "Safer Pembrokeshire,,",
    "Powys,yes,Powys,Powys County Council,W06000023,unitary,,"
    "Powys Community Safety Partnership,,",
]


def areas_file(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "areas.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def dyfed_powys(runner, db_session):
    result = runner.invoke(args=DYFED_POWYS)
    assert result.exit_code == 0, result.output
    return db_session.scalars(select(Office).where(Office.slug == "dyfed-powys")).one()


def counts(session, office):
    return tuple(session.scalar(select(func.count()).select_from(model)
                                .where(model.office_id == office.id))
                 for model in (County, LocalAuthority, CommunitySafetyPartnership))


def test_offices_create_makes_an_office_with_the_usual_financial_year(dyfed_powys, db_session):
    assert (dyfed_powys.name, dyfed_powys.short_name, dyfed_powys.funder_org_id,
            dyfed_powys.grant_id_prefix, dyfed_powys.funder_name, dyfed_powys.contact_email,
            dyfed_powys.welsh, dyfed_powys.financial_year_start_month,
            dyfed_powys.financial_year_start_day, dyfed_powys.brand_colour) == (
        "Office of the Police and Crime Commissioner for Dyfed-Powys", "Dyfed-Powys",
        "GB-GOR-PC000105", "360G-dppcc",
        "Office of the Police and Crime Commissioner for Dyfed-Powys",
        "grants@dyfedpowys.example.org", True, 4, 1, "#3f2577")
    assert db_session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "office")).all() == ["office.created"]


def test_offices_create_refuses_a_taken_slug_and_a_bad_colour_saying_both(dyfed_powys, runner,
                                                                         db_session):
    result = runner.invoke(args=[*DYFED_POWYS[:-1], "--org-id", "GB-GOR-PC000106",
                                 "--grant-id-prefix", "360G-other", "--brand-colour", "#12345g"])

    assert result.exit_code == 1
    assert "There is already an office with the slug dyfed-powys" in result.output
    assert "Brand colour must be # and six hexadecimal digits" in result.output
    assert db_session.scalar(select(func.count()).select_from(Office)) == 1


def test_offices_create_refuses_a_day_no_year_can_start_on(runner, db_session):
    result = runner.invoke(args=[*DYFED_POWYS, "--financial-year-start", "02-29"])

    assert result.exit_code == 1
    assert "The financial year must start on a real day" in result.output
    assert db_session.scalar(select(func.count()).select_from(Office)) == 0


def test_load_areas_adds_counties_councils_and_partnerships_to_the_office(
        dyfed_powys, runner, db_session, tmp_path):
    result = runner.invoke(args=["offices", "load-areas", "dyfed-powys",
                                 areas_file(tmp_path, *ROWS)])

    assert result.exit_code == 0, result.output
    assert ("Added 2 counties, 3 local authorities, 3 community safety partnerships, "
            "3 council organisations, 3 partnership organisations") in result.output
    assert counts(db_session, dyfed_powys) == (2, 3, 3)
    ceredigion = db_session.scalars(select(LocalAuthority).where(
        LocalAuthority.gss_code == "W06000008")).one()
    assert (ceredigion.county.name, ceredigion.official_name, ceredigion.org_id,
            ceredigion.county.office_id) == (
        "Dyfed", "Ceredigion County Council", "GB-WLA-CRD", dyfed_powys.id)
    # Allocation rounds pay councils and partnerships as organisations.
    assert {organisation.name for organisation in db_session.scalars(
        select(Organisation).where(Organisation.local_authority_id == ceredigion.id))} == {
        "Ceredigion County Council", "Ceredigion Community Safety Partnership"}


def test_loading_the_same_areas_again_adds_nothing(dyfed_powys, runner, db_session, tmp_path):
    path = areas_file(tmp_path, *ROWS)
    runner.invoke(args=["offices", "load-areas", "dyfed-powys", path])

    result = runner.invoke(args=["offices", "load-areas", "dyfed-powys", path])

    assert result.exit_code == 0, result.output
    assert "Nothing added" in result.output
    assert counts(db_session, dyfed_powys) == (2, 3, 3)


def test_a_file_with_a_wrong_row_loads_nothing_and_names_each_row(dyfed_powys, runner,
                                                                  db_session, tmp_path):
    rows = [*ROWS, "Powys,yes,Nowhere,,E0600003X,unitary,,,,",
            "Powys,maybe,Elsewhere,,W06000099,parish,,,2021-04-01,2020-03-31",
            ROWS[0].replace("Ceredigion,Ceredigion County", "Again,Ceredigion County")]

    result = runner.invoke(args=["offices", "load-areas", "dyfed-powys",
                                 areas_file(tmp_path, *rows)])

    assert result.exit_code == 1
    assert "Nothing was loaded" in result.output
    assert "Row 5: the GSS code E0600003X is not of the form E06000037" in result.output
    assert "Row 6: the tier parish is not one of" in result.output
    assert "Row 6: High Sheriff must be yes or no, not maybe" in result.output
    assert "Row 6: the valid to date is before the valid from date" in result.output
    assert "Row 7: the GSS code W06000008 is in row 2 too" in result.output
    assert counts(db_session, dyfed_powys) == (0, 0, 0)


def test_a_file_without_a_required_column_is_refused_by_its_header(dyfed_powys, runner,
                                                                  tmp_path):
    header = HEADER.replace("GSS code", "Code")

    result = runner.invoke(args=["offices", "load-areas", "dyfed-powys",
                                 areas_file(tmp_path, *ROWS, header=header)])

    assert result.exit_code == 1
    assert "Row 1: “Code” is not a column this file may have" in result.output
    assert "Row 1: there is no column headed GSS code" in result.output


def test_a_council_of_another_office_is_refused(dyfed_powys, runner, db_session, tmp_path):
    seed_reference(db_session)
    reading = ROWS[0].replace("W06000008", "E06000038")

    result = runner.invoke(args=["offices", "load-areas", "dyfed-powys",
                                 areas_file(tmp_path, reading)])

    assert result.exit_code == 1
    assert ("Row 2: the GSS code E06000038 is a local authority of another office "
            "(Thames Valley)") in result.output


def test_load_areas_names_an_office_that_does_not_exist(runner, tmp_path):
    result = runner.invoke(args=["offices", "load-areas", "nowhere", areas_file(tmp_path, *ROWS)])

    assert result.exit_code == 1
    assert "There is no office with the slug nowhere" in result.output


def thames_valley_as_csv() -> str:
    """The shipped Thames Valley areas written in the file's shape: a row per council."""
    data = load_json("thames_valley_areas.json")
    sheriffs = {county["name"]: county.get("high_sheriff", False) for county in data["counties"]}
    partnerships = {gss: partnership["name"]
                    for partnership in data["community_safety_partnerships"]
                    for gss in partnership["areas"]}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for item in data["local_authorities"]:
        writer.writerow([item["county"], "yes" if sheriffs[item["county"]] else "no",
                         item["name"], item.get("official_name", ""), item["gss"], item["tier"],
                         item.get("org_id", ""), partnerships.get(item["gss"], ""),
                         item.get("valid_from", ""), item.get("valid_to", "")])
    return out.getvalue()


def _areas(session, office):
    councils = {(la.gss_code, la.name, la.official_name, la.org_id, la.tier, la.county.name,
                 la.county.has_high_sheriff, la.valid_from, la.valid_to)
                for la in session.scalars(select(LocalAuthority)
                                          .where(LocalAuthority.office_id == office.id))}
    partnerships = {(p.name, p.valid_from, p.valid_to,
                     tuple(sorted(la.gss_code for la in p.local_authorities)))
                    for p in session.scalars(select(CommunitySafetyPartnership).where(
                        CommunitySafetyPartnership.office_id == office.id))}
    return councils, partnerships


def test_thames_valleys_shipped_areas_in_the_files_shape_load_as_seed_reference_loads_them(
        runner, db_session, tmp_path):
    seed_reference(db_session)
    thames_valley = db_session.scalars(select(Office)).one()
    seeded = _areas(db_session, thames_valley)
    # Thames Valley's councils step aside (a GSS code is one office's), keeping their
    # counties and partnerships' names: those are unique within an office only.
    for authority in db_session.scalars(select(LocalAuthority)):
        authority.gss_code = "X" + authority.gss_code[1:]
    db_session.flush()
    runner.invoke(args=DYFED_POWYS)
    path = tmp_path / "thames_valley.csv"
    path.write_text(thames_valley_as_csv(), encoding="utf-8")

    result = runner.invoke(args=["offices", "load-areas", "dyfed-powys", str(path)])

    assert result.exit_code == 0, result.output
    dyfed_powys = db_session.scalars(select(Office).where(Office.slug == "dyfed-powys")).one()
    assert _areas(db_session, dyfed_powys) == seeded
