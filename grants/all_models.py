"""Imports every model so that the metadata (and Alembic) sees every table."""

from grants.accounts.models import Role, SignedInSession, User, UserRole
from grants.allocations.models import AllocationFactor, AllocationInput, AllocationRecipient
from grants.applications.models import (
    Application,
    ApplicationSection,
    BudgetLine,
    Document,
    QuestionAnswer,
    ReferenceCounter,
)
from grants.areas.models import CommunitySafetyPartnership, County, LocalAuthority
from grants.assessment.models import (
    ApplicationScore,
    Clarification,
    CriterionScore,
    EligibilityAnswer,
    InternalNote,
    Moderation,
    Review,
    ReviewAssignment,
    ScreeningDecision,
)
from grants.awards.models import (
    Award,
    BankDetails,
    Payment,
)
from grants.ceremonies.models import Ceremony, CeremonyInvitation
from grants.core.data_version import data_version
from grants.decisions.models import DeciderDeclaration, Decision
from grants.direct_awards.models import DirectAward, OnwardGrant
from grants.documents.models import OrganisationDocument
from grants.funds.models import (
    CheckQuestion,
    CountyAllocation,
    EligibilityQuestion,
    Fund,
    QuestionSection,
    Round,
    RoundOrganisationType,
    RoundQuestion,
    ScoringCriterion,
)
from grants.interest.models import Interest, InterestAnswer
from grants.ledger.models import MoneyPaidIn
from grants.monitoring.models import (
    MonitoringDocument,
    MonitoringProject,
    MonitoringReport,
    Repayment,
    Variation,
)
from grants.nominations.models import Nomination
from grants.offices.models import Office
from grants.opendata.models import MonthlyPublication
from grants.organisations.models import Membership, MembershipInvitation, Organisation
from grants.plans.models import KeyAim, Plan, Priority
from grants.records.models import AuditEvent, OutboxMessage

__all__ = [
    "data_version",
    "Interest",
    "InterestAnswer",
    "QuestionAnswer",
    "QuestionSection",
    "RoundQuestion",
    "ApplicationScore",
    "AllocationFactor",
    "AllocationInput",
    "AllocationRecipient",
    "MonitoringProject",
    "Nomination",
    "Office",
    "MonitoringDocument",
    "OrganisationDocument",
    "MonitoringReport",
    "Repayment",
    "Variation",
    "BankDetails",
    "Ceremony",
    "CheckQuestion",
    "CeremonyInvitation",
    "DeciderDeclaration",
    "Decision",
    "DirectAward",
    "OnwardGrant",
    "Payment",
    "Clarification",
    "CriterionScore",
    "EligibilityAnswer",
    "InternalNote",
    "Moderation",
    "Review",
    "ReviewAssignment",
    "ScreeningDecision",
    "Application",
    "ApplicationSection",
    "AuditEvent",
    "Award",
    "BudgetLine",
    "CommunitySafetyPartnership",
    "County",
    "CountyAllocation",
    "Document",
    "EligibilityQuestion",
    "Fund",
    "KeyAim",
    "LocalAuthority",
    "Membership",
    "MembershipInvitation",
    "MoneyPaidIn",
    "MonthlyPublication",
    "Organisation",
    "OutboxMessage",
    "Plan",
    "Priority",
    "ReferenceCounter",
    "Role",
    "Round",
    "RoundOrganisationType",
    "ScoringCriterion",
    "SignedInSession",
    "User",
    "UserRole",
]
