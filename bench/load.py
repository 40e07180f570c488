"""Latency and throughput of the key pages, each against two floors measured just before it.

    python bench/load.py                      # on the 100,000-application data set
    python bench/load.py --requests 200 --seconds 30

Serves the app in the production configuration (bench.common.production_app: only the HTTPS
redirect and Secure cookies relaxed for 127.0.0.1, and rate limits off) with gunicorn (2
workers) on 127.0.0.1 against PostgreSQL, signs in through the sign-in form as the person who
uses each page (staff with their authenticator code), and drives every address with `hey`, a
compiled load client (installed from Debian's packages when missing), so that the client's own
cost stays out of the figures. For each page, at one request at a time and then at eight: the
bare route (/floor/), the layout page (/privacy, no database), then the page, each run bounded
by --requests and --seconds. Also times the year report's service call against its own SQL
aggregates sent straight to the driver, and reads the workers' peak memory.
Writes bench/results/load.json.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench import queries  # noqa: E402
from bench.commit_app import staff_code_secret  # noqa: E402
from bench.common import BENCH_PASSWORD, bench_app, write_result  # noqa: E402
from bench.figures import page_figures, parse_hey_csv, summary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FLOOR, LAYOUT = "/floor/", "/privacy"
# One request at a time gives the p50 a person waits; eight at a time the p95 under load.
ONE, MANY = 1, 8


def ensure_hey() -> str:
    """The path of `hey`, installed from Debian's package first when it is missing."""
    found = shutil.which("hey")
    if found:
        return found
    command = ["apt-get", "install", "-y", "--no-install-recommends", "hey"]
    if os.geteuid() != 0:
        command = ["sudo", *command]
    print("installing the load client:", " ".join(command))
    subprocess.run(command, check=True)
    found = shutil.which("hey")
    if not found:
        raise SystemExit("hey is not on the PATH after installing it")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int, fresh_figures: bool = False,
                   root: Path = ROOT, app: str = "bench.wsgi:app",
                   extra_path: Path | None = None) -> subprocess.Popen:
    """gunicorn serving `app` from the checkout at `root` (its own `grants` and `bench`), with
    `extra_path` after it on the path when given: bench/compare.py serves an older commit so."""
    env = {**os.environ, "BENCH_DATABASE_URL": database_url,
           "PYTHONPATH": os.pathsep.join(str(path) for path in (root, extra_path) if path),
           "BENCH_FRESH_FIGURES": "1" if fresh_figures else "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=root, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}{FLOOR}", timeout=1).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start within a minute")


