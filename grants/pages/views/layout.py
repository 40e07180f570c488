"""Jinja filters and the service navigation, registered on the app by `init_app`."""

import functools
import json
import logging
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.local import LocalProxy

from grants.auth import permissions
from grants.core.formatting import format_london_date, format_london_datetime
from grants.core.money import format_pounds
from grants.core.refusals import as_said, in_page_language
from grants.core.translatable import N_
from grants.extensions import db
from grants.offices.operations.speaking import (
    OfficeFacts,
    office_of_request,
    recently_read_office,
    shipped_office_facts,
)
from grants.pages.views.words import said

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class NavLink:
    endpoint: str
    text: str  # marked for the catalogue, said in the language of the page it is shown on


SIGNED_OUT_LINKS = (
    NavLink("pages.home", N_("Home")),
    NavLink("rounds.list_rounds", N_("Funding rounds")),
    NavLink("opendata.list_awards", N_("Grants awarded")),
    NavLink("accounts.sign_in", N_("Sign in")),
    NavLink("accounts.register", N_("Create an account")),
)
APPLICANT_LINKS = (
    NavLink("organisations.dashboard", N_("Dashboard")),
    NavLink("rounds.list_rounds", N_("Funding rounds")),
    NavLink("organisations.list_organisations", N_("Organisations")),
)
STAFF_LINKS = (
    NavLink("staff.home", N_("Rounds")),
    NavLink("funds.list_funds", N_("Funds")),
    NavLink("plans.list_plans", N_("Plans")),
    NavLink("awards.list_payments", N_("Payments")),
    NavLink("monitoring.overview", N_("Monitoring")),
    NavLink("reports.index", N_("Reports")),
    NavLink("organisations.list_organisations", N_("Organisations")),
)
ADMIN_LINKS = (NavLink("staff.list_users", N_("Users")), NavLink("records.audit", N_("Audit log")))
REVIEWER_LINKS = (NavLink("assessment.my_reviews", N_("Your reviews")),)
HIGH_SHERIFF_LINKS = (NavLink("nominations.home", N_("Nominations")),)
ACCOUNT_LINK = NavLink("accounts.account", N_("Your account"))
SIGN_OUT_ENDPOINT = "accounts.sign_out"


def init_app(app: Flask) -> None:
    """Register the filters and the navigation context processor."""
    app.add_template_filter(format_pounds, "pounds")
    app.add_template_filter(london_datetime, "london_datetime")
    app.add_template_filter(london_date, "london_date")
    # An operation's words (a refusal, a hint it makes) in the page's language.
    app.add_template_filter(in_page_language, "in_page_language")
    # A value that may be marked words or data as typed: only the words are translated.
    app.add_template_filter(as_said, "as_said")
    app.context_processor(navigation_context)
    app.context_processor(contact_context)
    # The office once a template as a plain value (the layout names it a dozen times), and as
    # globals for the macros imported without the context.
    app.context_processor(office_context)
    app.jinja_env.globals["office"] = LocalProxy(office_of_page)
    app.jinja_env.globals["contact_email"] = LocalProxy(lambda: office_of_page().contact_email)
    app.add_template_global(service_navigation_html)


def london_datetime(value) -> str:
    """A moment in London time in the page's language (grants.core.formatting)."""
    return format_london_datetime(value, str(get_locale() or "en"))


def london_date(value) -> str:
    """A date in the page's language."""
    return format_london_date(value, str(get_locale() or "en"))


def contact_context() -> dict[str, str]:
    """The address pages give for data protection (config.py's, which defaults to the first
    office's)."""
    return {"data_protection_email": current_app.config.get("DATA_PROTECTION_EMAIL", "")}


def office_context() -> dict[str, Any]:
    office = office_of_page()
    return {"office": office, "contact_email": office.contact_email}


