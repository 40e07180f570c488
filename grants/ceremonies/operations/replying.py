"""An invited organisation's reply: whether it comes, how many people, who, what they need to
take part, and whether they may be photographed. A member may change it until the ceremony
starts."""

import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.accounts.models import User
from grants.ceremonies.models import (
    MAX_ACCESS_NEEDS_LENGTH,
    MAX_NAMES_LENGTH,
    MOST_GUESTS,
    Ceremony,
    CeremonyInvitation,
)
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed, or_not_found
from grants.core.translatable import N_, Words
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

# Marked for the Welsh catalogue, said in the page's language where shown.
STARTED = N_("The ceremony has started, so replies can no longer be changed")
ATTENDING_MISSING = N_("Choose whether you will attend")
GUESTS_MISSING = N_("Enter how many people will attend")
GUESTS_OUT_OF_RANGE = Words(N_("The number of people must be between 1 and %(most)s"),
                            most=MOST_GUESTS)
CONSENT_MISSING = N_("Choose whether the people attending may be photographed")


@dataclass(frozen=True)
class Reply:
    attending: bool | None
    guests: int | None = None
    guest_names: str = ""
    access_needs: str = ""
    photo_consent: bool | None = None


def why_not_open(ceremony: Ceremony) -> str | None:
    """Why nobody may be invited or reply any more: the ceremony has started."""
    return STARTED if clock.utcnow() >= ceremony.starts_at else None


def get_invitation(session: Session, invitation_id: int, *,
                   cancelled_too: bool = False) -> CeremonyInvitation:
    """The invitation; a cancelled one is not found unless staff ask (`cancelled_too`): its
    link no longer answers."""
    invitation = session.scalars(
        select(CeremonyInvitation).where(CeremonyInvitation.id == invitation_id)
        .options(joinedload(CeremonyInvitation.ceremony).joinedload(Ceremony.fund),
                 joinedload(CeremonyInvitation.organisation))).one_or_none()
    if invitation is not None and invitation.cancelled and not cancelled_too:
        invitation = None
    return or_not_found(invitation, "There is no such invitation")


def _checked(reply: Reply) -> dict:
    if reply.attending is None:
        raise ValidationFailed({"attending": ATTENDING_MISSING})
    if not reply.attending:
        return {"attending": False, "guests": None, "guest_names": "", "access_needs": "",
                "photo_consent": None}
    errors = {}
    if reply.guests is None:
        errors["guests"] = GUESTS_MISSING
    elif not 1 <= reply.guests <= MOST_GUESTS:
        errors["guests"] = GUESTS_OUT_OF_RANGE
    names, needs = reply.guest_names.strip(), reply.access_needs.strip()
    if len(names) > MAX_NAMES_LENGTH:
        errors["guest_names"] = Words(N_("The names must be %(most)s characters or fewer"),
                                      most=format(MAX_NAMES_LENGTH, ","))
    if len(needs) > MAX_ACCESS_NEEDS_LENGTH:
        errors["access_needs"] = Words(
            N_("The access needs must be %(most)s characters or fewer"),
            most=format(MAX_ACCESS_NEEDS_LENGTH, ","))
    if reply.photo_consent is None:
        errors["photo_consent"] = CONSENT_MISSING
    if errors:
        raise ValidationFailed(errors)
    return {"attending": True, "guests": reply.guests, "guest_names": names,
            "access_needs": needs, "photo_consent": reply.photo_consent}


def reply(session: Session, user: User, invitation: CeremonyInvitation,
          answer: Reply) -> CeremonyInvitation:
    """Record (or change) the organisation's reply, until the ceremony starts. The audit notes
    who replied and whether they come; names and access needs stay on the invitation alone."""
    Refusal.raise_if(why_not_open(invitation.ceremony))
    return record_reply(session, user, invitation, answer, by_phone=False)


def record_reply(session: Session, user: User, invitation: CeremonyInvitation,
                 answer: Reply, *, by_phone: bool) -> CeremonyInvitation:
    """The reply checked and kept, by a member online or by staff who took it by phone (the
    audit says which)."""
    values = _checked(answer)
    changed = invitation.replied
    for name, value in values.items():
        setattr(invitation, name, value)
    invitation.replied_at = clock.utcnow()
    invitation.replied_by_id = user.id
    invitation.replied_by_phone = by_phone
    session.flush()
    if by_phone:
        action = "ceremony.reply_taken_by_phone"
    else:
        action = "ceremony.reply_changed" if changed else "ceremony.replied"
    record_event(session, actor_id=user.id, action=action, entity_type="ceremony_invitation",
                 entity_id=invitation.id,
                 after={"attending": invitation.attending, "guests": invitation.guests,
                        **({"by_phone": True} if by_phone else {})},
                 note=("taken by phone on behalf of organisation "
                       f"{invitation.organisation_id}") if by_phone else "")
    logger.info("ceremony invitation %s: replied%s, attending %s", invitation.id,
                " by phone" if by_phone else "", invitation.attending)
    return invitation


def invitations_of(session: Session, organisation_ids, limit: int = 5
                   ) -> list[CeremonyInvitation]:
    """The latest ceremonies these organisations are invited to, for their members'
    dashboard: one query."""
    if not organisation_ids:
        return []
    return list(session.scalars(
        select(CeremonyInvitation).join(CeremonyInvitation.ceremony)
        .where(CeremonyInvitation.organisation_id.in_(organisation_ids),
               CeremonyInvitation.cancelled_at.is_(None))
        .options(joinedload(CeremonyInvitation.ceremony),
                 joinedload(CeremonyInvitation.organisation))
        .order_by(Ceremony.starts_at.desc(), CeremonyInvitation.id).limit(limit)))