def worker_pids(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def sign_in(base: str, email: str, code_secret: str | None = None) -> str:
    """Sign in through the form (and the code form, given an authenticator secret); the
    session's cookies as a Cookie header for the load client."""
    import pyotp

    with requests.Session() as client:
        page = client.get(base + "/sign-in", timeout=120).text
        response = client.post(base + "/sign-in", allow_redirects=False, timeout=120, data={
            "email": email, "password": BENCH_PASSWORD,
            "csrf_token": _CSRF.search(page).group(1)})
        if code_secret and response.headers.get("location", "").endswith("/sign-in/code"):
            page = client.get(base + "/sign-in/code", timeout=120).text
            # The next 30-second step's code: the step now may be the one set-up just used.
            totp = pyotp.TOTP(code_secret)
            response = client.post(base + "/sign-in/code", allow_redirects=False, timeout=120,
                                   data={"code": totp.at(time.time() + totp.interval),
                                         "csrf_token": _CSRF.search(page).group(1)})
        if response.status_code != 302 or "/sign-in" in response.headers.get("location", ""):
            raise SystemExit(f"signing in {email} answered {response.status_code}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def hey(client: str, url: str, requests: int, concurrency: int, seconds: float,
        cookie: str | None, etag: str | None = None) -> dict[str, Any]:
    """`requests` GETs of `url`, `concurrency` at a time, stopped after `seconds` (hey then
    reports the requests it finished): their latencies and requests per second. Given an
    `etag`, each GET asks again for what it names (If-None-Match) and 304 is the answer
    expected."""
    # hey gives each of its `concurrency` workers requests // concurrency requests.
    requests = max(requests // concurrency, 1) * concurrency
    command = [client, "-n", str(requests), "-c", str(concurrency), "-t", "120", "-o", "csv"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if etag:
        command += ["-H", f"If-None-Match: {etag}"]
    expected = 304 if etag else 200
    process = subprocess.Popen([*command, url], stdout=subprocess.PIPE, text=True)
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate()
        rows = parse_hey_csv(output)
        # Stopped by the time bound: the requests never sent are not errors.
        return {**summary(rows, len(rows), expected), "stopped_after_s": seconds}
    return summary(parse_hey_csv(output), requests, expected)


def revalidation(client: str, url: str, requests: int, seconds: float) -> dict[str, Any]:
    """A public page asked for again by a browser or a proxy that holds it: its caching
    headers, and one request at a time with the ETag it was sent (each answered 304, no
    body)."""
    import requests as http

    first = http.get(url, timeout=120)
    run = hey(client, url, requests, ONE, seconds, None, etag=first.headers.get("ETag"))
    return {"cache_control": first.headers.get("Cache-Control"),
            "etag": bool(first.headers.get("ETag")), "p50_ms": run["p50_ms"],
            "requests": run["requests"], "errors": run["errors"]}


def run_load(client: str, base: str, found: dict[str, Any], cookies: dict[str | None, str | None],
             requests: int, seconds: float, pages: Sequence[queries.Page] = queries.PAGES
             ) -> list[dict[str, Any]]:
    results = []
    for page in pages:
        path = page.path(found)
        targets = {"floor": (FLOOR, None), "layout": (LAYOUT, None),
                   "page": (path, cookies[page.role])}
        for address, cookie in targets.values():  # warm up
            hey(client, base + address, 20, 2, seconds, cookie)
        runs = {concurrency: {name: hey(client, base + address, requests, concurrency,
                                        seconds, cookie)
                              for name, (address, cookie) in targets.items()}
                for concurrency in (ONE, MANY)}
        figures = page_figures(runs[ONE], runs[MANY])
        if page.role is None:
            figures["revalidated"] = revalidation(client, base + path, requests, seconds)
        results.append({"name": page.name, "path": path, **figures,
                         "runs": {f"c{concurrency}": run for concurrency, run in runs.items()}})
        print(f"{page.name:<24} p50 {figures['p50_ms']:>6} ms (×{figures['ratio_layout_p50']:>4}"
              f" layout, ×{figures['ratio_p50']:>4} bare)  p95@{MANY} {figures['p95_ms']:>6} ms"
              f" (×{figures['ratio_p95']:>4} bare)  {figures['rps']:>6} req/s"
              f"  errors {figures['errors']}", flush=True)
    return results


def report_year_against_sql(database_url: str, found: dict[str, Any],
                            repeats: int = 7) -> dict[str, Any]:
    """The year report's service call, against the same SQL aggregates sent straight to the
    database driver: what the service adds to the database's own work."""
    from sqlalchemy import event

    from grants.extensions import db
    from grants.reports.operations import figures, selection

    year = found["published_year"]
    app = bench_app(database_url)
    with app.app_context():
        captured: list[tuple[str, Any]] = []

        def capture(conn, cursor, statement, parameters, *_args):
            captured.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", capture)
        figures.report_figures(db.session, selection.year_selection(db.session, year))
        event.remove(db.engine, "before_cursor_execute", capture)
        service, direct = [], []
        with db.engine.connect() as conn:
            cursor = conn.connection.driver_connection.cursor()
            for _ in range(repeats):
                started = time.perf_counter()
                figures.report_figures(db.session, selection.year_selection(db.session, year))
                service.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                for statement, parameters in captured:
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                direct.append((time.perf_counter() - started) * 1000)
    service_ms, direct_ms = statistics.median(service), statistics.median(direct)
    return {"year": year, "statements": len(captured), "service_ms": round(service_ms, 1),
            "sql_ms": round(direct_ms, 1), "ratio": round(service_ms / direct_ms, 2)}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench"))
    parser.add_argument("--requests", type=int, default=300,
                        help="requests a run (each address, at each concurrency)")
    parser.add_argument("--seconds", type=float, default=60, help="longest a run may take")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", help="only these pages, by name, comma-separated")
    parser.add_argument("--fresh-figures", action="store_true",
                        help="figures worked out afresh on every page, as the first page after "
                             "any change does (KEEP_FIGURES off); writes results/load-fresh.json")
    args = parser.parse_args(argv)
    pages = [page for page in queries.PAGES
             if not args.pages or page.name in args.pages.split(",")]

    client = ensure_hey()
    app = bench_app(args.database_url)
    with app.app_context():
        from grants.extensions import db

        found = queries.targets(db.session)
    code_secret = staff_code_secret(args.database_url, found["emails"]["staff"])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(args.database_url, port, args.workers, args.fresh_figures)
    try:
        cookies = {None: None, "applicant": sign_in(base, found["emails"]["applicant"]),
                   "staff": sign_in(base, found["emails"]["staff"], code_secret)}
        results = run_load(client, base, found, cookies, args.requests, args.seconds, pages)
        workers = {pid: peak_rss_mb(pid) for pid in worker_pids(server.pid)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report_year = report_year_against_sql(args.database_url, found)
    print(f"report year {report_year['year']}: service {report_year['service_ms']} ms, "
          f"its {report_year['statements']} SQL statements sent directly "
          f"{report_year['sql_ms']} ms, ratio {report_year['ratio']}")
    result = {"applications": found["applications"], "workers": args.workers,
              "client": "hey", "configuration": "production (bench.common.production_app)",
              "concurrency": MANY, "requests_per_page": args.requests,
              "kept_figures": not args.fresh_figures,
              "pages": results, "report_year": report_year,
              "worker_peak_rss_mb": max((v for v in workers.values() if v), default=None)}
    write_result("load-fresh" if args.fresh_figures else "load", result)
    return result


if __name__ == "__main__":
    main()
