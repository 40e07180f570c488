"""Past awards read from a 360Giving file (JSON, CSV or XLSX) into a fund.

Every grant is checked first; one problem anywhere and nothing is imported, with each problem
named by its row (or grant) and field. Grants already in the service (by their identifier) are
left as they are, so importing a file twice changes nothing. A grant joins a round the service
already holds only once that round's decisions are published, and within its budget
(`grants.opendata.operations.joining`).
"""

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.areas.models import LocalAuthority
from grants.awards.models import Award, AwardSource, AwardStatus
from grants.core import clock
from grants.funds.models import Fund, Round, RoundKind
from grants.opendata.operations.checking import CheckedGrant, check_grants
from grants.opendata.operations.joining import held_round_problems
from grants.opendata.operations.matching import (
    Lookups,
    already_held,
    check_references,
    chunks,
    lookups_for,
)
from grants.opendata.operations.reading import ImportRefused, Problem, RawGrant, read_grants
from grants.opendata.operations.threesixty import (
    HIGH_SHERIFF_VOCABULARY,
    THAMES_VALLEY_GSS,
)
from grants.organisations.models import CharityRegulator, Organisation, OrganisationType
from grants.plans.models import Priority
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# Councils' org-ids, from the Local Authorities for England register ("GB-LAE-RDG").
COUNCIL_ORG_ID_PREFIX = "GB-LAE-"


@dataclass
class ImportSummary:
    grants_in_file: int = 0
    already_present: int = 0
    awards_created: int = 0
    amount_created_pence: int = 0
    organisations_created: list[str] = field(default_factory=list)
    rounds_created: list[str] = field(default_factory=list)
    per_round: dict[str, list[int]] = field(default_factory=dict)  # code -> [awards, pence]
    dry_run: bool = False



def _charity_key(regulator: CharityRegulator | None, number: str) -> tuple:
    """Northern Ireland numbers are written with or without "NIC": the key has neither."""
    if regulator is CharityRegulator.CCNI:
        number = number.removeprefix("NIC")
    return ("charity", regulator, number)


def _own_organisation_id(org_id: str, prefix: str) -> int | None:
    """The organisation an identifier of the service's own names ("<prefix>-org-9")."""
    match = re.fullmatch(re.escape(prefix) + r"-org-([0-9]{1,18})", org_id)
    return int(match[1]) if match else None


def _organisation_keys(grant: CheckedGrant, prefix: str) -> list[tuple]:
    """The keys a recipient is known by: a council's org-id (GB-LAE-…), the service's own
    identifier for an organisation, its charity and company numbers, else its name."""
    if grant.org_id.upper().startswith(COUNCIL_ORG_ID_PREFIX):
        return [("council", grant.org_id.upper())]
    own = _own_organisation_id(grant.org_id, prefix)
    if own is not None:
        return [("own", own, grant.org_name.lower()), ("name", grant.org_name.lower())]
    keys = []
    if grant.charity_number:
        keys.append(_charity_key(grant.regulator, grant.charity_number))
    if grant.company_number:
        keys.append(("company", grant.company_number))
    return keys or [("name", grant.org_name.lower())]


def _ccni_forms(number: str) -> list[str]:
    bare = number.removeprefix("NIC")
    return [bare, f"NIC{bare}"]


def _existing_councils_and_own(session: Session, grants: list[CheckedGrant],
                               prefix: str) -> dict[tuple, Organisation]:
    """Councils by their org-id, and organisations by the service's own identifier."""
    found: dict[tuple, Organisation] = {}
    councils = sorted({g.org_id.upper() for g in grants
                       if g.org_id.upper().startswith(COUNCIL_ORG_ID_PREFIX)})
    for chunk in chunks(councils):
        for organisation, org_id in session.execute(
                select(Organisation, LocalAuthority.org_id)
                .join(Organisation.local_authority)
                .where(Organisation.organisation_type == OrganisationType.LOCAL_AUTHORITY,
                       func.upper(LocalAuthority.org_id).in_(chunk))
                .order_by(Organisation.id)):
            found.setdefault(("council", org_id.upper()), organisation)
    # The service's own identifier names the organisation only when the name agrees too: a
    # file from another copy of the service may use the same numbers for others.
    own: dict[int, set[str]] = defaultdict(set)
    for grant in grants:
        number = _own_organisation_id(grant.org_id, prefix)
        if number is not None:
            own[number].add(grant.org_name.lower())
    for chunk in chunks(sorted(own)):
        for organisation in session.scalars(select(Organisation).where(
                Organisation.id.in_(chunk))):
            name = organisation.name.lower()
            if name in own[organisation.id]:
                found[("own", organisation.id, name)] = organisation
    return found


