"""Adding an office's areas: its counties, local authorities and Community Safety Partnerships,
from rows of one local authority each. The shipped reference data (`flask seed-reference`) and
an office's areas file (`flask offices load-areas`) are both read into these rows, so the two
cannot add the same areas differently.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from grants.areas.models import CommunitySafetyPartnership, County, LocalAuthority


@dataclass
class AreaRow:
    """One local authority, its county and its partnership (`number`: its row in the file, or
    its place in the reference data)."""

    number: int
    county: str
    high_sheriff: bool
    name: str
    official_name: str
    gss_code: str
    tier: str
    org_id: str | None
    partnership: str
    valid_from: date | None
    valid_to: date | None


@dataclass
class Tally:
    """What a load added, by kind ("counties": 3) in the order it first added each, and what
    it says when it added nothing."""

    nothing: str = "Nothing added."
    added: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.added[kind] = self.added.get(kind, 0) + 1

    def __str__(self) -> str:
        if not self.added:
            return self.nothing
        return "Added " + ", ".join(f"{n} {kind}" for kind, n in self.added.items())


def add_areas(session: Session, office_id: int, rows: Sequence[AreaRow],
              tally: Tally) -> None:
    """Add the rows' counties, local authorities and partnerships that the office does not
    have yet (a county and a partnership by name within the office, a local authority by its
    GSS code). One it has already keeps what it holds; what it lacks (a council's official
    name or org-id, the day a partnership ended) is filled in from the rows."""
    counties = {county.name: county for county in session.scalars(
        select(County).where(County.office_id == office_id))}
    held = {authority.gss_code: authority for authority in session.scalars(
        select(LocalAuthority).where(LocalAuthority.gss_code.in_([r.gss_code for r in rows])))}
    for row in rows:
        if row.county not in counties:
            counties[row.county] = County(office_id=office_id, name=row.county,
                                          has_high_sheriff=row.high_sheriff)
            session.add(counties[row.county])
            tally.add("counties")
        authority = held.get(row.gss_code)
        if authority is None:
            held[row.gss_code] = LocalAuthority(
                office_id=office_id, county=counties[row.county], gss_code=row.gss_code,
                name=row.name, tier=row.tier)
            session.add(held[row.gss_code])
            tally.add("local authorities")
        _fill_in(held[row.gss_code], tally, "local authorities",
                 official_name=row.official_name or None, org_id=row.org_id,
                 valid_from=row.valid_from, valid_to=row.valid_to)
    _add_partnerships(session, office_id, rows, held, tally)


def _add_partnerships(session: Session, office_id: int, rows: Sequence[AreaRow],
                      authorities: dict[str, LocalAuthority], tally: Tally) -> None:
    """Each partnership the rows name, covering its rows' councils. It stood while any of
    them did: from the earliest council's start (none if any has always stood) to the latest
    one's end (none if any still stands), as Buckinghamshire's did in 2020."""
    covered: dict[str, list[AreaRow]] = {}
    for row in rows:
        if row.partnership:
            covered.setdefault(row.partnership, []).append(row)
    existing = {partnership.name: partnership for partnership in session.scalars(
        select(CommunitySafetyPartnership)
        .where(CommunitySafetyPartnership.office_id == office_id))}
    for name, its_rows in covered.items():
        starts = [row.valid_from for row in its_rows]
        ends = [row.valid_to for row in its_rows]
        valid_from = None if None in starts else min(starts)
        valid_to = None if None in ends else max(ends)
        partnership = existing.get(name)
        if partnership is None:
            session.add(CommunitySafetyPartnership(
                office_id=office_id, name=name,
                local_authorities=[authorities[row.gss_code] for row in its_rows],
                valid_from=valid_from, valid_to=valid_to))
            tally.add("community safety partnerships")
        else:
            _fill_in(partnership, tally, "community safety partnerships",
                     valid_from=valid_from, valid_to=valid_to)


def _fill_in(record: Any, tally: Tally, kind: str, **values: Any) -> None:
    """Fill in what the rows now say of a record added before they said it (a council's
    identifier, the day a partnership ended). A value already held is kept."""
    changed = False
    for name, value in values.items():
        if value is not None and getattr(record, name) in (None, ""):
            setattr(record, name, value)
            changed = True
    if changed and record.id is not None:
        tally.add(f"{kind} brought up to date")
