"""An export of a year's awards, imported into a clean state, reports the same figures."""

from grants.extensions import db
from grants.opendata.operations.export import Selection
from grants.reports.operations.figures import report_figures
from grants.reports.operations.selection import year_selection
from tests.opendata.test_import import export_package, run_import, wipe_awards

# What an export carries: the awards and what they were for and where. Budgets, applications
# and organisation types the standard does not carry.
CARRIED = ("awards", "amount_awarded_pence", "organisations_funded", "by_round",
           "by_priority", "by_key_aim", "by_county", "by_local_authority",
           "by_high_sheriff_county")


def _report() -> dict:
    figures = report_figures(db.session, year_selection(db.session, "2019/20", "PPAF"))
    return {key: value for key, value in figures.to_json().items() if key in CARRIED}


def test_export_then_import_then_report_gives_the_same_figures(history):
    before = _report()
    assert before["awards"] > 0 and before["by_high_sheriff_county"]
    data = export_package(Selection(year="2019/20", fund="PPAF"))
    wipe_awards()
    assert _report()["awards"] == 0

    run_import(data)

    assert _report() == before
