"""The one paging type: a page's arithmetic, the page an address asks for, a page of a query."""

import pytest
from sqlalchemy import select

from grants.accounts.models import Role
from grants.areas.models import County
from grants.core.paging import Page, number_within, page_count, page_number, page_of, start_of
from grants.extensions import db


def _page(total: int, number: int, size: int = 10) -> Page[int]:
    """Page `number` of `total` items, holding the items a list of that length would show."""
    shown = max(0, min(size, total - (number - 1) * size))
    return Page(items=list(range(shown)), total=total, number=number, size=size)


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (10, 1), (11, 2), (95, 10)])
def test_the_page_count_is_the_pages_the_items_fill_and_never_less_than_one(total, pages):
    assert _page(total, 1).page_count == pages
    assert page_count(total, 10) == pages


@pytest.mark.parametrize(("total", "number", "has_next"), [
    (0, 1, False), (10, 1, False), (11, 1, True), (25, 2, True), (25, 3, False), (25, 9, False),
])
def test_has_next_says_whether_items_come_after_this_page(total, number, has_next):
    assert _page(total, number).has_next is has_next


def test_first_and_last_numbers_are_the_positions_in_the_list_of_the_items_shown():
    assert (_page(25, 1).first_number, _page(25, 1).last_number) == (1, 10)
    assert (_page(25, 3).first_number, _page(25, 3).last_number) == (21, 25)


def test_first_and_last_numbers_are_naught_when_the_page_shows_nothing():
    assert (_page(0, 1).first_number, _page(0, 1).last_number) == (0, 0)
    assert (_page(25, 9).first_number, _page(25, 9).last_number) == (0, 0)


@pytest.mark.parametrize(("number", "numbers"), [
    (1, [1, 2, None, 10]),
    (3, [1, 2, 3, 4, None, 10]),
    (5, [1, None, 4, 5, 6, None, 10]),
    (9, [1, None, 8, 9, 10]),
    (10, [1, None, 9, 10]),
])
def test_page_numbers_are_the_first_the_last_and_the_neighbours_with_a_gap_for_the_rest(
        number, numbers):
    assert _page(100, number).page_numbers == numbers


def test_page_numbers_of_a_short_list_are_every_page_without_gaps():
    assert _page(5, 1).page_numbers == [1]
    assert _page(30, 2).page_numbers == [1, 2, 3]
    assert _page(0, 1).page_numbers == [1]


@pytest.mark.parametrize("value", [
    None, "", " ", "abc", "0", "00", "-1", "+2", "1.5", "1e3", "2abc", "²", "٣", "１",
])
def test_the_page_number_of_junk_is_the_first_page(value):
    assert page_number(value) == 1


@pytest.mark.parametrize(("value", "number"), [("7", 7), (" 12 ", 12), (3, 3), ("007", 7),
                                               ("999999999", 999_999_999)])
def test_the_page_number_of_a_whole_number_is_that_number(value, number):
    assert page_number(value) == number


@pytest.mark.parametrize("value", ["1234567890", "9" * 20, 10 ** 30])
def test_the_page_number_of_a_number_too_long_for_a_page_is_the_first_page(value):
    assert page_number(value) == 1


def test_a_page_number_is_brought_within_the_first_and_last_pages():
    assert [number_within(number, 25, 10) for number in (-5, 0, 1, 3, 4, 10 ** 9)] == [
        1, 1, 1, 3, 3, 3]
    assert number_within(7, 0, 10) == 1
    assert [start_of(number, 10) for number in (0, 1, 2, 5)] == [0, 0, 10, 40]


@pytest.fixture
def seven_counties(county_factory):
    for number in range(1, 8):
        county_factory(name=f"Paging county {number}")
    return select(County).where(County.name.like("Paging county %")).order_by(County.name)


def test_page_of_reads_one_page_of_a_query_and_counts_all_its_rows_in_two_queries(
        seven_counties, count_queries):
    with count_queries() as queries:
        page = page_of(db.session, seven_counties, 2, 3)

    assert queries.count == 2, str(queries)
    assert [county.name for county in page.items] == [f"Paging county {n}" for n in (4, 5, 6)]
    assert (page.total, page.number, page.size, page.page_count) == (7, 2, 3, 3)
    assert page.has_next and (page.first_number, page.last_number) == (4, 6)
    last = page_of(db.session, seven_counties, 3, 3)
    assert [county.name for county in last.items] == ["Paging county 7"] and not last.has_next


def test_page_of_shows_a_page_past_the_last_empty_or_within_as_the_last(seven_counties):
    past = page_of(db.session, seven_counties, 9, 3)
    assert (past.items, past.number, past.total) == ([], 9, 7)

    within = page_of(db.session, seven_counties, 9, 3, within=True)
    assert within.number == 3 and [county.name for county in within.items] == ["Paging county 7"]
    assert page_of(db.session, seven_counties, -4, 3).number == 1


def test_page_of_an_empty_query_is_one_empty_page(seven_counties):
    page = page_of(db.session, seven_counties.where(County.id < 0), 1, 3, within=True)
    assert (page.items, page.total, page.number, page.page_count) == ([], 0, 1, 1)


def test_every_paged_list_answers_a_twenty_digit_page_with_its_first_page(
        sign_in_as, user_factory, round_factory):
    client = sign_in_as(user_factory(roles=list(Role)))
    round_id = round_factory().id
    huge = "9" * 20
    for path in ["/admin/audit", "/staff/users", "/organisations", "/awards",
                 "/staff/payments", f"/staff/rounds/{round_id}/applications",
                 f"/staff/rounds/{round_id}/ranking"]:
        response = client.get(f"{path}?page={huge}")
        assert response.status_code == 200, path
        first = client.get(path).get_data(as_text=True)
        assert _title(response.get_data(as_text=True)) == _title(first), path


def _title(html: str) -> str:
    return html.split("<title>")[1].split("</title>")[0]
