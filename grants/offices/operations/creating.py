"""Setting up an office: its names, its 360Giving identity, its contact and its brand."""

import logging
import re
from dataclasses import asdict, dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.core.errors import ValidationFailed
from grants.offices.models import LIMITS, Office
from grants.offices.operations.scoping import EVERY_OFFICE
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# A path's part: lower-case words joined by hyphens ("thames-valley").
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# An org-id (org-id.guide): a list's code, then the identifier in it ("GB-GOR-PC000117").
ORG_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._-]+$")
# A 360Giving grant-id prefix, which starts "360G-" ("360G-" and the office's letters).
GRANT_ID_PREFIX = re.compile(r"^360G-[A-Za-z0-9._-]+$")
COLOUR = re.compile(r"^#[0-9a-f]{6}$")
# A file under the service's static folder, written without a leading slash.
LOGO = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.(svg|png)$")


@dataclass
class OfficeDetails:
    """What an office is set up with; the defaults are most offices'."""

    name: str
    short_name: str
    slug: str
    funder_org_id: str
    grant_id_prefix: str
    funder_name: str = ""
    contact_email: str = ""
    postal_address: str = ""
    logo: str = ""
    brand_colour: str = "#3f2577"
    financial_year_start_month: int = 4
    financial_year_start_day: int = 1
    welsh: bool = False

    def tidied(self) -> "OfficeDetails":
        """The details with text trimmed, the colour in lower case, and the funder's name the
        office's own when none is given."""
        values = {key: value.strip() if isinstance(value, str) else value
                  for key, value in asdict(self).items()}
        values["brand_colour"] = values["brand_colour"].lower()
        values["contact_email"] = values["contact_email"].lower()
        values["funder_name"] = values["funder_name"] or values["name"]
        return OfficeDetails(**values)


def office_problems(session: Session, details: OfficeDetails) -> dict[str, str]:
    """Each field's problem, if any; empty when the office can be created."""
    problems = _text_problems(details)
    _check_shape(problems, "slug", details.slug, SLUG,
                 "Slug must be lower-case letters, digits and hyphens, like thames-valley")
    _check_shape(problems, "funder_org_id", details.funder_org_id, ORG_ID,
                 "Org-id must be a list's code and an identifier, like GB-GOR-PC000117")
    _check_shape(problems, "grant_id_prefix", details.grant_id_prefix, GRANT_ID_PREFIX,
                 "Grant-id prefix must start with 360G- and then letters or digits, "
                 "like 360G-tvopcc")
    if contact := _contact_problem(details.contact_email):
        problems["contact_email"] = contact
    if details.logo:
        _check_shape(problems, "logo", details.logo, LOGO,
                     "Logo must be an SVG or PNG file under the static folder, like "
                     "images/logo.svg")
    if not COLOUR.match(details.brand_colour):
        problems["brand_colour"] = ("Brand colour must be # and six hexadecimal digits, "
                                    "like #3f2577")
    try:
        # A year that is not a leap year: a year cannot start on 29 February every year.
        date(2001, details.financial_year_start_month, details.financial_year_start_day)
    except (TypeError, ValueError):
        problems["financial_year_start_day"] = ("The financial year must start on a real day, "
                                                "like 1 April")
    _taken(session, details, problems)
    return problems


def _text_problems(details: OfficeDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    for field, label in (("name", "Name"), ("short_name", "Short name"),
                         ("funder_name", "Funder name")):
        value = getattr(details, field)
        if not value:
            problems[field] = f"Enter the office's {label.lower()}"
        elif len(value) > LIMITS[field]:
            problems[field] = f"{label} must be {LIMITS[field]} characters or fewer"
    return problems


def _taken(session: Session, details: OfficeDetails, problems: dict[str, str]) -> None:
    """What another office has already: each office's name, slug and identifiers are its own."""
    for field, label in (("name", "name"), ("slug", "slug"), ("funder_org_id", "org-id"),
                         ("grant_id_prefix", "grant-id prefix")):
        value = getattr(details, field)
        if field not in problems and session.scalars(
                select(Office.id).where(getattr(Office, field) == value)
                .execution_options(**EVERY_OFFICE)).first():
            problems[field] = f"There is already an office with the {label} {value}"


def _contact_problem(email: str) -> str | None:
    if not email:
        return "Enter the office's contact email address"
    if len(email) > LIMITS["contact_email"]:
        return f"Contact email must be {LIMITS['contact_email']} characters or fewer"
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "Enter the contact email address in the correct format, like grants@example.org"
    return None


def _check_shape(problems: dict[str, str], field: str, value: str, shape: re.Pattern,
                 message: str) -> None:
    if not value or len(value) > LIMITS[field] or not shape.match(value):
        problems[field] = message


def create_office(session: Session, details: OfficeDetails, *,
                  actor_id: int | None) -> Office:
    """A new office, with no plan, funds or areas yet; refused with every problem at once."""
    details = details.tidied()
    problems = office_problems(session, details)
    if problems:
        raise ValidationFailed(problems)
    office = Office(**asdict(details))
    session.add(office)
    session.flush()
    record_event(session, actor_id=actor_id, action="office.created", entity_type="office",
                 entity_id=office.id, after=asdict(details))
    logger.info("office %s created as %s", office.id, office.slug)
    return office
