import base64
import hashlib
import re

import pytest
from sqlalchemy.exc import OperationalError

from grants.extensions import db
from tests.core.html import SERVICE_NAME, count_tags, page_title

PUBLIC_PAGES = [
    ("/", "Apply for a grant"),
    ("/accessibility", "Accessibility statement"),
    ("/privacy", "Privacy notice"),
]


@pytest.mark.parametrize(("path", "title"), PUBLIC_PAGES)
def test_public_page_answers_with_one_h1_and_a_title_ending_with_the_service_name(
    client, path, title
):
    response = client.get(path)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert count_tags(html, "h1") == 1
    assert page_title(html) == f"{title} — {SERVICE_NAME}"


@pytest.mark.parametrize(("path", "title"), PUBLIC_PAGES)
def test_public_page_has_the_layout_of_the_service(client, path, title):
    html = client.get(path).get_data(as_text=True)

    assert 'href="#main-content"' in html  # skip link
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert re.search(r'href="/static/css/application\.css\?v=\w+"', html)
    assert re.search(r'href="/static/images/favicon\.svg\?v=\w+"', html)
    assert 'href="/accessibility"' in html and 'href="/privacy"' in html
    assert "© Office of the Police and Crime Commissioner for Thames Valley" in html


def test_pages_carry_no_gov_uk_branding(client):
    html = client.get("/").get_data(as_text=True)

    assert "GOV.UK" not in html
    assert "govuk-header__logotype" not in html
    assert "govuk-footer__crown" not in html
    assert "Crown copyright" not in html
    assert "Open Government Licence" not in html


def test_scripts_load_as_a_module_and_the_one_inline_script_is_allowed_by_its_hash(client):
    response = client.get("/")
    html = response.get_data(as_text=True)

    policy = response.headers["Content-Security-Policy"]
    assert re.search(r'<script type="module" src="/static/js/application\.mjs\?v=\w+">', html)
    inline = re.findall(r"<script>(.+?)</script>", html, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy and "nonce" not in policy + html
    assert "style=" not in html


def test_home_page_invites_people_who_are_signed_out_to_create_an_account_or_sign_in(client):
    html = client.get("/").get_data(as_text=True)

    assert 'href="/register"' in html
    assert 'href="/sign-in"' in html
    assert "Police Property Act Fund" in html and "Community Safety Fund" in html


def test_accessibility_statement_says_how_the_service_is_tested_and_when_it_was_prepared(client):
    html = " ".join(client.get("/accessibility").get_data(as_text=True).split())

    assert "WCAG" in html and "2.2" in html
    assert "axe-core" in html
    assert "keyboard" in html
    assert "Equality Advisory and Support Service" in html
    assert "Known issues" in html
    assert "23 November 2026" in html


def test_privacy_notice_names_the_lawful_basis_and_how_to_complain(client):
    html = " ".join(client.get("/privacy").get_data(as_text=True).split())

    assert "data controller" in html
    assert "Police Reform and Social Responsibility Act 2011" in html
    assert "Police (Property) Regulations 1997" in html
    assert "Information Commissioner" in html
    assert "Data Protection Officer" in html


def test_healthz_answers_ok_after_asking_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_healthz_needs_no_sign_in_and_sets_no_session(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_favicon_ico_leads_to_the_services_own_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert re.search(r"/static/images/favicon\.svg\?v=\w+$", response.headers["Location"])
