"""Every mapped model is decided: one office's (office-owned, so every query of an office's staff
is scoped by its criteria: grants.offices.operations.scoping), or named below as not, with the
reason. A new model fails here until it is one or the other."""

from typing import NamedTuple

import pytest
from sqlalchemy import inspect, select

import grants.all_models as all_models
from grants.accounts.models import Role, SignedInSession, UserRole
from grants.all_models import (
    AllocationFactor,
    AllocationInput,
    ApplicationScore,
    ApplicationSection,
    BudgetLine,
    Clarification,
    CountyAllocation,
    CriterionScore,
    DeciderDeclaration,
    Decision,
    EligibilityAnswer,
    EligibilityQuestion,
    InterestAnswer,
    InternalNote,
    Membership,
    MembershipInvitation,
    Moderation,
    MonitoringProject,
    MonthlyPublication,
    Organisation,
    OrganisationDocument,
    OutboxMessage,
    QuestionAnswer,
    ReferenceCounter,
    RoundOrganisationType,
    ScoringCriterion,
    ScreeningDecision,
)
from grants.applications.models import Document, DocumentKind
from grants.db import Base
from grants.funds.models import CheckQuestion, QuestionKind, QuestionSection, RoundQuestion
from grants.monitoring.models import MonitoringDocument, MonitoringReport, ReportKind
from grants.offices.models import OfficeOwned
from grants.offices.operations.owning import kind_of
from grants.offices.operations.scoping import end_office_scope, scope_to_office
from tests.fixtures.factories import (
    ApplicationFactory,
    AwardFactory,
    FundFactory,
    OfficeFactory,
    RoundFactory,
    UserFactory,
)


class EveryOffices(NamedTuple):
    """Records every office shares: no office's alone, so no office's criteria."""

    reason: str


class UnderParent(NamedTuple):
    """One office's records, each reached only under its parent (by `column`, never null), whose
    own criteria scope it: a page finds the parent first, and no address names the record by
    its own id. Were one ever reached by its id, make it office-owned (as `Document`)."""

    column: str
    reason: str = "read only through its parent, which a page finds (scoped) first"


# The models that are not office-owned, each with why. The one list to keep: a model is either
# office-owned or here.
NOT_OFFICE_OWNED: dict[type, EveryOffices | UnderParent] = {
    Organisation: EveryOffices("A charity's record is the service's: it applies to the rounds "
                               "of any office (issue 25, point 2), and is found by any."),
    Membership: EveryOffices("Who belongs to an organisation: the organisation's, as it is."),
    MembershipInvitation: EveryOffices("An invitation to join an organisation: the "
                                       "organisation's."),
    OrganisationDocument: EveryOffices("An organisation's kept documents, offered to its "
                                       "applications to any office."),
    UserRole: EveryOffices("A person's roles, read as they sign in, before any scope; each "
                           "staff-side row names its office itself, which `User`'s criteria "
                           "read."),
    SignedInSession: EveryOffices("A person's signed-in sessions, read as each request starts, "
                                  "before any scope: the person's, not an office's."),
    # Not yet decided: a person's data export (records.export_person, shared) lists every email
    # sent to them, whichever office's it was. An email's office is to come with point 2.
    OutboxMessage: EveryOffices("Emails waiting to be sent: read by the sending command, and "
                                "by a person's data export; listed on no office's page."),
    MonthlyPublication: EveryOffices("The service's monthly 360Giving file, public to anyone; "
                                     "each office's own files are issue 25's point 3."),
    AllocationFactor: UnderParent("round_id"),
    AllocationInput: UnderParent("recipient_id"),
    ApplicationScore: UnderParent("application_id", "kept by the application's id, read "
                                  "through its application"),
    ApplicationSection: UnderParent("application_id"),
    BudgetLine: UnderParent("application_id"),
    Clarification: UnderParent("application_id", "found by its id and its application's "
                               "together, the application found (scoped) first"),
    CountyAllocation: UnderParent("round_id"),
    CriterionScore: UnderParent("review_id"),
    DeciderDeclaration: UnderParent("application_id"),
    Decision: UnderParent("application_id"),
    EligibilityAnswer: UnderParent("application_id"),
    EligibilityQuestion: UnderParent("round_id"),
    InterestAnswer: UnderParent("interest_id"),
    InternalNote: UnderParent("application_id"),
    Moderation: UnderParent("application_id"),
    MonitoringProject: UnderParent("report_id"),
    QuestionAnswer: UnderParent("application_id"),
    ReferenceCounter: UnderParent("round_id"),
    RoundOrganisationType: UnderParent("round_id"),
    ScoringCriterion: UnderParent("round_id"),
    ScreeningDecision: UnderParent("application_id"),
}


