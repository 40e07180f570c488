"""The figures bench/load.py records from the load client's output: percentiles and requests
per second from `hey -o csv`, and each page's ratios to its two floors, as latest.json keeps
them."""

import json

import pytest

from bench import figures, latest

HEADER = ("response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,"
          "status-code,offset")


def _hey_csv(rows: list[tuple[float, int, float]]) -> str:
    """hey's CSV for requests given as (latency in s, status code, start offset in s)."""
    lines = [HEADER] + [f"{latency:4.4f},0.0001,0.0000,0.0000,{latency:4.4f},0.0000,{status},"
                        f"{offset:4.4f}" for latency, status, offset in rows]
    return "\n".join(lines) + "\n"


def test_percentiles_and_requests_per_second_come_from_each_request_hey_timed():
    # 20 requests, one at a time, taking 1 ms to 20 ms, in shuffled order.
    latencies = [0.013, 0.002, 0.020, 0.007, 0.001, 0.016, 0.010, 0.004, 0.019, 0.011,
                 0.003, 0.018, 0.006, 0.014, 0.009, 0.017, 0.005, 0.012, 0.008, 0.015]
    rows, offset = [], 0.0
    for latency in latencies:
        rows.append((latency, 200, offset))
        offset += latency

    run = figures.summary(figures.parse_hey_csv(_hey_csv(rows)), asked=20)

    assert run == {"requests": 20, "errors": 0, "p50_ms": 10.5, "p95_ms": 19.05,
                   "p99_ms": 19.81, "rps": pytest.approx(20 / 0.210, abs=0.1)}


def test_answers_other_than_200_and_requests_hey_never_finished_count_as_errors():
    rows = [(0.001, 200, 0.0), (0.001, 302, 0.001), (0.001, 500, 0.002)]

    run = figures.summary(figures.parse_hey_csv(_hey_csv(rows)), asked=5)

    assert (run["requests"], run["errors"]) == (3, 4)


def test_a_revalidation_expects_not_modified_and_counts_a_full_answer_as_an_error():
    rows = [(0.001, 304, 0.0), (0.001, 304, 0.001), (0.002, 200, 0.002)]

    run = figures.summary(figures.parse_hey_csv(_hey_csv(rows)), asked=3, expected=304)

    assert (run["requests"], run["errors"]) == (3, 1)


def _run(p50: float, p95: float, rps: float = 100.0) -> dict:
    return {"requests": 8, "errors": 0, "p50_ms": p50, "p95_ms": p95, "p99_ms": p95 + 1,
            "rps": rps}


def _page() -> dict:
    one = {"floor": _run(0.5, 0.9), "layout": _run(2.0, 3.0), "page": _run(9.0, 12.0)}
    many = {"floor": _run(1.5, 2.5, 900.0), "layout": _run(6.0, 8.0, 300.0),
            "page": _run(20.0, 30.0, 40.0)}
    return figures.page_figures(one, many)


def test_a_page_is_read_at_one_request_for_p50_and_at_eight_for_p95_against_its_floors():
    page = _page()

    assert {key: page[key] for key in ("p50_ms", "p95_ms", "rps", "floor_p95_ms",
                                       "layout_p50_ms", "ratio_p95", "ratio_p50",
                                       "ratio_layout_p50")} == {
        "p50_ms": 9.0, "p95_ms": 30.0, "rps": 40.0, "floor_p95_ms": 2.5,
        "layout_p50_ms": 2.0, "ratio_p95": 12.0, "ratio_p50": 18.0, "ratio_layout_p50": 4.5}


def test_latest_keeps_its_keys_and_adds_the_ratio_to_the_layout_page(tmp_path, monkeypatch):
    monkeypatch.setattr(latest, "RESULTS", tmp_path)
    (tmp_path / "load.json").write_text(json.dumps(
        {"applications": 100_000, "pages": [{"name": "ranking", **_page()}]}))

    [page] = latest.gather()["pages"]

    assert {key: page[key] for key in ("name", "p50_ms", "p95_ms", "p99_ms", "rps",
                                       "floor_p95_ms", "ratio_p95", "ratio_layout_p50")} == {
        "name": "ranking", "p50_ms": 9.0, "p95_ms": 30.0, "p99_ms": 31.0, "rps": 40.0,
        "floor_p95_ms": 2.5, "ratio_p95": 12.0, "ratio_layout_p50": 4.5}
