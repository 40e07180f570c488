"""Welsh (issue 25, point 5): for an office that offers it, the pages below are in Welsh, a link
on every page switches language, and `<html lang>` says which; an office without Welsh is as it
always was.

The pages in Welsh so far, by area; each later slice adds its own pages and their sources, and
the tests below then hold for them too:
- the layout: header, navigation, skip link, footer, notification banners, language switch,
  error summary and the text and password inputs (what every page shares);
- the public pages: home, funding rounds, a round's page, grants awarded, privacy notice,
  accessibility statement, and a round's "Check if you can apply" (test_welsh_check.py);
- the error pages: 400, 401, 403, 404, 405, 413, 429, 500, 503 and a refusal;
- signing in and creating an account, with their form labels, hints and messages, and the
  account pages: the account page, changing the password, a forgotten password and its reset,
  confirming an email address, and the authenticator app's pages (test_welsh_accounts.py);
- the applicant's pages after signing in: the dashboard; starting an application, its task
  list, each section's page, its documents, check your answers, the sent confirmation, the
  application as sent (with its outcome) and withdrawing it; the organisation pages
  (registering one, its details, its documents, members, requests to join, invitations), with
  their forms' labels, hints and messages and the refusals the applicant can see;
- the applicant's expression of interest: starting it, answering it (the round's own questions'
  messages too), checking and sending it, and the grants team's answer
  (test_welsh_interest.py);
- the questions from the grants team about an application, and answering them
  (test_welsh_clarifications.py);
- the recipient's grant offer with its agreement, accepting or declining it, and the bank
  details page (test_welsh_awards.py), with a Community Foundation's onward grants on it
  (tests/direct_awards/test_welsh_onward.py, beside the fixtures it needs);
- the recipient's grant reports: the list, each return and the end-of-grant report, with the
  form's messages (test_welsh_monitoring.py);
- the reply to an awards ceremony invitation, with its form's messages, and the award's
  certificate (test_welsh_ceremonies.py).
Not yet: the reviewer's pages, and every email.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import InternalServerError

from grants.core import error_pages
from grants.pages.views import language
from tests.fixtures.auth import csrf_token_for
from tests.fixtures.factories import commit_keeping_what_is_loaded
from tests.opendata.conftest import history, reference  # noqa: F401  (the register's grants)

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "grants/translations/cy/LC_MESSAGES/messages.po"

# Every template and module whose words the Welsh pages show, by the part of the service they
# belong to. A message marked in any of them must have its Welsh in the catalogue.
WELSH_SOURCES = {
    "layout": ["templates/base.html", "templates/macros/forms.html",
               "templates/macros/pagination.html", "grants/pages/views/layout.py",
               "grants/core/widgets.py", "grants/core/fields.py"],
    "home": ["templates/core/home.html", "grants/pages/views/service_pages.py"],
    "privacy notice": ["templates/core/privacy.html"],
    "accessibility statement": ["templates/core/accessibility.html"],
    "funding rounds": ["templates/rounds/list.html", "templates/rounds/_macros.html",
                       "grants/rounds/views/pages.py", "grants/organisations/models.py"],
    "a round's page": ["templates/rounds/view.html"],
    "grants awarded": ["templates/opendata/register.html"],
    "check if you can apply": ["templates/rounds/check_start.html",
                               "templates/rounds/check_question.html",
                               "templates/rounds/check_result.html", "grants/rounds/forms.py",
                               "grants/rounds/operations/checking.py"],
    "error pages": [*(f"templates/errors/{name}.html" for name in (
                        "_error", "400", "401", "403", "404", "405", "413", "429", "500",
                        "503", "refusal")),
                    "grants/core/error_pages.py"],
    "sign in": ["templates/accounts/sign_in.html", "grants/accounts/forms.py",
                "grants/accounts/operations/signing_in.py"],
    "create an account": ["templates/accounts/register.html",
                          "grants/accounts/operations/users.py",
                          "grants/accounts/operations/passwords.py"],
    "account pages": [*(f"templates/accounts/{name}.html" for name in (
                          "account", "change_password", "forgotten_password",
                          "reset_link_sent", "reset_password", "reset_password_invalid",
                          "check_email", "verify_email_confirm", "verify_email_done",
                          "verify_email_invalid", "set_up_authenticator", "sign_in_code",
                          "turn_off_authenticator")),
                      "grants/accounts/models.py", "grants/accounts/views/account.py",
                      "grants/accounts/views/passwords.py",
                      "grants/accounts/views/registration.py",
                      "grants/accounts/views/signing_in.py",
                      "grants/accounts/views/sessions.py",
                      "grants/accounts/operations/password_change.py",
                      "grants/accounts/operations/second_factor.py",
                      "grants/accounts/operations/sessions.py"],
    "expressions of interest": [*(f"templates/interest/{name}.html" for name in (
                                    "start", "answers", "_answers", "view")),
                                "grants/interest/forms.py",
                                "grants/interest/views/applicant.py",
                                "grants/interest/operations/drafting.py",
                                "grants/applications/forms/questions.py",
                                "grants/applications/operations/questions.py"],
    "questions from the grants team": ["templates/assessment/questions.html",
                                       "grants/assessment/forms.py",
                                       "grants/assessment/views/applicant.py",
                                       "grants/assessment/operations/clarifications.py"],
    "grant offers and bank details": [*(f"templates/awards/{name}.html" for name in (
                                          "offer", "_agreement", "decline", "bank_details")),
                                      "grants/awards/forms.py", "grants/awards/views.py",
                                      "grants/awards/operations/offers.py",
                                      "grants/awards/operations/bank_details.py",
                                      "templates/awards/_onward.html",
                                      "templates/direct_awards/_onward.html",
                                      "grants/direct_awards/operations/onward_figures.py"],
    "monitoring": [*(f"templates/monitoring/{name}.html" for name in (
                       "award_reports", "report", "_macros")),
                   "grants/monitoring/forms.py", "grants/monitoring/views/recipient.py",
                   "grants/monitoring/operations/answers.py",
                   "grants/monitoring/operations/returns.py",
                   "grants/monitoring/operations/wording.py"],
    "awards ceremony replies": ["templates/ceremonies/reply.html",
                                "templates/ceremonies/certificate.html",
                                "templates/ceremonies/_details.html",
                                "grants/ceremonies/forms.py",
                                "grants/ceremonies/views/members.py",
                                "grants/ceremonies/operations/replying.py"],
    "dashboard": ["templates/organisations/dashboard.html",
                  "grants/applications/operations/loading.py"],
    "start an application": ["templates/applications/start.html",
                             "templates/macros/choose_organisation.html",
                             "grants/applications/forms/start.py",
                             "grants/applications/views/starting.py",
                             "grants/applications/operations/starting.py"],
    "task list": ["templates/applications/task_list.html",
                  "grants/applications/operations/sections.py"],
    "check your answers": ["templates/applications/check_answers.html",
                           "templates/applications/_answers.html",
                           "grants/applications/views/submission.py",
                           "grants/applications/operations/submission.py",
                           "grants/applications/operations/fair_share.py",
                           "grants/documents/models.py"],
    "application sent": ["templates/applications/submitted.html"],
    "the application as sent": ["templates/applications/view.html",
                                "templates/decisions/_outcome.html",
                                "templates/applications/withdraw.html",
                                "grants/applications/forms/submission.py",
                                "grants/applications/operations/withdrawal.py"],
    "a section's page": [*(f"templates/applications/sections/{name}.html" for name in (
                             "_layout", "organisation", "project", "priorities", "areas",
                             "budget", "outcomes", "declarations", "questions")),
                         "templates/applications/_question_field.html",
                         "grants/applications/forms/sections.py",
                         "grants/applications/forms/section_base.py",
                         "grants/applications/operations/rules.py",
                         "grants/applications/operations/answers.py",
                         "grants/applications/views/common.py",
                         "grants/core/validators.py", "grants/core/money.py"],
    "documents": ["templates/applications/documents.html", "templates/documents/_fields.html",
                  "grants/applications/forms/documents.py",
                  "grants/applications/views/documents.py",
                  "grants/applications/operations/documents.py", "grants/documents/forms.py",
                  "grants/documents/operations/kinds.py",
                  "grants/documents/operations/checks.py"],
    "an organisation's documents": ["templates/documents/organisation.html",
                                    "grants/documents/views.py"],
    "organisations": [*(f"templates/organisations/{name}.html" for name in (
                          "list", "view", "form", "already_registered", "join",
                          "join_requested", "invite", "invitation", "invitation_refused",
                          "invitation_sign_in")),
                      "grants/organisations/forms.py", "grants/organisations/views.py",
                      "grants/organisations/operations/registration.py",
                      "grants/organisations/operations/identifiers.py",
                      "grants/organisations/operations/invitations.py",
                      "grants/organisations/operations/joining.py"],
}
# Words the same in both languages: names, addresses and codes, and data as it was entered.
SAME_IN_BOTH = {"AbilityNet", "JSON", "GMT", "BST", "Cymraeg", "English"}


def _messages_of(path: Path) -> set[str | tuple[str, ...]]:
    method = "jinja2" if path.suffix == ".html" else "python"
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    options = ({"trimmed": "true", "newstyle_gettext": "true"} if method == "jinja2"
               else {})
    return {message for _, message, _, _ in extract_from_file(method, str(path),
                                                              keywords=keywords,
                                                              options=options)}


def _catalogue():
    with CATALOGUE.open("rb") as file:
        return read_po(file, locale="cy")


@pytest.fixture(scope="module")
def compiled_welsh(tmp_path_factory) -> Path:
    """The Welsh catalogue compiled as `make translations` does, into a folder of the tests'
    own (so these tests need no `make`)."""
    folder = tmp_path_factory.mktemp("translations")
    target = folder / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as file:
        write_mo(file, _catalogue())
    return folder


def _use_translations(app, monkeypatch, folder: Path) -> None:
    babel_state = app.extensions["babel"]
    monkeypatch.setattr(babel_state, "translation_directories", [str(folder)])
    babel_state.instance.domain_instance.cache.clear()
    language._compiled.cache_clear()


@pytest.fixture
def welsh_office(app, monkeypatch, compiled_welsh, office_factory, db_session):
    """The request's office (the first) offers Welsh, with the catalogue compiled."""
    _use_translations(app, monkeypatch, compiled_welsh)
    office = office_factory()
    office.welsh = True
    db_session.add(office)
    commit_keeping_what_is_loaded()
    yield office
    app.extensions["babel"].instance.domain_instance.cache.clear()
    language._compiled.cache_clear()


