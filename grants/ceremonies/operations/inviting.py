"""Inviting a ceremony's recipients: who may be invited (every organisation with a public award
of the ceremony's year, and fund when it has one), and sending the invitations, one email each
to the organisation's contact, with the link to reply."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.awards.models import Award
from grants.awards.operations import publicity
from grants.ceremonies import notifications
from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.ceremonies.operations.planning import recipients_in
from grants.ceremonies.operations.replying import why_not_open
from grants.core import clock
from grants.core.errors import Refusal, ValidationFailed
from grants.funds.models import Round
from grants.organisations.models import Organisation
from grants.records.operations.audit import record_event

logger = logging.getLogger(__name__)

NOBODY_CHOSEN = "Choose the organisations to invite"
NOT_A_RECIPIENT = "Choose organisations from the list: each must have a published award"


@dataclass(frozen=True)
class Recipient:
    """An organisation with public awards in the ceremony's year: how many and how much."""

    organisation: Organisation
    awards: int
    amount_pence: int
    invited: bool


def recipients(session: Session, ceremony: Ceremony) -> list[Recipient]:
    """Every organisation with a public award the ceremony celebrates, by name, whether it has
    been invited yet: two queries."""
    rows = session.execute(
        select(Organisation, func.count(Award.id), func.sum(Award.amount_pence))
        .join(Award, Award.organisation_id == Organisation.id)
        .join(Round, Round.id == Award.round_id)
        .where(publicity.public_awards(), *recipients_in(ceremony))
        .group_by(Organisation.id).order_by(Organisation.name, Organisation.id)).all()
    invited = set(session.scalars(select(CeremonyInvitation.organisation_id).where(
        CeremonyInvitation.ceremony_id == ceremony.id,
        CeremonyInvitation.cancelled_at.is_(None))))
    return [Recipient(organisation, count, amount or 0, organisation.id in invited)
            for organisation, count, amount in rows]


def _start_again(invitation: CeremonyInvitation) -> None:
    """A cancelled invitation made new: no reply, not cancelled."""
    invitation.cancelled_at = invitation.cancelled_by_id = None
    invitation.attending = invitation.guests = invitation.photo_consent = None
    invitation.guest_names = invitation.access_needs = ""
    invitation.replied_at = invitation.replied_by_id = None
    invitation.replied_by_phone = False


def send_invitations(session: Session, user: User, ceremony: Ceremony,
                     organisation_ids: Iterable[int]) -> list[CeremonyInvitation]:
    """Invite the chosen recipients not yet invited, and queue each one's email to its
    contact; audited. An organisation already invited is not invited (nor emailed) again."""
    Refusal.raise_if(why_not_open(ceremony))
    chosen = set(organisation_ids)
    if not chosen:
        raise ValidationFailed({"organisations": NOBODY_CHOSEN})
    may_invite = {recipient.organisation.id: recipient
                  for recipient in recipients(session, ceremony)}
    if not chosen <= may_invite.keys():
        raise ValidationFailed({"organisations": NOT_A_RECIPIENT})
    now = clock.utcnow()
    # Invitations staff cancelled, which inviting the organisation again brings back.
    cancelled = {invitation.organisation_id: invitation for invitation in session.scalars(
        select(CeremonyInvitation).where(CeremonyInvitation.ceremony_id == ceremony.id,
                                         CeremonyInvitation.cancelled_at.is_not(None)))}
    sent: list[CeremonyInvitation] = []
    for organisation_id in sorted(chosen):
        recipient = may_invite[organisation_id]
        if recipient.invited:
            continue
        organisation = recipient.organisation
        invitation = cancelled.get(organisation_id)
        if invitation is None:
            invitation = CeremonyInvitation(ceremony=ceremony, organisation=organisation)
            session.add(invitation)
        else:
            _start_again(invitation)
        invitation.invited_by_id = user.id
        invitation.invited_at = now
        invitation.sent_to = (organisation.contact_email or "").strip()
        session.flush()
        notifications.invited(session, invitation, again=organisation_id in cancelled)
        sent.append(invitation)
    if sent:
        record_event(session, actor_id=user.id, action="ceremony.invitations_sent",
                     entity_type="ceremony", entity_id=ceremony.id,
                     after={"organisation_ids": [i.organisation_id for i in sent],
                            "emailed": sum(1 for i in sent if i.sent_to)})
    logger.info("ceremony %s: %d invitations sent", ceremony.id, len(sent))
    return sent
