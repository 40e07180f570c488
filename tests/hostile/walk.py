"""Finding every form of the app: each rule of the URL map that takes a POST, built with the
shared data set's values, and the page (and person) that shows a form posting to it."""

import itertools
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from grants.core import clock
from tests.fixtures.auth import csrf_token_from, post_form, sign_in
from tests.hostile.pages import Form, post_forms
from tests.hostile.rules import Rule, forms_built, matching_rules, rules_of
from tests.hostile.world import PEOPLE, TOTP_SECRET, World

# The people who may use the forms under a path; the walk tries everyone for other paths.
FIRST_TRIED = (
    ("/staff/", ("staff", "admin")),
    ("/admin/", ("admin",)),
    ("/reviews/", ("reviewer",)),
    ("/nominations/", ("sheriff",)),
    ("/organisations/claim/", ("newcomer",)),
    ("/organisations/invitations/", ("newcomer",)),
    ("/reset-password/", ("anonymous",)),
    ("/account/verify/", ("anonymous",)),
    ("/register", ("anonymous",)),
    ("/forgotten-password", ("anonymous",)),
    ("/sign-in/code", ("halfway",)),
    ("/sign-in", ("anonymous",)),
    ("/awards/", ("recipient", "paid_recipient", "applicant")),
    ("/reports/", ("paid_recipient",)),
    ("/applications/", ("applicant", "paid_recipient", "recipient")),
    ("/rounds/", ("applicant",)),
    ("/expressions-of-interest/", ("applicant",)),
)
# Forms that are on a page which is not the form's own address or a parent of it.
FORM_PAGES = {
    "accounts.sign_out": "/",
    "accounts.resend_verification": "/account",
    "awards.approve_payment": "/staff/awards/{paid_award_id}",
    "applications.submit_application": "/applications/{application_id}/check",
    "decisions.publish": "/staff/rounds/{round_id}/decisions",
    "opendata.publish_monthly_file": "/awards/monthly",
    "decisions.sign_off": "/staff/rounds/{round_id}/decisions",
    "funds.remove_criterion": "/staff/rounds/{round_id}/criteria/{criterion_id}/edit",
    "funds.remove_question": "/staff/rounds/{round_id}/questions/{question_id}/edit",
    "funds.remove_question_section":
        "/staff/rounds/{round_id}/question-sections/{question_section_id}/edit",
    "funds.move_question_section": "/staff/rounds/{round_id}",
    "funds.remove_application_question":
        "/staff/rounds/{round_id}/application-questions/{round_question_id}/edit",
    "funds.move_application_question": "/staff/rounds/{round_id}",
    "funds.remove_check_question":
        "/staff/rounds/{round_id}/check-questions/{check_question_id}/edit",
}
CALLS_PER_RULE = 4


@dataclass
class FoundForm:
    endpoint: str
    path: str
    person: str
    page: str
    form: Form
    # What the form's fields certainly refuse, from the WTForms form that rendered them.
    rules: dict[str, Rule]


def changing_rules(app) -> list:
    """Every rule that takes a POST, in a fixed order."""
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())),
                  key=lambda rule: rule.rule)


def paths_for(app, rule, world: World) -> list[str]:
    """The rule's addresses built from the data set's values (a few, best first)."""
    values = {**world.arguments, **world.endpoint_arguments.get(rule.endpoint, {})}
    names = sorted(rule.arguments)
    choices = [values.get(name, []) for name in names]
    adapter = app.url_map.bind("localhost")
    combinations = itertools.islice(itertools.product(*choices), CALLS_PER_RULE)
    return [adapter.build(rule.endpoint, dict(zip(names, combination, strict=True)),
                          method="POST") for combination in combinations]


def people_for(path: str) -> list[str]:
    first = next((people for start, people in FIRST_TRIED if path.startswith(start)), None)
    return list(first) if first else list(PEOPLE)