def office_of_page() -> OfficeFacts:
    """The office a page or an email speaks for: the template global `office` (its names,
    contact and brand), read when a template first asks, then once a request. A view or a
    notification about one office's record passes that office's own (`office=`), which wins."""
    if not has_request_context():  # an email rendered by a command or the outbox
        return office_of_request(db.session)
    office = g.get("office_of_request")
    if office is None:
        # A page that has not read the database (the privacy notice) does not open a
        # transaction only to name its office: the one read within the last minute will do.
        office = None if db.session().in_transaction() else recently_read_office()
        g.office_of_request = office = office or _office_or_shipped()
    return office


def _office_or_shipped() -> OfficeFacts:
    """The request's office; the shipped first office's details when the database cannot
    answer, so that the error page saying so still has its layout."""
    try:
        return office_of_request(db.session)
    except SQLAlchemyError:
        logger.warning("The office of the request could not be read", exc_info=True)
        return shipped_office_facts()


def navigation_context() -> dict[str, Any]:
    """The service navigation for whoever is signed in, as the layout renders it."""
    if not has_request_context():  # e.g. an email rendered by a CLI command
        return {"service_navigation": [], "account_navigation": [], "sign_out_url": None}
    user = current_user
    signed_in = permissions.is_signed_in(user)
    # Worked out once a request for whoever is signed in: a form field rendered by its widget
    # renders a template of its own, which asks for this context again.
    key = (signed_in, getattr(user, "id", None))
    remembered = g.get("navigation_context")
    if remembered is not None and remembered[0] == key:
        return remembered[1]
    context = {
        "service_navigation": navigation_items(_links_for(user)),
        "account_navigation": navigation_items([ACCOUNT_LINK] if signed_in else []),
        "sign_out_url": url_for(SIGN_OUT_ENDPOINT) if signed_in else None,
    }
    g.navigation_context = (key, context)
    return context


def _links_for(user: Any) -> list[NavLink]:
    if not permissions.is_signed_in(user):
        return list(SIGNED_OUT_LINKS)
    links: list[NavLink] = []
    if permissions.is_staff(user):
        links += STAFF_LINKS
    if permissions.is_admin(user):
        links += ADMIN_LINKS
    if permissions.is_reviewer(user):
        links += REVIEWER_LINKS
    if permissions.is_high_sheriff(user):
        links += HIGH_SHERIFF_LINKS
    if permissions.is_applicant(user):
        links += APPLICANT_LINKS
    # A person with more than one role sees each link once.
    unique: dict[str, NavLink] = {}
    for link in links:
        unique.setdefault(link.endpoint, link)
    return list(unique.values())


def navigation_items(links: list[NavLink]) -> list[dict[str, Any]]:
    """Items for govukServiceNavigation.

    The link to the page itself is the current one; on a page below a section (one
    organisation, say) the link to the closest section is active instead.
    """
    items = []
    for link in links:
        items.append({"href": url_for(link.endpoint), "text": said(link.text),
                      "current": request.endpoint == link.endpoint})
    if not any(item["current"] for item in items):
        sections = [item for item in items
                    if item["href"] != "/"
                    and request.path.startswith(item["href"].rstrip("/") + "/")]
        if sections:
            max(sections, key=lambda item: len(item["href"]))["active"] = True
    return items


# Stands in for the navigation's end (the account link and the sign-out form, whose token
# changes from page to page) while the rest is rendered and kept.
_NAVIGATION_END = "\x00navigation-end\x00"


def service_navigation_html(params: dict[str, Any]) -> Markup:
    """govukServiceNavigation(params), rendered once for each set of links and kept: the macro
    took a millisecond a page, a third of the plainest page's time, and what it shows changes
    only with who is signed in and which page is theirs."""
    end = (params.get("slots") or {}).get("navigationEnd")
    shape = {**params, "slots": {"navigationEnd": _NAVIGATION_END} if end else {}}
    html = _rendered_navigation(json.dumps(shape, sort_keys=True))
    return Markup(html.replace(_NAVIGATION_END, str(end)) if end else html)


@functools.lru_cache(maxsize=512)
def _rendered_navigation(shape: str) -> str:
    template = current_app.jinja_env.get_template(
        "govuk_frontend_jinja/components/service-navigation/macro.html")
    return str(template.module.govukServiceNavigation(json.loads(shape)))
