"""Welsh for the recipient's grant pages (issue 25, point 5): the offer with its grant
agreement, accepting and declining it, the agreement once accepted, and the bank details page,
with their forms' messages. Names, titles, conditions and reasons are as typed."""

import pytest

from tests.awards.paying import (  # noqa: F401  (fixtures)
    CONDITIONS,
    accept,
    fixed_clock_fixture,
    give_bank_details,
    member_fixture,
    offered_award_fixture,
    organisation_fixture,
    published_round_fixture,
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
def offer(welsh_office, member, offered_award):  # noqa: F811
    data = _office_data(welsh_office) | {
        member.name, "Reading Street Support", "Night shelter outreach", "PPAF 2026/27 Round 1",
        "Reading Street Support · PPAF 2026/27 Round 1", "PPAF-2026-1-0001", "£2,500",
        *CONDITIONS.split("\n\n"), "Treasurer"}
    return offered_award, data


def test_the_offer_and_its_agreement_are_in_welsh(client, sign_in_as, member, offer):
    award, data = offer
    sign_in_as(member)

    for path in (f"/awards/{award.id}/offer", f"/awards/{award.id}/decline"):
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    welsh = _both(client, f"/awards/{award.id}/offer")[1]
    assert "Rydym yn cynnig grant o £2,500 i Reading Street Support" in welsh
    assert "wario’r grant erbyn 31 Ionawr 2028" in welsh
    assert "Rwy’n derbyn yr amodau hyn ar ran Reading Street Support" in welsh


def test_accepting_says_what_is_wrong_and_done_in_welsh(client, sign_in_as, member, offer):
    award, _ = offer
    sign_in_as(member)
    _in_welsh(client)
    path = f"/awards/{award.id}/offer"

    empty = post_form(client, path, {}, form_page=path).get_data(as_text=True)
    accepted = post_form(client, path, {
        "name": "Jo Member", "position": "Treasurer", "accepted_on": ["9", "3", "2027"],
        "confirm": "y"}, form_page=path, follow_redirects=True).get_data(as_text=True)

    assert "Rhowch eich swydd yn y sefydliad" in empty
    assert "Cadarnhewch eich bod yn derbyn yr amodau hyn ar ran Reading Street Support" in empty
    assert "Rydych chi wedi derbyn y cynnig grant o £2,500" in accepted


def test_the_agreement_and_bank_details_once_accepted_are_in_welsh(client, sign_in_as, member,
                                                                   offer):
    award, data = offer
    accept(award, member)
    sign_in_as(member)
    path = f"/awards/{award.id}/bank-details"

    for each in (f"/awards/{award.id}/offer", path):
        english, welsh = _both(client, each)
        _assert_welsh(english, welsh, data, each)

    _in_welsh(client)
    wrong = post_form(client, path, {"account_name": "", "sort_code": "12-34",
                                     "account_number": "abc"},
                      form_page=path).get_data(as_text=True)
    assert "Rhowch yr enw ar y cyfrif" in wrong
    assert "Rhaid i’r cod didoli fod yn 6 digid" in wrong
    assert "Rhowch rif cyfrif dilys, fel 00733445" in wrong
    give_bank_details(award, member)
    client.delete_cookie("language")
    english, welsh = _both(client, path)
    _assert_welsh(english, welsh, data, "bank details given")
    assert "Ddim eto." in welsh
