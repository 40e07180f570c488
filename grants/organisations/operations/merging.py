"""Merging two records of one organisation: staff keep one, and everything of the other moves
to it (applications, awards, nominations, allocation places, expressions of interest, members
and areas), audited.

An organisation registered twice (a group without a charity number, or entered by a High
Sheriff before it registered) is counted twice in "organisations funded"; merging makes it one.
"""

import logging
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.allocations.models import AllocationRecipient
from grants.applications.models import Application
from grants.awards.models import Award
from grants.core.errors import NotFound, Refusal, required_text
from grants.core.locks import lock_rows
from grants.documents.models import OrganisationDocument
from grants.funds.models import Round
from grants.interest.models import Interest
from grants.nominations.models import Nomination
from grants.offices.operations.scoping import EVERY_OFFICE
from grants.organisations.models import MembershipInvitation, MembershipStatus, Organisation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

MAX_REASON = 1000
# The records that belong to an organisation and move with it, by what a page calls them.
_MOVING = (("applications", Application), ("awards", Award), ("nominations", Nomination),
           ("allocation places", AllocationRecipient), ("documents", OrganisationDocument),
           ("expressions of interest", Interest))
_ONE = {"expressions of interest": "expression of interest"}


@dataclass(frozen=True)
class Merge:
    """What merging `duplicate` into `kept` would move (or moved)."""

    kept: Organisation
    duplicate: Organisation
    moved: dict[str, int]
    members: int
    # Why the two cannot be merged; none when they can.
    problems: tuple[str, ...] = ()

    def summary(self) -> str:
        parts = [f"{count} {what if count != 1 else _ONE.get(what, what.removesuffix('s'))}"
                 for what, count in [*self.moved.items(), ("members", self.members)] if count]
        return ", ".join(parts) if parts else "nothing"


def preview_merge(session: Session, kept_id: int, duplicate_id: int) -> Merge:
    """What a merge would move, and why it cannot be done if it cannot."""
    kept, duplicate = _pair(session, kept_id, duplicate_id)
    return _counted(session, kept, duplicate)


def merge_organisations(session: Session, user: User, kept_id: int, duplicate_id: int, *,
                        reason: str | None) -> Merge:
    """Move everything of the duplicate record to the kept one, and remove the duplicate."""
    reason = required_text(reason, "reason", "Enter why these are one organisation",
                           MAX_REASON, "The reason")
    ids = sorted({kept_id, duplicate_id})
    locked = {o.id: o for o in lock_rows(session, select(Organisation)
                                         .where(Organisation.id.in_(ids)).order_by(Organisation.id))}
    kept, duplicate = _pair(session, kept_id, duplicate_id, locked)
    merge = _counted(session, kept, duplicate)
    if merge.problems:
        raise Refusal(" ".join(merge.problems))
    before = {"duplicate_id": duplicate.id, "duplicate_name": duplicate.name}

    # The organisation's records of every office move, whichever office's staff merge it.
    for _, model in _MOVING:
        session.execute(update(model).where(model.organisation_id == duplicate.id)
                        .values(organisation_id=kept.id).execution_options(**EVERY_OFFICE))
    members = {m.user_id: m for m in kept.memberships}
    for membership in list(duplicate.memberships):
        already = members.get(membership.user_id)
        if already is None:
            duplicate.memberships.remove(membership)
            kept.memberships.append(membership)
        elif membership.status is MembershipStatus.ACTIVE:
            already.status = MembershipStatus.ACTIVE
            already.approved_at = already.approved_at or membership.approved_at
    # Invitations to join the duplicate still work: for the kept record.
    session.execute(update(MembershipInvitation)
                    .where(MembershipInvitation.organisation_id == duplicate.id)
                    .values(organisation_id=kept.id))
    kept.areas = [*kept.areas, *(a for a in duplicate.areas if a not in kept.areas)]
    for names in (("charity_regulator", "charity_number"), ("company_number",)):
        # A number only the duplicate holds moves to the kept record, freed first (each is
        # unique).
        if getattr(duplicate, names[-1]) and not getattr(kept, names[-1]):
            values = [getattr(duplicate, name) for name in names]
            for name in names:
                setattr(duplicate, name, None)
            session.flush()
            for name, value in zip(names, values, strict=True):
                setattr(kept, name, value)
    session.delete(duplicate)
    session.flush()
    record_event(session, actor_id=user.id, action="organisation.merged",
                 entity_type="organisation", entity_id=kept.id, before=before,
                 after={**merge.moved, "members": merge.members}, note=reason)
    logger.info("organisation %s merged into %s by user %s: %s", before["duplicate_id"],
                kept.id, user.id, merge.summary())
    return merge


def _pair(session: Session, kept_id: int, duplicate_id: int,
          found: dict[int, Organisation] | None = None) -> tuple[Organisation, Organisation]:
    kept = found.get(kept_id) if found is not None else session.get(Organisation, kept_id)
    duplicate = (found.get(duplicate_id) if found is not None
                 else session.get(Organisation, duplicate_id))
    if kept is None or duplicate is None:
        raise NotFound("There is no such organisation")
    return kept, duplicate


def _problems(session: Session, kept: Organisation, duplicate: Organisation) -> list[str]:
    """Every reason the two cannot be merged: the same record, numbers that say they are two
    organisations, or both in one round (a round takes one application per organisation)."""
    problems = []
    if kept.id == duplicate.id:
        problems.append("Choose another record: an organisation cannot be merged into itself.")
    charities = [(o.charity_regulator, o.charity_number) for o in (kept, duplicate)
                 if o.charity_number]
    companies = [o.company_number for o in (kept, duplicate) if o.company_number]
    for what, numbers in (("charity numbers", charities), ("company numbers", companies)):
        if len(set(numbers)) > 1:
            problems.append(f"These are two organisations: their {what} differ.")
    for what, model in (("applied to", Application), ("are recipients in", AllocationRecipient),
                        ("expressed interest in", Interest)):
        shared = session.scalars(
            select(Round.code).where(Round.id.in_(
                select(model.round_id).where(model.organisation_id == kept.id)
                .intersect(select(model.round_id).where(model.organisation_id == duplicate.id))))
            .order_by(Round.code).execution_options(**EVERY_OFFICE)).all()
        if shared:
            problems.append(f"Both records {what} {', '.join(shared)}: a round takes one "
                            "application per organisation, so settle that first.")
    return problems


def _counted(session: Session, kept: Organisation, duplicate: Organisation) -> Merge:
    moved = {what: session.scalar(select(func.count()).select_from(model)
                                  .where(model.organisation_id == duplicate.id)
                                  .execution_options(**EVERY_OFFICE)) or 0
             for what, model in _MOVING}
    kept_users = {m.user_id for m in kept.memberships}
    members = sum(1 for m in duplicate.memberships if m.user_id not in kept_users)
    return Merge(kept=kept, duplicate=duplicate, moved=moved, members=members,
                 problems=tuple(_problems(session, kept, duplicate)))
