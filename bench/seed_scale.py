"""Build a national-scale data set: organisations, rounds over ten years, applications,
screening, reviews with scores, decisions, awards and payments in realistic proportions.

    python bench/seed_scale.py --applications 100000
    python bench/seed_scale.py --applications 2000 --database-url sqlite:////tmp/bench.sqlite

The database is emptied and migrated first. Rows are written in bulk (multi-row INSERTs in
chunks, or COPY on PostgreSQL), never one ORM object at a time. Every bench user's password is
BENCH_PASSWORD. Writes bench/results/seed_scale-<database>.json with the counts and timings.
"""

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import current_app  # noqa: E402
from sqlalchemy import JSON, Table, func, insert, select, text  # noqa: E402

from bench.common import BENCH_PASSWORD, bench_app, machine, write_result  # noqa: E402
from grants import all_models as m  # noqa: E402
from grants.accounts.models import Role  # noqa: E402
from grants.accounts.operations.passwords import hash_password  # noqa: E402
from grants.accounts.operations.settings import AccountSettings  # noqa: E402
from grants.applications.models import (  # noqa: E402
    ApplicationStatus,
    SectionStatus,
    application_area,
    application_key_aim,
)
from grants.applications.operations.sections import SECTIONS  # noqa: E402
from grants.assessment.models import (  # noqa: E402
    ConflictStatus,
    Recommendation,
    ScreeningOutcome,
)
from grants.assessment.operations.kept_scores import (  # noqa: E402
    ranking_multiple,
    score_values,
    totals_over,
)
from grants.assessment.operations.scoring import weighted_score  # noqa: E402
from grants.awards.models import (  # noqa: E402
    AwardSource,
    AwardStatus,
    PaymentStatus,
)
from grants.decisions.models import DecisionOutcome  # noqa: E402
from grants.funds.models import RoundKind, round_key_aim, round_priority  # noqa: E402
from grants.organisations.models import (
    MembershipStatus,  # noqa: E402
    OrganisationType,  # noqa: E402
)

# How one round's applications end, once decided (the rest of the shares are declines).
SHARE_INELIGIBLE = 0.10
SHARE_WITHDRAWN = 0.03
SHARE_AWARDED = 0.30
APPLICATIONS_PER_ORGANISATION = 5
REVIEWERS_PER_APPLICATION = 2
MAX_SCORE = 5
CHUNK = 5000


def chunks(rows: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class Writer:
    """Writes rows of dicts into a table: COPY on PostgreSQL, chunked INSERTs elsewhere."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.counts: dict[str, int] = {}
        self.postgresql = conn.dialect.name == "postgresql"

    def write(self, table: Table, rows: Iterable[dict[str, Any]]) -> None:
        total = 0
        for batch in chunks(rows):
            if self.postgresql:
                self._copy(table, batch)
            else:
                self.conn.execute(insert(table), batch)
            total += len(batch)
        self.counts[table.name] = self.counts.get(table.name, 0) + total

    def _copy(self, table: Table, batch: list[dict[str, Any]]) -> None:
        # COPY knows nothing of the model's Python-side defaults: fill them in.
        batch = [{**_python_defaults(table, set(row), row), **row} for row in batch]
        columns = list(batch[0])
        processors = [_bind_processor(table.c[name], self.conn.dialect) for name in columns]
        raw = self.conn.connection.driver_connection
        names = ", ".join(f'"{name}"' for name in columns)
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in batch:
                    copy.write_row([process(row[name]) if process else row[name]
                                    for name, process in zip(columns, processors, strict=True)])


class _RowContext:
    """What a column default that reads the row's other values (a round's financial year
    from its opening date) is given by SQLAlchemy: here, the row being copied."""

    def __init__(self, row: dict[str, Any]) -> None:
        self.row = row

    def get_current_parameters(self) -> dict[str, Any]:
        return self.row


def _python_defaults(table: Table, given: set[str], row: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None or not hasattr(default, "arg"):
            continue
        if getattr(default, "is_sequence", False):
            continue
        values[column.name] = (default.arg(_RowContext(row)) if callable(default.arg)
                               else default.arg)
    return values


def _bind_processor(column, dialect):
    """The column type's own conversion (enums to their values, JSON to text) for COPY."""
    if isinstance(column.type, JSON):
        return json.dumps
    processor = column.type.bind_processor(dialect)
    if hasattr(column.type, "process_bind_param"):
        outer = column.type.process_bind_param

        def process(value, outer=outer, inner=processor):
            value = outer(value, dialect)
            return inner(value) if inner else value

        return process
    return processor


