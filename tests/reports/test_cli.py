"""`flask report round ROUND` and `flask report year 2019/20 [--fund F]`, as JSON and CSV."""

import csv
import io
import json

from tests.reports.test_figures import JSON_KEYS


def test_a_rounds_report_by_code_is_json(runner, report_data):
    result = runner.invoke(args=["report", "round", "PPAF-2019-1", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == [*JSON_KEYS, "community_foundation_allocations"]
    assert (data["applications"], data["awards"], data["amount_awarded_pence"],
            data["success_rate"]) == (5, 2, 1_300_000, 0.4)


def test_a_rounds_report_by_id_is_the_same(runner, report_data):
    by_code = runner.invoke(args=["report", "round", "PPAF-HS-2019"])
    by_id = runner.invoke(args=["report", "round", str(report_data.round_hs_id)])
    assert by_id.exit_code == 0, by_id.output
    assert json.loads(by_id.output) == json.loads(by_code.output)
    assert json.loads(by_id.output)["by_high_sheriff_county"][0] == {
        "code": "Berkshire", "name": "Berkshire", "awards": 1,
        "amount_awarded_pence": 200_000, "organisations_funded": 1}


def test_a_years_report_of_a_fund_is_json(runner, report_data):
    result = runner.invoke(args=["report", "year", "2019/20", "--fund", "PPAF"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["awards"], data["amount_awarded_pence"], data["organisations_funded"]) == (
        4, 1_800_000, 3)


def test_a_years_report_is_csv_with_a_total_row_then_the_breakdowns(runner, report_data):
    result = runner.invoke(args=["report", "year", "2019/20", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    total = rows[0]
    assert total["breakdown"] == "total"
    assert (total["awards"], total["amount_awarded_pounds"], total["organisations_funded"],
            total["applications"], total["amount_requested_pounds"], total["success_rate"],
            total["budget_pounds"], total["remaining_pounds"]) == (
        "5", "38000.00", "4", "6", "30000.00", "0.3333", "525000.00", "483000.00")
    reading = next(row for row in rows if row["code"] == "E06000038")
    assert (reading["breakdown"], reading["name"], reading["awards"],
            reading["amount_awarded_pounds"]) == ("by_local_authority", "Reading", "2",
                                                  "10000.00")
    assert {row["breakdown"] for row in rows[1:]} == set(JSON_KEYS[10:])


def test_an_unknown_round_is_a_clear_error(runner, report_data):
    result = runner.invoke(args=["report", "round", "NOPE"])
    assert result.exit_code == 1
    assert "There is no round with the id or code 'NOPE'" in result.output


def test_an_unknown_fund_is_a_clear_error(runner, report_data):
    result = runner.invoke(args=["report", "year", "2019/20", "--fund", "XYZ"])
    assert result.exit_code == 1
    assert "There is no fund with the code 'XYZ'" in result.output


def test_a_badly_written_year_is_a_usage_error(runner):
    result = runner.invoke(args=["report", "year", "2019-2020"])
    assert result.exit_code == 2
    assert "Invalid value for YEAR" in result.output
    assert "like 2019/20" in result.output


def test_an_unknown_format_is_refused(runner, report_data):
    result = runner.invoke(args=["report", "round", "PPAF-2019-1", "--format", "xml"])
    assert result.exit_code == 2
