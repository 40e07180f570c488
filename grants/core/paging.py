"""The one shape of a page of a long list, as the pagination macro shows it.

A list is read a page at a time: `page_number` reads the page asked for in an address,
`page_of` reads that page of a query with the count of them all, and `Page` holds what the
pagination macro needs. Lists read another way (rows worked out in Python, or a page of ids
first) build a `Page` themselves, with `number_within` and `start_of` for the arithmetic.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

Item = TypeVar("Item")

# Longer page numbers are junk: a page that far on would overflow the database's offset.
_MOST_DIGITS = 9


def page_number(value: object) -> int:
    """The page asked for in an address: 1 for anything that is not a whole number from 1."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= _MOST_DIGITS:
        return max(int(text), 1)
    return 1


def page_count(total: int, size: int) -> int:
    """How many pages `total` items fill, `size` to a page: at least one, even when empty."""
    return max(1, -(-total // size))


def number_within(number: int, total: int, size: int) -> int:
    """The page number brought within the first and last pages of `total` items."""
    return min(max(number, 1), page_count(total, size))


def start_of(number: int, size: int) -> int:
    """How many items come before page `number`: the offset of its first item."""
    return (max(number, 1) - 1) * size


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    total: int
    number: int
    size: int

    @property
    def page_count(self) -> int:
        return page_count(self.total, self.size)

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.total

    @property
    def first_number(self) -> int:
        """The position in the whole list of the first item shown (0 when none is)."""
        return start_of(self.number, self.size) + 1 if self.items else 0

    @property
    def last_number(self) -> int:
        """The position in the whole list of the last item shown (0 when none is)."""
        return start_of(self.number, self.size) + len(self.items) if self.items else 0

    @property
    def page_numbers(self) -> list[int | None]:
        """The page links to show: the first, the last and those next to this one, with None
        where pages are left out (GOV.UK pagination's ellipsis)."""
        shown = sorted({1, self.page_count, self.number - 1, self.number, self.number + 1}
                       & set(range(1, self.page_count + 1)))
        numbers: list[int | None] = []
        for number in shown:
            if numbers and number - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def page_of(session: Session, query: Select, number: int, size: int, *,
            within: bool = False, counted: Select | None = None) -> Page:
    """One page of a query's rows (scalars), with the count of them all: two queries. With
    `within`, a page past the last is the last (otherwise it is shown empty). `counted`, when
    given, counts the same rows more cheaply than the query itself (without its joins for
    showing)."""
    if counted is None:
        counted = select(func.count()).select_from(query.order_by(None).subquery())
    total = session.scalar(counted) or 0
    number = number_within(number, total, size) if within else max(number, 1)
    items = list(session.scalars(query.limit(size).offset(start_of(number, size))))
    return Page(items=items, total=total, number=number, size=size)
