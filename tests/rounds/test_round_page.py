"""A round's public page: its guidance, what it funds, and a start button while it is open."""

from datetime import UTC, datetime, timedelta

import pytest

from grants.extensions import db
from grants.funds.models import RoundKind
from tests.rounds.conftest import CLOSES, NOW

START_BUTTON = "Start an application"


def round_page(client, code: str) -> str:
    response = client.get(f"/rounds/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_unknown_round_is_not_found(client, move_clock):
    assert client.get("/rounds/NO-SUCH-ROUND").status_code == 404


@pytest.mark.parametrize("changes", [
    {"launched_at": None},
    {"archived_at": NOW - timedelta(days=1)},
    {"kind": RoundKind.NOMINATION},
], ids=["draft", "archived", "nomination"])
def test_rounds_people_cannot_see_are_not_found(client, launched_round, changes):
    launched_round(code="HIDDEN-1", **changes)

    assert client.get("/rounds/HIDDEN-1").status_code == 404


def test_an_open_round_has_a_start_button_and_its_details(client, launched_round):
    launched_round(code="PPAF-2026-3", title="Small grants", budget_pence=12_500_000,
                   min_award_pence=None, max_award_pence=500_000)

    html = round_page(client, "PPAF-2026-3")

    assert "<h1 class=\"govuk-heading-xl\">Small grants (2026/27)</h1>" in html
    assert html.count(START_BUTTON) == 1
    assert "govuk-button--start" in html
    assert "Closes in 3 days" in html
    assert "It closes at midday on 26 November 2026 (GMT)." in html
    assert "£125,000" in html
    assert "Up to £5,000" in html


def test_the_open_rounds_button_starts_an_application(client, launched_round):
    launched_round(code="PPAF-2026-3")

    html = round_page(client, "PPAF-2026-3")

    assert 'href="/rounds/PPAF-2026-3/apply" role="button"' in html


def test_an_upcoming_round_says_when_it_opens_and_has_no_button(client, launched_round):
    launched_round(code="PPAF-2026-4", opens_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
                   closes_at=datetime(2027, 1, 15, 12, 0, tzinfo=UTC))

    html = round_page(client, "PPAF-2026-4")

    assert "This round opens at 9am on 1 December 2026 (GMT)." in html
    assert "Opens in 8 days" in html
    assert START_BUTTON not in html


def test_a_closed_round_says_when_it_closed_and_has_no_button(client, launched_round,
                                                              move_clock):
    launched_round(code="PPAF-2026-3", closes_at=CLOSES)
    move_clock(CLOSES)

    html = round_page(client, "PPAF-2026-3")

    assert "This round closed at midday on 26 November 2026 (GMT)." in html
    assert ">Closed</strong>" in html
    assert START_BUTTON not in html


def test_the_button_goes_at_the_closing_time(client, launched_round, move_clock):
    launched_round(code="PPAF-2026-3", closes_at=CLOSES)

    move_clock(CLOSES - timedelta(seconds=1))
    assert START_BUTTON in round_page(client, "PPAF-2026-3")
    move_clock(CLOSES)
    assert START_BUTTON not in round_page(client, "PPAF-2026-3")


def test_a_round_in_summer_time_shows_bst(client, launched_round, move_clock):
    move_clock(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    launched_round(code="PPAF-2026-S", opens_at=datetime(2026, 5, 1, 8, 0, tzinfo=UTC),
                   closes_at=datetime(2026, 6, 30, 11, 0, tzinfo=UTC))

    html = round_page(client, "PPAF-2026-S")

    assert "midday on 30 June 2026 (BST)" in html


def test_guidance_is_escaped_and_split_into_paragraphs(client, launched_round):
    launched_round(code="PPAF-2026-3",
                   guidance="Read this first.\n\nThen <script>alert(1)</script> this.")

    html = round_page(client, "PPAF-2026-3")

    assert '<p class="govuk-body">Read this first.</p>' in html
    assert "Then &lt;script&gt;alert(1)&lt;/script&gt; this." in html
    assert "<script>alert(1)" not in html


def test_the_page_lists_priorities_with_their_key_aims(client, launched_round,
                                                       priority_factory, key_aim_factory):
    first = priority_factory(code="P1", number=1, title="Vulnerability")
    second = priority_factory(code="P2", number=2, title="Prevention and Early Intervention",
                              plan=first.plan)
    aims = [key_aim_factory(priority=second, number=1, text="Divert young people"),
            key_aim_factory(priority=first, number=4, text="Support victims")]
    round_ = launched_round(code="PPAF-2026-3")
    round_.priorities.extend([second, first])
    round_.key_aims.extend(aims)

    html = round_page(client, "PPAF-2026-3")

    assert html.index("Vulnerability") < html.index("P1.4</span> Support victims")
    assert html.index("P1.4") < html.index("Prevention and Early Intervention")
    assert html.index("Prevention and Early Intervention") < html.index("P2.1</span> Divert")


def test_a_round_being_assessed_shows_as_closed_to_the_public(client, launched_round,
                                                              move_clock):
    launched_round(code="PPAF-2026-3", closes_at=CLOSES, assessing_at=CLOSES)
    move_clock(CLOSES + timedelta(days=1))

    html = round_page(client, "PPAF-2026-3")

    assert ">Closed</strong>" in html
    assert "Assessing" not in html
    assert START_BUTTON not in html


def test_a_visitors_round_page_names_its_office_in_the_query_that_reads_the_round(
    client, launched_round, count_queries
):
    launched_round(code="PPAF-2026-3", title="Small grants")
    db.session.expunge_all()

    with count_queries() as log:
        html = round_page(client, "PPAF-2026-3")

    assert "Small grants" in html
    # Neither the office on its own nor the token of figures kept until the data changes,
    # which a page that asks `office_of_request` on its own reads first.
    assert not [statement for statement in log.statements
                if "data_version" in statement or statement.lstrip().startswith(
                    "SELECT office.")], str(log)
    assert "JOIN office" in log.statements[0], str(log)
