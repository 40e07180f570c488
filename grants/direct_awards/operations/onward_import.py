"""Onward grants read from the intermediary's 360Giving file (JSON, CSV or XLSX), the standard
the Community Foundations publish in.

The file is read and each grant checked as past awards are (`grants.opendata.operations`:
reading, checking), save that no grant programme is needed: the grants join the delegated award
they were made from. Every problem is named by its row (or grant) and column, and one problem
anywhere imports nothing. Grants already recorded under the award (by their identifier) are
left as they are, so uploading the same file twice changes nothing. Where the file says so, a
grant's priority and key aim (classifications in the plan's vocabulary) and the office's
councils it serves (beneficiary locations by GSS code) are kept; other classifications and
places are the intermediary's own, and left out.
"""

import logging
from dataclasses import dataclass
from typing import IO

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.direct_awards.models import DirectAward, OnwardGrant
from grants.direct_awards.operations.listing import delegated_award_of
from grants.direct_awards.operations.onward import (
    OnwardGrantEntry,
    OnwardGrantsRefused,
    add_onward_grants,
    entry_problems,
    why_no_onward_grants,
)
from grants.opendata.operations.checking import CheckedGrant, check_grants
from grants.opendata.operations.matching import Lookups, lookups_for
from grants.opendata.operations.reading import ImportRefused, Problem, RawGrant, read_grants
from grants.opendata.operations.threesixty import THAMES_VALLEY_GSS

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5_000_000
# The file's column each answer of an onward grant comes from, to name it in a problem.
COLUMN_OF = {"recipient_name": "Recipient Org:Name", "recipient_org_id": "Recipient Org:Identifier",
             "title": "Title", "amount": "Amount Awarded", "awarded_on": "Award Date",
             "priority": "Classifications", "key_aim": "Classifications",
             "areas": "Beneficiary Location"}


@dataclass(frozen=True)
class OnwardImport:
    grants_in_file: int
    already_recorded: int
    recorded: list[OnwardGrant]

    @property
    def amount_pence(self) -> int:
        return sum(grant.amount_pence for grant in self.recorded)


def _classified(grant: CheckedGrant, lookups: Lookups, add) -> tuple[int | None, int | None]:
    """The priority and key aim the grant's classifications name in a plan's vocabulary."""
    plans = {plan for plan, _ in lookups.priorities}
    priority_id = key_aim_id = None
    for position, vocabulary, code in grant.classifications:
        if vocabulary not in plans:
            continue  # the intermediary's own vocabulary
        key = (vocabulary, code.upper())
        column = f"Classifications:{position}:Code"
        if key in lookups.key_aims:
            aim = lookups.key_aims[key]
            if key_aim_id not in (None, aim.id):
                add(column, "names a second key aim: an onward grant is recorded under one")
            key_aim_id = aim.id
            priority_id = priority_id or aim.priority_id
        elif key in lookups.priorities:
            priority = lookups.priorities[key]
            if priority_id not in (None, priority.id):
                add(column, "names a second priority: an onward grant is recorded under one")
            priority_id = priority.id
        else:
            add(column, f"{code} is not a priority or key aim of the plan {vocabulary}")
    return priority_id, key_aim_id


def _entry(grant: CheckedGrant, lookups: Lookups, add) -> OnwardGrantEntry:
    priority_id, key_aim_id = _classified(grant, lookups, add)
    whole = any(code == THAMES_VALLEY_GSS for _, code in grant.geo_codes)
    area_ids = sorted({lookups.authorities[code].id for _, code in grant.geo_codes
                       if code in lookups.authorities})
    return OnwardGrantEntry(
        recipient_name=grant.org_name, recipient_org_id=grant.org_id, title=grant.title,
        amount_pence=grant.amount_pence, awarded_on=grant.awarded_on, priority_id=priority_id,
        key_aim_id=key_aim_id, area_ids=[] if whole else area_ids,
        serves_whole_thames_valley=whole, identifier=grant.identifier)


def _funder_problem(raw: RawGrant, direct: DirectAward, unit: str) -> Problem | None:
    """A grant whose funder is not the intermediary is from another funder's file."""
    funders = raw.data.get("fundingOrganization")
    funder = funders[0] if isinstance(funders, list) and funders else {}
    given = str(funder.get("id") or "").strip() if isinstance(funder, dict) else ""
    own = direct.award.organisation.org_id
    if not given or not own or given.upper() == own.upper():
        return None
    return Problem(raw.row, "Funding Org:Identifier",
                   f"is {given}, not {direct.award.organisation.name}'s {own}: the file must "
                   "hold the grants it made", unit)


def _held(session: Session, award_id: int) -> set[str]:
    return set(session.scalars(select(OnwardGrant.identifier).where(
        OnwardGrant.award_id == award_id, OnwardGrant.identifier.is_not(None))))


def import_onward_grants(session: Session, user: User, award_id: int, stream: IO[bytes],
                         filename: str) -> OnwardImport:
    """Record the onward grants in the intermediary's file under the delegated award, all or
    none; ImportRefused names every problem by row, and the sum guard refuses grants that
    would add up to more than the allocation."""
    direct = delegated_award_of(session, award_id)
    refusal = why_no_onward_grants(direct)
    if refusal:
        raise OnwardGrantsRefused(refusal)
    raws, unit = read_grants(stream, filename)
    checked, problems = check_grants(raws, unit, programme_required=False)
    problems += [problem for raw in raws
                 if (problem := _funder_problem(raw, direct, unit)) is not None]
    held = _held(session, award_id)
    new = [grant for grant in checked if grant.identifier not in held]
    lookups = lookups_for(session, None, [])
    entries = []
    for grant in new:
        def add(column: str, message: str, row: int = grant.row) -> None:
            problems.append(Problem(row, column, message, unit))

        entry = _entry(grant, lookups, add)
        for field, message in entry_problems(session, direct, entry).items():
            if message:
                add(COLUMN_OF[field], message)
        entries.append(entry)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    recorded = (add_onward_grants(session, user, award_id, entries, source=filename)
                if entries else [])
    logger.info("onward grants file for award %s: %d grants, %d already recorded, %d recorded",
                award_id, len(checked), len(checked) - len(new), len(recorded))
    return OnwardImport(grants_in_file=len(checked), already_recorded=len(checked) - len(new),
                        recorded=recorded)
