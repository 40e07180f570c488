"""What the audit log keeps of funds and rounds: their fields as snapshots."""

from datetime import datetime
from typing import Any

from grants.funds.models import Round


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def round_snapshot(round_: Round) -> dict[str, Any]:
    """A round's own fields as the audit log keeps them."""
    return {
        "code": round_.code, "title": round_.title, "kind": round_.kind.value,
        "opens_at": iso(round_.opens_at), "closes_at": iso(round_.closes_at),
        "financial_year": round_.financial_year,
        "budget_pence": round_.budget_pence, "min_award_pence": round_.min_award_pence,
        "max_award_pence": round_.max_award_pence, "guidance": round_.guidance,
        "launched_at": iso(round_.launched_at), "assessing_at": iso(round_.assessing_at),
        "decided_at": iso(round_.decided_at), "archived_at": iso(round_.archived_at),
    }


def setup_snapshot(round_: Round) -> dict[str, Any]:
    """What a round funds, whom for, and its allocations, as the audit log keeps them."""
    return {
        "priorities": sorted(p.code for p in round_.priorities),
        "key_aims": sorted(aim.code for aim in round_.key_aims),
        "organisation_types": sorted(t.value for t in round_.organisation_types),
        "county_allocations": {a.county.name: a.amount_pence
                               for a in round_.county_allocations},
    }
