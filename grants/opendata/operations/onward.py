"""A Community Foundation's onward grants as 360Giving grants, with the foundation as their
funder, as the standard describes regranting: the fund's grant to the foundation is marked as a
Common Regrant (`threesixty.REGRANT_COMMON`), and the grants the foundation made from it are
the foundation's, published on request (`flask export-360giving --include-onward`)."""

import logging
from typing import Any

from grants.core.money import pounds_number
from grants.direct_awards.models import OnwardGrant
from grants.opendata.operations.threesixty import Publisher, recipient_org_id, served

logger = logging.getLogger(__name__)


def onward_identifier(grant: OnwardGrant, prefix: str) -> str:
    """The foundation's own identifier, from its file; else one of the service's, beneath the
    allocation's ("<prefix>-PPAF-DIRECT-2026-A12-O3")."""
    if grant.identifier:
        return grant.identifier
    award = grant.award
    return f"{prefix}-{award.round.code}-A{award.id}-O{grant.id}"


def onward_to_grant(grant: OnwardGrant, publisher: Publisher) -> dict[str, Any]:
    """One onward grant as a 360Giving grant, funded by the foundation."""
    award = grant.award
    foundation = award.organisation
    fund = award.round.fund
    recipient = {"id": grant.recipient_org_id or f"{publisher.prefix}-onward-org-{grant.id}",
                 "name": grant.recipient_name}
    made = {
        "id": onward_identifier(grant, publisher.prefix),
        "title": grant.title or f"Grant to {grant.recipient_name}",
        "description": (f"A grant {foundation.name} made from the {fund.name}'s allocation to "
                        f"it: {award.title}"),
        "currency": "GBP",
        "amountAwarded": pounds_number(grant.amount_pence),
        "awardDate": grant.awarded_on.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [{"id": recipient_org_id(foundation, publisher.prefix),
                                 "name": foundation.name}],
        "grantProgramme": [{"code": f"{award.round.code}-A{award.id}",
                            "title": f"{fund.name} through {foundation.name}"}],
    }
    whole = grant.serves_whole_thames_valley
    made.update(served(whole, () if whole else grant.areas, grant.priority,
                       [grant.key_aim] if grant.key_aim is not None else [],
                       area_name=publisher.area_name))
    return made
