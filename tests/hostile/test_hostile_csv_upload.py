"""Hostile files on the one upload the document checks do not guard: an allocation round's
inputs as CSV. Each is refused on the page, nothing is saved, never a 500. (Application and
monitoring documents: tests/security/test_hostile_uploads.py and
tests/applications/test_documents_checks.py.)"""

import io
import zipfile

import pytest
from sqlalchemy import select

from grants.allocations.models import AllocationInput
from grants.allocations.operations.inputs_csv import MAX_CSV_BYTES
from tests.allocations.conftest import (  # noqa: F401 (fixtures used by name)
    councils,
    csf_round,
    fixed_clock,
    ready_round,
    staff,
)
from tests.fixtures.auth import post_form

HEADER = b"Recipient,Population,Recorded crime,Non-crime demand\n"


def _inputs(session) -> list[tuple]:
    session.expire_all()
    return session.execute(select(AllocationInput.recipient_id, AllocationInput.factor_id,
                                  AllocationInput.value).order_by(
        AllocationInput.recipient_id, AllocationInput.factor_id)).all()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 20_000_000)
    return out.getvalue()


@pytest.mark.parametrize(("filename", "content"), [
    pytest.param("inputs.csv", b"", id="zero-bytes"),
    pytest.param("inputs.csv", HEADER + b"Reading Council,1,1,1\n" * (MAX_CSV_BYTES // 20),
                 id="oversize"),
    pytest.param("inputs.csv", _zip_bomb(), id="zip-bomb-named-csv"),
    pytest.param("inputs.csv", b"\xff\xfe\x00\x00binary", id="binary"),
    pytest.param("inputs.csv", HEADER + b"Reading Council,1\x00,1,1\n", id="nul"),
    pytest.param("inputs.csv", HEADER + b"=cmd|' /C calc'!A0,1,1,1\n", id="formula"),
    pytest.param("../../etc/passwd.csv", HEADER + b"Nowhere Council,1,1,1\n",
                 id="traversal-name-unknown-recipient"),
    pytest.param("a" * 5000 + ".csv", HEADER + b"Reading Council,-1,1,1\n",
                 id="long-name-negative-value"),
])
def test_a_hostile_inputs_file_is_refused_on_the_page_and_nothing_is_saved(
    sign_in_as, staff, ready_round, db_session, filename, content  # noqa: F811
):
    client = sign_in_as(staff)
    page = f"/staff/rounds/{ready_round.id}/allocation/inputs"
    before = _inputs(db_session)

    response = post_form(client, page + "/upload",
                         {"inputs_file": (io.BytesIO(content), filename)}, form_page=page,
                         content_type="multipart/form-data")

    assert response.status_code in (200, 413)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html or response.status_code == 413
    assert _inputs(db_session) == before
