"""Staff import money paid into a fund from a CSV file: every problem is named by its row,
and nothing is imported unless the whole file is right; the same file twice adds nothing."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from grants.extensions import db
from grants.ledger.models import MoneyPaidIn
from tests.assessment.screening_data import words
from tests.fixtures.auth import post_form

pytestmark = pytest.mark.usefixtures("now")  # 1 June 2026: 2026/27

GOOD = (b"Date received,Amount,Source,Reference,Financial year\r\n"
        b'15/07/2019,"24,300",Proceeds of property,"Proceeds of property, Q1 2019/20",\r\n'
        b"2019-10-15,\xc2\xa331750.50,Proceeds of property,Q2 2019/20,\r\n"
        b"15/04/2020,27900,Proceeds of property,Q4 2019/20,2019-20\r\n")


def upload(client, fund, content: bytes, name: str = "paid-in.csv"):
    return post_form(client, f"/staff/funds/{fund.id}/money/import",
                     {"paid_in_file": (io.BytesIO(content), name)},
                     content_type="multipart/form-data")


def rows(fund) -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(
        select(MoneyPaidIn.received_on, MoneyPaidIn.financial_year, MoneyPaidIn.amount_pence,
               MoneyPaidIn.reference)
        .where(MoneyPaidIn.fund_id == fund.id).order_by(MoneyPaidIn.received_on)).all()


def count() -> int:
    return db.session.scalar(select(func.count(MoneyPaidIn.id)))


def test_staff_import_every_payment_in_of_a_file(staff_client, ppaf, audit_actions):
    response = upload(staff_client, ppaf, GOOD)

    assert response.status_code == 302
    assert rows(ppaf) == [
        (date(2019, 7, 15), "2019/20", 24_300_00, "Proceeds of property, Q1 2019/20"),
        (date(2019, 10, 15), "2019/20", 31_750_50, "Q2 2019/20"),
        (date(2020, 4, 15), "2019/20", 27_900_00, "Q4 2019/20"),
    ]
    assert audit_actions("fund", ppaf.id) == ["fund.money_paid_in"] * 3
    page = words(staff_client.get(response.headers["Location"]).text)
    assert "3 payments in, £83,950.50 in all, imported from paid-in.csv" in page


def test_the_same_file_twice_imports_nothing_the_second_time(staff_client, ppaf):
    upload(staff_client, ppaf, GOOD)

    response = upload(staff_client, ppaf, GOOD)

    assert response.status_code == 200
    page = words(response.text)
    assert ("Row 2: £24,300 received on 15 July 2019 from Proceeds of property with the "
            "reference “Proceeds of property, Q1 2019/20” is already recorded") in page
    assert "Row 4: £27,900 received on 15 April 2020" in page
    assert count() == 3


def test_each_problem_is_named_by_its_row_and_column_and_nothing_is_imported(
        staff_client, ppaf):
    content = (b"Date received,Amount,Source,Reference,Financial year\r\n"
               b"15/07/2019,24300,Proceeds of property,Q1,\r\n"
               b"31/02/2019,0,,Q2,\r\n"
               b"15 Oct 2019,lots,Proceeds,Q3,2016/17\r\n"
               b"15/07/2019,24300,Proceeds of property,Q1,\r\n"
               b"01/06/2027,5,Proceeds,Q5,,extra\r\n")

    response = upload(staff_client, ppaf, content)

    assert response.status_code == 200
    assert "Error: Import money paid in" in response.text
    page = words(response.text)
    for problem in [
        "Row 3, Date received: “31/02/2019” is not a real date",
        "Row 3, Amount: The amount must be more than 0",
        "Row 3, Source: Enter where the money came from",
        "Row 4, Date received: “15 Oct 2019” is not a date written like 15/07/2019 or "
        "2019-07-15",
        "Row 4, Amount: 'lots' is not an amount in pounds",
        "Row 5: it is the same payment as row 2",
        "Row 6, Date received: The date received must be today or in the past",
        "Row 6: it has more cells than the header row",
    ]:
        assert problem in page
    assert "Row 2" not in page and "Row 4, Financial year" not in page  # no date to judge by
    assert count() == 0


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "The file is empty. Add a header row (Date received, Amount, Source, Reference, "
          "Financial year) and a row for each payment"),
    (b"Date received,Amount,Source,Reference\r\n",
     "The file has no payments in it: add a row for each payment below the header row"),
    (b"Date,Amount,Source\r\n1/1/2020,5,x\r\n",
     "Row 1: “Date” is not a column this file may have. The columns are Date received, Amount, "
     "Source, Reference, Financial year"),
    (b"Amount,Source,Reference,amount\r\n5,x,y,5\r\n",
     "Row 1: there are two columns headed Amount"),
    (b"Amount,Source,Reference\r\n5,x,y\r\n", "Row 1: there is no column headed Date received"),
    (b"\xff\xfe\x00\x00binary", "The file must be a CSV file saved as UTF-8"),
    (b"Date received,Amount\x00,Source,Reference\r\n",
     "The file must be a CSV file saved as UTF-8: it holds characters a CSV file cannot"),
])
def test_a_file_that_cannot_be_read_says_why(staff_client, ppaf, content, problem):
    response = upload(staff_client, ppaf, content)

    assert response.status_code == 200
    assert problem in words(response.text)
    assert count() == 0


def test_choosing_no_file_says_so(staff_client, ppaf):
    response = post_form(staff_client, f"/staff/funds/{ppaf.id}/money/import", {})

    assert "Choose a CSV file to upload" in words(response.text)


def test_a_download_of_the_money_paid_in_imports_into_another_fund(
        staff_client, ppaf, csf, pay_in):
    pay_in(30_000, date(2025, 5, 1), reference="=cmd|' /C calc'!A0")
    pay_in(1_234, date(2026, 4, 2), year="2025/26")
    download = staff_client.get(f"/staff/funds/{ppaf.id}/money/paid-in.csv").data

    response = upload(staff_client, csf, download)

    assert response.status_code == 302
    assert rows(csf) == [(date(2025, 5, 1), "2025/26", 30_000_00, "'=cmd|' /C calc'!A0"),
                         (date(2026, 4, 2), "2025/26", 1_234_00, "Proceeds of property, "
                                                                 "2026-04-02")]


def _zip_bomb() -> bytes:
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 20_000_000)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content"), [
    pytest.param("paid-in.csv", GOOD + b"15/07/2019,1,x,y\r\n" * 60_000, id="oversize"),
    pytest.param("paid-in.csv", _zip_bomb(), id="zip-bomb-named-csv"),
    pytest.param("../../etc/passwd.csv", GOOD.replace(b"24,300", b"-5"), id="traversal-name"),
    pytest.param("a" * 5000 + ".csv", GOOD + b"1/1/2020," + b"9" * 5000 + b",x,y\r\n",
                 id="long-name-long-amount"),
    pytest.param("paid-in.csv", b"Date received,Amount,Source,Reference\r\n"
                 + b"1/1/2020,5,x," + b"y" * 200_000 + b"\r\n", id="huge-cell"),
])
def test_a_hostile_file_is_refused_on_the_page_and_nothing_is_saved(
        staff_client, ppaf, name, content):
    response = upload(staff_client, ppaf, content, name)

    assert response.status_code == 200
    assert "Error: Import money paid in" in response.text
    assert len(response.text) < 200_000  # no value from the file is repeated at length
    assert count() == 0
