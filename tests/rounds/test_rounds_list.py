"""The public list of funding rounds: launched rounds that are open or about to open."""

from datetime import UTC, datetime, timedelta

from flask import g

from grants.extensions import db
from grants.funds.models import RoundKind, RoundOrganisationType
from grants.organisations.models import OrganisationType
from tests.rounds.conftest import CLOSES, NOW


def rounds_page(client) -> str:
    response = client.get("/rounds")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anyone_can_read_the_list_without_signing_in(client, launched_round):
    launched_round(title="Small grants Round 1")

    html = rounds_page(client)

    assert "Small grants Round 1 (2026/27)" in html


def test_an_open_round_shows_its_fund_amounts_and_closing_time(client, launched_round):
    launched_round(title="PPAF 2026/27 Round 3", code="PPAF-2026-3", min_award_pence=100_000,
                   max_award_pence=500_000)

    html = rounds_page(client)

    assert 'href="/rounds/PPAF-2026-3"' in html
    assert "PPAF 2026/27 Round 3</a>" in html  # the year is in the title already
    assert "Police Property Act Fund" in html
    assert "£1,000 to £5,000" in html
    assert "midday on 26 November 2026 (GMT)" in html
    assert "Closes in 3 days" in html
    assert ">Open</strong>" in html


def test_an_upcoming_round_says_when_it_opens(client, launched_round):
    launched_round(opens_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
                   closes_at=datetime(2027, 1, 15, 12, 0, tzinfo=UTC))

    html = rounds_page(client)

    assert ">Upcoming</strong>" in html
    assert "Opens in 8 days" in html
    assert "9am on 1 December 2026 (GMT)" in html


def test_draft_archived_closed_and_assessing_rounds_are_left_out(client, launched_round):
    launched_round(title="Launched and open")
    launched_round(title="Still a draft", launched_at=None)
    launched_round(title="Taken down", archived_at=NOW - timedelta(days=1))
    launched_round(title="Already closed", opens_at=NOW - timedelta(days=30),
                   closes_at=NOW - timedelta(minutes=1))
    launched_round(title="Being assessed early", assessing_at=NOW - timedelta(hours=1))

    html = rounds_page(client)

    assert "Launched and open" in html
    for title in ["Still a draft", "Taken down", "Already closed", "Being assessed early"]:
        assert title not in html


def test_nomination_and_allocation_rounds_are_not_listed(client, launched_round):
    launched_round(title="High Sheriff awards", kind=RoundKind.NOMINATION)
    launched_round(title="CSP formula", kind=RoundKind.ALLOCATION)

    html = rounds_page(client)

    assert "High Sheriff awards" not in html
    assert "CSP formula" not in html


def test_rounds_of_every_fund_are_listed(client, launched_round, fund_factory):
    csf = fund_factory(code="CSF", name="Community Safety Fund")
    launched_round(title="Community safety projects", fund=csf)
    launched_round(title="Police property grants")

    html = rounds_page(client)

    assert "Community safety projects" in html
    assert "Community Safety Fund" in html
    assert "Police property grants" in html


def test_rounds_are_listed_soonest_closing_first(client, launched_round):
    launched_round(title="Closes last", closes_at=CLOSES + timedelta(days=20))
    launched_round(title="Closes first", closes_at=CLOSES)
    launched_round(title="Closes between", closes_at=CLOSES + timedelta(days=2))

    html = rounds_page(client)

    assert html.index("Closes first") < html.index("Closes between") < html.index("Closes last")


def test_a_round_moves_from_upcoming_to_open_at_its_opening_time(client, launched_round,
                                                                 move_clock):
    opens_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    launched_round(title="Winter round", opens_at=opens_at,
                   closes_at=datetime(2026, 12, 14, 12, 0, tzinfo=UTC))

    move_clock(opens_at - timedelta(seconds=1))
    before = rounds_page(client)
    move_clock(opens_at)
    after = rounds_page(client)

    assert ">Upcoming</strong>" in before
    assert "Opens today" in before
    assert ">Open</strong>" in after
    assert "Closes in 13 days" in after


def test_a_round_leaves_the_list_at_its_closing_time(client, launched_round, move_clock):
    launched_round(title="Winter round", closes_at=CLOSES)

    move_clock(CLOSES - timedelta(seconds=1))
    before = rounds_page(client)
    move_clock(CLOSES)
    after = rounds_page(client)

    assert "Winter round" in before
    assert "Closes today" in before
    assert "Winter round" not in after


def test_the_round_names_its_priorities_key_aims_and_who_can_apply(
    client, launched_round, priority_factory, key_aim_factory
):
    priority = priority_factory(code="P3", number=3, title="Reducing Re-offending")
    aim = key_aim_factory(priority=priority, number=2, text="Support people leaving prison")
    round_ = launched_round()
    round_.priorities.append(priority)
    round_.key_aims.append(aim)
    for organisation_type in [OrganisationType.SCHOOL, OrganisationType.REGISTERED_CHARITY,
                              OrganisationType.CIC]:
        round_.organisation_type_rows.append(
            RoundOrganisationType(organisation_type=organisation_type))

    html = rounds_page(client)

    assert "Reducing Re-offending" in html
    assert "P3.2</span> Support people leaving prison" in html
    charity = html.index("Registered charity")
    assert charity < html.index("Community interest company (CIC)") < html.index("School<")


def test_the_list_says_so_when_no_round_is_open(client, move_clock):
    html = rounds_page(client)

    assert "There are no funding rounds open or about to open at the moment." in html


def test_the_list_runs_the_same_number_of_queries_for_2_and_for_12_rounds(
    client, launched_round, fund_factory, key_aim_factory, count_queries
):
    def add_rounds(number: int) -> None:
        for _ in range(number):
            aim = key_aim_factory()
            fund = fund_factory(code=f"F{aim.id}", name=f"Fund {aim.id}")
            round_ = launched_round(title="Counted round", fund=fund)
            round_.priorities.append(aim.priority)
            round_.key_aims.append(aim)
            round_.organisation_type_rows.append(
                RoundOrganisationType(organisation_type=OrganisationType.CIC))

    def queries_for_the_list(expected_rounds: int) -> int:
        forget_loaded_rows()
        with count_queries() as log:
            html = rounds_page(client)
        assert html.count("Counted round") == expected_rounds
        return log.count

    add_rounds(2)
    with_2 = queries_for_the_list(2)
    add_rounds(10)
    with_12 = queries_for_the_list(12)

    assert with_2 == with_12


def forget_loaded_rows() -> None:
    """The requests share the test's session and `g`: empty both, so that whatever the page
    reads lazily costs a query, as it would in production."""
    db.session.expunge_all()
    for name in list(g):
        g.pop(name)


def test_a_visitors_list_names_its_office_in_the_query_that_reads_the_rounds(
    client, launched_round, count_queries
):
    launched_round(title="Counted round")
    forget_loaded_rows()

    with count_queries() as log:
        html = rounds_page(client)

    assert "Counted round" in html
    # Neither the office on its own nor the token of figures kept until the data changes.
    assert not [statement for statement in log.statements
                if "data_version" in statement or statement.lstrip().startswith(
                    "SELECT office.")], str(log)
    assert "JOIN office" in log.statements[0], str(log)
