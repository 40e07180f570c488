"""Finding offices."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.core.errors import NotFound, Refusal
from grants.offices.models import Office
from grants.offices.operations.scoping import EVERY_OFFICE


def list_offices(session: Session) -> list[Office]:
    """Every office, by name (whichever office's admin asks: the list is the service's)."""
    return list(session.scalars(select(Office).order_by(Office.name)
                                .execution_options(**EVERY_OFFICE)))


def office_by_slug(session: Session, slug: str) -> Office:
    """The office with that slug, or NotFound."""
    office = session.scalars(select(Office).where(Office.slug == slug)).one_or_none()
    if office is None:
        raise NotFound(f"There is no office with the slug {slug}")
    return office


def find_office_by_slug(session: Session, slug: str) -> Office | None:
    return session.scalars(select(Office).where(Office.slug == slug)).one_or_none()


def the_only_office(session: Session) -> Office:
    """The office a new fund or plan belongs to while staff have no office of their own yet:
    the one office the service runs. With none, or with several (which one would be a guess,
    and a wrong guess files one office's fund under another's), it refuses."""
    offices = session.scalars(select(Office).order_by(Office.id).limit(2)).all()
    if not offices:
        raise Refusal("There is no office yet: create one with flask offices create")
    if len(offices) > 1:
        raise Refusal("This service runs more than one office, and cannot yet tell which "
                      "office this belongs to")
    return offices[0]
