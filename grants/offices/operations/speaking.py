"""The office a page, an email or a file speaks for: its names, its 360Giving identity, its
contact and its brand, as plain values kept until the data changes (grants.core.data_version),
so that naming the office costs a page no query of its own once it has been read."""

import functools
import json
import time
from dataclasses import dataclass, fields
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, scoped_session

from grants.core import data_version
from grants.core.caching import PUBLIC_MAX_AGE_SECONDS
from grants.offices.models import Office
from grants.offices.operations.scoping import office_scope

if TYPE_CHECKING:
    from grants.funds.models import Round

# The first office the service ran, as seed-reference and the migration that brought offices
# make it: what a database with no office yet speaks as.
SHIPPED_OFFICE_FILE = "thames_valley_office.json"
# The session's note of the office of the request, loaded with the page's own first query.
_NOTED = "offices.office_of_request"
# The office of the request as this process last read it, and when (`recently_read_office`).
_recent: tuple[float, "OfficeFacts"] | None = None


@dataclass(frozen=True)
class OfficeFacts:
    """What is said about an office: its row's values, held outside any session."""

    id: int | None
    name: str
    short_name: str
    slug: str
    funder_org_id: str
    grant_id_prefix: str
    funder_name: str
    contact_email: str
    postal_address: str
    logo: str
    brand_colour: str
    welsh: bool

    @property
    def commissioner(self) -> str:
        """The commissioner the service is run for, as the header names it."""
        return f"{self.short_name} Police and Crime Commissioner"

    @property
    def commissioner_for(self) -> str:
        """The commissioner "for" the area, as the office's own name says it."""
        return self.name.removeprefix("Office of the ")

    @property
    def service_name(self) -> str:
        """The service's name, which every page's title ends with."""
        return f"{self.commissioner} — Grants"

    @property
    def force(self) -> str:
        """The police force of the office's area."""
        return f"{self.short_name} Police"

    @property
    def file_prefix(self) -> str:
        """What the names of the office's files begin with: its grant-id prefix's own part
        ("360G-abc" gives "ABC")."""
        return self.grant_id_prefix.removeprefix("360G-").upper()

    @property
    def whole_area(self) -> str:
        """What an award serving all of the office's area serves."""
        return f"The whole of {self.short_name}"


_COLUMNS = tuple(f.name for f in fields(OfficeFacts))


def _facts(office: Office) -> OfficeFacts:
    return OfficeFacts(**{name: getattr(office, name) for name in _COLUMNS})


@functools.cache
def shipped_office_facts() -> OfficeFacts:
    """The shipped first office, as seed-reference would make it, not yet saved."""
    data = json.loads(resources.files("grants.reference").joinpath(SHIPPED_OFFICE_FILE)
                      .read_text("utf-8"))
    return OfficeFacts(id=None, **{name: data[name] for name in _COLUMNS if name != "id"})


def office_of_request(session: Session) -> OfficeFacts:
    """The office this request speaks for: a signed-in member of an office's staff's own
    (`speak_for_office`); else, for now, the service's first office (until offices have
    addresses of their own); on a database with no office yet, the shipped
    first office's details. Free when the request's first query loaded it (`is_office_of_request`,
    `note_office_of_request`); else kept until the data changes, and read once a transaction
    even while it has writes (which keep nothing)."""
    if office_of_request_known(session):
        return session.info[_NOTED][1]

    def work_out() -> OfficeFacts:
        first = session.scalars(select(Office).where(is_office_of_request())).first()
        return shipped_office_facts() if first is None else _facts(first)
    office = data_version.kept(session, "office of the request", work_out)
    session.info[_NOTED] = (_transaction(session), office)
    if office_scope(session) is None:  # the office a page of the public may name
        _read_now(office)
    return office


def recently_read_office() -> "OfficeFacts | None":
    """The office of the request as this process read it within the last minute (as long as a
    proxy may keep a public page, `PUBLIC_MAX_AGE_SECONDS`), for a page that reads nothing
    else from the database (the privacy notice, the sign-in form) to name its office without
    a transaction of its own; None when there is none that recent. Files and emails, which must
    say exactly who publishes them, read `office_of_request`."""
    recent = _recent
    if recent is None or time.monotonic() - recent[0] > PUBLIC_MAX_AGE_SECONDS:
        return None
    return recent[1]


def forget_recent_office() -> None:
    """Forget the office last read (a new database, or a test's own)."""
    global _recent
    _recent = None


def _read_now(office: "OfficeFacts") -> None:
    global _recent
    _recent = (time.monotonic(), office)


def _transaction(session: Session) -> object:
    """The session's outermost transaction (None between transactions)."""
    own = session() if isinstance(session, scoped_session) else session
    return own.get_transaction()


def speak_for_office(session: Session, office_id: int) -> None:
    """The request speaks for this office (the signed-in member of its staff's) for the rest
    of the transaction: free when it is the office the request's first query loaded; never
    taken for the office a page of the public names (`recently_read_office`)."""
    noted = session.info.get(_NOTED)
    if noted is not None and noted[1].id == office_id:
        return
    session.info[_NOTED] = (_transaction(session), office_facts(session, office_id))


def office_of_round(session: Session, round_: "Round") -> OfficeFacts:
    """The office whose fund the round is of: what an email about the round's records signs
    with."""
    return office_facts(session, round_.fund.office_id)


def is_office_of_request() -> ColumnElement[bool]:
    """Which office is the request's, as a condition on `Office`: a query every page makes
    anyway (the signed-in person's) joins it, so that naming the office costs no query."""
    return Office.id == select(func.min(Office.id)).scalar_subquery()


def office_of_request_known(session: Session) -> bool:
    """Whether a query of this transaction has already named the office of the request."""
    noted = session.info.get(_NOTED)
    return noted is not None and noted[0] is not None and noted[0] is _transaction(session)


def note_office_of_request(session: Session, office: Office | None) -> None:
    """Keep the office a query joined by `is_office_of_request()` for the rest of the
    transaction (None: there is no office yet)."""
    facts = shipped_office_facts() if office is None else _facts(office)
    session.info[_NOTED] = (_transaction(session), facts)
    _read_now(facts)


def office_facts(session: Session, office_id: int) -> OfficeFacts:
    """The office with that id, which owns the record a page or an email is about."""
    def work_out() -> OfficeFacts:
        return _facts(session.get_one(Office, office_id))
    return data_version.kept(session, ("office", office_id), work_out)