def _models() -> list[type]:
    return sorted((mapper.class_ for mapper in Base.registry.mappers), key=lambda m: m.__name__)


def _has_criteria(model: type) -> bool:
    """An office column of its own, or criteria of its own (through its parent)."""
    own = model.office_criteria.__func__ is not OfficeOwned.office_criteria.__func__
    return own or "office_id" in inspect(model).columns


def test_every_mapped_model_is_office_owned_with_criteria_or_named_as_not():
    undecided = [model.__name__ for model in _models()
                 if not issubclass(model, OfficeOwned) and model not in NOT_OFFICE_OWNED]
    both = [model.__name__ for model in NOT_OFFICE_OWNED if issubclass(model, OfficeOwned)]
    without_criteria = [model.__name__ for model in _models()
                        if issubclass(model, OfficeOwned) and not _has_criteria(model)]

    assert undecided == [], ("make these office-owned, or name them in NOT_OFFICE_OWNED with "
                             "the reason")
    assert both == [], "office-owned now: take these out of NOT_OFFICE_OWNED"
    assert without_criteria == []


def test_every_mapped_model_is_imported_by_all_models():
    assert {model.__name__ for model in _models()} <= set(all_models.__all__)


def test_a_record_under_its_parent_hangs_by_a_required_key_from_an_office_owned_one():
    def reaches_an_office(model: type, seen: tuple = ()) -> bool:
        if issubclass(model, OfficeOwned):
            return True
        decision = NOT_OFFICE_OWNED.get(model)
        if not isinstance(decision, UnderParent) or model in seen:
            return False
        column = inspect(model).columns[decision.column]
        (key,) = column.foreign_keys
        parent = next(m.class_ for m in Base.registry.mappers
                      if m.local_table is key.column.table)
        return not column.nullable and reaches_an_office(parent, (*seen, model))

    assert [model.__name__ for model, decision in NOT_OFFICE_OWNED.items()
            if isinstance(decision, UnderParent) and not reaches_an_office(model)] == []


def test_no_address_names_a_record_reached_only_under_its_parent(app):
    arguments = {name for rule in app.url_map.iter_rules() for name in rule.arguments}

    assert sorted(f"{kind_of(model)}_id" for model, decision in NOT_OFFICE_OWNED.items()
                  if isinstance(decision, UnderParent)
                  and f"{kind_of(model)}_id" in arguments) == []


@pytest.mark.parametrize("model", [m for m in _models() if issubclass(m, OfficeOwned)],
                         ids=lambda m: m.__name__)
def test_every_office_owned_models_criteria_run_in_a_scoped_session(db_session, model):
    scope_to_office(db_session, OfficeFactory().id)
    try:
        db_session.scalars(select(model).limit(1)).all()
    finally:
        end_office_scope(db_session)


def test_another_offices_staff_read_none_of_an_offices_records_named_by_their_own_id(
        db_session):
    """Documents, monitoring documents, a round's question sections, questions and check
    questions: each reached by its own id in an address, so each scoped itself."""
    first, second = OfficeFactory(), OfficeFactory(slug="dyfed-powys")
    round_ = RoundFactory(fund=FundFactory(office=first))
    application = ApplicationFactory(round=round_)
    award = AwardFactory(round=round_, application=application,
                         organisation=application.organisation)
    report = MonitoringReport(award_id=award.id, kind=list(ReportKind)[0],
                              due_on=round_.closes_at.date())
    section = QuestionSection(round_id=round_.id, position=1, title="About you")
    db_session.add_all([report, section])
    db_session.flush()
    stored = {"original_filename": "a.pdf", "content_type": "application/pdf",
              "size_bytes": 1, "sha256": "0" * 64}
    records = [
        Document(application_id=application.id, kind=list(DocumentKind)[0],
                 storage_key="first-office-document", **stored),
        MonitoringDocument(report_id=report.id, storage_key="first-office-report", **stored),
        section,
        RoundQuestion(section_id=section.id, position=1, kind=QuestionKind.SHORT_TEXT,
                      wording="Who are you?"),
        CheckQuestion(round_id=round_.id, position=1, text="Are you a charity?"),
    ]
    db_session.add_all(records)
    db_session.flush()
    named = [(type(record), record.id) for record in records]
    second_id = second.id
    UserFactory(roles=[Role.STAFF], roles__office=second)
    db_session.expunge_all()

    scope_to_office(db_session, second_id)
    try:
        read = [(model.__name__, db_session.get(model, record_id),
                 db_session.scalars(select(model.id)).all()) for model, record_id in named]
    finally:
        end_office_scope(db_session)

    assert read == [(model.__name__, None, []) for model, _ in named]
    assert all(db_session.get(model, record_id) is not None for model, record_id in named)
