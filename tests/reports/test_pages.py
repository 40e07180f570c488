"""The staff report pages, their CSV and XLSX downloads and the progress report page."""

import csv
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from grants.accounts.models import Role
from grants.awards.models import Award, AwardStatus
from grants.extensions import db
from grants.funds.models import Round
from tests.core.html import page_title

ROUND_PAGE = "/staff/reports/rounds/{id}"
YEAR_PAGE = "/staff/reports/years/2019-20"
PAGES = ["/staff/reports/", ROUND_PAGE, ROUND_PAGE + ".csv", ROUND_PAGE + ".xlsx", YEAR_PAGE,
         YEAR_PAGE + ".csv", YEAR_PAGE + ".xlsx", YEAR_PAGE + "/panel",
         YEAR_PAGE + "/panel.docx", YEAR_PAGE + "/panel.md"]


def address(path, report_data):
    return path.format(id=report_data.round_a_id)


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, report_data, path):
    response = client.get(address(path, report_data))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER])
@pytest.mark.parametrize("path", PAGES)
def test_only_staff_see_reports(user_factory, sign_in_as, report_data, role, path):
    client = sign_in_as(user_factory(roles=[role]))
    assert client.get(address(path, report_data)).status_code == 403


def test_the_staff_navigation_links_to_reports(staff_client):
    page = staff_client.get("/staff/")
    assert re.search(r'href="/staff/reports/"[^>]*>\s*Reports', page.text)


