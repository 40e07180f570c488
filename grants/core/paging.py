"""The one shape of a page of a long list, as the pagination macro shows it."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

Item = TypeVar("Item")


def page_number(value: object) -> int:
    """The page asked for in an address: 1 for anything that is not a whole number from 1."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 and int(text) > 0 else 1


@dataclass(frozen=True)
class Page(Generic[Item]):
    items: list[Item]
    total: int
    number: int
    size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.total

    @property
    def first_number(self) -> int:
        """The position in the whole list of the first item shown (0 when none is)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_number(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

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


def page_of(session: Session, query: Select, number: int, size: int) -> Page:
    """One page of a query's rows (scalars), with the count of them all: two queries."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = max(1, number)
    items = list(session.scalars(query.limit(size).offset((number - 1) * size)))
    return Page(items=items, total=total or 0, number=number, size=size)
