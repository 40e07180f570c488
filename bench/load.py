"""Latency and throughput of the key pages under load, against a bare-Flask floor.

    python bench/load.py                      # on the 100,000-application data set
    python bench/load.py --requests 200 --concurrency 8

Serves the app with gunicorn (2 workers) on 127.0.0.1 against PostgreSQL, signs in as the
person who uses each page, and drives each page with a bounded asynchronous client (a fixed
number of requests, and never longer than --seconds per page). Each page's p95 is compared with
the floor's p95 measured in the same run. Also times the year report's service call against
its own SQL aggregates sent straight to the driver, and reads the workers' peak memory.
Writes bench/results/load.json.
"""

import argparse
import asyncio
import os
import re
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

import httpx  # noqa: E402

from bench import queries  # noqa: E402
from bench.common import BENCH_PASSWORD, bench_app, write_result  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "BENCH_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "bench.wsgi:app"],
        cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/floor/", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
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


async def signed_in(base: str, email: str | None) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=120, follow_redirects=False)
    if email:
        page = (await client.get("/sign-in")).text
        response = await client.post("/sign-in", data={
            "email": email, "password": BENCH_PASSWORD,
            "csrf_token": _CSRF.search(page).group(1)})
        if response.status_code != 302:
            raise SystemExit(f"signing in {email} answered {response.status_code}")
    return client


async def drive(client: httpx.AsyncClient, path: str, requests: int, concurrency: int,
                seconds: float) -> dict[str, Any]:
    """`requests` GETs of `path`, `concurrency` at a time, stopping after `seconds`."""
    latencies: list[float] = []
    errors = 0
    remaining = iter(range(requests))
    stop_at = time.perf_counter() + seconds

    async def one_worker() -> None:
        nonlocal errors
        for _ in remaining:
            if time.perf_counter() > stop_at:
                return
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(one_worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": len(latencies), "errors": errors,
            "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1),
            "p99_ms": round(cuts[98], 1), "rps": round(len(latencies) / elapsed, 1)}


async def run_load(base: str, found: dict[str, Any], requests: int, concurrency: int,
                   seconds: float) -> list[dict[str, Any]]:
    clients = {None: await signed_in(base, None)}
    for role in ("applicant", "staff"):
        clients[role] = await signed_in(base, found["emails"][role])
    results = []
    try:
        for page in queries.PAGES:
            client = clients[page.role]
            path = page.path(found)
            await drive(client, path, min(20, requests), concurrency, seconds)  # warm up
            floor = await drive(clients[None], "/floor/", requests, concurrency, seconds)
            measured = await drive(client, path, requests, concurrency, seconds)
            results.append({"name": page.name, "path": path, **measured,
                            "floor_p95_ms": floor["p95_ms"], "floor_rps": floor["rps"],
                            "ratio_p95": round(measured["p95_ms"] / floor["p95_ms"], 1)})
            print(f"{page.name:<24} p50 {measured['p50_ms']:>7} ms  p95 {measured['p95_ms']:>7}"
                  f" ms  floor p95 {floor['p95_ms']:>5} ms  ratio {results[-1]['ratio_p95']:>5}"
                  f"  {measured['rps']:>6} req/s  errors {measured['errors']}")
    finally:
        for client in clients.values():
            await client.aclose()
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
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    app = bench_app(args.database_url)
    with app.app_context():
        from grants.extensions import db

        found = queries.targets(db.session)
    port = free_port()
    server = start_gunicorn(args.database_url, port, args.workers)
    try:
        pages = asyncio.run(run_load(f"http://127.0.0.1:{port}", found, args.requests,
                                     args.concurrency, args.seconds))
        workers = {pid: peak_rss_mb(pid) for pid in worker_pids(server.pid)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report_year = report_year_against_sql(args.database_url, found)
    print(f"report year {report_year['year']}: service {report_year['service_ms']} ms, "
          f"its {report_year['statements']} SQL statements sent directly "
          f"{report_year['sql_ms']} ms, ratio {report_year['ratio']}")
    result = {"applications": found["applications"], "workers": args.workers,
              "concurrency": args.concurrency, "requests_per_page": args.requests,
              "pages": pages, "report_year": report_year,
              "worker_peak_rss_mb": max((v for v in workers.values() if v), default=None)}
    write_result("load", result)
    return result


if __name__ == "__main__":
    main()
