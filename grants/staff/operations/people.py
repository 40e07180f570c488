"""The admin's list of people, a page at a time."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import Role, User, UserRole
from grants.core.paging import Page, page_of

PAGE_SIZE = 50


def list_users(
    session: Session, *, role: Role | None = None, search: str = "", page: int = 1
) -> Page[User]:
    """One page of people, optionally with one role or a part of their name or email."""
    query = select(User)
    if role is not None:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    search = search.strip().lower()
    if search:
        query = query.where(
            func.lower(User.name).contains(search, autoescape=True)
            | User.email.contains(search, autoescape=True)
        )
    return page_of(session, query.options(joinedload(User.county)).order_by(User.name, User.id),
                   page, PAGE_SIZE)
