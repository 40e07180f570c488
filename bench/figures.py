"""The figures bench/load.py records, worked out from the load client's own output: latencies
of each request as `hey -o csv` writes them, and each page's ratios to its two floors.

Pure functions, so a test holds them without a server or the client installed.
"""

import csv
import io
import statistics
from collections.abc import Sequence
from typing import Any


def parse_hey_csv(text: str) -> list[dict[str, float]]:
    """The requests of a `hey -o csv` run: latency in ms, status code and start offset in s.

    hey writes one row a request, times in seconds to four places (0.1 ms):
    response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset
    A request that failed before any response (refused, timed out) has no row; hey reports it
    apart, so the caller compares the rows with the requests asked for."""
    rows = []
    for row in csv.DictReader(io.StringIO(text.strip())):
        rows.append({"latency_ms": float(row["response-time"]) * 1000,
                     "status": int(row["status-code"]), "offset_s": float(row["offset"])})
    return rows


def percentile(values: Sequence[float], percent: int) -> float:
    """The `percent`th percentile, interpolated between the two nearest values (the method of
    statistics.quantiles(method="inclusive"), which the bench has always used)."""
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def summary(rows: Sequence[dict[str, float]], asked: int, expected: int = 200
            ) -> dict[str, Any]:
    """p50, p95 and p99 in ms and requests per second of one run of `asked` requests; a
    request answered with another status than `expected` (200, or 304 for a revalidation)
    counts as an error.

    Requests per second are the requests answered over the time from the first request's start
    to the last one's answer, both as hey measured them."""
    if not rows:
        return {"requests": 0, "errors": asked, "p50_ms": None, "p95_ms": None,
                "p99_ms": None, "rps": None}
    latencies = [row["latency_ms"] for row in rows]
    started = min(row["offset_s"] for row in rows)
    finished = max(row["offset_s"] + row["latency_ms"] / 1000 for row in rows)
    errors = sum(1 for row in rows if row["status"] != expected) + max(asked - len(rows), 0)
    return {"requests": len(rows), "errors": errors,
            "p50_ms": round(percentile(latencies, 50), 2),
            "p95_ms": round(percentile(latencies, 95), 2),
            "p99_ms": round(percentile(latencies, 99), 2),
            "rps": round(len(rows) / (finished - started), 1) if finished > started else None}


def _ratio(part: float | None, whole: float | None) -> float | None:
    return round(part / whole, 1) if part and whole else None


def page_figures(one: dict[str, dict[str, Any]], many: dict[str, dict[str, Any]]
                 ) -> dict[str, Any]:
    """A page's figures against its floors, from the summaries of one request at a time
    (`one`) and of several (`many`), each keyed "floor" (the bare route), "layout" (/privacy)
    and "page".

    p50 is read at one request at a time (how long a person waits on a quiet server), p95, p99
    and requests per second at several (how it holds up under load)."""
    floor, layout, page = many["floor"], many["layout"], many["page"]
    return {
        "p50_ms": one["page"]["p50_ms"], "p95_ms": page["p95_ms"], "p99_ms": page["p99_ms"],
        "rps": page["rps"], "requests": one["page"]["requests"] + page["requests"],
        "errors": sum(part[name]["errors"] for part in (one, many)
                      for name in ("floor", "layout", "page")),
        "floor_p50_ms": one["floor"]["p50_ms"], "floor_p95_ms": floor["p95_ms"],
        "floor_rps": floor["rps"],
        "layout_p50_ms": one["layout"]["p50_ms"], "layout_p95_ms": layout["p95_ms"],
        "layout_rps": layout["rps"],
        "ratio_p95": _ratio(page["p95_ms"], floor["p95_ms"]),
        "ratio_p50": _ratio(one["page"]["p50_ms"], one["floor"]["p50_ms"]),
        "ratio_layout_p50": _ratio(one["page"]["p50_ms"], one["layout"]["p50_ms"]),
    }
