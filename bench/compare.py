"""The key pages of two commits, served side by side and timed in turns: issue 21's changes,
before and after.

    python bench/compare.py --before-root /path/to/checkout/of/BEFORE \\
        --before-url postgresql+psycopg://postgres@127.0.0.1:5432/bench21_before \\
        --after-url postgresql+psycopg://postgres@127.0.0.1:5432/bench21_after

Each commit is served by its own gunicorn (2 workers) from its own checkout, on its own
database seeded by its own bench/seed_scale.py: this checkout (AFTER) as bench/load.py serves
it (bench.wsgi, production configuration), the other (BEFORE) through bench/commit_app.py, its
production configuration with the same three things relaxed. Each side signs in through its
forms (staff with their authenticator code), then every key page of bench.queries.PAGES, the
layout page and the bare route are driven with `hey` on BEFORE and AFTER in turn: --rounds
rounds of --requests requests one at a time, the side that goes first changing each round, then
one round at eight at a time. Other work on the machine slows both sides alike only when they
take turns, so the load average is kept with every round. A page's figure on a side is the
median of its rounds' p50s; the ratio is AFTER's over BEFORE's.
Writes bench/results/issue21-before-after.json (--result names another).
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load, queries  # noqa: E402
from bench.common import write_result  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# A page this much slower after than before is one to explain.
SLOWER_LIMIT = 1.10
LAYOUT_PAGE, BARE_ROUTE = "layout page (/privacy)", "bare route (/floor/)"
# The layout page opened by a signed-in person: what every signed-in request costs (loading
# the person, and after issue 21 their session's record and no-store headers), with no page.
LAYOUT_SIGNED_IN = "layout page, signed in"


@dataclass
class Side:
    name: str
    root: Path
    database_url: str
    app: str
    extra_path: Path | None
    found: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str | None, str | None] = field(default_factory=dict)
    base: str = ""
    server: subprocess.Popen | None = None

    @property
    def commit(self) -> str:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=self.root, check=True,
                              capture_output=True, text=True).stdout.strip()


def in_checkout(side: Side, *args: str) -> str:
    """bench/commit_app.py run in the side's own code; its last line of output."""
    env = {**os.environ, "PYTHONPATH": str(side.root), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, str(BENCH / "commit_app.py"), *args], cwd=side.root,
                          env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def prepare(side: Side) -> str:
    """The records the side's pages open, and its staff member's authenticator secret."""
    if side.root == ROOT:
        from bench.common import bench_app

        app = bench_app(side.database_url)
        with app.app_context():
            from grants.extensions import db

            side.found = queries.targets(db.session)
        return load.staff_code_secret(side.database_url, side.found["emails"]["staff"])
    side.found = json.loads(in_checkout(side, "targets", side.database_url))
    return in_checkout(side, "staff-code", side.database_url, side.found["emails"]["staff"])


def start(side: Side, code_secret: str, workers: int) -> None:
    port = load.free_port()
    side.base = f"http://127.0.0.1:{port}"
    side.server = load.start_gunicorn(side.database_url, port, workers, root=side.root,
                                      app=side.app, extra_path=side.extra_path)
    side.cookies = {None: None,
                    "applicant": load.sign_in(side.base, side.found["emails"]["applicant"]),
                    "staff": load.sign_in(side.base, side.found["emails"]["staff"], code_secret)}


def stop(side: Side) -> None:
    if side.server and side.server.poll() is None:
        side.server.send_signal(signal.SIGTERM)
        side.server.wait(timeout=30)


def addresses(found: dict[str, Any], cookies: dict[str | None, str | None]
              ) -> dict[str, tuple[str, str | None]]:
    """Every address timed on a side, by name: the key pages, the layout page (by a visitor
    and by an applicant signed in), the bare route; each with the cookie of the person who
    opens it (None before signing in)."""
    pages = {page.name: (page.path(found), cookies.get(page.role)) for page in queries.PAGES}
    return {**pages, LAYOUT_PAGE: (load.LAYOUT, None),
            LAYOUT_SIGNED_IN: (load.LAYOUT, cookies.get("applicant")),
            BARE_ROUTE: (load.FLOOR, None)}


def load_average() -> list[float]:
    return [float(part) for part in Path("/proc/loadavg").read_text().split()[:3]]


