"""Matching a file's grants with what the service holds: the grants already in it (so
importing a file twice changes nothing), and the rounds, plans and areas the grants name."""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from grants.applications.models import Application
from grants.areas.models import County, LocalAuthority
from grants.awards.models import Award
from grants.funds.models import Fund, Round, RoundKind
from grants.offices.operations.speaking import office_facts, office_of_request
from grants.opendata.operations.checking import CheckedGrant
from grants.opendata.operations.reading import Problem
from grants.opendata.operations.threesixty import (
    HIGH_SHERIFF_VOCABULARY,
    THAMES_VALLEY_GSS,
)
from grants.plans.models import KeyAim, Plan, Priority

logger = logging.getLogger(__name__)

CHUNK = 500
_OWN_AWARD_ID = re.compile(r"^(?P<code>.+)-A(?P<id>[0-9]+)$")


def chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def already_held(session: Session, identifiers: list[str], prefix: str) -> set[str]:
    """Identifiers of grants the service already holds: imported ones, and its own awards as
    its export names them (so re-importing an export adds nothing)."""
    present: set[str] = set()
    for chunk in chunks(identifiers):
        present.update(session.scalars(
            select(Award.external_identifier).where(Award.external_identifier.in_(chunk))))
    own = {i[len(prefix) + 1:]: i for i in identifiers if i.startswith(prefix + "-")}
    references = list(own)
    for chunk in chunks(references):
        for reference in session.scalars(
                select(Application.reference).join(Award, Award.application_id == Application.id)
                .where(Application.reference.in_(chunk))):
            present.add(own[reference])
    by_award_id = {}
    for rest, identifier in own.items():
        match = _OWN_AWARD_ID.match(rest)
        if match:
            by_award_id[int(match["id"])] = (match["code"], identifier)
    for chunk in chunks(list(by_award_id)):
        for award_id, code in session.execute(
                select(Award.id, Round.code).join(Award.round).where(Award.id.in_(chunk),
                                                                      Award.application_id.is_(None))):
            if by_award_id[award_id][0] == code:
                present.add(by_award_id[award_id][1])
    return present


@dataclass
class Lookups:
    """The reference records grants name, each found by its natural key."""

    fund: Fund | None
    authorities: dict[str, LocalAuthority]
    counties: dict[str, County]
    priorities: dict[tuple[str, str], Priority]
    key_aims: dict[tuple[str, str], KeyAim]
    rounds: dict[str, Round]
    # The office's short name, as problems name its area.
    area_name: str


def lookups_for(session: Session, fund: Fund | None, codes: list[str]) -> Lookups:
    priorities, key_aims = {}, {}
    for plan in session.scalars(select(Plan).options(
            selectinload(Plan.priorities).selectinload(Priority.key_aims))):
        for priority in plan.priorities:
            priorities[(plan.code, priority.code.upper())] = priority
            for aim in priority.key_aims:
                key_aims[(plan.code, f"{priority.code}.{aim.number}".upper())] = aim
    rounds = {}
    for chunk in chunks(codes):
        rounds.update({r.code: r for r in session.scalars(
            select(Round).where(Round.code.in_(chunk)).options(selectinload(Round.fund)))})
    return Lookups(
        fund=fund,
        authorities={la.gss_code: la for la in session.scalars(select(LocalAuthority))},
        counties={c.name.lower(): c for c in session.scalars(select(County))},
        priorities=priorities, key_aims=key_aims, rounds=rounds,
        area_name=(office_of_request(session) if fund is None
                   else office_facts(session, fund.office_id)).short_name)


def _classification_problem(vocabulary: str, code: str, lookups: Lookups) -> str | None:
    """Why the service cannot hold a classification (None when it can, or when it is another
    funder's own vocabulary, which the service leaves out)."""
    if vocabulary == HIGH_SHERIFF_VOCABULARY:
        return None if code.lower() in lookups.counties else (
            f"{code} is not a {lookups.area_name} county")
    if "." in code:
        return None if (vocabulary, code.upper()) in lookups.key_aims else (
            f"{code} is not a key aim of the plan {vocabulary or '(none given)'}")
    if (vocabulary, code.upper()) in lookups.priorities:
        return None
    if any(plan == vocabulary for plan, _ in lookups.priorities):
        return f"{code} is not a priority of the plan {vocabulary}"
    return None


def check_references(grant: CheckedGrant, lookups: Lookups, unit: str) -> list[Problem]:
    problems = []

    def add(field_title: str, message: str) -> None:
        problems.append(Problem(grant.row, field_title, message, unit))

    round_ = lookups.rounds.get(grant.programme_code)
    if round_ is not None and lookups.fund is not None and round_.fund_id != lookups.fund.id:
        add("Grant Programme:Code", f"round {grant.programme_code} belongs to fund "
                                    f"{round_.fund.code}, not {lookups.fund.code}")
    if round_ is not None and round_.kind is RoundKind.DIRECT:
        # Its budget is what its awards commit, each recorded and signed off by staff.
        add("Grant Programme:Code", f"{grant.programme_code} holds the fund's direct awards, "
                                    "which are recorded one by one, not imported")
    for position, code in grant.geo_codes:
        if code != THAMES_VALLEY_GSS and code not in lookups.authorities:
            add(f"Beneficiary Location:{position}:Geographic Code",
                f"{code} is not a {lookups.area_name} council's GSS code")
    for position, vocabulary, code in grant.classifications:
        problem = _classification_problem(vocabulary, code, lookups)
        if problem:
            add(f"Classifications:{position}:Code", problem)
    priorities = sum(1 for _, vocabulary, code in grant.classifications
                     if (vocabulary, code.upper()) in lookups.priorities)
    if priorities > 1:
        add("Classifications", "names more than one priority: an award has one primary "
                               "priority, give its key aims for the others")
    return problems
