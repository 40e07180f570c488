"""Welsh for a round's public "Check if you can apply" (issue 25, point 5): its start page, each
question, and the result either way, with the reasons and the answers said in Welsh, and the
questions' messages when an answer is missing or wrong. What the office's staff typed (the
round's own question and its reason, the priorities, the areas) stays as typed."""

from datetime import UTC, datetime, timedelta

import pytest

from grants.funds.models import CheckQuestion, RoundOrganisationType
from grants.organisations.models import OrganisationType
from tests.core.test_welsh import (  # noqa: F401  (fixtures)
    _assert_welsh,
    _both,
    _in_welsh,
    _office_data,
    compiled_welsh,
    welsh_office,
)
from tests.fixtures.auth import post_form
from tests.fixtures.factories import commit_keeping_what_is_loaded


@pytest.fixture
def checked(welsh_office, fund_factory, round_factory, priority_factory,  # noqa: F811
            local_authority_factory):
    """An open round of the Welsh office for charities, from £1,000 to £5,000, with a priority,
    a question of its own, and a council in one of the office's two counties."""
    now = datetime.now(UTC)
    fund = fund_factory(office=welsh_office, name="Police Property Act Fund", code="PPAF")
    round_ = round_factory(fund=fund, title="Small grants", launched_at=now - timedelta(days=10),
                           opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=3),
                           min_award_pence=100_000, max_award_pence=500_000)
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.REGISTERED_CHARITY)]
    round_.priorities = [priority_factory(title="Protecting vulnerable people")]
    round_.check_questions.append(CheckQuestion(
        position=1, text="Have you been operating for at least 12 months?", needed_answer=True,
        reason="it funds organisations that have been operating for at least 12 months"))
    council = local_authority_factory(name="Caerdydd")
    local_authority_factory(name="Abertawe", county__name="Gorllewin Morgannwg")
    commit_keeping_what_is_loaded()
    data = _office_data(welsh_office) | {
        round_.title, fund.name, "Protecting vulnerable people",
        "Have you been operating for at least 12 months?",
        "have you been operating for at least 12 months?",  # in a link's hidden words
        "it funds organisations that have been operating for at least 12 months",
        "Caerdydd", "Abertawe", "Berkshire", "Gorllewin Morgannwg", "£1,000", "£5,000",
        "£9,000", "£2,500"}
    return round_, council, data


def _answer(client, round_, council, *, kind="registered_charity", where="particular",
            amount="£2,500", priority=None, operating="yes") -> None:
    check = f"/rounds/{round_.code}/check"
    question = round_.check_questions[0].id
    for step, answer in (("organisation-type", kind), ("where", where),
                         *([("areas", [str(council.id)])] if where == "particular" else []),
                         ("amount", amount), ("priority", priority or str(round_.priorities[0].id)),
                         (f"questions/{question}", operating)):
        assert post_form(client, f"{check}/{step}", {"answer": answer}).status_code == 302, step


def test_the_check_and_its_questions_are_in_welsh(client, welsh_office, checked):  # noqa: F811
    round_, council, data = checked
    check = f"/rounds/{round_.code}/check"
    pages = [check, *(f"{check}/{step}" for step in (
        "organisation-type", "where", "areas", "amount", "priority",
        f"questions/{round_.check_questions[0].id}"))]

    for path in pages:
        english, welsh = _both(client, path)
        _assert_welsh(english, welsh, data, path)
    start = _both(client, check)[1]
    assert "Gwiriwch a allwch wneud cais: Small grants" in start
    assert "1 cwestiwn arall am eich sefydliad a’r gwaith" in start
    where = _both(client, f"{check}/where")[1]
    assert f"Ar draws y cyfan o {welsh_office.short_name}" in where
    amount = _both(client, f"{check}/amount")[1]
    assert "Mae’r cylch hwn yn rhoi grantiau rhwng £1,000 a £5,000. Mewn punnoedd" in amount


def test_you_can_apply_is_in_welsh(client, checked):
    round_, council, data = checked
    _answer(client, round_, council)

    english, welsh = _both(client, f"/rounds/{round_.code}/check/result")

    _assert_welsh(english, welsh, data, "result")
    assert "Gallwch wneud cais" in welsh
    assert "Elusen gofrestredig" in welsh and "Ie" in welsh
    assert "Newid<span class=\"govuk-visually-hidden\"> faint fyddwch chi’n gofyn amdano?" in welsh


def test_every_reason_you_cannot_apply_is_in_welsh(client, checked):
    round_, council, data = checked
    _answer(client, round_, council, kind="school", where="outside", amount="£9,000",
            priority="other", operating="no")

    english, welsh = _both(client, f"/rounds/{round_.code}/check/result")

    _assert_welsh(english, welsh, data | {"registered charity"}, "result, refused")
    assert "Ni allwch wneud cais i’r cylch hwn oherwydd:" in welsh
    assert ("nid yw’n agored i’r math hwn o sefydliad (ysgol): dim ond i’r mathau hyn o "
            "sefydliad: elusen gofrestredig") in welsh
    assert "(Berkshire neu Gorllewin Morgannwg)" in welsh
    assert "byddech chi’n gofyn am £9,000, ac mae’n rhoi grantiau o hyd at £5,000" in welsh
    assert "dim ond gwaith tuag at ei flaenoriaethau" in welsh
    # The round's own reason, as its staff typed it.
    assert "it funds organisations that have been operating for at least 12 months" in welsh
    assert "Rhywbeth arall" in welsh and "Na" in welsh


def test_the_checks_messages_are_in_welsh(client, checked):
    round_, _, _ = checked
    check = f"/rounds/{round_.code}/check"
    _in_welsh(client)

    kind = post_form(client, f"{check}/organisation-type", {}).get_data(as_text=True)
    amount = post_form(client, f"{check}/amount", {"answer": "lots"}).get_data(as_text=True)
    none = post_form(client, f"{check}/amount", {"answer": ""}).get_data(as_text=True)

    assert "Dewiswch y math o sefydliad rydych chi’n gwneud cais ar ei ran" in kind
    assert "<title>Gwall: Ar gyfer pa fath o sefydliad" in kind
    assert "Rhowch swm mewn punnoedd a cheiniogau yn unig, fel 5000 neu £5,000.50" in amount
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in amount
    assert "Rhowch faint y byddwch chi’n gofyn amdano, mewn punnoedd" in none
