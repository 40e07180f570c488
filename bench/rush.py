"""The deadline rush: many applicants send complete drafts in a round's final minute.

    python bench/rush.py                      # 300 applicants in the final 60 seconds
    python bench/rush.py --applicants 100 --window 30

Builds its own small database (reference data, one open round closing shortly, and one
organisation, applicant and complete draft per simulated applicant), serves the app with
gunicorn (2 workers) on 127.0.0.1, signs every applicant in first, then has each one open
"check your answers" and press "Accept and send" at a random moment of the final window.
Afterwards it reads the database: every applicant whose send was accepted must be submitted,
once, with a unique reference. Writes bench/results/rush.json.
"""

import argparse
import asyncio
import os
import random
import re
import signal
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.common import bench_app, write_result  # noqa: E402
from bench.load import free_port, signed_in, start_gunicorn  # noqa: E402
from bench.seed_scale import ScaleData, reset_database, reset_ids  # noqa: E402
from grants import all_models as m  # noqa: E402
from grants.applications.models import ApplicationStatus, SectionStatus  # noqa: E402
from grants.applications.operations.sections import SECTIONS  # noqa: E402
from grants.funds.models import RoundKind, round_key_aim, round_priority  # noqa: E402

_VERSION = re.compile(r'<input[^>]*name="version"[^>]*value="(\d+)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Signing everyone in, before the window starts, takes this long at most.
SIGN_IN_ALLOWANCE = timedelta(minutes=4)


def build(conn, applicants: int, closes_at: datetime) -> dict[str, Any]:
    """One open round closing at `closes_at` and a complete draft for each applicant."""
    data = ScaleData(conn, applicants, rounds=1, seed=2020)
    data._reference()
    data._people()
    round_id = 1 + (conn.scalar(select(func.max(m.Round.id))) or 0)
    priority = data.priority_ids[0]
    data.writer.write(m.Round.__table__, [{
        "id": round_id, "fund_id": data.funds["PPAF"], "code": "PPAF-RUSH-1",
        "title": "PPAF deadline rush round", "kind": RoundKind.OPEN,
        "opens_at": closes_at - timedelta(days=30), "closes_at": closes_at,
        "budget_pence": 100_000_000, "min_award_pence": 50_000,
        "max_award_pence": 1_000_000, "guidance": "", "disagreement_threshold": 25,
        "created_at": closes_at - timedelta(days=40),
        "launched_at": closes_at - timedelta(days=31)}])
    data.writer.write(round_priority, [{"round_id": round_id, "priority_id": priority}])
    data.writer.write(round_key_aim, [{"round_id": round_id, "key_aim_id": aim}
                                      for aim in data.aims_by_priority[priority]])
    first = 1 + (conn.scalar(select(func.max(m.Application.id))) or 0)
    ids = list(range(first, first + applicants))
    now = datetime.now(UTC)
    data.writer.write(m.Application.__table__, (
        {"id": application_id, "round_id": round_id, "organisation_id": org_id,
         "status": ApplicationStatus.DRAFT, "title": f"Rush project {application_id}",
         "summary": "A project that keeps people safe.",
         "description": "What the project does, for whom and how.",
         "amount_requested_pence": 500_000, "total_cost_pence": 750_000,
         "other_funding": "", "planned_start": (closes_at + timedelta(days=90)).date(),
         "planned_end": (closes_at + timedelta(days=455)).date(),
         "beneficiaries_count": 100, "beneficiary_groups": "Young people",
         "outcomes": "Fewer victims of crime.", "primary_priority_id": priority,
         "serves_whole_thames_valley": True, "created_by_id": user_id, "created_at": now,
         "declared_by_name": "Rush Applicant", "declared_by_position": "Chair",
         "version": 1}
        for application_id, org_id, user_id in zip(ids, data.org_ids, data.applicant_ids,
                                                   strict=True)))
    data.writer.write(m.BudgetLine.__table__, (
        {"application_id": application_id, "position": 1, "description": "Sessions",
         "amount_pence": 500_000} for application_id in ids))
    data.writer.write(m.ApplicationSection.__table__, (
        {"application_id": application_id, "key": section.key,
         "status": SectionStatus.COMPLETED, "answers": {}, "version": 1, "updated_at": now}
        for application_id in ids for section in SECTIONS))
    data.writer.write(m.ReferenceCounter.__table__, [{"round_id": round_id, "last_number": 0}])
    reset_ids(conn, [m.User.__table__, m.Organisation.__table__, m.Membership.__table__,
                     m.Round.__table__, m.Application.__table__, m.BudgetLine.__table__,
                     m.ApplicationSection.__table__])
    users = conn.execute(select(m.User.id, m.User.email)).all()
    emails = dict(users)
    return {"round_id": round_id,
            "people": [(emails[user_id], application_id)
                       for user_id, application_id in zip(data.applicant_ids, ids, strict=True)]}


async def applicant(client: httpx.AsyncClient, application_id: int, at: float,
                    outcome: dict[str, Any]) -> None:
    """Wait until `at` (a perf_counter time), then check the answers and send them."""
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    try:
        page = (await client.get(f"/applications/{application_id}/check")).text
        data = {"csrf_token": _CSRF.search(page).group(1),
                "version": _VERSION.search(page).group(1)}
        started = time.perf_counter()
        response = await client.post(f"/applications/{application_id}/submit", data=data)
        outcome["latency_ms"] = (time.perf_counter() - started) * 1000
        outcome["accepted"] = response.status_code in (302, 303) and "submitted" in \
            response.headers.get("location", "")
        outcome["status"] = response.status_code
    except (httpx.HTTPError, AttributeError) as error:
        outcome["error"] = repr(error)


async def rush(base: str, people: list[tuple[str, int]], window: float,
               closes_at: datetime) -> list[dict[str, Any]]:
    # Sign in a few at a time: password hashing is slow on purpose.
    gate = asyncio.Semaphore(4)

    async def sign_in(email: str) -> httpx.AsyncClient:
        async with gate:
            return await signed_in(base, email)

    clients = await asyncio.gather(*(sign_in(email) for email, _ in people))
    rng = random.Random(7)
    closes_in = (closes_at - datetime.now(UTC)).total_seconds()
    if closes_in < window:
        raise SystemExit(f"signing in took too long: the round closes in {closes_in:.0f} s")
    closing = time.perf_counter() + closes_in
    outcomes = [{"application_id": application_id} for _, application_id in people]
    try:
        # Everyone sends in the final `window` seconds, and no later than 2 s before closing.
        await asyncio.gather(*(
            applicant(client, outcome["application_id"],
                      closing - 2 - rng.random() * (window - 2), outcome)
            for client, outcome in zip(clients, outcomes, strict=True)))
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    return outcomes


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_RUSH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_rush"))
    parser.add_argument("--applicants", type=int, default=300)
    parser.add_argument("--window", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    app = bench_app(args.database_url)
    closes_at = datetime.now(UTC) + SIGN_IN_ALLOWANCE + timedelta(seconds=args.window)
    with app.app_context():
        from grants.extensions import db

        reset_database(app)
        with db.engine.begin() as conn:
            built = build(conn, args.applicants, closes_at)
    port = free_port()
    server = start_gunicorn(args.database_url, port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        outcomes = asyncio.run(rush(base, built["people"], args.window, closes_at))
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    with app.app_context():
        from grants.extensions import db

        rows = db.session.execute(select(m.Application.id, m.Application.status,
                                         m.Application.reference)
                                  .where(m.Application.round_id == built["round_id"])).all()
    status = {row.id: row for row in rows}
    references = [row.reference for row in rows if row.reference]
    accepted = [o for o in outcomes if o.get("accepted")]
    lost = [o for o in accepted
            if status[o["application_id"]].status is not ApplicationStatus.SUBMITTED]
    errors = [o for o in outcomes if not o.get("accepted")]
    latencies = sorted(o["latency_ms"] for o in outcomes if "latency_ms" in o)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if latencies else [0] * 99
    result = {
        "applicants": args.applicants, "window_seconds": args.window, "workers": args.workers,
        "submitted": sum(1 for row in rows if row.status is ApplicationStatus.SUBMITTED),
        "errors": len(errors), "lost": len(lost),
        "duplicate_references": len(references) - len(set(references)),
        "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "seconds": round(elapsed, 1),
        "error_samples": errors[:5],
    }
    write_result("rush", result)
    print({key: result[key] for key in ("applicants", "submitted", "errors", "lost",
                                         "duplicate_references", "p50_ms", "p95_ms")})
    return result


if __name__ == "__main__":
    main()
