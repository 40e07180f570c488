"""PDF documents read the service's own stylesheets from disk and fetch nothing else."""

import io
import logging

import pytest
from pypdf import PdfReader

from grants.core.pdf import OwnStylesheetsOnly, RefusedFetch, css_string, html_to_pdf

ORIGIN = "https://grants.example.org/"


@pytest.fixture
def static_folder(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("h1 { color: #3f2577 }")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.svg").write_text("<svg/>")
    (tmp_path / "secret.css").write_text("h1 { color: red }")
    return tmp_path


@pytest.fixture
def fetcher(static_folder):
    return OwnStylesheetsOnly(origin=ORIGIN, static_url_path="/static",
                              static_folder=str(static_folder))


def test_the_services_own_stylesheet_is_read_from_disk(fetcher):
    response = fetcher.fetch(ORIGIN + "static/css/site.css")

    assert response.read() == b"h1 { color: #3f2577 }"
    assert response.content_type == "text/css"


@pytest.mark.parametrize("url", [
    "https://elsewhere.example.com/static/css/site.css",
    "http://grants.example.org/static/css/site.css",
    "http://169.254.169.254/latest/meta-data/",
    "file:///etc/passwd",
    "data:text/css,h1{color:red}",
    ORIGIN + "static/images/logo.svg",
    ORIGIN + "static/css/../secret.css",
    ORIGIN + "static/css/%2e%2e/secret.css",
    ORIGIN + "static/css/missing.css",
    ORIGIN + "applications/1/view",
])
def test_anything_else_is_refused(fetcher, url):
    with pytest.raises(RefusedFetch):
        fetcher.fetch(url)


def test_a_document_draws_without_what_it_may_not_fetch(static_folder, caplog):
    caplog.set_level(logging.INFO, logger="grants.core.pdf")
    html = ('<html><head><title>Bid</title><link rel="stylesheet" href="/static/css/site.css">'
            '</head><body><h1>Night shelter</h1>'
            '<img src="http://127.0.0.1:9/tracker.png" alt="">'
            '<p style="background: url(file:///etc/passwd)">Outreach</p></body></html>')

    document = html_to_pdf(html, base_url=ORIGIN, static_url_path="/static",
                           static_folder=str(static_folder), footer='Bid "1" \\ 2')

    text = PdfReader(io.BytesIO(document)).pages[0].extract_text()
    assert "Night shelter" in text and "Outreach" in text
    assert 'Bid "1" \\ 2' in text and "Page 1 of 1" in text
    refused = [record.getMessage() for record in caplog.records
               if record.name == "grants.core.pdf"]
    assert refused == ["PDF: refused to fetch http://127.0.0.1:9/tracker.png",
                       "PDF: refused to fetch file:///etc/passwd"]


def test_a_footer_is_a_css_string_whatever_it_holds():
    assert css_string('A-1 "}') == '"A\\00002d1\\000020\\000022\\00007d"'
