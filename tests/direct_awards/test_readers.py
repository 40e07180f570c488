"""Once signed off, a direct award is read like any other award: the register, the 360Giving
export, the year's report (whose budget for the fund is the ledger's committed money), the
progress report's paragraphs; before sign-off none of them shows it. Its round is the service's:
staff neither change nor copy it, nor import grants into it."""

import json
from datetime import UTC, datetime

import pytest

from grants.core.errors import Conflict, ValidationFailed
from grants.extensions import db
from grants.funds.models import RoundKind
from grants.funds.operations import copying
from grants.funds.operations.settings import RoundSettings, create_round, update_round
from grants.ledger.operations.figures import fund_ledger
from grants.opendata.operations import register
from grants.opendata.operations.export import Selection, count_awards
from grants.opendata.operations.importing import ImportRefused
from grants.reports.operations import figures, panel
from grants.reports.operations.selection import year_selection
from tests.direct_awards.conftest import YEAR
from tests.opendata.schema import package_errors
from tests.opendata.test_export import export_json
from tests.opendata.test_import import grant, package, run_import

pytestmark = pytest.mark.usefixtures("now")


def test_before_sign_off_nothing_public_shows_it(db_session, record, ppaf, pay_in):
    pay_in(10_000)
    record()

    assert count_awards(db_session, Selection()) == 0
    assert register.register_page(db_session, Selection(), 1).items == []
    report = figures.report_figures(db_session, year_selection(db_session, YEAR, "PPAF"))
    assert report.awards == 0
    assert panel.panel_report(db_session, year_selection(db_session, YEAR, "PPAF")
                              ).paragraphs == ()


def test_signed_off_it_is_on_the_register_like_any_other_award(db_session, signed_off,
                                                                pay_in):
    pay_in(10_000)
    signed_off()

    row, = register.register_page(db_session, Selection(), 1).items
    assert (row.recipient, row.amount_pence, row.round_title, row.fund_name, row.purpose) == (
        "Reading Street Support", 2_500_00, "Direct awards 2026/27", "Police Property Act Fund",
        "Emergency repairs after a flood")
    assert row.priority == "P2 Prevention and Early Intervention"


def test_it_is_exported_to_360giving_as_a_valid_grant_of_its_programme(db_session,
                                                                      signed_off, pay_in):
    pay_in(10_000)
    award = signed_off().award

    package_ = export_json(Selection(year=YEAR, fund="PPAF"))

    assert package_errors(package_) == []
    exported, = package_["grants"]
    assert exported["id"] == f"360G-tvopcc-PPAF-DIRECT-2026-A{award.id}"
    assert exported["grantProgramme"] == [{"code": "PPAF-DIRECT-2026",
                                           "title": "Direct awards 2026/27"}]
    assert (exported["title"], exported["description"], exported["amountAwarded"],
            exported["awardDate"]) == ("Emergency repairs after a flood",
                                       "New flooring and wiring for the night shelter.", 2500,
                                       "2026-05-20")
    assert [c["code"] for c in exported["classifications"]] == ["P2", "P2.1"]


def test_re_importing_the_export_adds_nothing(db_session, signed_off, pay_in):
    pay_in(10_000)
    signed_off()

    summary = run_import(json.dumps(export_json(Selection())).encode())

    assert (summary.awards_created, summary.already_present) == (0, 1)


def test_a_file_naming_the_direct_awards_round_is_refused(db_session, signed_off, pay_in):
    pay_in(10_000)
    signed_off()

    with pytest.raises(ImportRefused) as refused:
        run_import(package(grant(grantProgramme=[{"code": "PPAF-DIRECT-2026"}],
                                 beneficiaryLocation=[], classifications=[])))

    assert [str(p) for p in refused.value.problems] == [
        "Grant 1, Grant Programme:Code: PPAF-DIRECT-2026 holds the fund's direct awards, "
        "which are recorded one by one, not imported"]


def test_the_years_report_counts_it_and_its_budget_is_the_ledgers_committed_money(
        db_session, signed_off, record, ppaf, pay_in, round_factory):
    pay_in(20_000)
    round_ = round_factory(fund=ppaf, financial_year=YEAR, budget_pence=6_000_00,
                           max_award_pence=6_000_00)
    signed_off()
    record(amount_pence=1_000_00, title="Waiting for sign-off")  # committed, not yet public

    report = figures.report_figures(db_session, year_selection(db_session, YEAR, "PPAF"))

    assert (report.awards, report.amount_awarded_pence) == (1, 2_500_00)
    assert [(row.code, row.awards, row.amount_awarded_pence) for row in report.by_round] == [
        (round_.code, 0, 0), ("PPAF-DIRECT-2026", 1, 2_500_00)]
    # Every direct award recorded is committed, signed off or not, as every award is: the
    # report's budget for the fund's year is the ledger's committed money.
    assert report.budget_pence == 9_500_00
    assert report.budget_pence == fund_ledger(db_session, ppaf).year(YEAR).committed_pence
    assert report.remaining_pence == 6_000_00


def test_the_progress_report_says_a_direct_award_was_made_to_the_organisation_for_its_purpose(
        db_session, signed_off, pay_in):
    pay_in(10_000)
    signed_off()

    report = panel.panel_report(db_session, year_selection(db_session, YEAR, "PPAF"))

    assert report.paragraphs == (
        "In May 2026, a direct award of £2,500 was made to Reading Street Support for "
        "emergency repairs after a flood.",)
    initiative = report.priorities[0].aims[0]
    assert initiative.groups[0].heading == "Police Property Act Fund initiatives"
    assert initiative.groups[0].items == ("Reading Street Support: Emergency repairs after a "
                                          "flood",)
    assert "direct award of £2,500" in panel.to_text(report)


def test_the_direct_awards_round_is_neither_changed_nor_copied_by_hand(db_session, record,
                                                                       pay_in):
    pay_in(10_000)
    round_ = record().award.round
    settings = RoundSettings.of(round_)

    with pytest.raises(ValidationFailed) as refused:
        update_round(db.session, round_, settings, actor_id=None)
    assert refused.value.errors["kind"].startswith("A fund's direct awards are recorded one "
                                                    "by one")
    with pytest.raises(Conflict, match="direct awards are recorded one by one"):
        copying.copy_round(db.session, round_, actor_id=None)
    assert round_.budget_pence == 2_500_00


def test_round_settings_of_the_direct_kind_are_refused(db_session, ppaf):
    with pytest.raises(ValidationFailed) as refused:
        create_round(db_session, ppaf, RoundSettings(
            title="Direct", kind=RoundKind.DIRECT, opens_at=datetime(2026, 7, 1, tzinfo=UTC),
            closes_at=datetime(2026, 8, 1, tzinfo=UTC), budget_pence=100), actor_id=None)
    assert "kind" in refused.value.errors

