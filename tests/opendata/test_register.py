"""The public register of awards: what it lists, its filters, pages and downloads."""

import json
from datetime import date

from grants.applications.models import Application
from grants.awards.models import Award, AwardStatus
from grants.extensions import db
from grants.opendata.operations import register
from grants.organisations.models import Organisation, OrganisationType
from tests.opendata.schema import package_errors


def page_text(client, query: str = "") -> str:
    response = client.get("/awards" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_register_lists_counted_awards_to_anyone_without_signing_in(client, history):
    html = page_text(client)

    assert "<title>Grants awarded — " in html
    for shown in ("Reading Riverside Mentors", "Mentoring young offenders", "£4,500.50",
                  "14 August 2019", "PPAF August 2019", "P3 Reducing Re-offending",
                  "Reading, Slough", "All of Thames Valley", "Night-time economy volunteers",
                  "Cherwell", "Community safety allocation", "4 grants"):
        assert shown in html
    assert "Declined by the recipient" not in html
    assert "Not yet offered" not in html


def test_the_register_shows_no_personal_data(client, history):
    html = page_text(client)

    for personal in ("Pat Private", "pat.private@example.org", "01234 567890", "Dana Declarer"):
        assert personal not in html


def test_the_register_filters_by_year_fund_priority_and_area(client, history, reference):
    assert "Community safety allocation" in page_text(client, "?year=2020/21")
    assert "Mentoring young offenders" not in page_text(client, "?year=2020/21")
    assert "1 grant<" in page_text(client, "?fund=CSF")
    by_priority = page_text(client, f"?priority={reference['priorities']['P3'].id}")
    assert "Mentoring young offenders" in by_priority and "County lines" not in by_priority
    by_area = page_text(client, "?area=E07000177")
    assert "Night-time economy volunteers" in by_area and "Mentoring" not in by_area
    whole = page_text(client, "?area=thames-valley")
    assert "County lines awareness" in whole and "Mentoring" not in whole
    assert "No published grants match these filters" in page_text(client,
                                                                   "?year=2019/20&fund=CSF")


def test_the_register_ignores_filter_values_it_does_not_offer(client, history):
    assert "4 grants" in page_text(client, "?year=1999/00&fund=NOPE&priority=x&area=E0")


def test_the_register_links_to_the_downloads_of_its_filter(client, history):
    html = page_text(client, "?year=2019/20&fund=PPAF")

    assert 'href="/awards/360giving.json?year=2019/20&amp;fund=PPAF"' in html
    assert 'href="/awards/360giving.csv?year=2019/20&amp;fund=PPAF"' in html


def test_the_json_download_is_a_valid_package_of_the_filtered_awards(client, history):
    response = client.get("/awards/360giving.json?year=2019/20&fund=PPAF")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="360giving-PPAF-2019-20.json"')
    package = json.loads(response.get_data(as_text=True))
    assert package_errors(package) == []
    assert len(package["grants"]) == 3


def test_the_csv_download_has_the_standards_titles(client, history):
    response = client.get("/awards/360giving.csv?round=PPAF-2019-08")

    assert response.status_code == 200
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Identifier,Title,Description,Currency")
    assert len(lines) == 3


def test_a_download_with_nothing_published_answers_404_with_why(client, history):
    response = client.get("/awards/360giving.json?year=2015/16")

    assert response.status_code == 404
    assert "No published awards match the year 2015/16" in response.get_data(as_text=True)


def _more_awards(history, count: int) -> None:
    """More awards from applications, each serving a council, in the August round."""
    for number in range(count):
        organisation = Organisation(name=f"Extra Group {number}",
                                    organisation_type=OrganisationType.COMMUNITY_GROUP)
        application = Application(round=history.august, organisation=organisation,
                                  sequence=100 + number, reference=f"EXTRA-{number}",
                                  title=f"Extra {number}",
                                  areas=history.nominated_award.areas)
        db.session.add(Award(round=history.august, organisation=organisation,
                             application=application, amount_pence=10_000 + number,
                             status=AwardStatus.ACCEPTED, awarded_on=date(2019, 8, 1)))
    db.session.flush()


def test_the_register_is_paginated_with_the_same_queries_whatever_the_data(
        client, history, count_queries, monkeypatch):
    monkeypatch.setattr(register, "PAGE_SIZE", 5)
    page_text(client)  # warm up: the app's first request loads what every request shares
    with count_queries() as few:
        page_text(client)
    _more_awards(history, 30)
    with count_queries() as many:
        html = page_text(client, "?page=2")

    assert many.count == few.count, str(many)
    assert "34 grants" in html and "2 of 7" in html
    assert 'rel="next"' in html and 'rel="prev"' in html
    assert html.count('<tr class="govuk-table__row">') == 1 + 5


def test_signed_out_navigation_and_footer_link_to_the_register(client):
    html = client.get("/").get_data(as_text=True)

    assert html.count('href="/awards"') == 2


def test_the_count_read_from_award_rows_alone_is_the_number_of_awards_each_filter_lists(
        history, reference):
    from grants.opendata.operations.export import Selection, count_awards, counted_awards

    for selection in (Selection(), Selection(year="2019/20"), Selection(year="2020/21"),
                      Selection(fund="CSF"), Selection(fund="PPAF", year="2019/20"),
                      Selection(round="PPAF-2019-08"), Selection(round=str(history.csf.id)),
                      Selection(priority_id=reference["priorities"]["P3"].id),
                      Selection(area="E07000177"), Selection(area="thames-valley")):
        listed = len(db.session.scalars(counted_awards(selection)).unique().all())
        assert count_awards(db.session, selection) == listed, selection
    assert count_awards(db.session, Selection()) == 4
    assert count_awards(db.session, Selection(round="PPAF-2019-08")) > 0