def london_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)


def reset_ids(conn, tables: Sequence[Table]) -> None:
    """After explicit ids, move PostgreSQL's sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" in table.c and table.c.id.autoincrement:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))


def next_id(conn, table: Table) -> int:
    return int(conn.scalar(select(func.coalesce(func.max(table.c.id), 0)))) + 1


def build(conn, applications: int, rounds: int, seed: int) -> dict[str, Any]:
    """Write the data set through `conn`; return what was written."""
    return ScaleData(conn, applications, rounds, seed).build()


class ScaleData:
    """One data set: people, rounds over ten years, and each round's applications with all
    that follows them."""

    def __init__(self, conn, applications: int, rounds: int, seed: int) -> None:
        self.conn = conn
        self.writer = Writer(conn)
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC)
        self.applications = applications
        self.rounds = rounds
        self.per_round = applications // rounds
        self.organisations_count = max(self.per_round,
                                       applications // APPLICATIONS_PER_ORGANISATION)
        self.plans: dict[str, list[dict[str, Any]]] = {}

    def build(self) -> dict[str, Any]:
        self._reference()
        self._people()
        self._rounds()
        self._applications()
        return {"rows": self.writer.counts,
                "bench_users": {"staff": f"staff{self.staff_ids[0]}@bench.example",
                                "reviewer": f"reviewer{self.reviewer_ids[0]}@bench.example",
                                "applicant": f"applicant{self.applicant_ids[0]}@bench.example"}}

    def _reference(self) -> None:
        aims = self.conn.execute(select(m.KeyAim.id, m.KeyAim.priority_id)).all()
        self.aims_by_priority: dict[int, list[int]] = {}
        for aim_id, priority_id in aims:
            self.aims_by_priority.setdefault(priority_id, []).append(aim_id)
        self.priority_ids = sorted(self.aims_by_priority)
        self.authorities = [row.id for row in self.conn.execute(select(m.LocalAuthority.id))]
        fund = m.Fund.__table__
        self.funds = dict(self.conn.execute(select(fund.c.code, fund.c.id)).all())
        if not self.priority_ids or not self.authorities or not {"PPAF", "CSF"} <= set(
                self.funds):
            raise SystemExit("run seed-reference first: no priorities, areas or funds")

    def _people(self) -> None:
        """Staff, reviewers, and one applicant for each organisation."""
        users = m.User.__table__
        first = next_id(self.conn, users)
        self.staff_ids = list(range(first, first + 10))
        self.reviewer_ids = list(range(first + 10, first + 70))
        self.applicant_ids = list(range(first + 70, first + 70 + self.organisations_count))
        password_hash = hash_password(BENCH_PASSWORD,
                                      AccountSettings.from_config(current_app.config))
        people = (("staff", self.staff_ids), ("reviewer", self.reviewer_ids),
                  ("applicant", self.applicant_ids))
        self.writer.write(users, (_user(user_id, f"{kind}{user_id}@bench.example",
                                        password_hash, self.now)
                                  for kind, ids in people for user_id in ids))
        self.writer.write(m.UserRole.__table__, itertools.chain(
            ({"user_id": i, "role": Role.STAFF} for i in self.staff_ids),
            ({"user_id": self.staff_ids[0], "role": Role.ADMIN},),
            ({"user_id": i, "role": Role.REVIEWER} for i in self.reviewer_ids),
            ({"user_id": i, "role": Role.APPLICANT} for i in self.applicant_ids),
        ))
        organisation = m.Organisation.__table__
        first_org = next_id(self.conn, organisation)
        self.org_ids = list(range(first_org, first_org + self.organisations_count))
        kinds = ([OrganisationType.REGISTERED_CHARITY] * 5
                 + [OrganisationType.COMMUNITY_GROUP] * 3
                 + [OrganisationType.CIO, OrganisationType.CIC])
        rng = self.rng
        self.writer.write(organisation, (
            {"id": org_id, "name": f"Bench Community Project {org_id}",
             "organisation_type": rng.choice(kinds), "address": "1 High Street",
             "postcode": "OX1 1AA", "local_authority_id": rng.choice(self.authorities),
             "annual_income_pence": rng.randrange(1_000_000, 500_000_000),
             "contact_name": "Bench Contact", "contact_email": f"contact{org_id}@bench.example",
             "contact_phone": "", "created_at": self.now}
            for org_id in self.org_ids))
        self.writer.write(m.Membership.__table__, (
            {"user_id": user_id, "organisation_id": org_id,
             "status": MembershipStatus.ACTIVE, "created_at": self.now,
             "approved_at": self.now}
            for user_id, org_id in zip(self.applicant_ids, self.org_ids, strict=True)))

    def _rounds(self) -> None:
        """Four rounds a year back from this one: the latest open, the one before it being
        assessed, every earlier one decided and published."""
        table = m.Round.__table__
        first = next_id(self.conn, table)
        this_year = self.now.year if self.now.month >= 4 else self.now.year - 1
        self.round_rows = []
        for index in range(self.rounds):
            year = this_year - (self.rounds - 1 - index) // 4
            fund_code = "PPAF" if index % 4 != 3 else "CSF"
            closes = london_noon(date(year, 4, 1) + timedelta(days=75 * (index % 4) + 40))
            latest, assessing = index == self.rounds - 1, index == self.rounds - 2
            if latest:
                closes = self.now + timedelta(days=14)
            opens = closes - timedelta(days=42)
            published = not latest and not assessing
            self.round_rows.append({
                "id": first + index, "fund_id": self.funds[fund_code],
                "code": f"{fund_code}-{year}-B{index + 1}",
                "title": f"{fund_code} {year}/{str(year + 1)[2:]} bench round {index + 1}",
                "kind": RoundKind.OPEN, "opens_at": opens, "closes_at": closes,
                "budget_pence": self.per_round * 150_000, "min_award_pence": 50_000,
                "max_award_pence": 1_000_000, "guidance": "", "disagreement_threshold": 25,
                "created_at": opens - timedelta(days=30),
                "launched_at": opens - timedelta(days=7),
                "assessing_at": closes + timedelta(days=2) if not latest else None,
                "decided_at": closes + timedelta(days=40) if published else None,
                "decisions_published_at": closes + timedelta(days=45) if published else None,
            })
        self.writer.write(table, self.round_rows)
        self.round_priorities = {row["id"]: self.rng.sample(self.priority_ids, k=2)
                                 for row in self.round_rows}
        self.writer.write(round_priority, ({"round_id": r, "priority_id": p}
                                           for r, ps in self.round_priorities.items()
                                           for p in ps))
        self.writer.write(round_key_aim, ({"round_id": r, "key_aim_id": a}
                                          for r, ps in self.round_priorities.items()
                                          for p in ps for a in self.aims_by_priority[p]))
        self._criteria_and_questions()

    def _criteria_and_questions(self) -> None:
        table = m.ScoringCriterion.__table__
        first = next_id(self.conn, table)
        self.criteria: dict[int, list[int]] = {}
        rows = []
        named = (("Need", 40), ("Deliverability", 35), ("Value for money", 25))
        self.weights = [weight for _, weight in named]
        self.multiple = ranking_multiple([SimpleNamespace(weight=weight, max_score=MAX_SCORE)
                                          for weight in self.weights])
        for offset, round_row in enumerate(self.round_rows):
            ids = [first + offset * 3 + n for n in range(3)]
            self.criteria[round_row["id"]] = ids
            rows += [{"id": criterion_id, "round_id": round_row["id"], "position": position,
                      "name": name, "guidance": "", "weight": weight, "max_score": MAX_SCORE}
                     for position, (criterion_id, (name, weight))
                     in enumerate(zip(ids, named, strict=True), start=1)]
        self.writer.write(table, rows)
        questions = ("Is the organisation not-for-profit?",
                     "Does the project serve Thames Valley?")
        self.writer.write(m.EligibilityQuestion.__table__, (
            {"round_id": row["id"], "position": position, "text": text_, "guidance": "",
             "mandatory": True}
            for row in self.round_rows for position, text_ in enumerate(questions, start=1)))

    def _applications(self) -> None:
        self.plans = {name: [] for name in (
            "application", "area", "key_aim", "section", "screening", "assignment", "review",
            "score", "kept_score", "decision", "award", "payment", "counter")}
        self.next_application = itertools.count(next_id(self.conn, m.Application.__table__))
        self.next_assignment = itertools.count(next_id(self.conn, m.ReviewAssignment.__table__))
        self.next_review = itertools.count(next_id(self.conn, m.Review.__table__))
        self.next_award = itertools.count(next_id(self.conn, m.Award.__table__))
        for round_index, round_row in enumerate(self.round_rows):
            chosen = self.rng.sample(range(self.organisations_count), self.per_round)
            # The first organisation (the bench applicant's) applies to every round, with
            # the same outcomes whatever the size, so its pages compare like for like.
            if 0 not in chosen:
                chosen[0] = 0
            sequence = 0
            for org_index in chosen:
                sequence = self._application(round_index, round_row, org_index, sequence)
            self.plans["counter"].append({"round_id": round_row["id"],
                                          "last_number": sequence})
        tables = (
            ("application", m.Application.__table__), ("area", application_area),
            ("key_aim", application_key_aim), ("section", m.ApplicationSection.__table__),
            ("counter", m.ReferenceCounter.__table__),
            ("screening", m.ScreeningDecision.__table__),
            ("assignment", m.ReviewAssignment.__table__), ("review", m.Review.__table__),
            ("score", m.CriterionScore.__table__),
            ("kept_score", m.ApplicationScore.__table__), ("decision", m.Decision.__table__),
            ("award", m.Award.__table__), ("payment", m.Payment.__table__))
        for name, table in tables:
            self.writer.write(table, self.plans.pop(name))
        reset_ids(self.conn, [table for _, table in tables] + [
            m.User.__table__, m.Organisation.__table__, m.Membership.__table__,
            m.Round.__table__, m.ScoringCriterion.__table__, m.EligibilityQuestion.__table__])

    def _status(self, round_index: int, round_row: dict[str, Any],
                org_index: int) -> ApplicationStatus:
        latest = round_row["assessing_at"] is None
        assessing = not latest and round_row["decisions_published_at"] is None
        outcome = self.rng.random()
        if latest:
            # The bench applicant's draft in the open round is the one the bench reads.
            return (ApplicationStatus.DRAFT if org_index == 0 or outcome < 0.4
                    else ApplicationStatus.SUBMITTED)
        if org_index == 0:  # ineligible, awarded, declined, withdrawn in turn
            outcome = (0.05, 0.2, 0.9, 0.11)[round_index % 4]
        if outcome < SHARE_INELIGIBLE:
            return ApplicationStatus.INELIGIBLE
        if assessing:
            return ApplicationStatus.IN_REVIEW
        if outcome < SHARE_INELIGIBLE + SHARE_WITHDRAWN:
            return ApplicationStatus.WITHDRAWN
        if outcome < SHARE_INELIGIBLE + SHARE_WITHDRAWN + SHARE_AWARDED:
            return ApplicationStatus.PAID
        return ApplicationStatus.DECLINED

    def _application(self, round_index: int, round_row: dict[str, Any], org_index: int,
                     sequence: int) -> int:
        """Plan one application and what followed it; return the round's last sequence."""
        rng, plans = self.rng, self.plans
        application_id = next(self.next_application)
        org_id, user_id = self.org_ids[org_index], self.applicant_ids[org_index]
        priority_id = rng.choice(self.round_priorities[round_row["id"]])
        requested = rng.randrange(50, 1000) * 1000
        submitted_at = min(round_row["closes_at"], self.now) - timedelta(
            hours=rng.randrange(1, 500))
        status = self._status(round_index, round_row, org_index)
        draft = status is ApplicationStatus.DRAFT
        reference = None
        if not draft:
            sequence += 1
            reference = f"{round_row['code']}-{sequence:04d}"
        start = (round_row["closes_at"] + timedelta(days=60)).date()
        plans["application"].append({
            "id": application_id, "round_id": round_row["id"], "organisation_id": org_id,
            "reference": reference, "sequence": sequence if reference else None,
            "status": status, "title": f"Bench project {application_id}",
            "summary": "A project that keeps people safe.",
            "description": "What the project does, for whom and how.",
            "amount_requested_pence": requested, "total_cost_pence": requested * 2,
            "other_funding": "", "planned_start": start,
            "planned_end": start + timedelta(days=365), "beneficiaries_count": 120,
            "beneficiary_groups": "Young people", "outcomes": "Fewer victims of crime.",
            "primary_priority_id": priority_id, "serves_whole_thames_valley": False,
            "created_by_id": user_id, "created_at": round_row["opens_at"] + timedelta(days=1),
            "submitted_at": None if draft else submitted_at,
            "declared_by_name": "" if draft else "Bench Applicant",
            "declared_by_position": "" if draft else "Chair",
            "declared_at": None if draft else submitted_at, "version": 1,
        })
        plans["area"] += [{"application_id": application_id, "local_authority_id": authority}
                          for authority in rng.sample(self.authorities,
                                                      k=rng.choice((1, 1, 2)))]
        plans["key_aim"].append({"application_id": application_id, "key_aim_id": rng.choice(
            self.aims_by_priority[priority_id])})
        # Drafts have some sections done; the bench applicant's has all of them, so that
        # "check your answers" shows everything.
        sections = (SECTIONS if not draft or org_index == 0
                    else SECTIONS[:rng.randrange(1, len(SECTIONS))])
        plans["section"] += [{"application_id": application_id, "key": section.key,
                              "status": SectionStatus.COMPLETED, "answers": {}, "version": 1,
                              "updated_at": submitted_at, "updated_by_id": user_id}
                             for section in sections]
        if status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
            self._after_submission(round_row, application_id, org_id, status, priority_id,
                                   requested)
        return sequence

    def _after_submission(self, round_row: dict[str, Any], application_id: int, org_id: int,
                          status: ApplicationStatus, priority_id: int, requested: int) -> None:
        """Screening, two reviews with scores, the decision, the award and its payment."""
        rng, plans = self.rng, self.plans
        staff_id = rng.choice(self.staff_ids)
        closes = round_row["closes_at"]
        eligible = status is not ApplicationStatus.INELIGIBLE
        plans["screening"].append({
            "application_id": application_id,
            "outcome": ScreeningOutcome.ELIGIBLE if eligible else ScreeningOutcome.INELIGIBLE,
            "reason": "" if eligible else "Not a not-for-profit organisation",
            "is_reversal": False, "decided_by_id": staff_id,
            "decided_at": closes + timedelta(days=3)})
        if not eligible or status is ApplicationStatus.WITHDRAWN:
            return
        weighted_scores = []
        for reviewer_id in rng.sample(self.reviewer_ids, k=REVIEWERS_PER_APPLICATION):
            assignment_id, review_id = next(self.next_assignment), next(self.next_review)
            reviewed_at = closes + timedelta(days=20)
            plans["assignment"].append({
                "id": assignment_id, "application_id": application_id,
                "reviewer_id": reviewer_id, "assigned_by_id": staff_id,
                "assigned_at": closes + timedelta(days=5),
                "conflict": ConflictStatus.NO_CONFLICT, "conflict_note": "",
                "declared_at": closes + timedelta(days=6), "removal_reason": ""})
            recommendation = rng.choice(list(Recommendation))
            scores = [rng.randrange(1, 5) for _ in self.weights]
            weighted = weighted_score((weight, MAX_SCORE, score)
                                      for weight, score in zip(self.weights, scores, strict=True))
            plans["review"].append({
                "id": review_id, "assignment_id": assignment_id,
                "recommendation": recommendation,
                "recommended_amount_pence": None, "comment": "Reviewed.",
                "updated_at": reviewed_at, "submitted_at": reviewed_at, "reopen_reason": "",
                "score_numerator": weighted.numerator,
                "score_denominator": weighted.denominator})
            weighted_scores.append(weighted)
            plans["score"] += [{"review_id": review_id, "criterion_id": criterion_id,
                                "score": score, "comment": ""}
                               for criterion_id, score
                               in zip(self.criteria[round_row["id"]], scores, strict=True)]
        scale, totals = totals_over(weighted_scores)
        plans["kept_score"].append({"application_id": application_id, "moderation_id": None,
                                    **score_values(scale, totals, None, self.multiple)})
        if round_row["decisions_published_at"] is None:
            return
        awarded = status is ApplicationStatus.PAID
        amount = requested if rng.random() < 0.7 else requested // 2
        decided_at = round_row["decided_at"]
        plans["decision"].append({
            "application_id": application_id,
            "outcome": (DecisionOutcome.DECLINE if not awarded
                        else DecisionOutcome.AWARD_IN_FULL if amount == requested
                        else DecisionOutcome.AWARD_IN_PART),
            "amount_pence": amount if awarded else None, "reason": "Panel decision",
            "conditions": "", "feedback": "", "out_of_rank_reason": "",
            "decided_by_id": staff_id, "decided_at": decided_at})
        if awarded:
            self._award(round_row, application_id, org_id, priority_id, amount, decided_at)

    def _award(self, round_row: dict[str, Any], application_id: int, org_id: int,
               priority_id: int, amount: int, decided_at: datetime) -> None:
        award_id = next(self.next_award)
        published = round_row["decisions_published_at"]
        accepted = published + timedelta(days=5)
        self.plans["award"].append({
            "id": award_id, "round_id": round_row["id"], "organisation_id": org_id,
            "application_id": application_id, "amount_pence": amount,
            "status": AwardStatus.PAID, "source": AwardSource.APPLICATION,
            "priority_id": priority_id, "title": f"Bench project {application_id}",
            "description": "", "awarded_on": published.date(),
            "serves_whole_thames_valley": False, "created_at": decided_at, "conditions": "",
            "offered_at": published, "accepted_at": accepted,
            "accepted_by_name": "Bench Applicant", "accepted_by_position": "Chair",
            "accepted_on": accepted.date(), "recipient_decline_reason": "",
            "withdrawal_reason": ""})
        self.plans["payment"].append({
            "award_id": award_id, "amount_pence": amount,
            "paid_on": (published + timedelta(days=20)).date(),
            "reference": f"BACS-{award_id}", "status": PaymentStatus.APPROVED,
            "recorded_by_id": self.staff_ids[0],
            "recorded_at": published + timedelta(days=19),
            "approved_by_id": self.staff_ids[1],
            "approved_at": published + timedelta(days=20), "rejection_reason": ""})


