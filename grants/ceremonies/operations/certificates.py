"""Certificates: one for each public award, naming the organisation, the award, the fund and
the Commissioner.

A certificate belongs to the award, not to an invitation: it says nothing of the ceremony, so
its recipient downloads it once the award is published (the one publicity rule), whether or
not they were invited, and cancelling an invitation leaves it. The invitation page lists the
certificates of the awards its ceremony celebrates, for convenience."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.awards.models import Award
from grants.awards.operations import publicity
from grants.ceremonies.models import CeremonyInvitation
from grants.ceremonies.operations.planning import recipients_in
from grants.core.errors import or_not_found
from grants.funds.models import Round
from grants.offices.operations.speaking import OfficeFacts
from grants.opendata.operations.threesixty import award_title

NOT_FOUND = "There is no such certificate"


@dataclass(frozen=True)
class Certificate:
    organisation: str
    amount_pence: int
    purpose: str
    fund: str
    financial_year: str
    awarded_on: object


def _public_awards():
    return (select(Award).join(Round, Round.id == Award.round_id)
            .where(publicity.public_awards())
            .options(joinedload(Award.round).joinedload(Round.fund),
                     joinedload(Award.organisation), joinedload(Award.application)))


def certificate_awards(session: Session, invitation: CeremonyInvitation) -> list[Award]:
    """The invited organisation's public awards the ceremony celebrates: one query."""
    return list(session.scalars(
        _public_awards().where(Award.organisation_id == invitation.organisation_id,
                               *recipients_in(invitation.ceremony))
        .order_by(Award.awarded_on, Award.id)))


def certified_award(session: Session, award_id: int) -> Award:
    """The award a certificate may be drawn for: a public one; NotFound for any other (not
    yet published, declined, withdrawn, or none)."""
    return or_not_found(session.scalars(_public_awards().where(Award.id == award_id)).first(),
                        NOT_FOUND)


def certificate_of(award: Award) -> Certificate:
    """What the certificate of a public award says."""
    return Certificate(organisation=award.organisation.name, amount_pence=award.amount_pence,
                       purpose=award_title(award), fund=award.round.fund.name,
                       financial_year=award.round.financial_year,
                       awarded_on=award.awarded_on)


def certificate_file_name(award: Award, office: OfficeFacts) -> str:
    year = award.round.financial_year.replace("/", "-")
    return f"{office.file_prefix}-certificate-{year}-{award.id}.pdf"