def _existing_organisations(session: Session, grants: list[CheckedGrant],
                            prefix: str) -> dict[tuple, Organisation]:
    wanted = {_charity_key(g.regulator, g.charity_number)[1:] for g in grants
              if g.charity_number}
    charity = {(g.regulator, n) for g in grants if g.charity_number
               for n in (_ccni_forms(g.charity_number) if g.regulator is CharityRegulator.CCNI
                         else [g.charity_number])}
    companies = {g.company_number for g in grants if g.company_number}
    names = {g.org_name.lower() for g in grants
             if not g.charity_number and not g.company_number
             and not g.org_id.upper().startswith(COUNCIL_ORG_ID_PREFIX)}
    found = _existing_councils_and_own(session, grants, prefix)
    for chunk in chunks(sorted({n for _, n in charity})):
        for organisation in session.scalars(
                select(Organisation).where(Organisation.charity_number.in_(chunk))):
            key = _charity_key(organisation.charity_regulator, organisation.charity_number or "")
            if (key[1], key[2]) in wanted:
                found[key] = organisation
    for chunk in chunks(sorted(companies)):
        for organisation in session.scalars(
                select(Organisation).where(Organisation.company_number.in_(chunk))):
            found.setdefault(("company", organisation.company_number), organisation)
    for chunk in chunks(sorted(names)):
        for organisation in session.scalars(
                select(Organisation).where(func.lower(Organisation.name).in_(chunk),
                                           Organisation.charity_number.is_(None),
                                           Organisation.company_number.is_(None))
                .order_by(Organisation.id)):
            found.setdefault(("name", organisation.name.lower()), organisation)
    return found


def _new_organisation(grant: CheckedGrant) -> Organisation:
    """An organisation for a recipient the service has not met, its type guessed from its
    numbers (staff can correct it)."""
    if grant.charity_number and grant.company_number:
        kind = OrganisationType.CHARITABLE_COMPANY
    elif grant.charity_number:
        kind = OrganisationType.REGISTERED_CHARITY
    elif grant.company_number:
        kind = OrganisationType.OTHER  # a company without a charity number: CIC, CLG, ...
    elif grant.org_id.upper().startswith(COUNCIL_ORG_ID_PREFIX):
        kind = OrganisationType.LOCAL_AUTHORITY  # a council outside the reference data
    else:
        kind = OrganisationType.COMMUNITY_GROUP
    return Organisation(name=grant.org_name, organisation_type=kind,
                        charity_regulator=grant.regulator if grant.charity_number else None,
                        charity_number=grant.charity_number, company_number=grant.company_number,
                        postcode=grant.postcode)


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=clock.LONDON).astimezone(UTC)


def _new_round(fund: Fund, code: str, grants: list[CheckedGrant]) -> Round:
    """A past round: open from the start of the financial year of its first award, decided and
    published on its last award date, with a budget of what it awarded."""
    first = min(g.awarded_on for g in grants)
    last = max(g.awarded_on for g in grants)
    year_start = date(first.year if first.month >= 4 else first.year - 1, 4, 1)
    opens_at = datetime.combine(year_start, time(0), tzinfo=clock.LONDON).astimezone(UTC)
    closes_at = max(_at_noon(first), opens_at + timedelta(hours=12))
    decided_at = max(_at_noon(last), closes_at)
    nominated = any(g.high_sheriff_county for g in grants)
    return Round(
        fund=fund, code=code, title=grants[0].programme_title,
        kind=RoundKind.NOMINATION if nominated else RoundKind.OPEN,
        opens_at=opens_at, closes_at=closes_at,
        budget_pence=sum(g.amount_pence for g in grants),
        launched_at=opens_at, assessing_at=closes_at, decided_at=decided_at,
        decisions_published_at=decided_at,
    )


