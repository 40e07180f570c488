"""Markup typed into any free-text field comes back escaped on every page that shows it, and
text that a spreadsheet would run as a formula comes out of the downloads as plain text."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select, update

from grants.applications.models import Application
from grants.awards.models import Award
from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.direct_awards.models import DirectAward, OnwardGrant
from grants.extensions import db
from grants.ledger.models import MoneyPaidIn
from grants.monitoring.models import MonitoringReport
from grants.nominations.models import Nomination
from grants.offices.operations.speaking import office_of_request
from grants.opendata.operations.export import Selection, export_to
from grants.opendata.operations.threesixty import Publisher
from grants.organisations.models import Organisation
from tests.hostile.walk import people_for

SCRIPT = "<script>alert('hostile')</script>"
IMAGE = "<img src=x onerror=alert('hostile')>"
FORMULA = '=HYPERLINK("http://evil.example","Click")'
PAYLOAD = f"{FORMULA} {SCRIPT} {IMAGE}"


def _store_markup_everywhere(world) -> None:
    """Put the payload in the free text of every organisation, application, nomination,
    monitoring report, award (its purpose, reason and conditions), direct award's delegate,
    Community Foundation's onward grant, payment into a fund, ceremony and reply of the data
    set."""
    db.session.execute(update(Organisation).values(
        name=PAYLOAD + " " + Organisation.name, address=PAYLOAD, contact_name=PAYLOAD))
    db.session.execute(update(Application).values(title=PAYLOAD))
    db.session.execute(update(Nomination).values(reason=PAYLOAD))
    db.session.execute(update(MonitoringReport).values(delivered=PAYLOAD, case_study=PAYLOAD))
    db.session.execute(update(Award).values(title=PAYLOAD, public_reason=PAYLOAD,
                                            conditions=PAYLOAD))
    db.session.execute(update(DirectAward).where(DirectAward.delegate_name != "")
                       .values(delegate_name=PAYLOAD))
    db.session.execute(update(OnwardGrant).values(
        recipient_name=PAYLOAD + " " + OnwardGrant.recipient_name, title=PAYLOAD))
    db.session.execute(update(MoneyPaidIn).values(source=PAYLOAD))
    db.session.execute(update(Ceremony).values(title=PAYLOAD, place=PAYLOAD, address=PAYLOAD,
                                               notes=PAYLOAD))
    db.session.execute(update(CeremonyInvitation).values(guest_names=PAYLOAD,
                                                         access_needs=PAYLOAD))
    db.session.commit()


def _pages(app, world) -> list[str]:
    """Every page (GET rule) of the app, built with the data set's first values."""
    adapter = app.url_map.bind("localhost")
    values = {name: choices[0] for name, choices in world.arguments.items() if choices}
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        arguments = {**values, **{name: choices[0] for name, choices
                                  in world.endpoint_arguments.get(rule.endpoint, {}).items()}}
        if not set(rule.arguments) <= set(arguments):
            continue
        pages.append(adapter.build(rule.endpoint, {name: arguments[name]
                                                   for name in rule.arguments}))
    return sorted(pages)


def test_markup_in_free_text_is_escaped_on_every_page_that_shows_it(app, world, people):
    _store_markup_everywhere(world)
    shown, unescaped = 0, []

    for page in _pages(app, world):
        for person in people_for(page)[:2]:
            response = people.client(person).get(page)
            if response.status_code != 200 or not response.mimetype.startswith("text/html"):
                # Close streamed downloads here, inside this request's turn, not when the
                # garbage collector gets to them during another request.
                response.close()
                continue
            html = response.get_data(as_text=True)
            if SCRIPT in html or IMAGE in html:
                unescaped.append(f"{page} as {person}")
            shown += "&lt;script&gt;alert(" in html
            break

    assert unescaped == []
    assert shown > 10, "the payload was shown on too few pages for the test to mean much"


def test_names_that_look_like_formulas_stay_text_in_the_open_data_downloads(
    app, world, people
):
    _store_markup_everywhere(world)
    client = people.client("anonymous")

    text = client.get("/awards/360giving.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(cell.startswith("'" + FORMULA) for cell in cells)
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)

    out = io.BytesIO()
    publisher = Publisher.of_office(office_of_request(db.session))
    export_to(db.session, Selection(), publisher, "xlsx", out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    values = [cell for row in workbook.active.iter_rows() for cell in row]
    assert any(str(cell.value).startswith(FORMULA) for cell in values)
    assert all(cell.data_type != "f" for cell in values)


def test_names_that_look_like_formulas_stay_text_in_the_staff_csv_downloads(
    app, world, people
):
    _store_markup_everywhere(world)
    client = people.client("staff")
    award = db.session.scalars(select(Award).where(Award.application_id.is_not(None))).first()
    round_id = award.round_id

    text = client.get(f"/staff/rounds/{round_id}/applications.csv").get_data(as_text=True)
    cells = [cell for row in list(csv.reader(io.StringIO(text)))[1:] for cell in row]
    assert any(FORMULA in cell for cell in cells)
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_names_that_look_like_formulas_stay_text_in_the_newest_staff_downloads(
    app, world, people
):
    """The ledger's payments in, the ceremony's guest list and a year's report with its
    Community Foundation allocations' onward grants."""
    _store_markup_everywhere(world)
    client = people.client("staff")
    fund_id = db.session.scalar(select(MoneyPaidIn.fund_id))
    ceremony_id = db.session.scalar(select(CeremonyInvitation.ceremony_id))
    delegated_round = db.session.scalar(
        select(Award.round_id).join(OnwardGrant, OnwardGrant.award_id == Award.id))

    for path in (f"/staff/funds/{fund_id}/money/paid-in.csv",
                 f"/staff/ceremonies/{ceremony_id}/guests.csv",
                 f"/staff/reports/rounds/{delegated_round}.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True).lstrip("\ufeff")
        cells = [cell for row in list(csv.reader(io.StringIO(text)))[1:] for cell in row]
        assert any(FORMULA in cell for cell in cells), path
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells), path