def test_choosing_a_round_opens_its_report(staff_client, report_data):
    page = staff_client.get("/staff/reports/")
    assert page.status_code == 200
    assert page_title(page.text).startswith("Reports — ")
    assert "PPAF 2019/20 Round 1 (PPAF-2019-1)" in page.text
    assert '<option value="2019/20"' in page.text
    response = staff_client.get(f"/staff/reports/?round={report_data.round_a_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/staff/reports/rounds/{report_data.round_a_id}"


def test_choosing_a_year_and_fund_opens_its_report(staff_client, report_data):
    response = staff_client.get("/staff/reports/?year=2019/20&fund=PPAF")
    assert response.headers["Location"] == "/staff/reports/years/2019-20?fund=PPAF"
    every_fund = staff_client.get("/staff/reports/?year=2019/20&fund=")
    assert every_fund.headers["Location"] == "/staff/reports/years/2019-20"


def test_a_badly_written_choice_is_shown_as_an_error(staff_client, report_data):
    page = staff_client.get("/staff/reports/?year=2019&fund=PPAF")
    assert page.status_code == 200
    assert page_title(page.text).startswith("Error: Reports")
    assert 'href="#year"' in page.text
    assert "like 2019/20" in page.text
    unknown = staff_client.get("/staff/reports/?year=2019/20&fund=XYZ")
    assert "There is no fund with the code" in unknown.text
    assert 'href="#fund"' in unknown.text


def test_a_rounds_report_shows_headline_figures_charts_and_tables(staff_client, report_data):
    page = staff_client.get(f"/staff/reports/rounds/{report_data.round_a_id}")
    assert page.status_code == 200
    html = page.text
    assert page_title(html).startswith("Report: PPAF 2019/20 Round 1 (PPAF-2019-1) — ")
    assert html.count("<h1") == 1
    assert re.search(r"Amount awarded</dt>\s*<dd[^>]*>£13,000<", html)
    assert re.search(r"Success rate</dt>\s*<dd[^>]*>40.0%<", html)
    # A chart per breakdown with a text alternative that reads out the bars.
    assert 'role="img"' in html
    assert re.search(r'<desc id="chart-by-priority-desc">Reducing Re-offending: £13,000.</desc>',
                     html)
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    # The same figures as a table with row headers.
    assert re.search(r'<th scope="row" class="govuk-table__header">Reducing Re-offending</th>'
                     r'\s*<td class="govuk-table__cell">P3</td>', html)
    assert "counts in full once for each of them" in html
    assert f'href="/staff/reports/rounds/{report_data.round_a_id}.csv"' in html


def test_a_years_report_links_to_the_panel_paragraphs(staff_client, report_data):
    page = staff_client.get(YEAR_PAGE + "?fund=PPAF")
    assert page.status_code == 200
    assert page_title(page.text).startswith("Report: Police Property Act Fund, 2019/20 — ")
    assert 'href="/staff/reports/years/2019-20/panel?fund=PPAF"' in page.text
    assert 'href="/staff/reports/years/2019-20.xlsx?fund=PPAF"' in page.text
    assert re.search(r"Amount awarded</dt>\s*<dd[^>]*>£18,000<", page.text)
    assert 'href="/awards/360giving.json?year=2019/20&amp;fund=PPAF"' in page.text


@pytest.mark.parametrize("path", ["/staff/reports/rounds/99999", "/staff/reports/years/2019",
                                  "/staff/reports/years/2019-20?fund=XYZ",
                                  "/staff/reports/years/2019-21.csv",
                                  "/staff/reports/years/20-21/panel"])
def test_an_unknown_round_year_or_fund_is_not_found(staff_client, report_data, path):
    assert staff_client.get(path).status_code == 404


def test_the_csv_download_has_the_figures(staff_client, report_data):
    response = staff_client.get(YEAR_PAGE + ".csv?fund=CSF")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="report-2019-20-CSF.csv"')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["name"] == "Community Safety Fund, 2019/20"
    assert rows[0]["amount_awarded_pounds"] == "20000.00"
    assert [row["code"] for row in rows if row["breakdown"] == "by_local_authority"] == [
        "E06000037"]


def test_the_xlsx_download_has_money_as_numeric_currency_cells(staff_client, report_data):
    response = staff_client.get(f"/staff/reports/rounds/{report_data.round_a_id}.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="report-PPAF-2019-1.xlsx"')
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [
        "Summary", "By round", "By priority", "By key aim", "By county",
        "By local authority", "By organisation type", "By High Sheriff county"]
    summary = {row[0].value: row[1] for row in workbook["Summary"].iter_rows()}
    awarded = summary["Amount awarded"]
    assert awarded.data_type == "n"
    assert awarded.value == 13_000
    assert "£" in awarded.number_format
    assert summary["Success rate"].value == 0.4
    assert summary["Success rate"].number_format == "0.0%"
    priority = workbook["By priority"]
    assert [cell.value for cell in priority[1]] == [
        "Code", "Name", "Awards", "Amount awarded", "Organisations funded"]
    assert [cell.value for cell in priority[2]] == ["P3", "Reducing Re-offending", 2, 13_000, 2]
    assert priority["D2"].data_type == "n"
    assert "£" in priority["D2"].number_format


def test_a_name_like_a_formula_stays_text_in_the_downloads(staff_client, report_data,
                                                           db_session):
    round_ = db_session.get(Round, report_data.round_a_id)
    round_.title = "=1+2"
    db_session.commit()
    workbook = load_workbook(io.BytesIO(
        staff_client.get(f"/staff/reports/rounds/{report_data.round_a_id}.xlsx").data))
    assert workbook["By round"]["B2"].value == "=1+2"
    assert workbook["By round"]["B2"].data_type == "s"
    text = staff_client.get(f"/staff/reports/rounds/{report_data.round_a_id}.csv").text
    assert "by_round,PPAF-2019-1,'=1+2," in text


def test_the_panel_page_shows_the_paragraphs_to_copy_and_download(staff_client, report_data):
    page = staff_client.get(YEAR_PAGE + "/panel")
    assert page.status_code == 200
    assert page_title(page.text).startswith("Progress report paragraphs: All funds, 2019/20")
    assert ("In August 2019, £13,000 was awarded to 2 charities and community groups across "
            "the Thames Valley") in page.text
    assert "identified a further 2 organisations worthy of support" in page.text
    assert "Police Property Act Fund initiatives (including High Sheriff awards)" in page.text
    plain = page.text.split('id="plain-text"')[1].split("</textarea>")[0]
    assert "Progress by key aim\n\nP1 Vulnerability\n" in plain
    assert "  - St Mary&#39;s Church\n" in plain
    docx = staff_client.get(YEAR_PAGE + "/panel.docx")
    assert docx.headers["Content-Disposition"] == (
        'attachment; filename="panel-2019-20-all-funds.docx"')
    texts = [paragraph.text for paragraph in Document(io.BytesIO(docx.data)).paragraphs]
    assert "Progress by key aim" in texts
    markdown = staff_client.get(YEAR_PAGE + "/panel.md?fund=PPAF")
    assert markdown.mimetype == "text/markdown"
    assert markdown.text.startswith("# Grants awarded in 2019/20: Police Property Act Fund\n")


def test_the_round_page_links_to_its_report(staff_client, report_data):
    page = staff_client.get(f"/staff/rounds/{report_data.round_a_id}")
    assert f'href="/staff/reports/rounds/{report_data.round_a_id}"' in page.text


def test_an_imported_rounds_page_and_downloads_say_applications_are_not_recorded(
        staff_client, db_session, report_data):
    from tests.reports.test_figures import _imported_round

    round_ = _imported_round(db_session, 700_000)
    db_session.commit()
    page = staff_client.get(f"/staff/reports/rounds/{round_.id}")
    assert re.search(r"Applications received</dt>\s*<dd[^>]*>\s*Not recorded", page.text)
    assert re.search(r"Amount awarded less repaid</dt>\s*<dd[^>]*>\s*£5,000", page.text)
    total = next(csv.DictReader(io.StringIO(
        staff_client.get(f"/staff/reports/rounds/{round_.id}.csv").text.lstrip("\ufeff"))))
    assert (total["applications"], total["amount_requested_pounds"]) == ("not recorded",
                                                                         "7000.00")
    sheet = load_workbook(io.BytesIO(staff_client.get(
        f"/staff/reports/rounds/{round_.id}.xlsx").data))["Summary"]
    assert [row[1] for row in sheet.iter_rows(values_only=True)
            if row[0] == "Applications received"] == ["Not recorded"]


def test_the_panel_page_is_stamped_and_offers_the_plan_so_far(staff_client, report_data):
    page = staff_client.get(YEAR_PAGE + "/panel?fund=PPAF")
    assert "Year 3, 2019/20, Q4" in page.text
    link = "/staff/reports/years/2019-20/panel?fund=PPAF&amp;over=plan"
    assert f'href="{link}"' in page.text

    over = staff_client.get(link.replace("&amp;", "&"))
    assert over.status_code == 200
    assert "Grants awarded from 2017/18 to 2019/20: Police Property Act Fund" in over.text
    assert 'href="/staff/reports/years/2019-20/panel?fund=PPAF"' in over.text
    docx = staff_client.get("/staff/reports/years/2019-20/panel.docx?fund=PPAF&over=plan")
    assert docx.headers["Content-Disposition"] == (
        'attachment; filename="panel-2017-18-to-2019-20-PPAF.docx"')
    text = [p.text for p in Document(io.BytesIO(docx.data)).paragraphs]
    assert text[:2] == ["Grants awarded from 2017/18 to 2019/20: Police Property Act Fund",
                        "Year 3, 2019/20, Q4"]


def test_a_report_shows_a_change_at_once(staff_client, report_data):
    client = staff_client
    page = f"/staff/reports/rounds/{report_data.round_a_id}"
    amount = re.compile(r"Amount awarded</dt>\s*<dd[^>]*>(£[0-9,]+)<")
    assert amount.search(client.get(page).text).group(1) == "£13,000"
    assert amount.search(client.get(page).text).group(1) == "£13,000"  # now kept

    award = db.session.query(Award).filter_by(round_id=report_data.round_a_id,
                                              status=AwardStatus.ACCEPTED).first()
    award.amount_pence += 1_000_00
    db.session.commit()

    assert amount.search(client.get(page).text).group(1) == "£14,000"
