"""The one rule of publication: what outsiders may know of an award, and when.

An award is public once its round's decisions are published, whatever kind of round it
comes from (open, nomination or allocation), and while it is made (offered, accepted, paid or
closed): never before publication, never once declined or withdrawn. Imported rounds arrive
with their decisions published, so their awards are public as made. A direct award is public
once signed off: its round (the fund's direct awards of the year) publishes each award as it
is signed off (`publish_as_signed_off`), and the award is proposed, so private, until then.

Each rule is here twice, side by side: a Python predicate for one record, and the same rule
as an SQL condition for queries. The public register, the 360Giving export, the reports, the
applicant's and the recipient's pages and the High Sheriff's all ask here;
tests/awards/test_publicity.py checks that no other module decides it again.
"""

import functools
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from grants.awards.models import MADE_STATUSES, Award, AwardStatus
from grants.core import clock
from grants.funds.models import Round
from grants.records.operations.audit import record_event

NOT_YET_PUBLISHED = "Not yet published"


def decisions_published(round_: Round) -> bool:
    """The round's decisions have been published: applicants, recipients and High Sheriffs
    may now be told their outcome."""
    return round_.decisions_published_at is not None


# What a round must have loaded for `decisions_published` to answer (for a query that loads
# only some of a round's columns).
PUBLICATION_COLUMNS = (Round.decisions_published_at,)


def published_rounds(rounds: Any = Round) -> Any:
    """SQL: the rounds whose decisions have been published (a condition on Round, or on the
    alias of it given)."""
    return rounds.decisions_published_at.is_not(None)


@functools.cache
def _rounds_alias(purpose: str) -> Any:
    """An alias of rounds for one of the conditions below, so that a query over rounds that
    uses the condition does not correlate it; made once, as a new alias costs more than
    building the query that uses it (half a millisecond, and pages ask several times)."""
    return aliased(Round, name=f"{purpose}_round")


def _published_round_ids() -> Any:
    rounds = _rounds_alias("published")
    return select(rounds.id).where(published_rounds(rounds))


def is_public(award: Award) -> bool:
    """Anyone may see the award: its round's decisions are published and it is made."""
    return award.status in MADE_STATUSES and decisions_published(award.round)


def public_awards() -> Any:
    """SQL: the awards anyone may see (a condition on Award), the twin of `is_public`. The
    round is found by the award's round id, so a query needs no join to use it."""
    return and_(Award.status.in_(MADE_STATUSES), Award.round_id.in_(_published_round_ids()))


def published_moment() -> Any:
    """SQL: when a public award was published (a value on Award): when it was offered, as its
    round's decisions were published or (a direct award) it was signed off; an award stamped
    with no offer (imported long ago) takes its round's publication. The monthly files count
    awards by it."""
    rounds = _rounds_alias("publishing")
    round_published = (select(rounds.decisions_published_at)
                       .where(rounds.id == Award.round_id).scalar_subquery())
    return func.coalesce(Award.offered_at, round_published)


def recipient_told(award: Award) -> bool:
    """The recipient has been told of the award (its offer page is theirs to see, with what
    became of it since: accepted, paid, declined or withdrawn): it was offered and its round's
    decisions are published."""
    return award.offered_at is not None and decisions_published(award.round)


def told_recipients() -> Any:
    """SQL: the awards whose recipient has been told (a condition on Award), the twin of
    `recipient_told`."""
    return and_(Award.offered_at.is_not(None), Award.round_id.in_(_published_round_ids()))


def publish_as_signed_off(round_: Round, now) -> None:
    """A fund's direct awards round has its decisions published from the day it is made: each
    of its awards stays proposed, so private, until a second member of staff signs it off and
    it is offered (`offer_at_publication`), which makes it public."""
    round_.decided_at = now
    round_.decisions_published_at = now


def offer_at_publication(session, user, award: Award, now, *,
                         note: str = "Offered when the round's decisions were published",
                         **told) -> None:
    """A proposed award becomes an offer as its round's decisions are published (a direct
    award's, as it is signed off): stamped, and audited with `told` (what else the audit
    should say of it)."""
    award.status = AwardStatus.OFFERED
    award.offered_at = now
    award.awarded_on = award.awarded_on or clock.to_london(now).date()
    session.flush()
    record_event(session, actor_id=user.id, action="award.offered", entity_type="award",
                 entity_id=award.id, before={"status": AwardStatus.PROPOSED.value},
                 after={"status": award.status.value, "source": award.source.value,
                        "amount_pence": award.amount_pence, **told},
                 note=note)
