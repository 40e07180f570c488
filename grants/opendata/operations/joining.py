"""Past awards that join a round the service already holds.

A round the import creates arrives with its decisions published and a budget of what it
awarded. A round staff set up is different: its awards are public only once its decisions are
published, and its committed money may never go over its budget, nor a High Sheriff county's
over its allocation. So a past award may join a held round only once that round's decisions
are published, and only within what is left of its budget (and of the county's allocation);
otherwise the import is refused, naming the grant and the field.
"""

import logging
from collections import defaultdict

from sqlalchemy.orm import Session

from grants.awards.operations.publicity import decisions_published
from grants.core.locks import lock_row
from grants.core.money import format_pounds
from grants.decisions.operations.remaining import remaining_pence
from grants.funds.models import Round, RoundKind
from grants.nominations.operations.guard import county_position
from grants.opendata.operations.checking import CheckedGrant
from grants.opendata.operations.matching import Lookups
from grants.opendata.operations.reading import Problem

logger = logging.getLogger(__name__)

PROGRAMME = "Grant Programme:Code"
AMOUNT = "Amount Awarded"


def held_round_problems(session: Session, grants: list[CheckedGrant], lookups: Lookups,
                        unit: str) -> list[Problem]:
    """What stops each grant joining the round it names, when the service holds that round.
    The rounds' rows are locked, so no decision can spend the money between this check and
    the import's write."""
    problems: list[Problem] = []
    by_round: dict[str, list[CheckedGrant]] = defaultdict(list)
    for grant in grants:
        if grant.programme_code in lookups.rounds:
            by_round[grant.programme_code].append(grant)
    for code in sorted(by_round):
        held = lookups.rounds[code]
        if held.kind is RoundKind.DIRECT or (lookups.fund is not None
                                              and held.fund_id != lookups.fund.id):
            continue  # refused already, by check_references
        round_ = lock_row(session, Round, held.id, missing="Round not found")
        problems += _round_problems(session, round_, by_round[code], lookups, unit)
    return problems


def _round_problems(session: Session, round_: Round, grants: list[CheckedGrant],
                    lookups: Lookups, unit: str) -> list[Problem]:
    if not decisions_published(round_):
        return [Problem(grant.row, PROGRAMME, (
            f"grant {grant.identifier} names round {round_.code}, whose decisions are not yet "
            "published: past awards can join it only once they are"), unit)
            for grant in grants]
    problems = []
    left = remaining_pence(session, round_)
    county_left: dict[str, int | None] = {}
    for grant in grants:
        if grant.amount_pence > left:
            problems.append(Problem(grant.row, AMOUNT, (
                f"grant {grant.identifier} of {format_pounds(grant.amount_pence)} would take "
                f"round {round_.code} over its budget: only {format_pounds(max(left, 0))} of "
                f"its {format_pounds(round_.budget_pence)} is left"), unit))
            continue
        county = grant.high_sheriff_county
        if round_.kind is RoundKind.NOMINATION and county is not None:
            name = county.lower()
            if name not in county_left:
                position = county_position(session, round_.id, lookups.counties[name].id)
                county_left[name] = position.remaining_pence if position else None
            if county_left[name] is not None and grant.amount_pence > county_left[name]:
                problems.append(Problem(grant.row, AMOUNT, (
                    f"grant {grant.identifier} of {format_pounds(grant.amount_pence)} would "
                    f"take {lookups.counties[name].name}'s allocation in round {round_.code} "
                    f"over: only {format_pounds(max(county_left[name], 0))} of it is left"),
                    unit))
                continue
            if county_left[name] is not None:
                county_left[name] -= grant.amount_pence
        left -= grant.amount_pence
    if problems:
        logger.info("import refused into round %s: %d grants over its budget or a county's "
                    "allocation", round_.id, len(problems))
    return problems
