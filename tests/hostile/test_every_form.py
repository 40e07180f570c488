"""Every form of the app, found by walking the URL map, takes random and nasty values without
a server error or a half-saved change: a refused post changes no table, and says why on the page.

The examples per form come from the hypothesis profile (tests/conftest.py): a few under `ci`,
many more with HYPOTHESIS_PROFILE=thorough. Each post is undone afterwards, so every example
meets the same data set.
"""

import re

from hypothesis import HealthCheck, Phase, example, given, settings

from tests.fixtures.vacuum import vacuum_test_database
from tests.hostile.checks import ErrorLog, form_data, records, row_counts, undone
from tests.hostile.rules import (
    certainly_bad_fields,
    forms_built,
    not_refused_on_the_page,
    sent_values,
)
from tests.hostile.values import (
    IMPOSSIBLE_DATES,
    LONG,
    repeated_everywhere,
    spoiled_everywhere,
    submissions,
)
from tests.hostile.walk import find_forms

# Forms the shared data set cannot show, each with the reason; the walk must find all others,
# and must not find these (so the list never outlives its reasons).
NOT_IN_THE_DATA_SET: dict[str, str] = {}
# Forms that keep what was typed, valid or not, as a draft to come back to (DESIGN: save and
# come back later): a refusal there saves the draft answers and shows the errors.
KEEPS_DRAFT_ANSWERS = {
    "applications.edit_section": "an application section keeps its answers as a draft",
    "applications.documents": "continuing with documents missing marks the section in progress",
    "interest.edit_interest": "an expression of interest keeps the answers given as a draft",
    "monitoring.edit_report": "a grant's report saves the answers that pass their checks before "
                              "a refused document is named, so nothing typed is lost",
}
# Forms whose answer to a valid post is a page (200), not a redirect.
ANSWERS_ON_THE_PAGE = {
    "assessment.manage_reviewers": "shows the assignments it made",
    "records.export_person": "sends the person's data as a download",
    "accounts.forgotten_password": "says an email is on its way, registered or not",
    "accounts.verify_email": "confirms the address, the only thing its button does, and says so",
}
REDIRECTED = {301, 302, 303}
# A request no page of the service could send (a file where the form takes text) is refused
# with the service's 400 page; a hidden record id changed to one that is not there, with 404.
REFUSAL_PAGES = {400: "Sorry, there is a problem with your request", 404: "Page not found"}