def run_rounds(client: str, sides: Sequence[Side], rounds: int, requests: int,
               seconds: float) -> list[dict[str, Any]]:
    """--rounds rounds one request at a time and one at eight; in each, every address on one
    side then the other, the side going first changing each round."""
    targets = {side.name: addresses(side.found, side.cookies) for side in sides}
    for side in sides:  # warm up, as bench/load.py does
        for address, cookie in targets[side.name].values():
            load.hey(client, side.base + address, 20, 2, seconds, cookie)
    done = []
    plan = [load.ONE] * rounds + [load.MANY]
    for number, concurrency in enumerate(plan, start=1):
        order = sides if number % 2 else tuple(reversed(sides))
        record = {"round": number, "concurrency": concurrency,
                  "first": order[0].name, "load_average": load_average(), "runs": []}
        for name in targets[sides[0].name]:
            for side in order:
                address, cookie = targets[side.name][name]
                run = load.hey(client, side.base + address, requests, concurrency, seconds,
                               cookie)
                record["runs"].append({"page": name, "side": side.name, "path": address, **run})
                print(f"round {number} c{concurrency} {side.name:<6} {name:<24} "
                      f"p50 {run['p50_ms']} ms  p95 {run['p95_ms']} ms  "
                      f"errors {run['errors']}", flush=True)
        record["load_average_after"] = load_average()
        done.append(record)
    return done


def median_p50s(rounds: Sequence[dict[str, Any]], concurrency: int,
                key: str = "p50_ms") -> dict[str, dict[str, float | None]]:
    """page → side → the median over the rounds at `concurrency` of each run's `key`."""
    gathered: dict[str, dict[str, list[float]]] = {}
    for record in rounds:
        if record["concurrency"] != concurrency:
            continue
        for run in record["runs"]:
            values = gathered.setdefault(run["page"], {}).setdefault(run["side"], [])
            if run[key] is not None:
                values.append(run[key])
    return {page: {side: round(statistics.median(values), 2) if values else None
                   for side, values in by_side.items()}
            for page, by_side in gathered.items()}


def ratio(after: float | None, before: float | None) -> float | None:
    """AFTER's figure over BEFORE's, to two places; None when either is missing."""
    return round(after / before, 2) if after and before else None


def table(rounds: Sequence[dict[str, Any]], one: int, many: int) -> list[dict[str, Any]]:
    """A row a page: the medians of p50 one at a time and of p95 at `many`, each side's, and
    after ÷ before, flagged when past SLOWER_LIMIT."""
    p50, p95 = median_p50s(rounds, one), median_p50s(rounds, many, "p95_ms")
    rows = []
    for page, sides in p50.items():
        row = {"page": page, "before_p50_ms": sides.get("before"),
               "after_p50_ms": sides.get("after"),
               "ratio_p50": ratio(sides.get("after"), sides.get("before")),
               "before_p95_ms_c8": p95.get(page, {}).get("before"),
               "after_p95_ms_c8": p95.get(page, {}).get("after")}
        row["ratio_p95_c8"] = ratio(row["after_p95_ms_c8"], row["before_p95_ms_c8"])
        row["slower"] = row["ratio_p50"] is not None and row["ratio_p50"] > SLOWER_LIMIT
        rows.append(row)
    return rows


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-root", type=Path, required=True,
                        help="a checkout of the commit before the change")
    parser.add_argument("--before-url", required=True)
    parser.add_argument("--after-url", required=True)
    parser.add_argument("--rounds", type=int, default=3, help="rounds one request at a time")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=120, help="longest a run may take")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--result", default="issue21-before-after",
                        help="the name of the JSON written in bench/results")
    parser.add_argument("--pages", help="only these key pages, by name, comma-separated")
    args = parser.parse_args(argv)
    if args.pages:
        queries.PAGES = tuple(page for page in queries.PAGES
                              if page.name in args.pages.split(","))

    client = load.ensure_hey()
    sides = (Side("before", args.before_root.resolve(), args.before_url,
                  "commit_app:served()", BENCH),
             Side("after", ROOT, args.after_url, "bench.wsgi:app", None))
    secrets = {side.name: prepare(side) for side in sides}
    paths = {side.name: {name: path for name, (path, _) in addresses(side.found, {}).items()}
             for side in sides}
    if sides[0].found != sides[1].found:
        print("the two data sets differ in the records the pages open:",
              sides[0].found, sides[1].found, flush=True)
    try:
        for side in sides:
            start(side, secrets[side.name], args.workers)
        rounds = run_rounds(client, sides, args.rounds, args.requests, args.seconds)
    finally:
        for side in sides:
            stop(side)
    rows = table(rounds, load.ONE, load.MANY)
    for row in rows:
        print(f"{row['page']:<24} {row['before_p50_ms']:>7} {row['after_p50_ms']:>7} "
              f"×{row['ratio_p50']}{'  <- slower' if row['slower'] else ''}")
    result = {
        "applications": sides[1].found["applications"], "workers": args.workers,
        "client": "hey", "requests_per_run": args.requests,
        "commits": {side.name: side.commit for side in sides},
        "configuration": {
            "before": "production, as bench/commit_app.py relaxes it",
            "after": "production (bench.common.production_app)"},
        "found": {side.name: side.found for side in sides},
        "paths": paths, "same_records": sides[0].found == sides[1].found,
        "slower_limit": SLOWER_LIMIT, "pages": rows, "rounds": rounds,
    }
    write_result(args.result, result)
    return result


if __name__ == "__main__":
    main()
