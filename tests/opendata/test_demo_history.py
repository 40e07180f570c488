"""The demo's 2019/20 history matches the Commissioner's published figures."""

import json
from importlib import resources

from sqlalchemy import func, select

from grants.awards.models import Award
from grants.core import clock
from grants.demo.operations.history import HISTORY_FILE, load_history
from grants.funds.models import Round, RoundKind
from tests.opendata.schema import package_errors
from tests.opendata.test_import import figures


def test_the_history_file_is_valid_360giving_data():
    package = json.loads(resources.files("grants.demo").joinpath(HISTORY_FILE).read_text())

    assert package_errors(package) == []


def test_the_history_matches_the_published_2019_20_figures(db_session, reference):
    load_history(db_session)

    assert figures() == {"PPAF-2019-AUG": (27, 10_673_300), "PPAF-2020-JAN": (42, 16_680_000),
                         "PPAF-2019-HS": (11, 7_500_000)}
    rounds = {r.code: r for r in db_session.scalars(select(Round))}
    assert {r.financial_year for r in rounds.values()} == {"2019/20"}
    august, january = rounds["PPAF-2019-AUG"], rounds["PPAF-2020-JAN"]
    assert [p.code for p in august.priorities] == ["P3", "P4"]
    assert [p.code for p in january.priorities] == ["P1", "P2"]
    assert clock.to_london(august.decisions_published_at).strftime("%B %Y") == "August 2019"
    assert clock.to_london(january.decisions_published_at).strftime("%B %Y") == "January 2020"
    sheriffs = rounds["PPAF-2019-HS"]
    assert sheriffs.kind is RoundKind.NOMINATION
    counties = db_session.scalars(select(Award).where(Award.round_id == sheriffs.id)).all()
    assert {a.nominating_county.name for a in counties} == {
        "Berkshire", "Buckinghamshire", "Oxfordshire"}


def test_loading_the_history_twice_adds_nothing(db_session, reference):
    load_history(db_session)
    again = load_history(db_session)

    assert again.awards_created == 0 and again.already_present == 80
    assert db_session.scalar(select(func.count(Award.id))) == 80
