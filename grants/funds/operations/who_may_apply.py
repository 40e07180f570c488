"""Who may apply to a round: the one rule every page and check asks, so the application's start
page, the round's public page and its "Check if you can apply" never disagree."""

from grants.funds.models import Round
from grants.organisations.models import OrganisationType

_TYPE_ORDER = {member: position for position, member in enumerate(OrganisationType)}


def may_apply_as(round_: Round, kind: OrganisationType) -> bool:
    """Whether an organisation of this type may apply to the round: a type staff chose."""
    return kind in round_.organisation_types


def types_that_may_apply(round_: Round) -> list[OrganisationType]:
    """The types of organisation that may apply to the round, in the usual order."""
    return sorted(round_.organisation_types, key=_TYPE_ORDER.__getitem__)


def types_text(kinds: list[OrganisationType]) -> str:
    """Types as a sentence lists them: "registered charity, constituted community group"."""
    return ", ".join(kind.label.lower() for kind in kinds)
