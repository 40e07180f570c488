"""What the Specified Information Order asks to publish of each grant (its purpose, the
conditions attached and the reason for it), in the register and the 360Giving export: for
public awards only, and "not recorded" where an imported award never had them."""

import csv
import io
import json

from grants.awards.models import Award, AwardSource, AwardStatus
from grants.extensions import db
from grants.opendata.operations.export import Selection, export_to
from tests.opendata.schema import package_errors
from tests.opendata.test_export import PUBLISHER

SECRET = "The panel thought the treasurer unreliable"


def _give_reasons(history) -> None:
    history.charity_award.conditions = "Send a report on the mentoring each term"
    history.charity_award.public_reason = "Mentoring cuts reoffending among young people"
    # Awards nobody outside may see yet (proposed) or any more (declined) keep theirs private.
    history.proposed_award.public_reason = SECRET
    history.proposed_award.conditions = SECRET
    history.declined_award.public_reason = SECRET
    db.session.flush()


def _export(fmt: str) -> bytes:
    out = io.BytesIO()
    export_to(db.session, Selection(), PUBLISHER, fmt, out)
    return out.getvalue()


def test_the_register_shows_each_public_awards_purpose_conditions_and_reason(client, history):
    _give_reasons(history)

    html = client.get("/awards").get_data(as_text=True)

    assert "Purpose, conditions and reason" in html
    assert "Weekly mentoring for young people leaving custody." in html  # the purpose
    assert "Send a report on the mentoring each term" in html
    assert "Mentoring cuts reoffending among young people" in html
    assert SECRET not in html
    # The other three public awards have no conditions or reason recorded.
    assert html.count("Not recorded") == 2 * 3


def test_the_export_gives_the_purpose_and_the_conditions_and_reason_as_additional_data(
        history):
    _give_reasons(history)

    package = json.loads(_export("json"))
    grants = {grant["id"]: grant for grant in package["grants"]}
    charity = grants["360G-tvopcc-PPAF-2019-08-0001"]

    assert package_errors(package) == []
    assert charity["description"] == "Weekly mentoring for young people leaving custody."
    assert charity["additional_data"] == {
        "conditions": "Send a report on the mentoring each term",
        "reason": "Mentoring cuts reoffending among young people"}
    assert "additional_data" not in grants["360G-tvopcc-PPAF-2019-08-0002"]
    assert SECRET not in json.dumps(package)


def test_the_spreadsheet_has_a_column_for_the_conditions_and_one_for_the_reason(history):
    _give_reasons(history)

    rows = list(csv.DictReader(io.StringIO(_export("csv").decode("utf-8-sig"))))
    charity = next(row for row in rows if row["Identifier"] == "360G-tvopcc-PPAF-2019-08-0001")

    assert charity["additional_data/conditions"] == "Send a report on the mentoring each term"
    assert charity["additional_data/reason"] == "Mentoring cuts reoffending among young people"
    assert SECRET not in json.dumps(rows)


def test_an_imported_award_shows_what_the_import_had_and_not_recorded_otherwise(client,
                                                                                history):
    db.session.add(Award(round=history.csf, organisation=history.csf_award.organisation,
                         amount_pence=120_000, status=AwardStatus.CLOSED,
                         source=AwardSource.IMPORTED, title="Youth club nights",
                         description="Friday youth club nights in Reading",
                         external_identifier="360G-tvopcc-past-1",
                         areas=history.csf_award.areas))
    db.session.flush()

    html = client.get("/awards?fund=CSF").get_data(as_text=True)
    grant = next(g for g in json.loads(_export("json"))["grants"]
                 if g["id"] == "360G-tvopcc-past-1")

    assert "Friday youth club nights in Reading" in html
    assert html.count("Not recorded") == 2 * 2  # both CSF awards: no conditions, no reason
    assert grant["description"] == "Friday youth club nights in Reading"
    assert "additional_data" not in grant
