"""The 360Giving export of a Community Foundation allocation: the PPAF's grant to the foundation
is a Common Regrant (FRG010), and with --include-onward the foundation's onward grants follow,
with the foundation as their funder, in JSON that validates and in CSV."""

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from grants.direct_awards.models import DirectAwardKind, OnwardGrant
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.extensions import db
from grants.opendata.operations.export import Selection, export_to
from grants.organisations.models import CharityRegulator, OrganisationType
from tests.direct_awards.conftest import (  # noqa: F401  (fixtures used by name)
    charity,
    entry,
    pay_in,
    plan,
    ppaf,
    record,
    recorder,
    signed_off,
    signer,
)
from tests.funds.conftest import now  # noqa: F401
from tests.opendata.schema import package_errors
from tests.opendata.test_export import PUBLISHER

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27


@pytest.fixture
def allocation(db_session, signed_off, pay_in, plan, recorder,  # noqa: F811
               organisation_factory, local_authority_factory):
    """£20,000 to Oxfordshire Community Foundation, which granted £6,000 from its own file
    and £4,000 typed by staff."""
    pay_in(50_000)
    foundation = organisation_factory(
        name="Oxfordshire Community Foundation", charity_regulator=CharityRegulator.CCEW,
        organisation_type=OrganisationType.REGISTERED_CHARITY, charity_number="1151621")
    p1 = plan.priorities[0]
    direct = signed_off(organisation_id=foundation.id, amount_pence=20_000_00,
                        kind=DirectAwardKind.DELEGATED, title="Small grants",
                        priority_id=p1.id, key_aim_ids=[p1.key_aims[0].id])
    oxford = local_authority_factory(name="Oxford", gss_code="E07000178")
    for changes in [{"identifier": "360G-OCF-77", "amount_pence": 6_000_00,
                     "recipient_org_id": "GB-CHC-1000077", "key_aim_id": p1.key_aims[0].id,
                     "area_ids": [oxford.id]},
                    {"amount_pence": 4_000_00, "serves_whole_thames_valley": True}]:
        add_onward_grant(db_session, recorder, direct.award_id, OnwardGrantEntry(
            recipient_name="Oxford Hub", awarded_on=date(2026, 5, 25), title="Mentoring",
            **changes))
    return direct


def exported(fmt: str = "json", **options) -> bytes:
    out = io.BytesIO()
    export_to(db.session, Selection(fund="PPAF"), PUBLISHER, fmt, out, **options)
    return out.getvalue()


def test_the_grant_to_the_foundation_is_a_common_regrant_and_a_direct_award_is_not(
        allocation, signed_off):  # noqa: F811
    signed_off()
    package = json.loads(exported())

    assert not package_errors(package)
    regrants = {grant["recipientOrganization"][0]["name"]: grant.get("regrantType")
                for grant in package["grants"]}
    assert regrants == {"Oxfordshire Community Foundation": "FRG010",
                        "Reading Street Support": None}


def test_onward_grants_are_exported_on_request_with_the_foundation_as_funder(allocation):
    package = json.loads(exported(include_onward=True))

    assert not package_errors(package)
    onward = [grant for grant in package["grants"] if "regrantType" not in grant]
    typed = db.session.scalars(select(OnwardGrant).where(
        OnwardGrant.identifier.is_(None))).one()
    assert [grant["id"] for grant in onward] == [
        "360G-OCF-77",
        f"360G-tvopcc-{allocation.award.round.code}-A{allocation.award_id}-O{typed.id}"]
    assert {json.dumps(grant["fundingOrganization"]) for grant in onward} == {json.dumps(
        [{"id": "GB-CHC-1151621", "name": "Oxfordshire Community Foundation"}])}
    assert onward[0]["recipientOrganization"] == [{"id": "GB-CHC-1000077",
                                                   "name": "Oxford Hub"}]
    assert [c["code"] for c in onward[0]["classifications"]] == ["P1", "P1.1"]
    assert onward[1]["beneficiaryLocation"][0]["geoCode"] == "E23000029"
    assert len(json.loads(exported())["grants"]) == 1


def test_the_csv_with_onward_grants_marks_the_regrant_and_names_each_funder(
        allocation, runner, tmp_path):
    rows = list(csv.DictReader(io.StringIO(exported("csv", include_onward=True).decode())))

    assert [(row["For Regrant Type"], row["Funding Org:Name"]) for row in rows] == [
        ("FRG010", "Office of the Police and Crime Commissioner for Thames Valley"),
        ("", "Oxfordshire Community Foundation"), ("", "Oxfordshire Community Foundation")]
    db.session.commit()  # inside the test's outer transaction, seen by the command's session
    target = tmp_path / "ppaf.json"
    result = runner.invoke(args=["export-360giving", "--fund", "PPAF", "--include-onward",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote 3 grants" in result.output
