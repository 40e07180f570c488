"""One office's records for one office's people: every query of a session scoped to an office
reads only that office's rows of every office-owned model (`OfficeOwned`), whoever wrote the
query and whether or not it remembered to filter.

A request of a signed-in member of an office's staff (staff, admins, reviewers, High Sheriffs)
scopes its session to their office once, as it loads them (grants.accounts.views.sessions);
applicants, the public and commands are not scoped and see everything, as before offices.

How: a `do_orm_execute` listener adds one `with_loader_criteria` option, on the `OfficeOwned`
marker, to every ORM SELECT, UPDATE and DELETE of a scoped session. SQLAlchemy then applies
each model's `office_criteria` wherever the model appears: the statement's own entities,
joins, subqueries, aliases, and the eager and lazy loads of relationships. The option is built
once for each office, its id a bound parameter: every office's statements share one compiled
form in SQLAlchemy's cache.

What the criteria cannot cover, and how it is covered here:
- Refreshing an expired object (SQLAlchemy applies no loader criteria to a refresh, since the
  object is loaded already): the refresh of an office-owned object gets the criteria as a
  WHERE clause of its own, so an object of another office left in the session (loaded before
  the scope was set) is not found again: `session.get` answers None, an attribute raises.
- `session.get` of an object loaded and not expired: answered from the session without SQL.
  Before a request sets its scope it loads only the person (their own office's), their roles,
  memberships and session, and the first office's row (what a page of the public names); all
  loaded after it went through the criteria.
- Figures kept between requests (grants.core.data_version) are kept for each office apart.
- The body of a download written as it is sent runs after the request, in a new session:
  scoped again as its contexts are pushed (grants.accounts.views.sessions).
- SQL written as text, and Core statements on tables rather than models, are not scoped: the
  service writes none that read an office's records for a page.
- A statement run with `EVERY_OFFICE` is not scoped, on purpose: see its uses.
"""

import functools

from sqlalchemy import Integer, bindparam, event
from sqlalchemy.orm import (
    LoaderCriteriaOption,
    ORMExecuteState,
    Session,
    scoped_session,
    with_loader_criteria,
)

from grants.core import data_version
from grants.offices.models import OfficeOwned

# The session's note of the office its queries are scoped to.
_SCOPE = "offices.scope"
# The execution options of a statement that must read or change every office's rows, whoever
# runs it: an operation on records every office shares (merging two records of one
# organisation moves its applications to every office). Each use is a decision: grep for it.
EVERY_OFFICE = {"every_office": True}


def scope_to_office(session: Session, office_id: int) -> None:
    """From now on the session reads only this office's records of every office-owned model."""
    info = _own(session).info
    info[_SCOPE] = office_id
    info[data_version.VIEW] = ("office", office_id)


def end_office_scope(session: Session) -> None:
    """The session reads every office's records again (the request has ended)."""
    info = _own(session).info
    info.pop(_SCOPE, None)
    info.pop(data_version.VIEW, None)


def office_scope(session: Session) -> int | None:
    """The office the session's queries are scoped to; None when they are not."""
    return _own(session).info.get(_SCOPE)


@functools.cache
def _criteria(office_id: int) -> LoaderCriteriaOption:
    """The office's criteria on every office-owned model, built once for each office."""
    office = bindparam("office_scope", office_id, type_=Integer)
    return with_loader_criteria(OfficeOwned, lambda cls: cls.office_criteria(office),
                                include_aliases=True)


def _scope_statement(state: ORMExecuteState) -> None:
    office_id = state.session.info.get(_SCOPE)
    if office_id is None or state.execution_options.get("every_office"):
        return
    if state.is_column_load:
        # A refresh: loader criteria do not apply, so the refreshed row must match itself.
        mapper = state.bind_mapper
        if mapper is not None and issubclass(mapper.class_, OfficeOwned):
            office = bindparam("office_scope", office_id, type_=Integer)
            state.statement = state.statement.where(mapper.class_.office_criteria(office))
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(_criteria(office_id))


def install() -> None:
    """Listen to every ORM session of this process (once)."""
    if not event.contains(Session, "do_orm_execute", _scope_statement):
        event.listen(Session, "do_orm_execute", _scope_statement)


def _own(session: Session) -> Session:
    return session() if isinstance(session, scoped_session) else session
