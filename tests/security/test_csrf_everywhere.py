"""Every route that takes a POST (or PUT, PATCH, DELETE) refuses a request without a CSRF token,
whoever sends it. Built from the URL map, so a new form cannot skip the check."""

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from grants.accounts.models import Role

CHANGING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_MESSAGE = "Your form expired or was sent from elsewhere"
# Exempt on purpose, with the reason: none take a form.
EXEMPT_ENDPOINTS: dict[str, str] = {}


def _value_for(converter) -> object:
    """A value the converter takes: a number, one of its words (`any(up,down)`), or text."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _changing_routes(app) -> list[tuple[str, str, str]]:
    adapter = app.url_map.bind("localhost")
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & CHANGING_METHODS):
            if rule.endpoint in EXEMPT_ENDPOINTS:
                continue
            values = {name: _value_for(converter) for name, converter in rule._converters.items()}
            routes.append((rule.endpoint, method, adapter.build(rule.endpoint, values,
                                                                method=method)))
    return routes


def test_there_are_forms_to_check(app):
    assert len(_changing_routes(app)) > 20


@pytest.mark.parametrize("roles", [None, [Role.APPLICANT], [Role.ADMIN]])
def test_no_route_accepts_a_change_without_a_csrf_token(app, client, sign_in_as, user_factory,
                                                        roles):
    if roles is not None:
        sign_in_as(user_factory(roles=roles))
    accepted = []
    for endpoint, method, path in _changing_routes(app):
        response = client.open(path, method=method, data={"anything": "1"})
        if response.status_code != 400 or CSRF_MESSAGE not in response.get_data(as_text=True):
            accepted.append(f"{method} {path} ({endpoint}): {response.status_code}")

    assert accepted == []
