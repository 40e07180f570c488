"""Count the SQL queries each key page makes, on a small and on a full-scale data set.

    python bench/queries.py                 # seeds both data sets first when they are missing
    python bench/queries.py --reseed        # seeds both again
    python bench/queries.py --small-url sqlite:////tmp/small.sqlite --large-url ...

A page whose query count grows with the data has an N+1 query or loads a whole list: the two
counts must be equal. Writes bench/results/queries.json.
"""

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from bench.common import BENCH_PASSWORD, bench_app, write_result  # noqa: E402

SMALL_APPLICATIONS = 2_000
LARGE_APPLICATIONS = 100_000
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None  # who opens it: None (anyone), "applicant", "staff"
    path: Callable[[dict[str, Any]], str]


def _financial_year(label: str) -> str:
    """"2019/20" as the report's address writes it: "2019-20"."""
    return label.replace("/", "-")


# The pages whose speed matters most, each opened as the person who uses it.
PAGES = (
    Page("public rounds list", None, lambda t: "/rounds"),
    Page("round page", None, lambda t: f"/rounds/{t['open_round_code']}"),
    Page("applicant dashboard", "applicant", lambda t: "/dashboard"),
    Page("application task list", "applicant", lambda t: f"/applications/{t['draft_id']}"),
    Page("check your answers", "applicant",
         lambda t: f"/applications/{t['draft_id']}/check"),
    Page("staff application list", "staff",
         lambda t: f"/staff/rounds/{t['assessing_round_id']}/applications"),
    Page("ranking", "staff", lambda t: f"/staff/rounds/{t['assessing_round_id']}/ranking"),
    Page("report round", "staff",
         lambda t: f"/staff/reports/rounds/{t['published_round_id']}"),
    Page("report year", "staff",
         lambda t: f"/staff/reports/years/{_financial_year(t['published_year'])}"),
    Page("public register", None, lambda t: "/awards"),
)


def targets(session) -> dict[str, Any]:
    """The records the pages open: the open, the assessing and the latest published round,
    and the bench applicant's draft."""
    from grants import all_models as m
    from grants.applications.models import ApplicationStatus
    from grants.core.clock import financial_year_of, to_london

    rounds = m.Round
    open_round = session.scalars(select(rounds).where(rounds.assessing_at.is_(None))
                                 .order_by(rounds.closes_at.desc())).first()
    assessing = session.scalars(select(rounds).where(rounds.assessing_at.is_not(None),
                                                     rounds.decisions_published_at.is_(None))
                                .order_by(rounds.closes_at.desc())).first()
    published = session.scalars(select(rounds).where(rounds.decisions_published_at.is_not(None))
                                .order_by(rounds.closes_at.desc())).first()
    applicant = session.scalars(select(m.User).where(m.User.email.like("applicant%"))
                                .order_by(m.User.id)).first()
    staff = session.scalars(select(m.User).where(m.User.email.like("staff%"))
                            .order_by(m.User.id)).first()
    membership = session.scalars(select(m.Membership).where(
        m.Membership.user_id == applicant.id)).first()
    draft = session.scalars(select(m.Application).where(
        m.Application.organisation_id == membership.organisation_id,
        m.Application.round_id == open_round.id,
        m.Application.status == ApplicationStatus.DRAFT)).first()
    if draft is None:
        raise SystemExit("the data set has no draft for the bench applicant: reseed it")
    return {
        "open_round_code": open_round.code, "assessing_round_id": assessing.id,
        "published_round_id": published.id,
        "published_year": financial_year_of(to_london(published.closes_at).date()),
        "draft_id": draft.id, "emails": {"applicant": applicant.email, "staff": staff.email},
        "applications": session.scalar(select(func.count(m.Application.id))),
    }


