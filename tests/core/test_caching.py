"""Nothing shown to a signed-in person is kept by a browser or a cache; public pages are kept
for a few minutes and revalidated by ETag."""

import re
from datetime import timedelta

import pytest

from grants.accounts.models import Role
from grants.core import clock
from grants.core.caching import PUBLIC_MAX_AGE_SECONDS
from tests.awards.paying import (  # noqa: F401  (fixtures)
    accepted_award_fixture,
    approver_fixture,
    fixed_clock_fixture,
    give_bank_details,
    member_fixture,
    offered_award_fixture,
    organisation_fixture,
    published_round_fixture,
)
from tests.fixtures import source

PUBLIC = ["/", "/rounds", "/awards", "/privacy", "/accessibility"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_may_be_kept_briefly_and_revalidated(new_client, path):
    client = new_client()
    first = client.get(path)
    assert first.status_code == 200
    assert first.cache_control.public and first.cache_control.max_age == PUBLIC_MAX_AGE_SECONDS
    assert "Cookie" in first.vary
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.get_data()) == (304, b"")


def test_the_rounds_a_round_and_the_register_may_be_kept_a_minute_by_a_proxy(new_client,
                                                                             round_factory):
    now = clock.utcnow()
    opened = round_factory(launched_at=now - timedelta(days=2), opens_at=now - timedelta(days=1),
                           closes_at=now + timedelta(days=30))
    client = new_client()
    for path in ["/rounds", f"/rounds/{opened.code}", "/awards"]:
        first = client.get(path)
        assert first.status_code == 200, path
        assert first.headers["Cache-Control"] == "public, max-age=60", path
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path


def test_a_page_that_changed_is_sent_again(new_client, round_factory):
    client = new_client()
    first = client.get("/rounds")
    now = clock.utcnow()
    round_factory(title="A round that opened since", launched_at=now - timedelta(days=2),
                  opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))
    again = client.get("/rounds", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "A round that opened since" in again.get_data(as_text=True)


def test_a_page_with_a_form_or_a_message_is_not_kept(new_client):
    client = new_client()
    assert client.get("/sign-in").headers["Cache-Control"] == "no-store"
    # The visitor now has a session (the form's token): nothing they see is kept.
    assert client.get("/").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("role", [Role.STAFF, Role.REVIEWER, None])
def test_nothing_a_signed_in_person_sees_is_kept(sign_in_as, user_factory, role):
    client = sign_in_as(user_factory(roles=[role] if role else []))
    for path in ["/", "/dashboard", "/account", "/awards", "/privacy"]:
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert "ETag" not in response.headers


def test_bank_details_are_never_kept(sign_in_as, new_client, accepted_award, member,
                                    user_factory):
    give_bank_details(accepted_award, member)
    recipient = sign_in_as(member)
    assert recipient.get(f"/awards/{accepted_award.id}/bank-details").headers[
        "Cache-Control"] == "no-store"
    staff = sign_in_as(user_factory(roles=[Role.STAFF]), on=new_client())
    page = staff.get(f"/staff/awards/{accepted_award.id}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"


def test_only_the_caching_module_decides_what_may_be_kept():
    deciding = sorted(source.modules_matching(r"Cache-Control|cache_control|no-store"))
    assert deciding == ["core/caching.py"]


def test_a_page_names_its_stylesheet_by_a_fingerprint_and_the_file_is_kept_for_a_year(
        new_client):
    client = new_client()
    page = client.get("/privacy").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/application\.css\?v=[0-9a-f]{12})"', page)
    assert stylesheet, "the stylesheet is not named by its fingerprint"
    response = client.get(stylesheet.group(1))
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable and response.cache_control.public


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_a_static_file_asked_for_without_its_fingerprint_is_revalidated(new_client, query):
    response = new_client().get(f"/static/css/application.css{query}")
    assert response.status_code == 200
    assert response.cache_control.no_cache and not response.cache_control.max_age
