"""The key pages bench/queries.py measures make as many queries on a larger data set as on a
small one, built by bench/seed_scale.py at test size."""

import difflib

import pytest

from bench import queries, seed_scale
from grants.extensions import db
from grants.reference.operations.seed import seed_reference
from tests.conftest import truncate_all_tables
from tests.fixtures.vacuum import analyse_module_data

# Big enough that a round's ranking holds more than 500 reviews, where SQLAlchemy's
# selectinload would start a second query.
SMALL, LARGE, ROUNDS = 80, 2_400, 8


def _page_queries(app, applications: int) -> dict[str, dict]:
    truncate_all_tables()
    seed_reference(db.session)
    db.session.commit()
    with db.engine.begin() as conn:
        seed_scale.build(conn, applications, ROUNDS, seed=7)
        # As the bench's own seeding does: the planner otherwise takes the tables for the
        # empty ones the last VACUUM saw and joins thousands of rows by nested loops.
        analyse_module_data(conn)
    found = queries.targets(db.session)
    db.session.remove()
    return queries.page_queries(app, found, db.engine)


@pytest.mark.committing
def test_every_key_page_makes_the_same_number_of_queries_whatever_the_data_size(app):
    small = _page_queries(app, SMALL)
    large = _page_queries(app, LARGE)

    for page in queries.PAGES:
        assert small[page.name]["status"] == 200, (page.name, small[page.name])
        assert large[page.name]["status"] == 200, (page.name, large[page.name])
    grown = {name: "\n".join(difflib.unified_diff(small[name]["statements"],
                                                  large[name]["statements"], lineterm=""))
             for name in small if small[name]["queries"] != large[name]["queries"]}
    assert not grown, "\n\n".join(f"{name}:\n{diff}" for name, diff in grown.items())
