"""Spreadsheet cells: text people typed never runs as a formula, in CSV or XLSX; numbers stay
numbers; and cells read back from a spreadsheet come as text."""

import ast
import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from grants.core.spreadsheets import (
    FORMULA_STARTS,
    cell_text,
    csv_cell,
    csv_lines,
    csv_text,
    keep_text,
    xlsx_cell,
)
from tests.fixtures import source

FORMULAS = ['=HYPERLINK("http://evil.example")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value,expected", [
    ("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@A", "'@A"), ("\t=1", "'\t=1"),
    ("\rCR", "'\rCR"), ("a=1", "a=1"), ("BACS 0001", "BACS 0001"), ("", ""), (None, ""),
])
def test_a_csv_cell_starting_like_a_formula_gets_an_apostrophe(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize("value,expected", [
    (7, "7"), (-7, "-7"), (Decimal("-69200.33"), "-69200.33"), (Decimal("0.00"), "0.00"),
])
def test_a_number_in_a_csv_cell_stays_a_number_even_below_zero(value, expected):
    assert csv_cell(value) == expected


def test_a_csv_has_a_line_a_row_ending_in_crlf_with_every_cell_made_safe():
    text = csv_text([["Name", "Amount"], ["=cmd", Decimal("-1.50")], ['a,"b"', None]])

    assert text == "Name,Amount\r\n'=cmd,-1.50\r\n\"a,\"\"b\"\"\",\r\n"
    assert list(csv.reader(io.StringIO(text))) == [
        ["Name", "Amount"], ["'=cmd", "-1.50"], ['a,"b"', ""]]


def test_a_streamed_csv_comes_a_row_at_a_time_and_adds_up_to_the_whole():
    rows = [["Name"], ["=cmd"], ["plain"]]

    lines = list(csv_lines(rows))

    assert lines == ["Name\r\n", "'=cmd\r\n", "plain\r\n"]
    assert "".join(lines) == csv_text(rows)


def _sheet_xml(workbook: Workbook) -> str:
    out = io.BytesIO()
    workbook.save(out)
    return zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()


def test_text_in_a_filled_sheet_stays_text_and_numbers_stay_numbers():
    workbook = Workbook()
    sheet = workbook.active
    for text in FORMULAS:
        sheet.append([text, Decimal("-2.50")])

    keep_text(sheet)

    xml = _sheet_xml(workbook)
    assert "<f>" not in xml
    assert [cell.data_type for cell in sheet["A"]] == ["s"] * len(FORMULAS)
    assert [cell.data_type for cell in sheet["B"]] == ["n"] * len(FORMULAS)


def test_text_in_a_write_only_sheet_stays_text_and_numbers_keep_their_format():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("grants")
    for text in FORMULAS:
        sheet.append([xlsx_cell(sheet, text), xlsx_cell(sheet, 1500.5, '"£"#,##0.00'),
                      xlsx_cell(sheet, date(2026, 4, 1), "yyyy-mm-dd"), xlsx_cell(sheet, None)])

    out = io.BytesIO()
    workbook.save(out)

    assert "<f>" not in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    row = next(load_workbook(out)["grants"].iter_rows())
    assert [cell.value for cell in row[:3]] == [FORMULAS[0], 1500.5, datetime(2026, 4, 1)]
    assert (row[0].data_type, row[1].number_format, row[2].number_format) == (
        "s", '"£"#,##0.00', "yyyy-mm-dd")


@pytest.mark.parametrize("value,text", [
    (None, ""), (" Name ", "Name"), (1500.0, "1500"), (1500.5, "1500.5"), (42, "42"),
    ("00123", "00123"), (date(2026, 4, 1), "2026-04-01"),
    (datetime(2026, 4, 1), "2026-04-01"), (datetime(2026, 4, 1, 9, 30), "2026-04-01T09:30:00"),
])
def test_a_cell_read_from_a_spreadsheet_comes_as_text(value, text):
    assert cell_text(value) == text


def test_every_formula_start_is_one_character():
    assert all(len(start) == 1 for start in FORMULA_STARTS)


def test_no_module_but_the_spreadsheet_module_writes_csv_or_makes_cells_safe():
    """Every CSV and XLSX download builds its cells in grants/core/spreadsheets.py: a module
    elsewhere that makes a csv.writer, or lists the characters formulas start with, is a copy
    to fold into it."""
    elsewhere = []
    for module in source.modules():
        if module.relative == "core/spreadsheets.py":
            continue
        for node in module.nodes:
            if (isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter")
                    and isinstance(node.value, ast.Name) and node.value.id == "csv"):
                elsewhere.append(f"{module.relative}:{node.lineno} csv.{node.attr}")
        if '"=", "+", "-", "@"' in module.text:
            elsewhere.append(f"{module.relative} lists the formula starts")
    assert elsewhere == []
