"""The demo office's people: a person for each role, whose sign-ins seed-demo prints, and
the organisations' own contacts."""

import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import Role, User, UserRole
from grants.accounts.operations.passwords import hash_password
from grants.accounts.operations.settings import AccountSettings
from grants.core import clock
from grants.organisations.models import Membership, Organisation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    roles: tuple[Role, ...]
    password: str
    county: str | None = None


DEMO_PEOPLE = (
    DemoPerson("admin@example.org", "Alex Admin", (Role.ADMIN,), "Admin-Harbour-Lantern-81"),
    DemoPerson("staff@example.org", "Sam Grants Officer", (Role.STAFF, Role.REVIEWER),
               "Staff-Meadow-Compass-52"),
    DemoPerson("reviewer@example.org", "Riley Reviewer", (Role.REVIEWER,),
               "Review-Copper-Kettle-36"),
    DemoPerson("applicant@example.org", "Ashley Applicant", (Role.APPLICANT,),
               "Apply-Willow-Bicycle-29"),
    DemoPerson("sheriff.berkshire@example.org", "Hilary High Sheriff", (Role.HIGH_SHERIFF,),
               "Sheriff-Granite-Orchard-64", county="Berkshire"),
)


def contact_user(session: Session, settings: AccountSettings,
                 organisation: Organisation) -> User:
    """The organisation's main contact, as a member who has confirmed their email. Their
    password is random and not printed: they are there so the round looks lived in."""
    existing = session.scalars(select(User).where(
        User.email == organisation.contact_email)).one_or_none()
    if existing is not None:
        return existing
    user = User(email=organisation.contact_email, name=organisation.contact_name,
                password_hash=hash_password(secrets.token_urlsafe(24), settings),
                email_verified_at=clock.utcnow(),
                role_rows=[UserRole(role=Role.APPLICANT)])
    session.add(Membership(user=user, organisation=organisation))
    session.flush()
    return user
