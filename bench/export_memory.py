"""Peak memory of the 360Giving export of a year with 50,000 awards.

    python bench/export_memory.py                    # 50,000 awards, JSON and CSV
    python bench/export_memory.py --awards 5000

Builds its own database (reference data and one financial year of published awards, written in
bulk), then runs `flask export-360giving --year ...` in a child process for each format and
reads the child's peak resident memory. The export streams: it must stay under 200 MB whatever
the number of awards. Writes bench/results/export_memory.json.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.common import bench_app, write_result  # noqa: E402
from bench.seed_scale import ScaleData, reset_database, reset_ids  # noqa: E402
from grants import all_models as m  # noqa: E402
from grants.awards.models import AwardSource, AwardStatus, award_area  # noqa: E402
from grants.funds.models import RoundKind  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
YEAR = "2019/20"
LIMIT_MB = 200


def build(conn, awards: int) -> None:
    """Organisations and ten published rounds of 2019/20 holding `awards` awards."""
    data = ScaleData(conn, applications=awards, rounds=10, seed=360)
    data._reference()
    data._people()
    rng = random.Random(360)
    first_round = 1 + (conn.scalar(select(func.max(m.Round.id))) or 0)
    rounds = []
    for index in range(10):
        closes = datetime(2019, 5, 1, 11, tzinfo=UTC) + timedelta(days=30 * index)
        rounds.append({
            "id": first_round + index, "fund_id": data.funds["PPAF"],
            "code": f"PPAF-2019-M{index + 1}", "title": f"PPAF 2019/20 bench round {index + 1}",
            "kind": RoundKind.OPEN, "opens_at": closes - timedelta(days=42),
            "closes_at": closes, "budget_pence": awards * 1_000_000, "min_award_pence": 50_000,
            "max_award_pence": 1_000_000, "guidance": "", "disagreement_threshold": 25,
            "created_at": closes - timedelta(days=60), "launched_at": closes - timedelta(days=50),
            "assessing_at": closes + timedelta(days=1), "decided_at": closes + timedelta(days=30),
            "decisions_published_at": closes + timedelta(days=31)})
    data.writer.write(m.Round.__table__, rounds)
    first_award = 1 + (conn.scalar(select(func.max(m.Award.id))) or 0)
    ids = range(first_award, first_award + awards)
    day = date(2019, 9, 1)

    def award_rows():
        for award_id in ids:
            yield {"id": award_id, "round_id": rounds[award_id % 10]["id"],
                   "organisation_id": rng.choice(data.org_ids),
                   "amount_pence": rng.randrange(50, 1000) * 1000,
                   "status": AwardStatus.PAID, "source": AwardSource.IMPORTED,
                   "external_identifier": f"360G-bench-{award_id}",
                   "priority_id": rng.choice(data.priority_ids),
                   "title": f"Bench award {award_id}", "description": "A project.",
                   "awarded_on": day, "serves_whole_thames_valley": False,
                   "created_at": datetime.now(UTC), "conditions": "",
                   "offered_at": datetime.now(UTC), "accepted_by_name": "",
                   "accepted_by_position": "", "recipient_decline_reason": "",
                   "withdrawal_reason": ""}

    data.writer.write(m.Award.__table__, award_rows())
    data.writer.write(award_area, ({"award_id": award_id,
                                    "local_authority_id": rng.choice(data.authorities)}
                                   for award_id in ids))
    reset_ids(conn, [m.User.__table__, m.Organisation.__table__, m.Membership.__table__,
                     m.Round.__table__, m.Award.__table__])


# The export runs in a child Python that reports its own peak resident memory as it exits:
# VmHWM, not getrusage's ru_maxrss, which keeps the forking parent's size across exec.
CHILD = """
import sys
from flask.cli import main
sys.argv = ["flask"] + sys.argv[1:]
try:
    main()
finally:
    peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
    print("PEAK_KB", peak[0].split()[1], file=sys.stderr)
"""


def export_peak_mb(database_url: str, fmt: str, output: Path) -> tuple[float, float]:
    """Run the export in a child process; its peak resident memory in MB, and seconds."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-only-secret-key",
           "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, "--app", "grants", "export-360giving",
                           "--year", YEAR, "--format", fmt, "-o", str(output)],
                          env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    peak_kb = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return round(peak_kb / 1024, 1), round(elapsed, 1)


def baseline_mb(database_url: str) -> float:
    """The same child doing nothing but start the app: what the export adds is above it."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-only-secret-key",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, "--app", "grants", "routes"],
                          env=env, cwd=ROOT, capture_output=True, text=True)
    return round(int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0]) / 1024, 1)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_EXPORT_DATABASE_URL",
        "postgresql+psycopg://postgres@127.0.0.1:5432/bench_export"))
    parser.add_argument("--awards", type=int, default=50_000)
    parser.add_argument("--formats", nargs="+", default=["csv", "json"])
    args = parser.parse_args(argv)

    app = bench_app(args.database_url)
    with app.app_context():
        from grants.extensions import db

        reset_database(app)
        with db.engine.begin() as conn:
            build(conn, args.awards)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats:
            output = Path(folder) / f"export.{fmt}"
            peak, seconds = export_peak_mb(args.database_url, fmt, output)
            results[fmt] = {"peak_rss_mb": peak, "seconds": seconds,
                            "file_mb": round(output.stat().st_size / 1e6, 1)}
            print(f"{fmt}: {args.awards:,} awards, peak {peak} MB, {seconds} s, "
                  f"{results[fmt]['file_mb']} MB file")
    peak = max(result["peak_rss_mb"] for result in results.values())
    base = baseline_mb(args.database_url)
    print(f"the app alone: {base} MB")
    result = {"awards": args.awards, "year": YEAR, "formats": results, "app_alone_mb": base,
              "export_peak_rss_mb": peak, "limit_mb": LIMIT_MB, "within_limit": peak < LIMIT_MB}
    write_result("export_memory", result)
    return result


if __name__ == "__main__":
    main()
