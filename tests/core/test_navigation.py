import re

from grants.accounts.models import Role
from grants.pages.views.layout import NavLink, navigation_items
from tests.core.html import navigation_links, navigation_texts


def test_people_who_are_signed_out_see_home_sign_in_and_create_an_account(client):
    html = client.get("/").get_data(as_text=True)

    assert navigation_texts(html) == ["Home", "Funding rounds", "Grants awarded", "Sign in",
                                      "Create an account"]
    assert "Sign out" not in html


def test_the_current_page_is_marked_in_the_navigation(client):
    links = navigation_links(client.get("/sign-in").get_data(as_text=True))

    current = [link["text"] for link in links if link.get("aria-current") == "page"]
    assert current == ["Sign in"]


def test_applicants_see_their_dashboard_organisations_and_account(
    client, user_factory, sign_in_as
):
    sign_in_as(user_factory(roles=[Role.APPLICANT]))

    html = client.get("/accessibility").get_data(as_text=True)

    assert navigation_texts(html) == ["Dashboard", "Funding rounds", "Organisations",
                                      "Your account"]
    assert "Rounds" not in navigation_texts(html)


def test_staff_see_staff_home_and_organisations_but_not_user_management(
    client, user_factory, sign_in_as
):
    sign_in_as(user_factory(roles=[Role.STAFF]))

    html = client.get("/accessibility").get_data(as_text=True)

    assert navigation_texts(html) == ["Rounds", "Funds", "Plans", "Payments", "Monitoring",
                                      "Reports", "Organisations", "Your account"]


def test_admins_also_see_users(client, user_factory, sign_in_as):
    sign_in_as(user_factory(roles=[Role.ADMIN]))

    html = client.get("/accessibility").get_data(as_text=True)

    assert navigation_texts(html) == [
        "Rounds", "Funds", "Plans", "Payments", "Monitoring", "Reports", "Organisations",
        "Users", "Audit log", "Your account"
    ]


def test_sign_out_is_a_post_form_with_a_csrf_token(client, user_factory, sign_in_as):
    sign_in_as(user_factory(roles=[Role.APPLICANT]))

    html = client.get("/accessibility").get_data(as_text=True)

    form = re.search(r'<form class="app-service-navigation__form"(.*?)</form>', html, re.S)
    assert form, "no sign-out form in the navigation"
    assert 'method="post" action="/sign-out"' in form.group(0)
    assert re.search(r'name="csrf_token" value="[^"]+"', form.group(0))
    assert '<button type="submit" class="app-service-navigation__button">Sign out</button>' in (
        form.group(0)
    )


def test_a_page_inside_a_section_marks_only_the_closest_section_link(app):
    links = [NavLink("pages.home", "Home"), NavLink("pages.accessibility", "Accessibility")]
    with app.test_request_context("/accessibility/part-two"):
        items = navigation_items(links)

    assert [item.get("active", False) for item in items] == [False, True]
    assert not any(item["current"] for item in items)


def test_reviewers_land_on_their_reviews_and_see_them_in_the_navigation(client, user_factory):
    from tests.fixtures.auth import sign_in

    reviewer = user_factory(roles=[Role.REVIEWER])

    response = sign_in(client, reviewer.email)

    assert response.headers["Location"] == "/reviews"
    assert "Your reviews" in navigation_texts(client.get("/reviews").get_data(as_text=True))


def test_the_kept_navigation_is_the_macros_own_with_this_pages_sign_out_token(
        app, client, user_factory, sign_in_as):
    from flask import render_template_string

    sign_in_as(user_factory(roles=[Role.STAFF]))
    html = client.get("/accessibility").get_data(as_text=True)
    client.get("/privacy")  # the same links, kept from the page before

    params = {"classes": "govuk-service-navigation--inverse", "navigationLabel": "Menu",
              "navigation": [{"href": "/staff/", "text": "Rounds", "current": True},
                             {"href": "/staff/funds", "text": "Funds", "current": False}],
              "collapseNavigationOnMobile": True,
              "slots": {"navigationEnd": '<li class="end">token-of-this-page</li>'}}
    macro = ('{% from "govuk_frontend_jinja/components/service-navigation/macro.html" '
             'import govukServiceNavigation %}{{ govukServiceNavigation(params) }}')
    with app.test_request_context("/"):
        for end in ("<li>one</li>", "<li>two</li>", None):
            params["slots"] = {"navigationEnd": end} if end else {}
            kept = render_template_string("{{ service_navigation_html(params) }}", params=params)
            assert kept == render_template_string(macro, params=params)
            assert end is None or end in kept
    assert 'name="csrf_token"' in html and "Sign out" in html
