"""Every multi-step write is one transaction: when a late step fails, the person sees the
service's error page and nothing of the write is left, though its earlier steps had written.

Each write is posted through its own form, as the page offers it, by the person the page is
for; one function it calls after earlier rows are flushed is made to fail.
"""

from grants.allocations.operations import confirmation as allocations
from grants.applications import notifications as application_notifications
from grants.awards.operations import payments
from grants.core import clock
from grants.decisions.operations import publishing
from grants.nominations.operations import deciding as nominations
from tests.fixtures.auth import csrf_token_from
from tests.hostile.checks import contents, form_data, undone
from tests.hostile.values import as_offered
from tests.hostile.walk import find_form, open_page

ERROR_PAGE = "Sorry, there is a problem with the service"


def _any_call(*args, **kwargs) -> bool:
    return True


def _action(name: str):
    def matches(*args, **kwargs) -> bool:
        return kwargs.get("action") == name
    return matches


def _today() -> tuple[str, str, str]:
    """Today in London, worked out when the form is sent (not when this module is imported: a
    run that crosses midnight would send yesterday, before the world's award was accepted)."""
    today = clock.today_in_london()
    return (str(today.day), str(today.month), str(today.year))


# The endpoint; the module and function of the late step, and which call of it fails; fields
# to send other than the page's own.
WRITES = {
    # status and reference, the round's reference counter and the audit event, then the email
    "submitting an application": ("applications.submit_application",
                                  application_notifications, "queue_to_each", _any_call, {}),
    # awards offered, statuses, emails and events for each application, then the round's event
    "publishing decisions": ("decisions.publish", publishing, "record_event",
                             _action("round.decisions_published"), {}),
    # the (proposed) award, the nomination's status and its event, then the award's event
    "approving a nomination": ("nominations.approve", nominations, "record_event",
                               _action("award.proposed"),
                               {"public_reason": "Nominated for night outreach"}),
    # an award, a share's link, an email and an event per recipient, then the round's event
    "confirming an allocation": ("allocations.confirm", allocations, "record_event",
                                 _action("allocation.confirmed"),
                                 {"public_reason": "Shared by population and crime"}),
    # the payment, then its event
    "recording a payment": ("awards.record_payment", payments, "record_event",
                            _action("payment.recorded"),
                            {"amount": "10", "paid_on": _today, "reference": "BACS-1"}),
}


def fail_at(monkeypatch, module, name: str, matches) -> dict:
    """Make the module's function raise when `matches` says so; what the database held then
    is kept under "held"."""
    original = getattr(module, name)
    failed: dict = {}

    def failing(*args, **kwargs):
        if matches(*args, **kwargs):
            failed["held"] = contents()
            raise RuntimeError(f"{name} failed")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)
    return failed


def left_halfway(app, world, people, monkeypatch, write: str) -> str | None:
    """Post the write with its late step failing; what went wrong, if anything."""
    endpoint, module, name, matches, fields = WRITES[write]
    fields = {field: value() if callable(value) else value for field, value in fields.items()}
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    found = find_form(app, world, people, rule)
    if found is None:
        return f"{write}: no form posts to {endpoint}"
    client = people.fresh(found.person)
    token = csrf_token_from(open_page(client, world, found.page).get_data(as_text=True))
    pairs = [(field, value) for field, value in as_offered(found.form) if field not in fields]
    failed = fail_at(monkeypatch, module, name, matches)
    before = contents()

    response = client.post(found.path, data=form_data([*pairs, *fields.items()], token))

    if "held" not in failed:
        return f"{write}: the write did not reach {name} (answered {response.status_code})"
    if failed["held"] == before:
        return f"{write}: nothing was written before {name}, so the test proves nothing"
    if response.status_code != 500 or ERROR_PAGE not in response.get_data(as_text=True):
        return f"{write}: answered {response.status_code}, not the error page"
    if contents() != before:
        changed = sorted(table for table, rows in contents().items() if rows != before[table])
        return f"{write}: a half-done write was left in {changed}"
    return None


def test_every_multi_step_write_whose_late_step_fails_shows_the_error_page_and_leaves_nothing(
    app, world, people, monkeypatch
):
    # As in production: the 500 handler answers, and the request rolls back.
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    # Everyone signs in first: a sign-in inside `undone()` would be undone with its session
    # record, signing the person out for the next write.
    for person in world.emails:
        people.client(person)
    failures = []
    for write in WRITES:
        with monkeypatch.context() as patch, undone():
            failures.append(left_halfway(app, world, people, patch, write))

    assert [failure for failure in failures if failure] == []
