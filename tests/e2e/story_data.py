"""Data the applicant-only browser runs start from: a PPAF round open to registered charities,
and the local authority an organisation can choose."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from grants.funds.models import QuestionKind, QuestionSection, RoundOrganisationType, RoundQuestion
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
# The round's own section of questions (`open_round(own_questions=True)`), after the outcomes.
OWN_SECTION = "Safeguarding"
WORKS_WITH_CHILDREN = "Does your organisation work with children?"
POLICIES = "Which of these policies has your board approved?"
POLICY_CHOICES = ["Safeguarding", "Data protection", "Equality and diversity"]


@dataclass(frozen=True)
class OpenRound:
    title: str
    project_start: date


def open_round(*, own_questions: bool = False) -> OpenRound:
    """An open round on one priority, for registered charities; call `save()` after.
    `own_questions`: with a section of its own questions (OWN_SECTION), a yes or no and a
    choice of several, as staff add them (tests/e2e/test_round_questions.py)."""
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
    if own_questions:
        round_.question_sections.append(QuestionSection(position=1, title=OWN_SECTION, questions=[
            RoundQuestion(position=1, kind=QuestionKind.YES_NO, wording=WORKS_WITH_CHILDREN),
            RoundQuestion(position=2, kind=QuestionKind.SEVERAL_CHOICES, wording=POLICIES,
                          choices=POLICY_CHOICES)]))
    LocalAuthorityFactory(name="Reading", gss_code="E06000038",
                          official_name="Reading Borough Council",
                          county=CountyFactory(name="Berkshire"))
    return OpenRound(title=ROUND_TITLE,
                     project_start=(round_.closes_at + timedelta(days=30)).date())
