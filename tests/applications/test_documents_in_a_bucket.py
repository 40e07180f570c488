"""With STORAGE_URL naming a bucket, the documents pages keep files there and stream them back,
exactly as they do with the local folder."""

import pytest

from tests.applications.test_documents_checks import make_pdf
from tests.applications.test_documents_pages import (
    SAFEGUARDING,
    documents_of,
    download_path,
    upload,
)
from tests.fixtures.object_storage import BUCKET, object_names


@pytest.fixture(autouse=True)
def bucket_storage(app, s3, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "STORAGE_URL", f"s3://{BUCKET}/applications")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "never-used"))
    return s3


def test_a_document_uploaded_is_kept_in_the_bucket_and_downloads_from_it(
    draft, member, sign_in_as, db_session, s3, tmp_path
):
    client = sign_in_as(member)
    pdf = make_pdf(padding=3)

    response = upload(client, draft, SAFEGUARDING, "Safeguarding policy.pdf", pdf)

    assert response.status_code == 302
    [document] = documents_of(db_session, draft)
    assert object_names(s3) == [f"applications/{document.storage_key}"]
    assert not (tmp_path / "never-used").exists()
    download = client.get(download_path(draft, document))
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="Safeguarding policy.pdf"')
    assert download.headers["Cache-Control"] == "no-store"


def test_a_replaced_document_leaves_the_bucket_once_the_replacement_is_saved(
    draft, member, sign_in_as, db_session, s3
):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "Old policy.pdf", make_pdf())

    upload(client, draft, SAFEGUARDING, "New policy.pdf", make_pdf(padding=2))

    [document] = documents_of(db_session, draft)
    assert document.original_filename == "New policy.pdf"
    assert object_names(s3) == [f"applications/{document.storage_key}"]


def test_a_document_whose_object_is_gone_is_not_found(draft, member, sign_in_as, db_session,
                                                      s3):
    client = sign_in_as(member)
    upload(client, draft, SAFEGUARDING, "Safeguarding policy.pdf", make_pdf())
    [document] = documents_of(db_session, draft)
    s3.delete_object(Bucket=BUCKET, Key=f"applications/{document.storage_key}")

    assert client.get(download_path(draft, document)).status_code == 404
