"""Certificates: one for each public award an invited organisation received in the ceremony's
year (and fund), naming the organisation, the award, the fund and the Commissioner."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.awards.models import Award
from grants.awards.operations import publicity
from grants.ceremonies.models import CeremonyInvitation
from grants.ceremonies.operations.planning import recipients_in
from grants.core.errors import or_not_found
from grants.funds.models import Round
from grants.opendata.operations.threesixty import award_title


@dataclass(frozen=True)
class Certificate:
    organisation: str
    amount_pence: int
    purpose: str
    fund: str
    financial_year: str
    awarded_on: object


def _awards_query(invitation: CeremonyInvitation):
    return (select(Award).join(Round, Round.id == Award.round_id)
            .where(Award.organisation_id == invitation.organisation_id,
                   publicity.public_awards(), *recipients_in(invitation.ceremony))
            .options(joinedload(Award.round).joinedload(Round.fund),
                     joinedload(Award.organisation), joinedload(Award.application))
            .order_by(Award.awarded_on, Award.id))


def certificate_awards(session: Session, invitation: CeremonyInvitation) -> list[Award]:
    """The invited organisation's public awards the ceremony celebrates: one query."""
    return list(session.scalars(_awards_query(invitation)))


def certificate_for(session: Session, invitation: CeremonyInvitation,
                    award_id: int) -> Certificate:
    """The certificate of one of those awards; NotFound for any other award (another
    organisation's, another year's, or one not public)."""
    award = session.scalars(_awards_query(invitation).where(Award.id == award_id)).first()
    award = or_not_found(award, "There is no such certificate")
    return Certificate(organisation=award.organisation.name, amount_pence=award.amount_pence,
                       purpose=award_title(award), fund=award.round.fund.name,
                       financial_year=award.round.financial_year,
                       awarded_on=award.awarded_on)


def certificate_file_name(invitation: CeremonyInvitation, award_id: int) -> str:
    year = invitation.ceremony.financial_year.replace("/", "-")
    return f"TVOPCC-certificate-{year}-{award_id}.pdf"
