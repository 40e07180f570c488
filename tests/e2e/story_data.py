"""Data the applicant-only browser runs start from: a PPAF round open to registered charities,
and the local authority an organisation can choose."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from grants.funds.models import RoundOrganisationType
from grants.organisations.models import OrganisationType
from tests.fixtures.factories import (
    CountyFactory,
    KeyAimFactory,
    LocalAuthorityFactory,
    PriorityFactory,
    RoundFactory,
)

ROUND_TITLE = "PPAF 2026/27 Round 2"
AREA = "Reading Borough Council"


@dataclass(frozen=True)
class OpenRound:
    title: str
    project_start: date


def open_round() -> OpenRound:
    """An open round on one priority, for registered charities; call `save()` after."""
    now = datetime.now(UTC)
    priority = PriorityFactory(code="P1", number=1, title="Vulnerability")
    key_aim = KeyAimFactory(priority=priority, number=1,
                            text="Better identification of hidden abuse.")
    round_ = RoundFactory(
        code="PPAF-2026-2", title=ROUND_TITLE, opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=28), launched_at=now - timedelta(days=20),
        min_award_pence=100_000, max_award_pence=1_000_000,
        guidance="Projects that keep vulnerable people safe.")
    round_.priorities.append(priority)
    round_.key_aims.append(key_aim)
    round_.organisation_type_rows = [
        RoundOrganisationType(organisation_type=OrganisationType.REGISTERED_CHARITY)]
    LocalAuthorityFactory(name="Reading", gss_code="E06000038",
                          official_name="Reading Borough Council",
                          county=CountyFactory(name="Berkshire"))
    return OpenRound(title=ROUND_TITLE,
                     project_start=(round_.closes_at + timedelta(days=30)).date())
