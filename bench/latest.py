"""Gather the latest figures of every bench script into bench/results/latest.json, and print
them as the table bench/README.md shows.

    python bench/latest.py
"""

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, git_commit  # noqa: E402


def _read(name: str) -> dict[str, Any]:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def gather() -> dict[str, Any]:
    queries, load = _read("queries"), _read("load")
    rush, export = _read("rush"), _read("export_memory")
    counted = {page["name"]: page for page in queries.get("pages", [])}
    pages = []
    for page in load.get("pages", []):
        counts = counted.get(page["name"], {})
        # p50 at one request at a time; p95, p99 and rps at eight; ratio_p95 against the
        # bare route's p95, ratio_layout_p50 against the layout page's (/privacy) p50.
        pages.append({"name": page["name"], "p50_ms": page["p50_ms"], "p95_ms": page["p95_ms"],
                      "p99_ms": page["p99_ms"], "rps": page["rps"],
                      "floor_p95_ms": page["floor_p95_ms"], "ratio_p95": page["ratio_p95"],
                      "floor_p50_ms": page.get("floor_p50_ms"),
                      "layout_p50_ms": page.get("layout_p50_ms"),
                      "ratio_p50": page.get("ratio_p50"),
                      "ratio_layout_p50": page.get("ratio_layout_p50"),
                      "queries_small": counts.get("queries_small"),
                      "queries_large": counts.get("queries_large")})
    dates = [part.get("date") for part in (queries, load, rush, export) if part.get("date")]
    return {
        "commit": git_commit(), "date": max(dates) if dates else None,
        "applications": load.get("applications") or queries.get("applications_large"),
        "pages": pages,
        "report_year": load.get("report_year"),
        "rush": {key: rush.get(key) for key in ("submitted", "errors", "lost", "p95_ms")},
        "memory": {"worker_peak_rss_mb": load.get("worker_peak_rss_mb"),
                   "export_peak_rss_mb": export.get("export_peak_rss_mb")},
        "sources": {name: part.get("commit") for name, part in (
            ("queries", queries), ("load", load), ("rush", rush), ("export_memory", export))},
    }


def table(latest: dict[str, Any]) -> str:
    lines = ["| page | p50 ms (1 at a time) | × bare route | × layout | p95 ms (8 at a time) "
             "| × bare route | req/s (8) | queries small | queries large |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for page in latest["pages"]:
        lines.append(f"| {page['name']} | {page['p50_ms']} | {page['ratio_p50']} | "
                     f"{page['ratio_layout_p50']} | {page['p95_ms']} | {page['ratio_p95']} | "
                     f"{page['rps']} | {page['queries_small']} | {page['queries_large']} |")
    return "\n".join(lines)


def main() -> dict[str, Any]:
    latest = gather()
    (RESULTS / "latest.json").write_text(json.dumps(latest, indent=2) + "\n")
    print(table(latest))
    print(json.dumps({key: latest[key] for key in ("report_year", "rush", "memory")}, indent=2))
    return latest


if __name__ == "__main__":
    main()