def _user(user_id: int, email: str, password_hash: str, now: datetime) -> dict[str, Any]:
    return {"id": user_id, "email": email, "name": f"Bench User {user_id}",
            "password_hash": password_hash, "email_verified_at": now,
            "is_active_account": True, "created_at": now}


def reset_database(app) -> None:
    """Empty the database and build it with the migrations and the reference data."""
    from flask_migrate import upgrade

    from grants.extensions import db
    from grants.reference.operations.seed import seed_reference

    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        path = engine.url.database
        engine.dispose()
        if path and os.path.exists(path):
            os.remove(path)
    upgrade()
    seed_reference(db.session)
    db.session.commit()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench"))
    args = parser.parse_args(argv)
    if args.applications < args.rounds:
        parser.error("--applications must be at least --rounds")

    app = bench_app(args.database_url)
    started = time.perf_counter()
    with app.app_context():
        from grants.extensions import db

        reset_database(app)
        migrated = time.perf_counter()
        with db.engine.begin() as conn:
            written = build(conn, args.applications, args.rounds, args.seed)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        finished = time.perf_counter()
        dialect = db.engine.dialect.name
    result = {
        "database": dialect, "applications": args.applications, "rounds": args.rounds,
        "seconds_migrate": round(migrated - started, 1),
        "seconds_total": round(finished - started, 1),
        "rows_total": sum(written["rows"].values()), **written, "machine": machine(),
    }
    write_result(f"seed_scale-{dialect}-{args.applications}", result)
    print(json.dumps({key: result[key] for key in (
        "database", "applications", "rounds", "rows_total", "seconds_total")}))
    return result


if __name__ == "__main__":
    main()
