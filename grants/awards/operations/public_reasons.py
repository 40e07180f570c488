"""The reason for an award, written for publication: one rule for every kind of award.

The Elected Local Policing Bodies (Specified Information) Order 2011 asks a Police and Crime
Commissioner to publish each grant with its purpose, its conditions and the reason for it. Staff
write the reason in plain words when they decide the award (an open round's decision, a
nomination's approval, an allocation's confirmation or top-slice award, a direct award), and the
second member of staff who signs the decisions off sees each reason and approves it with them.
An award without one is not published: sign-off and publishing refuse, naming it.

Never internal notes: the decision's own reason and notes stay with staff.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from grants.awards.models import RELEASED_STATUSES, Award
from grants.core.problems import text_problem

MAX_PUBLIC_REASON = 5000
MISSING_PUBLIC_REASON = "Enter the reason for the award, as it will be published"
NOT_RECORDED = "Not recorded"
LABEL = "Reason for the award, as it will be published"
HINT = ("In plain words, for the public: it is published with the award in the register of "
        "grants and the open data. No internal notes or personal details")


def public_reason_problem(text: str) -> str | None:
    """Why the (trimmed) reason will not do, or None: every form that asks for it asks here."""
    return text_problem((text or "").strip(), MISSING_PUBLIC_REASON, MAX_PUBLIC_REASON,
                        "The reason for the award")


@dataclass(frozen=True)
class PublicReason:
    """One award's reason as the person signing off sees it."""

    award_id: int
    named: str  # the application's reference and organisation, or the organisation
    amount_pence: int
    reason: str


def _named(award: Award) -> str:
    organisation = award.organisation.name
    if award.application is not None and award.application.reference:
        return f"{award.application.reference} ({organisation})"
    return organisation


def round_public_reasons(session: Session, round_id: int) -> list[PublicReason]:
    """The reason for each award of the round that holds money, for the sign-off to approve:
    a fixed number of queries however many awards."""
    awards = session.scalars(
        select(Award).where(Award.round_id == round_id, Award.status.not_in(RELEASED_STATUSES))
        .options(joinedload(Award.organisation), joinedload(Award.application))
        .order_by(Award.id)).all()
    rows = [PublicReason(award_id=award.id, named=_named(award),
                         amount_pence=award.amount_pence, reason=award.public_reason)
            for award in awards]
    return sorted(rows, key=lambda row: row.named)


def missing_public_reasons(reasons: list[PublicReason]) -> list[str]:
    """What stops the awards being published for want of a reason: one message naming them
    all (empty when every award has one)."""
    missing = [row.named for row in reasons if not row.reason.strip()]
    if not missing:
        return []
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                      else "")
    verb = "has" if len(missing) == 1 else "have"
    return [f"{shown} {verb} no reason for the award written for publication: an award "
            "cannot be published without one. Add it where the award was decided"]