def pages_for(app, world: World, rule, path: str, values: dict) -> list[str]:
    """Where the form may be: its own address, or the nearest pages above it."""
    if rule.endpoint in FORM_PAGES:
        known = {name: choices[0] for name, choices in world.arguments.items() if choices}
        return [FORM_PAGES[rule.endpoint].format(**{**known, **values})]
    adapter = app.url_map.bind("localhost")
    pages = []
    parts = path.rstrip("/").split("/")
    for end in range(len(parts), 1, -1):
        page = "/".join(parts[:end])
        try:
            adapter.match(page, method="GET")
        except (HTTPException, RequestRedirect):
            continue
        pages.append(page)
        if len(pages) == 3:
            break
    return pages


def open_page(client, world: World, page: str):
    """The page as a browser gets it: by GET, or for a page that answers a post, by posting
    the data set's fields with the form's own token."""
    response = client.get(page)
    if page not in world.page_posts or response.status_code != 200:
        return response
    token = csrf_token_from(response.get_data(as_text=True))
    return client.post(page, data={**world.page_posts[page], "csrf_token": token})


class People:
    """A signed-in test client for each kind of person, made when first needed."""

    def __init__(self, app, world: World) -> None:
        self.app = app
        self.world = world
        self._clients: dict[str, object] = {}
        self._pages: dict[tuple[str, str], str | None] = {}
        self._rules: dict[tuple[str, str], list[dict[str, Rule]]] = {}

    def fresh(self, person: str):
        """A new client signed in as the person ("halfway": password given, code not yet)."""
        client = self.app.test_client()
        if person != "anonymous":
            response = sign_in(client, self.world.emails[person])
            assert response.status_code == 302, f"{person} could not sign in"
        if person == "two_factor":
            self._give_code(client)
        return client

    def _give_code(self, client) -> None:
        # A code is taken once only: the next sign-in uses the next time step's.
        totp = pyotp.TOTP(TOTP_SECRET)
        for offset in (0, 30, -30):
            response = post_form(client, "/sign-in/code",
                                 {"code": totp.at(clock.utcnow() + timedelta(seconds=offset))})
            if response.status_code == 302:
                return
        raise AssertionError("the person with an authenticator could not sign in")

    def client(self, person: str):
        if person not in self._clients:
            self._clients[person] = self.fresh(person)
        return self._clients[person]

    def page(self, person: str, path: str) -> str | None:
        """The page's HTML as the person sees it, or None when it is not shown to them."""
        if (person, path) not in self._pages:
            with forms_built() as built:
                response = open_page(self.client(person), self.world, path)
            self._pages[(person, path)] = (response.get_data(as_text=True)
                                           if response.status_code == 200 else None)
            self._rules[(person, path)] = [rules_of(form) for form in built]
        return self._pages[(person, path)]

    def rules(self, person: str, path: str, form: Form) -> dict[str, Rule]:
        """The rules of the page's WTForms form behind the HTML form, for the fields it shows."""
        shown = set(form.fields) - {"csrf_token"}
        rules = matching_rules(shown, self._rules.get((person, path), []))
        return {name: rule for name, rule in rules.items() if name in shown}


def find_form(app, world: World, people: People, rule) -> FoundForm | None:
    """The rule's form: the first address, person and page that show a form posting to it."""
    adapter = app.url_map.bind("localhost")
    for path in paths_for(app, rule, world):
        values = adapter.match(path, method="POST")[1]
        for person in people_for(path):
            for page in pages_for(app, world, rule, path, values):
                html = people.page(person, page)
                if html is None:
                    continue
                form = next((f for f in post_forms(html, page) if f.action == path), None)
                if form is not None:
                    return FoundForm(rule.endpoint, path, person, page, form,
                                     people.rules(person, page, form))
    return None


def find_forms(app, world: World, people: People) -> tuple[list[FoundForm], list[str]]:
    """Each POST rule's form, and the endpoints whose form the walk could not find."""
    found, missing = [], []
    for rule in changing_rules(app):
        hit = find_form(app, world, people, rule)
        if hit:
            found.append(hit)
        else:
            missing.append(rule.endpoint)
    return found, missing