def _render_error_page(app, cookie: str, answer) -> str:
    """An error page as a request with that Cookie header gets it (the handler called as Flask
    would, with `g` emptied as each request starts: tests/conftest.py)."""
    with app.test_request_context("/", headers={"Cookie": cookie}):
        for name in list(g):
            g.pop(name)
        return answer()[0]


def _in_welsh(client) -> None:
    client.set_cookie("language", "cy")


class _Text(HTMLParser):
    """What a page says: its text and the attributes a screen reader reads out."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skipping += 1
        for name, value in attrs:
            if name in {"aria-label", "title", "alt", "placeholder"} and value:
                self.said.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skipping -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skipping:
            self.said.append(text)


def _said(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.said


def _still_english(english: str, welsh: str, data: set[str]) -> list[str]:
    """What the Welsh page says word for word as the English one does, but for names and
    data: words nobody translated."""
    in_english = set(_said(english))
    return sorted({text for text in _said(welsh)
                   if text in in_english and text not in data and text not in SAME_IN_BOTH
                   and re.search(r"[A-Za-z]{3}", text)
                   and not any(text in value for value in data)})


def test_every_message_the_welsh_pages_use_has_its_welsh():
    catalogue = _catalogue()
    untranslated = {}
    for area, sources in WELSH_SOURCES.items():
        for source in sources:
            for message in _messages_of(ROOT / source):
                msgid = message[0] if isinstance(message, tuple) else message
                entry = catalogue.get(msgid)
                strings = ([] if entry is None else
                           list(entry.string) if isinstance(entry.string, tuple)
                           else [entry.string])
                if entry is None or entry.fuzzy or not all(strings):
                    untranslated.setdefault(area, []).append(f"{source}: {msgid!r}")
    assert not untranslated, (
        "Words of the Welsh pages with no Welsh in the catalogue (README.md, \"Welsh\", says "
        f"how to update it): {untranslated}")


def test_the_catalogue_compiles_without_errors():
    catalogue = _catalogue()
    problems = [(message.id, errors) for message, errors in catalogue.check()]
    assert not problems


def test_an_office_without_welsh_offers_no_switch_and_speaks_english(client, office_factory):
    office_factory()  # Thames Valley, which does not offer Welsh
    _in_welsh(client)  # even to someone who chose Welsh elsewhere

    html = client.get("/").get_data(as_text=True)

    assert '<html lang="en"' in html
    assert "Cymraeg" not in html and "/language/" not in html
    assert "Apply for a grant" in html
    assert client.get("/language/cy?next=/").status_code == 404


def test_without_the_compiled_catalogue_the_service_speaks_english_only(
        app, client, monkeypatch, tmp_path, welsh_office):
    _use_translations(app, monkeypatch, tmp_path)  # no .mo in it
    _in_welsh(client)

    html = client.get("/").get_data(as_text=True)

    assert '<html lang="en"' in html
    assert "Cymraeg" not in html
    assert "Apply for a grant" in html


def test_a_welsh_office_offers_cymraeg_on_every_page_in_english(client, welsh_office):
    html = client.get("/rounds?x=1").get_data(as_text=True)

    assert '<html lang="en"' in html
    assert ('href="/language/cy?next=/rounds?x%3D1" lang="cy" hreflang="cy">'
            '<span class="govuk-visually-hidden">Newid yr iaith i’r Gymraeg: </span>Cymraeg</a>'
            in html)


def test_the_switch_remembers_welsh_and_returns_to_the_same_page(client, welsh_office):
    response = client.get("/language/cy?next=/rounds?x%3D1")

    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds?x=1"
    assert "language=cy" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"] == "no-store"
    html = client.get("/rounds").get_data(as_text=True)
    assert '<html lang="cy"' in html
    assert "<h1 class=\"govuk-heading-xl\">Cylchoedd cyllido</h1>" in html
    assert 'href="/language/en?next=/rounds" lang="en" hreflang="en">' in html

    back = client.get("/language/en?next=/rounds")

    assert back.headers["Location"] == "/rounds"
    assert '<html lang="en"' in client.get("/rounds").get_data(as_text=True)


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/",
                                       "/\\evil.example", ""])
def test_the_switch_never_leaves_the_site(client, welsh_office, elsewhere):
    response = client.get("/language/cy", query_string={"next": elsewhere})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_switch_knows_only_english_and_welsh(client, welsh_office):
    assert client.get("/language/fr?next=/").status_code == 404


def test_a_kept_public_page_is_never_served_in_the_other_language(client, welsh_office):
    english = client.get("/privacy")
    _in_welsh(client)
    welsh = client.get("/privacy")
    asked_as_english = client.get("/privacy", headers={"If-None-Match": english.headers["ETag"]})

    # Both may be kept, each for the Cookie header it was asked with.
    for response in (english, welsh):
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert "Cookie" in response.headers["Vary"]
    assert english.headers["ETag"] != welsh.headers["ETag"]
    # A browser holding the English page, now asking in Welsh, gets the Welsh one.
    assert asked_as_english.status_code == 200
    assert '<html lang="cy"' in asked_as_english.get_data(as_text=True)


def _both(client, path: str, **kwargs) -> tuple[str, str]:
    client.delete_cookie("language")
    english = client.get(path, **kwargs)
    _in_welsh(client)
    welsh = client.get(path, **kwargs)
    assert english.status_code == welsh.status_code, path
    return english.get_data(as_text=True), welsh.get_data(as_text=True)


def _assert_welsh(english: str, welsh: str, data: set[str], page: str) -> None:
    assert '<html lang="cy"' in welsh, page
    assert '<html lang="en"' in english, page
    leftovers = _still_english(english, welsh, data)
    assert not leftovers, f"{page} still says in English: {leftovers}"


def _office_data(office) -> set[str]:
    return {office.name, office.short_name, f"© {office.name}", office.contact_email,
            "Thames Valley Police and Crime Commissioner", "— Grants"}


@pytest.mark.parametrize("path", ["/", "/privacy", "/accessibility", "/sign-in", "/register",
                                  "/rounds", "/no-such-page"])
def test_the_public_pages_are_in_welsh(app, client, welsh_office, path):
    english, welsh = _both(client, path)

    _assert_welsh(english, welsh, _office_data(welsh_office) | {
        app.config.get("DATA_PROTECTION_EMAIL", "")}, path)


def test_a_rounds_pages_are_in_welsh(client, welsh_office, round_factory, fund_factory):
    from datetime import UTC, datetime, timedelta
    now = datetime.now(UTC)
    fund = fund_factory(office=welsh_office, name="Police Property Act Fund", code="PPAF")
    open_round = round_factory(fund=fund, launched_at=now - timedelta(days=10),
                               opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=3))
    upcoming = round_factory(fund=fund, launched_at=now - timedelta(days=10),
                             opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=30),
                             min_award_pence=None)
    closed = round_factory(fund=fund, launched_at=now - timedelta(days=60),
                           opens_at=now - timedelta(days=50), closes_at=now - timedelta(days=1))
    data = _office_data(welsh_office) | {fund.name, open_round.title, upcoming.title,
                                         closed.title, "£1,000", "£5,000", "£100,000"}

    for path in ("/rounds", f"/rounds/{open_round.code}", f"/rounds/{upcoming.code}",
                 f"/rounds/{closed.code}"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    listed = _both(client, "/rounds")[1]
    assert "Yn cau ymhen 3 diwrnod" in listed
    assert "Yn agor ymhen 2 ddiwrnod" in listed or "Yn agor ymhen 2 diwrnod" in listed
    assert "£1,000 i £5,000" in listed and "Hyd at £5,000" in listed


def test_the_grants_awarded_register_is_in_welsh(client, history, welsh_office):  # noqa: F811
    english, welsh = _both(client, "/awards")

    # The grants are data as entered: recipients, purposes, funds, rounds, priorities, areas.
    table = english.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    filters = english.split("<form", 1)[1].split("</form>", 1)[0]
    data = (_office_data(welsh_office) | set(_said(table))
            | {option for option in _said(filters) if not option.startswith("Any ")}) - {
        "Purpose", "Conditions", "Reason for the award", "Purpose, conditions and reason",
        "Financial year", "Fund", "Area served", "Priority of the Police and Crime Plan",
        "Apply filters"}
    _assert_welsh(english, welsh, data, "/awards")
    assert "Mawrth" in welsh or "Awst" in welsh  # dates in Welsh


def test_the_sign_in_form_says_what_is_wrong_in_welsh(client, welsh_office, user_factory):
    _in_welsh(client)
    token = csrf_token_for(client, "/sign-in")

    empty = client.post("/sign-in", data={"csrf_token": token}).get_data(as_text=True)
    wrong = client.post("/sign-in", data={"csrf_token": token, "email": "nobody@example.org",
                                          "password": "not this one"}).get_data(as_text=True)

    assert "<title>Gwall: Mewngofnodi — " in empty
    assert "Mae problem wedi codi" in empty
    assert "Rhowch eich cyfeiriad e-bost" in empty and "Rhowch eich cyfrinair" in empty
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in empty
    assert "Rhowch gyfeiriad e-bost a chyfrinair cywir" in wrong


def test_the_create_account_form_says_what_is_wrong_in_welsh(client, welsh_office):
    _in_welsh(client)
    token = csrf_token_for(client, "/register")

    html = client.post("/register", data={
        "csrf_token": token, "name": "x" * 201, "email": "not an address",
        "password": "one", "confirm_password": "two"}).get_data(as_text=True)

    assert "Enw llawn: rhaid iddo fod yn 200 nod neu lai" in html
    assert "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com" in html
    assert "Nid yw’r cyfrineiriau’n cyfateb. Rhowch yr un cyfrinair ddwywaith" in html
    assert 'data-i18n.show-password="Dangos"' in html


def test_a_refusal_with_a_number_in_it_is_said_in_welsh(client, welsh_office):
    _in_welsh(client)
    token = csrf_token_for(client, "/register")

    html = client.post("/register", data={
        "csrf_token": token, "name": "Dai Jones", "email": "dai@example.org",
        "password": "short", "confirm_password": "short"}).get_data(as_text=True)

    assert "Rhaid i’r cyfrinair fod yn 10 nod neu fwy" in html


@pytest.mark.parametrize("code", [400, 401, 403, 405, 413, 429])
def test_the_error_pages_are_in_welsh(app, welsh_office, code):
    from werkzeug.exceptions import default_exceptions

    def render(cookie: str) -> str:
        return _render_error_page(
            app, cookie, lambda: error_pages.http_error(default_exceptions[code]()))

    _assert_welsh(render(""), render("language=cy"), _office_data(welsh_office), str(code))


@pytest.mark.parametrize("page", ["500", "503", "csrf", "refusal"])
def test_the_pages_that_say_the_service_failed_are_in_welsh(app, welsh_office, page):
    from flask_wtf.csrf import CSRFError

    from grants.core.errors import Conflict

    answers = {
        "500": lambda: error_pages.internal_server_error(InternalServerError()),
        "503": lambda: error_pages.database_error(
            OperationalError("SELECT 1", {}, Exception("connection refused"))),
        "csrf": lambda: error_pages.csrf_error(CSRFError()),
        "refusal": lambda: error_pages.refusal(Conflict("Someone changed it")),
    }

    def render(cookie: str) -> str:
        return _render_error_page(app, cookie, answers[page])

    # A refusal's own words are an operation's, translated where the catalogue has them.
    _assert_welsh(render(""), render("language=cy"),
                  _office_data(welsh_office) | {"Someone changed it"}, page)


# --- The applicant's pages after signing in ----------------------------------------------

@pytest.fixture
def applicant(user_factory, organisation_factory, membership_factory, round_factory,
              application_factory, welsh_office, plan_factory, priority_factory,
              key_aim_factory, local_authority_factory):
    """A member of an organisation with an application to an open round (with a priority, a
    key aim and a council to choose), every section answered
    (tests/applications/completing.py)."""
    from datetime import UTC, datetime, timedelta

    from grants.funds.models import RoundOrganisationType
    from grants.organisations.models import OrganisationType
    from tests.applications.completing import complete

    now = datetime.now(UTC)
    user = user_factory(name="Dai Jones", email="dai@example.org")
    organisation = organisation_factory(name="Cymdeithas Cwm Taf",
                                        organisation_type=OrganisationType.COMMUNITY_GROUP)
    membership_factory(user=user, organisation=organisation)
    round_ = round_factory(title="PPAF 2026/27 Round 2", launched_at=now - timedelta(days=20),
                           opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=28))
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.COMMUNITY_GROUP)]
    priority = priority_factory(plan=plan_factory(), number=1, code="P1",
                                title="Vulnerability",
                                objective="Improve the response to vulnerable people.")
    round_.priorities.append(priority)
    round_.key_aims.append(key_aim_factory(priority=priority, number=1,
                                           text="Find hidden abuse."))
    local_authority_factory(name="Caerdydd")
    application = application_factory(round=round_, organisation=organisation,
                                      created_by=user)
    complete(application)
    return user, organisation, round_, application


def _applicant_data(office, user, organisation, round_, application) -> set[str]:
    """What the applicant and the office typed: names, titles and every answer."""
    return _office_data(office) | {
        user.name, user.email, organisation.name, round_.title, round_.code,
        application.title, application.summary, application.outcomes,
        application.beneficiary_groups, application.other_funding,
        application.declared_by_name, application.declared_by_position,
        *application.description.splitlines(), " ".join(application.description.split()),
        *(organisation.address or "").splitlines(),
        *(value for value in (organisation.contact_name, organisation.contact_email,
                              organisation.contact_phone, organisation.postcode,
                              organisation.charity_number, organisation.company_number)
          if value),
        *(f"{line.description}: £{line.amount_pence // 100:,}"
          for line in application.budget_lines),
        f"{organisation.name}: {round_.title}", f"{round_.title} ({round_.financial_year})",
        # The round's priorities, key aims and areas, as the office's staff typed them.
        "P1 Vulnerability", "Improve the response to vulnerable people.",
        "P1.1 Find hidden abuse.", "Caerdydd", "Berkshire"}


def test_the_applicants_pages_are_in_welsh(client, sign_in_as, welsh_office, applicant):
    from tests.applications.completing import submit

    user, organisation, round_, application = applicant
    data = _applicant_data(welsh_office, user, organisation, round_, application)
    sign_in_as(user)
    pages = ["/dashboard", f"/rounds/{round_.code}/apply", f"/applications/{application.id}",
             f"/applications/{application.id}/check"]

    for path in pages:
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    welsh = _both(client, f"/applications/{application.id}")[1]
    assert "Rydych chi wedi llenwi 8 o 8 adran." in welsh
    assert "Wedi’i gwblhau" in welsh and "Eich sefydliad" in welsh

    client.delete_cookie("language")
    assert submit(client, application).status_code == 302
    english, welsh = _both(client, f"/applications/{application.id}/submitted")
    _assert_welsh(english, welsh, data | {application.reference}, "submitted")
    assert "Cais wedi’i anfon" in welsh
    english, welsh = _both(client, "/dashboard")
    _assert_welsh(english, welsh, data | {application.reference}, "/dashboard, sent")
    assert "Wedi’i gyflwyno" in welsh
    for path in (f"/applications/{application.id}/view",
                 f"/applications/{application.id}/withdraw"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data | {application.reference,
                                              f"{application.reference}: {application.title}"},
                      path)


def test_a_round_not_open_yet_says_when_it_opens_in_welsh(
        client, sign_in_as, welsh_office, applicant, round_factory):
    from datetime import UTC, datetime, timedelta

    user, organisation, round_, _ = applicant
    now = datetime.now(UTC)
    upcoming = round_factory(fund=round_.fund, launched_at=now - timedelta(days=1),
                             opens_at=now + timedelta(days=40),
                             closes_at=now + timedelta(days=70))
    sign_in_as(user)

    english, welsh = _both(client, f"/rounds/{upcoming.code}/apply")

    _assert_welsh(english, welsh, _applicant_data(welsh_office, user, organisation, upcoming,
                                                  applicant[3]), "upcoming")
    assert "This round opens at " in english
    assert "Mae’r cylch hwn yn agor am " in welsh and " ar " in welsh.split("agor am ")[1]


def test_an_office_without_welsh_shows_the_applicants_pages_in_english(
        client, sign_in_as, office_factory, user_factory):
    office_factory()  # Thames Valley, which does not offer Welsh
    sign_in_as(user_factory())
    _in_welsh(client)

    html = client.get("/dashboard").get_data(as_text=True)

    assert '<html lang="en"' in html
    assert "Your dashboard" in html and "Cymraeg" not in html


SECTION_KEYS = ("organisation", "project", "priorities", "areas", "budget", "outcomes",
                "declarations")


def test_each_section_of_an_application_is_in_welsh(client, sign_in_as, welsh_office, applicant):
    user, organisation, round_, application = applicant
    data = _applicant_data(welsh_office, user, organisation, round_, application)
    sign_in_as(user)

    for key in SECTION_KEYS:
        path = f"/applications/{application.id}/sections/{key}"
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    sections = f"/applications/{application.id}/sections"
    assert "P1 Vulnerability" in _both(client, f"{sections}/priorities")[1]
    assert "Caerdydd" in _both(client, f"{sections}/areas")[1]
    project = _both(client, f"{sections}/project")[1]
    assert "Gallwch roi hyd at 100 o eiriau" in project
    assert 'data-i18n.words-under-limit.other="Mae gennych %{count} o eiriau ar ôl"' in project
    assert "Diwrnod" in project and "Blwyddyn" in project


def test_a_sections_errors_are_in_welsh(client, sign_in_as, welsh_office, applicant):
    user, _, _, application = applicant
    sign_in_as(user)
    _in_welsh(client)
    path = f"/applications/{application.id}/sections/budget"
    page = client.get(path).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)

    html = client.post(path, data={
        "csrf_token": csrf_token_for(client, path), "version": version, "action": "continue",
        "line_count": "3", "line_1_description": "Volunteer expenses", "line_1_amount": "lots",
        "line_2_amount": "£200", "total_cost": "",
    }).get_data(as_text=True)

    assert "Mae problem wedi codi" in html
    assert "Rhowch swm mewn punnoedd a cheiniogau yn unig, fel 5000 neu £5,000.50" in html
    assert "Rhowch gyfanswm cost y prosiect" in html
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html


def test_an_applications_documents_page_is_in_welsh(client, sign_in_as, welsh_office,
                                                     applicant):
    user, organisation, round_, application = applicant
    data = _applicant_data(welsh_office, user, organisation, round_, application)
    sign_in_as(user)
    path = f"/applications/{application.id}/documents"

    english, welsh = _both(client, path)

    _assert_welsh(english, welsh, data, path)
    assert "eich polisi diogelu, wedi’i adolygu yn ystod y 12 mis diwethaf" in welsh

    token = csrf_token_for(client, path)
    refused = client.post(path, data={"csrf_token": token, "action": "upload",
                                      "keep": "no"}).get_data(as_text=True)
    assert "Dewiswch ffeil i’w llwytho" in refused
    half_a_date = client.post(path, data={
        "csrf_token": token, "action": "upload", "keep": "no",
        "safeguarding_policy_date": ["1", "", ""]}).get_data(as_text=True)
    assert "Y dyddiad: rhaid iddo gynnwys mis a blwyddyn" in half_a_date


def test_the_organisation_pages_an_applicant_uses_are_in_welsh(client, sign_in_as, welsh_office,
                                                               applicant):
    user, organisation, round_, application = applicant
    data = _applicant_data(welsh_office, user, organisation, round_, application) | {
        f"{organisation.name}, at {organisation.postcode}",
        " ".join(organisation.address.split())}
    sign_in_as(user)

    own = f"/organisations/{organisation.id}"
    for path in ("/organisations", own, f"{own}/edit", f"{own}/invite", f"{own}/documents",
                 "/organisations/new", "/organisations/join", "/organisations/join/requested"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)


def test_registering_an_organisation_says_what_is_wrong_in_welsh(client, sign_in_as,
                                                                  welsh_office, applicant):
    sign_in_as(applicant[0])
    _in_welsh(client)
    token = csrf_token_for(client, "/organisations/new")

    html = client.post("/organisations/new", data={
        "csrf_token": token, "name": "", "postcode": "far too long to be one",
        "organisation_type": "registered_charity"}).get_data(as_text=True)

    assert "Rhowch enw’r sefydliad" in html
    assert "Rhowch god post go iawn, fel RG1 1AA" in html
    assert "Dewiswch yr ardal awdurdod lleol y mae’r sefydliad ynddi" in html