def examples_per_form() -> int:
    """Random posts per form, besides the fixed ones: a twentieth of the profile's examples."""
    return max(2, settings.default.max_examples // 20)


def fixed_posts(form) -> list[list]:
    """The posts every form gets: long, NUL, huge, fractional and impossible everywhere;
    nothing; twice. (Each kind of value a field's kind certainly refuses is among them, so the
    few random posts of the CI profile need not find it.)"""
    return [
        spoiled_everywhere(form, LONG + "\x00<script>alert(1)</script>\u202e😀",
                           ("31", "2", "0")),
        spoiled_everywhere(form, "nul\x00inside", ("1\x00", "4", "2026")),
        spoiled_everywhere(form, "99999999999999999999", IMPOSSIBLE_DATES[0]),
        spoiled_everywhere(form, "²", ("²", "²", "²")),
        spoiled_everywhere(form, "12.345", ("1", "1", "1")),
        [],
        repeated_everywhere(form),
    ]


def tampered(form, pairs: list) -> bool:
    """Whether the post holds what no page could send: a file where text is expected (the 400
    page, before any field is read), or a hidden field changed (which may be a 404 or 409)."""
    sent = sent_values(pairs)
    return any(isinstance(value, bytes) for _, value in pairs) or any(
        sent.get(name) != [found.value] for name, found in form.fields.items()
        if found.kind == "hidden" and name != "csrf_token")


def post_and_check(client, found, before: tuple, pairs: list, token: str) -> None:
    """Post; no error, a certainly bad value is refused on its field, and a refusal (any answer
    but a redirect) changes nothing and says why. `before` is the row counts and the named
    records as every post of the form finds them (each post is undone)."""
    endpoint, path = found.endpoint, found.path
    data = form_data(pairs, token)
    bad = certainly_bad_fields(found.rules, pairs)
    counts, rows, values = before
    with ErrorLog() as log, forms_built() as built:
        try:
            response = client.post(path, data=data)
        except Exception as error:  # noqa: BLE001 (any exception is the finding)
            raise AssertionError(f"raised {error!r}") from error
    assert response.status_code < 500, f"answered {response.status_code}"
    assert not log.records, f"logged {log.records[0].getMessage()}"
    bad_names = [rule.name for rule in bad]
    if bad and response.status_code in REDIRECTED:
        raise AssertionError(f"took (redirected) a post it must refuse on {bad_names}")
    if response.status_code in REDIRECTED:
        return
    html = response.get_data(as_text=True)
    if bad and not tampered(found.form, pairs):
        if "govuk-error-summary" not in html:
            raise AssertionError(f"answered {response.status_code} with no error summary for "
                                 f"{bad_names}")
        if missed := not_refused_on_the_page(html, built, bad):
            raise AssertionError(f"no error on {missed} (bad: {bad_names})")
    refused = response.status_code >= 400 or "govuk-error-summary" in html
    if not refused:
        assert endpoint in ANSWERS_ON_THE_PAGE, "answered 200 without an error summary"
        return
    if endpoint not in KEEPS_DRAFT_ANSWERS:
        assert row_counts() == counts, "a refused post changed rows"
        assert records(values) == rows, "a refused post changed the record"
    assert "govuk-error-summary" in html or REFUSAL_PAGES.get(response.status_code, "\0") in html, (
        f"answered {response.status_code} without an error summary")


def fuzz(app, world, people, found) -> str | None:
    """Post the fixed and random values to one form; what went wrong, if anything.

    The posts go from the session the walk found the form in, with the page's own token; the
    session's cookies are put back before each post, as every post is undone."""
    client = people.client(found.person)
    form = found.form
    token = form.fields["csrf_token"].value
    values = app.url_map.bind("localhost").match(found.path, method="POST")[1]
    before = (row_counts(), records(values), values)

    cookies = dict(client._cookies)

    def post(pairs):
        # Each post meets the same data set and the same signed-in session (a post may sign
        # out, or change what the session holds).
        client._cookies.clear()
        client._cookies.update(cookies)
        with undone():
            post_and_check(client, found, before, pairs, token)

    run = given(submissions(form))(post)
    for pairs in fixed_posts(form):
        run = example(pairs)(run)
    run = settings(settings.default, max_examples=examples_per_form(), deadline=None,
                   database=None, phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck))(run)
    try:
        run()
    except Exception as error:  # noqa: BLE001 (collect every form's finding, then fail once)
        text = " ".join(" ".join([str(error), *getattr(error, "__notes__", [])]).split())
        text = re.sub(r"(.)\1{20,}", lambda run: f"{run.group(1)}×{len(run.group(0))}", text)
        return f"{found.endpoint} as {found.person} at {found.path}: {text[:900]}"
    finally:
        client._cookies.clear()
        client._cookies.update(cookies)
    return None


def test_every_form_takes_hostile_values_without_an_error_or_a_half_saved_change(
    app, world, people
):
    found, missing = find_forms(app, world, people)
    assert sorted(missing) == sorted(NOT_IN_THE_DATA_SET), "forms the walk did not find"

    failures = []
    for number, each in enumerate(found, 1):
        if failure := fuzz(app, world, people, each):
            failures.append(failure)
        if number % 10 == 0:
            # Each post was undone: its rows are dead rows until a VACUUM (on PostgreSQL).
            vacuum_test_database()

    assert failures == [], "\n".join(failures)
