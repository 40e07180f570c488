"""Welsh for the invited organisation's reply to an awards ceremony invitation (issue 25,
point 5): the invitation, the reply form and its messages, the reply given, once the ceremony
has started, and the award's certificate. The ceremony's details and the guests' names are as
typed."""

import io
from datetime import date, time

import pytest
from pypdf import PdfReader

from grants.ceremonies.operations.inviting import send_invitations
from grants.ceremonies.operations.planning import create_ceremony
from tests.ceremonies.conftest import (  # noqa: F401  (fixtures)
    entry,
    invitation_of,
    invited,
    member,
    now,
    staff,
    year,
)
from tests.core.test_welsh import (  # noqa: F401  (fixtures)
    _assert_welsh,
    _both,
    _in_welsh,
    _office_data,
    compiled_welsh,
    welsh_office,
)
from tests.fixtures.auth import post_form


@pytest.fixture
def ceremony(welsh_office, db_session, now, year, staff):  # noqa: F811
    """The PPAF's ceremony for 2026/27, planned by the Welsh office's staff."""
    return create_ceremony(db_session, staff, entry(fund_id=year.ppaf.id))


@pytest.fixture
def data(welsh_office, year):  # noqa: F811
    return _office_data(welsh_office) | {
        "Community awards 2026/27", "Reading Street Support", "Oxford Town Hall", "St Aldate's",
        "Oxford", "Doors open at 6pm.", "Jo, Ash and Kim", "A wheelchair space",
        "(PDF)"}  # the same in Welsh


def test_the_invitation_and_the_reply_are_in_welsh(client, sign_in_as, year, ceremony,  # noqa: F811
                                                    invited, member, data):  # noqa: F811
    path = f"/ceremonies/invitations/{invitation_of(invited, year.street_support).id}"
    sign_in_as(member)

    english, welsh = _both(client, path)
    _assert_welsh(english, welsh, data, "invitation")
    assert "Dyfarniadau o Police Property Act Fund yn 2026/27" in welsh

    _in_welsh(client)
    missing = post_form(client, path, {"attending": "yes"}).get_data(as_text=True)
    assert "Rhowch faint o bobl fydd yn dod" in missing
    assert "Dewiswch a gaiff y bobl sy’n dod gael tynnu eu llun" in missing
    replied = post_form(client, path, {
        "attending": "yes", "guests": "3", "guest_names": "Jo, Ash and Kim",
        "access_needs": "A wheelchair space", "photo_consent": "no"},
        follow_redirects=True).get_data(as_text=True)
    assert "Diolch. Edrychwn ymlaen at eich gweld." in replied

    english, welsh = _both(client, path)
    _assert_welsh(english, welsh, data, "replied")
    assert "Newid eich ateb" in welsh


def test_a_reply_after_the_ceremony_started_is_explained_in_welsh(
        client, db_session, sign_in_as, now, year, staff, member, data, welsh_office):  # noqa: F811
    started = create_ceremony(db_session, staff, entry(day=date(2026, 6, 1), at=time(12, 1)))
    invitation, = send_invitations(db_session, staff, started, [year.street_support.id])
    sign_in_as(member)
    now.set(started.starts_at)

    english, welsh = _both(client, f"/ceremonies/invitations/{invitation.id}")

    _assert_welsh(english, welsh, data, "started")
    assert "Mae’r seremoni wedi dechrau, felly ni ellir newid atebion mwyach." in welsh


def test_the_awards_certificate_is_in_welsh(client, sign_in_as, year, ceremony,  # noqa: F811
                                            invited, member):  # noqa: F811
    sign_in_as(member)
    _in_welsh(client)

    response = client.get(f"/awards/{year.street_award.id}/certificate")

    text = " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Tystysgrif dyfarniad" in text and "Cyflwynir y dystysgrif hon i" in text
    assert "o Police Property Act Fund, 2026/27" in text and "Dyfarnwyd 1 Mai 2026" in text
    assert "Certificate of award" not in text