def _new_award(grant: CheckedGrant, round_: Round, organisation: Organisation,
               lookups: Lookups, now: datetime) -> Award:
    areas, whole = [], False
    for _, code in grant.geo_codes:
        if code == THAMES_VALLEY_GSS:
            whole = True
        elif lookups.authorities[code] not in areas:
            areas.append(lookups.authorities[code])
    priority, aims, county = None, [], None
    for _, vocabulary, code in grant.classifications:
        key = (vocabulary, code.upper())
        if vocabulary == HIGH_SHERIFF_VOCABULARY:
            county = lookups.counties[code.lower()]
        elif key in lookups.key_aims and lookups.key_aims[key] not in aims:
            aims.append(lookups.key_aims[key])
        elif key in lookups.priorities:
            priority = lookups.priorities[key]
    return Award(
        round=round_, organisation=organisation, amount_pence=grant.amount_pence,
        status=AwardStatus.CLOSED, source=AwardSource.IMPORTED,
        amount_requested_pence=grant.requested_pence, nominating_county=county,
        serves_whole_thames_valley=whole, areas=areas, priority=priority, key_aims=aims,
        title=grant.title, description=grant.description, awarded_on=grant.awarded_on,
        planned_start=grant.planned_start, planned_end=grant.planned_end,
        conditions=grant.conditions, public_reason=grant.public_reason,
        external_identifier=grant.identifier, offered_at=_at_noon(grant.awarded_on),
        closed_at=now,
    )


def _write(session: Session, grants: list[CheckedGrant], lookups: Lookups,
           summary: ImportSummary, prefix: str) -> None:
    organisations = _existing_organisations(session, grants, prefix)
    by_round: dict[str, list[CheckedGrant]] = defaultdict(list)
    for grant in grants:
        by_round[grant.programme_code].append(grant)
    now = clock.utcnow()
    for code, in_round in by_round.items():
        round_ = lookups.rounds.get(code)
        if round_ is None:
            round_ = _new_round(lookups.fund, code, in_round)
            session.add(round_)
            lookups.rounds[code] = round_
            summary.rounds_created.append(code)
        priorities: set[Priority] = set()
        for grant in in_round:
            keys = _organisation_keys(grant, prefix)
            organisation = next((organisations[k] for k in keys if k in organisations), None)
            if organisation is None:
                organisation = _new_organisation(grant)
                session.add(organisation)
                summary.organisations_created.append(grant.org_name)
            for key in keys:
                organisations.setdefault(key, organisation)
            award = _new_award(grant, round_, organisation, lookups, now)
            session.add(award)
            if award.priority is not None:
                priorities.add(award.priority)
            counts = summary.per_round.setdefault(code, [0, 0])
            counts[0] += 1
            counts[1] += grant.amount_pence
            summary.awards_created += 1
            summary.amount_created_pence += grant.amount_pence
        # A round the import creates takes its awards' priorities; a round staff set up keeps
        # its own.
        if code in summary.rounds_created:
            round_.priorities = sorted(priorities, key=lambda p: (p.plan_id, p.number))
        session.flush()


def import_grants(session: Session, raws: list[RawGrant], unit: str, fund_code: str, *,
                  prefix: str, actor_id: int | None = None,
                  dry_run: bool = False) -> ImportSummary:
    """Import the grants into the fund, all or nothing; with dry_run, work out what would be
    created and leave the database as it was."""
    checked, problems = check_grants(raws, unit)
    fund = session.scalars(select(Fund).where(Fund.code == fund_code)).one_or_none()
    if fund is None:
        problems.insert(0, Problem(0, "fund", f"There is no fund with the code {fund_code}"))
    present = already_held(session, [g.identifier for g in checked], prefix)
    new = [g for g in checked if g.identifier not in present]
    lookups = lookups_for(session, fund, sorted({g.programme_code for g in new}))
    for grant in new:
        problems += check_references(grant, lookups, unit)
    problems += held_round_problems(session, new, lookups, unit)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    summary = ImportSummary(grants_in_file=len(checked), already_present=len(present),
                            dry_run=dry_run)
    if not new:
        return summary
    savepoint = session.begin_nested()
    _write(session, new, lookups, summary, prefix)
    if dry_run:
        savepoint.rollback()
        return summary
    savepoint.commit()
    record_event(session, actor_id=actor_id, action="opendata.import", entity_type="fund",
                 entity_id=fund.id, after={"awards": summary.awards_created,
                                           "amount_pence": summary.amount_created_pence,
                                           "rounds": summary.rounds_created},
                 note=f"{summary.awards_created} awards imported from a 360Giving file")
    logger.info("imported %s awards (%s pence) into fund %s; %s already present",
                summary.awards_created, summary.amount_created_pence, fund.code,
                summary.already_present)
    return summary


def import_file(session: Session, stream: IO[bytes], filename: str, fund_code: str, *,
                prefix: str, actor_id: int | None = None,
                dry_run: bool = False) -> ImportSummary:
    """Read a 360Giving file and import its grants (see import_grants)."""
    raws, unit = read_grants(stream, filename)
    return import_grants(session, raws, unit, fund_code, prefix=prefix, actor_id=actor_id,
                         dry_run=dry_run)
