"""The figures bench/compare.py keeps from two commits timed in turns: each page's median p50
over the rounds on each side, and after ÷ before."""

from bench import compare


def _run(page: str, side: str, p50: float | None, p95: float | None = None) -> dict:
    return {"page": page, "side": side, "path": "/x", "p50_ms": p50,
            "p95_ms": p95 if p95 is not None else p50}


def _round(concurrency: int, *runs: tuple) -> dict:
    return {"concurrency": concurrency, "runs": [_run(*run) for run in runs]}


def _rounds() -> list[dict]:
    # Three rounds one at a time (a busy machine slows the second), and one at eight.
    return [
        _round(1, ("ranking", "before", 20.0), ("ranking", "after", 21.0),
               ("/rounds", "before", 8.0), ("/rounds", "after", 7.0)),
        _round(1, ("ranking", "before", 40.0), ("ranking", "after", 44.0),
               ("/rounds", "before", 9.0), ("/rounds", "after", 6.0)),
        _round(1, ("ranking", "before", 22.0), ("ranking", "after", 25.0),
               ("/rounds", "before", 10.0), ("/rounds", "after", None)),
        _round(8, ("ranking", "before", 90.0, 120.0), ("ranking", "after", 95.0, 150.0),
               ("/rounds", "before", 30.0, 40.0), ("/rounds", "after", 30.0, 38.0)),
    ]


def test_a_side_s_figure_is_the_median_of_its_rounds_at_that_concurrency():
    assert compare.median_p50s(_rounds(), 1) == {
        "ranking": {"before": 22.0, "after": 25.0},
        # A run hey answered nothing for has no p50: the median of the others.
        "/rounds": {"before": 9.0, "after": 6.5}}
    assert compare.median_p50s(_rounds(), 8, "p95_ms") == {
        "ranking": {"before": 120.0, "after": 150.0}, "/rounds": {"before": 40.0, "after": 38.0}}


def test_after_over_before_is_missing_when_either_side_is():
    assert compare.ratio(25.0, 22.0) == 1.14
    assert compare.ratio(None, 22.0) is None
    assert compare.ratio(25.0, None) is None


def test_a_page_is_flagged_only_when_more_than_ten_per_cent_slower_at_one_at_a_time():
    rows = {row["page"]: row for row in compare.table(_rounds(), 1, 8)}

    assert rows["ranking"] == {
        "page": "ranking", "before_p50_ms": 22.0, "after_p50_ms": 25.0, "ratio_p50": 1.14,
        "before_p95_ms_c8": 120.0, "after_p95_ms_c8": 150.0, "ratio_p95_c8": 1.25,
        "slower": True}
    assert rows["/rounds"]["ratio_p50"] == 0.72
    assert rows["/rounds"]["slower"] is False
