"""Finding users by email, the rules for names and addresses, and creating users as staff do."""

import logging
import re
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User, roles_for
from grants.accounts.operations.passwords import check_new_password, hash_password
from grants.accounts.operations.settings import AccountSettings
from grants.areas.models import County
from grants.core import clock
from grants.core.errors import Refusal
from grants.core.translatable import N_
from grants.offices.models import Office
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

EMAIL_FORMAT = N_("Enter an email address in the correct format, like name@example.com")
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 254


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(session: Session, email: str) -> User | None:
    if "\x00" in email:
        # No address holds a NUL, and PostgreSQL fails on a query with one.
        return None
    return session.scalars(select(User).where(User.email == normalise_email(email))).one_or_none()


def checked_email(email: str) -> str:
    """The address lower-cased and stripped; refused when empty, too long or malformed."""
    email = normalise_email(email)
    if not email:
        raise Refusal("Enter an email address", field="email")
    if len(email) > MAX_EMAIL_LENGTH:
        raise Refusal(f"Email address must be {MAX_EMAIL_LENGTH} characters or fewer",
                      field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise Refusal(EMAIL_FORMAT, field="email") from None
    return email


# A web or email address in a name: "Your grant is on hold: see bank-check.example".
_ADDRESS_IN_NAME = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*:/|www\.|@|[a-z0-9-]+\.[a-z]{2,}\b)")
NAME_WITH_ADDRESS = N_("Enter your name only, without a web or email address")


def holds_an_address(text: str) -> bool:
    """Whether a name holds a web or email address, which no email of ours may carry."""
    return _ADDRESS_IN_NAME.search(text) is not None


def checked_name(name: str) -> str:
    """The name stripped; refused when empty, too long, or holding a web or email address
    (emails show the name, and must not carry someone else's link)."""
    name = (name or "").strip()
    if not name:
        raise Refusal("Enter a name", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise Refusal(f"Name must be {MAX_NAME_LENGTH} characters or fewer", field="name")
    if holds_an_address(name):
        raise Refusal(NAME_WITH_ADDRESS, field="name")
    return name


def _parse_roles(roles: Iterable[Role | str]) -> list[Role]:
    parsed = []
    for role in roles:
        try:
            parsed.append(role if isinstance(role, Role) else Role(role))
        except ValueError:
            choices = ", ".join(member.value for member in Role)
            raise Refusal(f"{role!r} is not a role. Choose from {choices}",
                          field="role") from None
    if not parsed:
        raise Refusal("Give the user at least one role", field="role")
    return sorted(set(parsed), key=lambda member: member.value)


def _high_sheriff_county(session: Session, county_name: str | None, office_id: int) -> County:
    if not county_name:
        raise Refusal("A High Sheriff needs a county", field="county")
    county = session.scalars(select(County).where(County.office_id == office_id,
                                                  County.name == county_name)).one_or_none()
    if county is None or not county.has_high_sheriff:
        names = session.scalars(
            select(County.name).where(County.office_id == office_id,
                                      County.has_high_sheriff.is_(True)).order_by(County.name)
        ).all()
        choices = ", ".join(names) if names else "none yet (run flask seed-reference)"
        raise Refusal(f"There is no High Sheriff county called {county_name!r}. "
                      f"Counties: {choices}", field="county")
    return county


def create_user(
    session: Session,
    settings: AccountSettings,
    *,
    email: str,
    name: str,
    roles: Iterable[Role | str],
    password: str,
    county_name: str | None = None,
    term_year: int | None = None,
    verified: bool = True,
    actor_id: int | None = None,
    office_id: int | None = None,
) -> User:
    """Create a user with roles, as staff do; a High Sheriff also has a county and term year.
    Staff-side roles are held for `office_id` (the creating admin's office; by default the
    first office); a High Sheriff's county is one of that office's."""
    roles = _parse_roles(roles)
    email = checked_email(email)
    name = checked_name(name)
    if find_user_by_email(session, email) is not None:
        raise Refusal("There is already a user with that email address", field="email")

    county = None
    if Role.HIGH_SHERIFF in roles:
        office_id = office_id or _first_office_id(session)
        county = _high_sheriff_county(session, county_name, office_id)
        if term_year is None:
            term_year = clock.today_in_london().year
        if not 2000 <= term_year <= 2100:
            raise Refusal("Enter a term year between 2000 and 2100", field="term_year")
    elif county_name:
        raise Refusal("Only a High Sheriff has a county", field="county")
    elif term_year is not None:
        raise Refusal("Only a High Sheriff has a term year", field="term_year")

    check_new_password(password, settings, field="password", name=name, email=email)
    if office_id is None and any(role.is_staff_side for role in roles):
        office_id = _first_office_id(session)

    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password, settings),
        county=county,
        term_year=term_year if county else None,
        email_verified_at=clock.utcnow() if verified else None,
    )
    user.role_rows.extend(roles_for(roles, office_id))
    session.add(user)
    session.flush()
    record_event(
        session, actor_id=actor_id, action="user.created", entity_type="user", entity_id=user.id,
        after={
            "email": user.email,
            "roles": [role.value for role in roles],
            "county": county.name if county else None,
            "term_year": user.term_year,
            "email_verified": verified,
            "office_id": office_id if any(role.is_staff_side for role in roles) else None,
        },
    )
    logger.info("user %s created with roles %s", user.id, ",".join(r.value for r in roles))
    return user


def _first_office_id(session: Session) -> int:
    """The first office, which holds staff-side roles given with no office named."""
    office_id = session.scalar(select(func.min(Office.id)))
    if office_id is None:
        raise Refusal("There is no office yet for the role: create one with "
                      "flask offices create", field="role")
    return office_id