def _sign_in(client, email: str) -> None:
    """Sign in through the form, and the code form for a person with an authenticator (the
    bench's staff member, once bench/load.py has set one up)."""
    page = client.get("/sign-in").get_data(as_text=True)
    token = _CSRF.search(page).group(1)
    response = client.post("/sign-in", data={"email": email, "password": BENCH_PASSWORD,
                                             "csrf_token": token})
    if response.headers.get("location", "").endswith("/sign-in/code"):
        import time

        import pyotp

        from grants import all_models as m
        from grants.extensions import db

        with client.application.app_context():
            secret = db.session.scalars(select(m.User.totp_secret)
                                        .where(m.User.email == email)).one()
        page = client.get("/sign-in/code").get_data(as_text=True)
        # The next 30-second step's code: the step now may be the one last used.
        totp = pyotp.TOTP(secret)
        response = client.post("/sign-in/code", data={
            "code": totp.at(time.time() + totp.interval),
            "csrf_token": _CSRF.search(page).group(1)})
    if response.status_code != 302 or "/sign-in" in response.headers.get("location", ""):
        raise SystemExit(f"signing in {email} answered {response.status_code}")


@contextmanager
def _counting(engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _fresh_session() -> None:
    """Start the next request with an empty session, as every request does in production.

    Under a test, which holds one app context open, the test client's requests share its
    session, and an object loaded by one page would be refreshed by the next with the first
    page's loader options, adding queries no user would see."""
    from flask import has_app_context

    from grants.extensions import db

    if has_app_context():
        db.session.remove()


def page_queries(app, found: dict[str, Any], engine) -> dict[str, dict[str, Any]]:
    """Open every key page once to warm up, then again counting its queries."""
    clients = {None: app.test_client(), "applicant": app.test_client(),
               "staff": app.test_client()}
    for role in ("applicant", "staff"):
        _sign_in(clients[role], found["emails"][role])
    results = {}
    for page in PAGES:
        client = clients[page.role]
        path = page.path(found)
        client.get(path)
        _fresh_session()
        with _counting(engine) as statements:
            status = client.get(path).status_code
        results[page.name] = {"path": path, "status": status,
                              "queries": len(statements) if status == 200 else None,
                              "statements": [" ".join(text.split())[:200]
                                             for text in statements]}
    return results


def count_queries(database_url: str) -> dict[str, Any]:
    app = bench_app(database_url)
    with app.app_context():
        from grants.extensions import db

        found = targets(db.session)
        db.session.remove()
        engine = db.engine
    return {"applications": found["applications"], "pages": page_queries(app, found, engine)}


def _seed(url: str, applications: int) -> None:
    from bench import seed_scale

    seed_scale.main(["--applications", str(applications), "--database-url", url])


def _has_data(url: str) -> bool:
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        return inspect(engine).has_table("application")
    except Exception:  # noqa: BLE001 — a missing database is "no data"
        return False
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small-url", default=os.environ.get(
        "BENCH_SMALL_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_small"))
    parser.add_argument("--large-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench"))
    parser.add_argument("--large-applications", type=int, default=LARGE_APPLICATIONS)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args(argv)
    for url, size in ((args.small_url, SMALL_APPLICATIONS),
                      (args.large_url, args.large_applications)):
        if args.reseed or not _has_data(url):
            _seed(url, size)
    small = count_queries(args.small_url)
    large = count_queries(args.large_url)
    pages = []
    for page in PAGES:
        s, big = small["pages"][page.name], large["pages"][page.name]
        pages.append({"name": page.name, "path_small": s["path"], "status": big["status"],
                      "queries_small": s["queries"], "queries_large": big["queries"],
                      "equal": s["queries"] is not None and s["queries"] == big["queries"]})
    result = {"applications_small": small["applications"],
              "applications_large": large["applications"], "pages": pages}
    write_result("queries", result)
    width = max(len(page.name) for page in PAGES)
    print(f"{'page':<{width}}  small  large  ({small['applications']:,} and "
          f"{large['applications']:,} applications)")
    for row in pages:
        shown = [("-" if row[k] is None else str(row[k])) for k in ("queries_small",
                                                                    "queries_large")]
        flag = "" if row["equal"] else f"  <- {'HTTP ' + str(row['status'])}" \
            if row["queries_large"] is None else "  <- grows with the data"
        print(f"{row['name']:<{width}}  {shown[0]:>5}  {shown[1]:>5}{flag}")
    print(json.dumps({"all_equal": all(row["equal"] for row in pages)}))
    return result


if __name__ == "__main__":
    main()
