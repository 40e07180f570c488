"""One record of every kind, for the access matrix: two organisations (A with a draft, a
submitted application under review and a paid award; B with its own member), a round of each
kind, a nomination in Berkshire, an allocation round, a plan, and a person of every kind.

Every URL argument of every route is filled from `World.url_values`, so each route is asked
about organisation A's record (or Berkshire's): the people who may see it get it, and
organisation B's member, someone who only asked to join A, and Oxfordshire's High Sheriff are
told it does not exist.
"""

import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from grants.accounts.models import Role, User
from grants.accounts.operations import tokens
from grants.allocations.models import AllocationFactor, AllocationInput, AllocationRecipient
from grants.applications.models import ApplicationStatus, Document, DocumentKind
from grants.assessment.models import (
    Clarification,
    ConflictStatus,
    CriterionScore,
    Recommendation,
    Review,
    ReviewAssignment,
)
from grants.assessment.operations import kept_scores
from grants.awards.models import (
    AwardSource,
    AwardStatus,
    BankDetails,
    Payment,
    PaymentStatus,
)
from grants.ceremonies.operations.inviting import send_invitations
from grants.ceremonies.operations.planning import CeremonyEntry, create_ceremony
from grants.ceremonies.operations.replying import Reply, reply
from grants.core import clock
from grants.decisions.models import Decision, DecisionOutcome
from grants.direct_awards.models import DecisionMaker, DirectAwardKind
from grants.direct_awards.operations.onward import OnwardGrantEntry, add_onward_grant
from grants.direct_awards.operations.recording import DirectAwardEntry, record_direct_award
from grants.direct_awards.operations.signing_off import sign_off_direct_award
from grants.documents.models import OrganisationDocument
from grants.documents.operations.storage import storage_for
from grants.extensions import db
from grants.funds.models import (
    CheckQuestion,
    CountyAllocation,
    EligibilityQuestion,
    QuestionKind,
    QuestionSection,
    RoundKind,
    RoundOrganisationType,
    RoundQuestion,
    ScoringCriterion,
)
from grants.interest.models import Interest, InterestStatus
from grants.monitoring.models import MonitoringDocument, MonitoringReport, ReportKind, ReportStatus
from grants.nominations.models import Nomination, NominationStatus
from grants.opendata.models import MonthlyPublication
from grants.organisations.models import MembershipInvitation, MembershipStatus, OrganisationType
from grants.organisations.notifications import make_claim_token
from grants.organisations.operations import invitations
from grants.records.operations.audit import record_event
from tests.access.second_office import build_second_office
from tests.access.table import USER_KINDS
from tests.fixtures.factories import (
    ApplicationFactory,
    AwardFactory,
    CountyFactory,
    FundFactory,
    KeyAimFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanFactory,
    PriorityFactory,
    RoundFactory,
    UserFactory,
    account_settings,
)
from tests.fixtures.vacuum import analyse_module_data

# Friday 15 January 2027, 10:00 GMT: financial year 2026/27, the High Sheriffs' term year 2026.
NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
TERM_YEAR = 2026
# The link of organisation A's invitation to someone new.
INVITATION_TOKEN = "an-invitation-to-organisation-a"
# A small PDF, enough for the document pages to send back.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    """The people and the URL arguments the matrix fills every rule with."""

    # The email each kind of user signs in with (None: not signed in).
    emails: dict[str, str | None]
    url_values: dict[str, object]
    # Arguments that differ by endpoint (or blueprint, given as "name."), e.g. which round.
    endpoint_values: dict[str, dict[str, object]] = field(default_factory=dict)
    # What a request needs beside its address for the page to answer at all: the query string
    # of a GET, the fields (beside the CSRF token) of a POST that names what it acts on.
    query_strings: dict[str, dict[str, str]] = field(default_factory=dict)
    form_fields: dict[str, dict[str, str]] = field(default_factory=dict)
    # Records nobody may reach at these addresses, by what hides them, then by endpoint: a
    # record under a different parent (another application's document, another plan's
    # priority), an offer whose round's decisions are not yet published, a draft round.
    hidden_values: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    # The same for records a POST names in its form rather than its address.
    hidden_form_fields: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # Other records the table holds for just the same, by what they are, then by endpoint.
    other_values: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    # Words only some kinds of user may read on any page: a draft's title, a review's
    # comment, a nomination's reason. Every other kind must never be shown them.
    private_text: dict[str, frozenset[str]] = field(default_factory=dict)
    # The second office's people (tests/access/second_office.py), by kind.
    second_office_emails: dict[str, str] = field(default_factory=dict)

    def hidden_endpoints(self, hidden_by: str) -> set[str]:
        return (set(self.hidden_values.get(hidden_by, {}))
                | set(self.hidden_form_fields.get(hidden_by, {})))

    def fields_for(self, endpoint: str, *, hidden_by: str | None = None) -> dict[str, str]:
        """The form fields a POST to `endpoint` sends beside its CSRF token."""
        fields = dict(self.form_fields.get(endpoint, {}))
        if hidden_by is not None:
            fields.update(self.hidden_form_fields.get(hidden_by, {}).get(endpoint, {}))
        return fields

    def values_for(self, endpoint: str, arguments: set[str], *, hidden_by: str | None = None,
                   other: str | None = None) -> dict[str, object]:
        """The value of each argument of `endpoint`, the most specific mapping winning;
        `hidden_by`: with the hidden record of `hidden_values[hidden_by]`; `other`: with the
        record of `other_values[other]`."""
        values = dict(self.url_values)
        values.update(self.endpoint_values.get(endpoint.partition(".")[0] + ".", {}))
        values.update(self.endpoint_values.get(endpoint, {}))
        if hidden_by is not None:
            values.update(self.hidden_values.get(hidden_by, {}).get(endpoint, {}))
        if other is not None:
            values.update(self.other_values[other][endpoint])
        missing = arguments - values.keys()
        if missing:
            raise AssertionError(f"no value for {sorted(missing)} of {endpoint}: add it to "
                                 "tests/access/conftest.py")
        return {name: values[name] for name in arguments}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    return NOW


@pytest.fixture(scope="module")
def built_world(app, module_connection, tmp_path_factory) -> tuple[World, Path]:
    """The world, built once for the module inside its transaction (each test runs in a
    savepoint of it), and the folder of its documents' files."""
    files = tmp_path_factory.mktemp("access-uploads")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "utcnow", lambda: NOW)
        patch.setitem(app.config, "UPLOAD_FOLDER", str(files))
        world = build_world(storage_for(app.config))
        # Every matrix runs with two offices loaded: the second's people are not the world's.
        world.second_office_emails = build_second_office()
        db.session.commit()
        analyse_module_data(module_connection)
        db.session.remove()
    return world, files


@pytest.fixture
def world(app, built_world, monkeypatch, tmp_path, fixed_clock) -> World:
    """The module's world, with a copy of its files of the test's own: a POST that removes a
    document removes its file when the request commits, though the savepoint is undone."""
    world, files = built_world
    uploads = tmp_path / "uploads"
    shutil.copytree(files, uploads)
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(uploads))
    return world


def _person(kind: str, roles, **values) -> User:
    return UserFactory(roles=roles, name=kind.replace("_", " ").title(),
                       email=f"{kind.replace('_', '.')}@example.org", **values)


def build_world(storage) -> World:
    """Build the shared records; returns the people and every URL argument's value."""
    berkshire = CountyFactory(name="Berkshire")
    oxfordshire = CountyFactory(name="Oxfordshire")
    reading = LocalAuthorityFactory(name="Reading", county=berkshire)
    oxford = LocalAuthorityFactory(name="Oxford", county=oxfordshire)

    users = {
        "anonymous": None,
        "applicant_a": _person("applicant_a", [Role.APPLICANT]),
        "applicant_b": _person("applicant_b", [Role.APPLICANT]),
        # Asked to join organisation A; no member has approved the request yet.
        "applicant_pending_a": _person("applicant_pending_a", [Role.APPLICANT]),
        "reviewer_assigned": _person("reviewer_assigned", [Role.REVIEWER]),
        "reviewer_unassigned": _person("reviewer_unassigned", [Role.REVIEWER]),
        "staff": _person("staff", [Role.STAFF]),
        "admin": _person("admin", [Role.ADMIN]),
        "sheriff_berkshire": _person("sheriff_berkshire", [Role.HIGH_SHERIFF], county=berkshire,
                                     term_year=TERM_YEAR),
        "sheriff_oxfordshire": _person("sheriff_oxfordshire", [Role.HIGH_SHERIFF],
                                       county=oxfordshire, term_year=TERM_YEAR),
    }
    assert tuple(users) == USER_KINDS
    applicant_a, staff = users["applicant_a"], users["staff"]
    # Another member of staff records the payment, so that `staff` may approve it.
    recorder = _person("payment_recorder", [Role.STAFF])
    joiner = users["applicant_pending_a"]

    org_a = OrganisationFactory(name="Organisation A", local_authority=reading,
                                organisation_type=OrganisationType.COMMUNITY_GROUP)
    org_b = OrganisationFactory(name="Organisation B", local_authority=oxford,
                                organisation_type=OrganisationType.COMMUNITY_GROUP)
    council = OrganisationFactory(name="Reading Council", local_authority=reading,
                                  organisation_type=OrganisationType.LOCAL_AUTHORITY,
                                  areas=[reading])
    MembershipFactory(user=applicant_a, organisation=org_a)
    MembershipFactory(user=users["applicant_b"], organisation=org_b)
    request_to_join = MembershipFactory(user=joiner, organisation=org_a,
                                        status=MembershipStatus.PENDING)
    # Applicant A invited someone new, who has no account yet.
    db.session.add(MembershipInvitation(
        organisation=org_a, email="someone.invited@example.org", invited_by=applicant_a,
        token_hash=invitations.hashed(INVITATION_TOKEN), expires_at=NOW + timedelta(days=14)))
    request_to_join_b = MembershipFactory(user=_person("joiner_b", [Role.APPLICANT]),
                                          organisation=org_b,
                                          status=MembershipStatus.PENDING)

    # A plan with a priority and a key aim, which every round funds, and another of each that
    # nothing uses yet (which staff may still delete).
    plan = PlanFactory(code="ACCESS-PLAN", title="Access Plan", is_current=True)
    priority = PriorityFactory(plan=plan, number=1, code="P1", title="Vulnerability")
    key_aim = KeyAimFactory(priority=priority, number=1, text="Protect the vulnerable")
    unused_priority = PriorityFactory(plan=plan, number=2, code="P2", title="Not used yet")
    unused_key_aim = KeyAimFactory(priority=priority, number=2, text="Not used yet")
    other_plan = PlanFactory(code="OTHER-PLAN", title="Another plan")
    other_priority = PriorityFactory(plan=other_plan, number=1, code="P1", title="Elsewhere")
    other_key_aim = KeyAimFactory(priority=other_priority, number=1, text="Elsewhere")

    ppaf = FundFactory(code="PPAF", name="Police Property Act Fund")
    csf = FundFactory(code="CSF", name="Community Safety Fund")

    def open_kind_round(code, **values):
        round_ = RoundFactory(fund=ppaf, code=code, title=f"Round {code}", **values)
        round_.priorities.append(priority)
        round_.key_aims.append(key_aim)
        round_.organisation_type_rows = [
            RoundOrganisationType(organisation_type=OrganisationType.COMMUNITY_GROUP)]
        round_.eligibility_questions.append(
            EligibilityQuestion(position=1, text="Is the organisation not for profit?"))
        round_.scoring_criteria.append(
            ScoringCriterion(position=1, name="Need", weight=1, max_score=5))
        round_.question_sections.append(QuestionSection(
            position=1, title="Safeguarding", questions=[
                RoundQuestion(position=1, kind=QuestionKind.YES_NO,
                              wording="Works with children?"),
                RoundQuestion(position=2, kind=QuestionKind.SHORT_TEXT,
                              wording="Who leads it?")]))
        round_.check_questions.append(CheckQuestion(
            position=1, text="Have you been operating for a year?", needed_answer=True,
            reason="it funds organisations that have been operating for a year"))
        return round_

    draft_round = open_kind_round("PPAF-2027-9")
    open_round = open_kind_round(
        "PPAF-2026-3", opens_at=NOW - timedelta(days=14), closes_at=NOW + timedelta(days=30),
        launched_at=NOW - timedelta(days=20))
    assessing_round = open_kind_round(
        "PPAF-2026-2", opens_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
        closes_at=datetime(2026, 11, 30, 12, tzinfo=UTC),
        launched_at=datetime(2026, 9, 1, 9, tzinfo=UTC),
        assessing_at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    published_round = open_kind_round(
        "PPAF-2026-1", opens_at=datetime(2026, 5, 1, 9, tzinfo=UTC),
        closes_at=datetime(2026, 6, 30, 12, tzinfo=UTC),
        launched_at=datetime(2026, 4, 1, 9, tzinfo=UTC),
        assessing_at=datetime(2026, 7, 1, 9, tzinfo=UTC),
        decided_at=datetime(2026, 8, 1, 9, tzinfo=UTC),
        decisions_published_at=datetime(2026, 8, 5, 9, tzinfo=UTC))
    nomination_round = RoundFactory(
        fund=ppaf, code="HSA-2026-1", title="High Sheriff awards 2026/27",
        kind=RoundKind.NOMINATION, opens_at=NOW - timedelta(days=7),
        closes_at=NOW + timedelta(days=21), launched_at=NOW - timedelta(days=10),
        budget_pence=2_000_000, min_award_pence=None, max_award_pence=None)
    nomination_round.priorities.append(priority)
    for county, amount in ((berkshire, 1_000_000), (oxfordshire, 500_000)):
        nomination_round.county_allocations.append(
            CountyAllocation(county_id=county.id, amount_pence=amount))
    allocation_round = RoundFactory(
        fund=csf, code="CSF-2026-1", title="CSF 2026/27 allocations", kind=RoundKind.ALLOCATION,
        budget_pence=10_000_000, min_award_pence=None, max_award_pence=None,
        opens_at=datetime(2026, 4, 1, tzinfo=UTC), closes_at=datetime(2026, 6, 30, tzinfo=UTC))
    db.session.flush()

    # Organisation A: a draft with a document in the open round, an application under review,
    # and an awarded one with a paid award, bank details, a payment waiting for approval and
    # a submitted end-of-grant report. Organisation B: a draft and an application under review.
    draft = ApplicationFactory(round=open_round, organisation=org_a, created_by=applicant_a,
                               title="Draft of A")
    draft_of_b = ApplicationFactory(round=open_round, organisation=org_b, title="Draft of B")
    draft_document = _document(storage, draft, applicant_a)
    document_of_b = _document(storage, draft_of_b, users["applicant_b"])
    # Each organisation keeps a safeguarding policy, reviewed this year.
    kept_document = _kept_document(storage, org_a, applicant_a)
    kept_document_of_b = _kept_document(storage, org_b, users["applicant_b"])
    in_review = ApplicationFactory(
        round=assessing_round, organisation=org_a, created_by=applicant_a, title="Bid of A",
        status=ApplicationStatus.IN_REVIEW, reference="PPAF-2026-2-0001", sequence=1,
        submitted_at=datetime(2026, 11, 20, 9, tzinfo=UTC), amount_requested_pence=300_000)
    in_review.areas.append(reading)
    in_review_of_b = ApplicationFactory(
        round=assessing_round, organisation=org_b, title="Bid of B",
        status=ApplicationStatus.IN_REVIEW, reference="PPAF-2026-2-0002", sequence=2,
        submitted_at=datetime(2026, 11, 21, 9, tzinfo=UTC))
    review_document = _document(storage, in_review, applicant_a)
    review_document_of_b = _document(storage, in_review_of_b, users["applicant_b"])
    clarification = Clarification(application_id=in_review.id, asked_by_id=staff.id,
                                  question="How many volunteers will help?")
    assignment = ReviewAssignment(application_id=in_review.id,
                                  reviewer_id=users["reviewer_assigned"].id,
                                  assigned_by_id=staff.id, conflict=ConflictStatus.NO_CONFLICT,
                                  declared_at=NOW - timedelta(days=5))
    # The same reviewer was assigned B's application too, and removed from it.
    removed_assignment = ReviewAssignment(
        application_id=in_review_of_b.id, reviewer_id=users["reviewer_assigned"].id,
        assigned_by_id=staff.id, conflict=ConflictStatus.CONFLICT,
        declared_at=NOW - timedelta(days=6), removed_at=NOW - timedelta(days=6),
        removal_reason="Conflict of interest")
    question_to_b = Clarification(application_id=in_review_of_b.id, asked_by_id=staff.id,
                                  question="When does your project start?")
    db.session.add_all([clarification, question_to_b, assignment, removed_assignment])
    db.session.flush()
    # The assigned reviewer's review is still a draft; another reviewer submitted theirs,
    # which the assigned reviewer may not read until they submit their own.
    other_assignment = ReviewAssignment(
        application_id=in_review.id, reviewer_id=_person("other_reviewer", [Role.REVIEWER]).id,
        assigned_by_id=staff.id, conflict=ConflictStatus.NO_CONFLICT,
        declared_at=NOW - timedelta(days=5))
    db.session.add(other_assignment)
    db.session.flush()
    review = Review(assignment_id=assignment.id, recommendation=Recommendation.FUND,
                    comment="A strong bid, well costed")
    other_review = Review(assignment_id=other_assignment.id,
                          recommendation=Recommendation.DO_NOT_FUND,
                          comment="The costs look doubtful", submitted_at=NOW - timedelta(days=1),
                          score_numerator=0, score_denominator=1)  # its one score below is 0
    db.session.add_all([review, other_review])
    db.session.flush()
    criterion_id = assessing_round.scoring_criteria[0].id
    db.session.add_all([
        CriterionScore(review_id=review.id, score=4, comment="", criterion_id=criterion_id),
        CriterionScore(review_id=other_review.id, score=0, comment="Need not shown",
                       criterion_id=criterion_id)])
    db.session.flush()
    kept_scores.refresh_score(db.session, in_review.id)  # as submitting through the service does

    awarded = ApplicationFactory(
        round=published_round, organisation=org_a, created_by=applicant_a, title="Grant of A",
        status=ApplicationStatus.PAID, reference="PPAF-2026-1-0001", sequence=1,
        submitted_at=datetime(2026, 6, 20, 9, tzinfo=UTC), planned_start=date(2026, 9, 1),
        planned_end=date(2027, 8, 31), amount_requested_pence=250_000)
    award = AwardFactory(
        round=published_round, organisation=org_a, application=awarded, amount_pence=250_000,
        status=AwardStatus.PAID, source=AwardSource.APPLICATION,
        offered_at=datetime(2026, 8, 5, 9, tzinfo=UTC),
        accepted_at=datetime(2026, 8, 10, 9, tzinfo=UTC), accepted_on=date(2026, 8, 10),
        accepted_by_name="Applicant A", report_due_on=date(2027, 11, 30))
    bank_details = BankDetails(award_id=award.id, account_name="Organisation A", sort_code="309430",
                               account_number="00733445", entered_by_id=applicant_a.id)
    payment = Payment(award_id=award.id, amount_pence=100_000, paid_on=date(2027, 1, 14),
                      reference="BACS-1", status=PaymentStatus.AWAITING_APPROVAL,
                      recorded_by_id=recorder.id)
    report = MonitoringReport(
        award_id=award.id, kind=ReportKind.END_OF_GRANT, due_on=date(2027, 11, 30),
        status=ReportStatus.SUBMITTED, delivered="Forty outreach evenings",
        outcomes_achieved="Referrals", beneficiaries_reached=100, spent_pence=250_000,
        underspend_pence=0,
        submitted_at=NOW - timedelta(days=2), submitted_by_id=applicant_a.id)
    db.session.add_all([bank_details, payment, report])
    db.session.flush()
    report_document = _report_document(storage, report, applicant_a)
    # Organisation B's award, whose bank details and report documents no address of A's may
    # reach.
    award_of_b = AwardFactory(
        round=published_round, organisation=org_b, amount_pence=100_000,
        status=AwardStatus.ACCEPTED, source=AwardSource.APPLICATION,
        application=ApplicationFactory(
            round=published_round, organisation=org_b, title="Grant of B",
            status=ApplicationStatus.OFFER_ACCEPTED, reference="PPAF-2026-1-0002",
            sequence=2, submitted_at=datetime(2026, 6, 21, 9, tzinfo=UTC)),
        offered_at=datetime(2026, 8, 5, 9, tzinfo=UTC),
        accepted_at=datetime(2026, 8, 11, 9, tzinfo=UTC), accepted_on=date(2026, 8, 11),
        accepted_by_name="Applicant B", report_due_on=date(2027, 11, 30))
    bank_details_of_b = BankDetails(award_id=award_of_b.id, account_name="Organisation B",
                                    sort_code="309430", account_number="00733446",
                                    entered_by_id=users["applicant_b"].id)
    report_of_b = MonitoringReport(award_id=award_of_b.id, kind=ReportKind.END_OF_GRANT,
                                   due_on=date(2027, 11, 30))
    db.session.add_all([bank_details_of_b, report_of_b])
    db.session.flush()
    report_document_of_b = _report_document(storage, report_of_b, users["applicant_b"])

    # Berkshire's High Sheriff nominated an organisation in Berkshire.
    nomination = Nomination(
        round_id=nomination_round.id, county_id=berkshire.id,
        nominated_by_id=users["sheriff_berkshire"].id, organisation_id=org_a.id,
        amount_pence=200_000, priority_id=priority.id, purpose="Summer sports",
        reason="Keeps young people safe", status=NominationStatus.SUBMITTED)
    db.session.add(nomination)

    # A round that starts with an expression of interest, to which A and B each sent one.
    interest_round = open_kind_round(
        "PPAF-2026-5", opens_at=NOW - timedelta(days=14), closes_at=NOW + timedelta(days=30),
        launched_at=NOW - timedelta(days=20), interest_closes_at=NOW + timedelta(days=7))
    interest_of_a, interest_of_b = (
        Interest(round=interest_round, organisation=org, created_by=member, sent_by=member,
                 title=title, summary="A short summary", amount_pence=200_000,
                 status=InterestStatus.SENT, sent_at=NOW - timedelta(days=1))
        for org, member, title in ((org_a, applicant_a, "Interest of A"),
                                   (org_b, users["applicant_b"], "Interest of B")))
    db.session.add_all([interest_of_a, interest_of_b])

    # The allocation round shares its budget with one council, by one factor.
    factor = AllocationFactor(round_id=allocation_round.id, position=1, name="Population",
                              weight_basis_points=10_000)
    recipient = AllocationRecipient(round_id=allocation_round.id, organisation_id=council.id)
    db.session.add_all([factor, recipient])
    db.session.flush()
    db.session.add(AllocationInput(recipient_id=recipient.id, factor_id=factor.id,
                                   value=Decimal(1000)))
    last_year = RoundFactory(
        fund=csf, code="CSF-2025-1", title="CSF 2025/26 allocations", kind=RoundKind.ALLOCATION,
        budget_pence=10_000_000, min_award_pence=None, max_award_pence=None,
        opens_at=datetime(2025, 4, 1, tzinfo=UTC), closes_at=datetime(2025, 6, 30, tzinfo=UTC))
    recipient_last_year = AllocationRecipient(round_id=last_year.id, organisation_id=council.id)
    db.session.add(recipient_last_year)

    # A direct award to organisation A, recorded by another member of staff (so `staff` may
    # sign it off) and not yet signed off: nobody outside the OPCC knows of it.
    direct = record_direct_award(db.session, recorder, ppaf.id, DirectAwardEntry(
        organisation_id=org_a.id, amount_pence=300_000, decided_on=date(2027, 1, 12),
        decision_maker=DecisionMaker.COMMISSIONER, delegate_name="",
        title="Urgent repairs to the hall of A",
        public_reason="A storm tore the roof off the hall of A",
        priority_id=priority.id, key_aim_ids=[key_aim.id]))

    # A Community Foundation allocation to organisation A, signed off by staff, with one
    # onward grant: A's members see their offer as any recipient does; the onward grant pages
    # are staff's.
    delegated = record_direct_award(db.session, recorder, ppaf.id, DirectAwardEntry(
        organisation_id=org_a.id, amount_pence=500_000, decided_on=date(2027, 1, 5),
        decision_maker=DecisionMaker.COMMISSIONER, delegate_name="",
        title="Small grants through A", public_reason="A knows the small groups of its county",
        priority_id=priority.id, key_aim_ids=[key_aim.id], kind=DirectAwardKind.DELEGATED))
    sign_off_direct_award(db.session, staff, delegated.award_id, confirmed=True)
    onward = add_onward_grant(db.session, staff, delegated.award_id, OnwardGrantEntry(
        recipient_name="Onward Youth Club", amount_pence=100_000, awarded_on=date(2027, 1, 8),
        title="Mentoring"))
    # And one to organisation B, whose onward grant is asked for under A's allocation.
    delegated_b = record_direct_award(db.session, recorder, ppaf.id, DirectAwardEntry(
        organisation_id=org_b.id, amount_pence=200_000, decided_on=date(2027, 1, 5),
        decision_maker=DecisionMaker.COMMISSIONER, delegate_name="",
        title="Small grants through B", public_reason="B knows the small groups too",
        priority_id=priority.id, key_aim_ids=[key_aim.id], kind=DirectAwardKind.DELEGATED))
    sign_off_direct_award(db.session, staff, delegated_b.award_id, confirmed=True)
    onward_of_b = add_onward_grant(db.session, staff, delegated_b.award_id, OnwardGrantEntry(
        recipient_name="Another Youth Club", amount_pence=50_000, awarded_on=date(2027, 1, 8)))

    # This year's awards ceremony: organisation A and B invited, A has replied.
    ceremony = create_ceremony(db.session, staff, CeremonyEntry(
        title="Community awards 2026/27", day=date(2027, 3, 10), at=time(18, 30),
        place="Oxford Town Hall", financial_year="2026/27"))
    invitation, _ = send_invitations(db.session, staff, ceremony, [org_a.id, org_b.id])
    reply(db.session, applicant_a, invitation, Reply(
        attending=True, guests=2, access_needs="A hearing loop for our chair",
        photo_consent=True))

    event = record_event(db.session, actor_id=staff.id, action="application.submitted",
                         entity_type="application", entity_id=in_review.id)
    # A month's published file, which anyone may download.
    db.session.add(MonthlyPublication(month="2026-11", version=1, grant_count=1,
                                      amount_pence=100_000, content='{"grants": []}'))
    db.session.flush()

    url_values = {
        "ceremony_id": ceremony.id,
        "invitation_id": invitation.id,
        "organisation_id": org_a.id,
        # Merging: organisation B's record into A's (they share no round).
        "duplicate_id": org_b.id,
        "membership_id": request_to_join.id,
        "decision": "approve",
        "application_id": draft.id,
        "document_id": draft_document.id,
        "kept_document_id": kept_document.id,
        "key": "project",
        "round_id": open_round.id,
        "round_code": open_round.code,
        "code": open_round.code,
        "assignment_id": assignment.id,
        "review_id": other_review.id,
        "award_id": award.id,
        "details_id": bank_details.id,
        "payment_id": payment.id,
        "report_id": report.id,
        "nomination_id": nomination.id,
        "recipient_id": recipient.id,
        "criterion_id": draft_round.scoring_criteria[0].id,
        "question_id": draft_round.eligibility_questions[0].id,
        "question_section_id": draft_round.question_sections[0].id,
        "round_question_id": draft_round.question_sections[0].questions[0].id,
        "way": "down",
        "check_question_id": draft_round.check_questions[0].id,
        "fund_id": ppaf.id,
        "plan_id": plan.id,
        "priority_id": priority.id,
        "key_aim_id": key_aim.id,
        "year": "2026-27",
        "event_id": event.id,
        "audit_event_id": event.id,
        "user_id": applicant_a.id,
        "token": "not-a-valid-token",
        "month": "2026-11",
        "version": 1,
    }
    submitted_application = {"application_id": in_review.id}
    endpoint_values = {
        # Staff's pages about an application, and its applicant's answers to questions, are
        # about the submitted one; staff's round pages about the round being assessed.
        "assessment.": {"round_id": assessing_round.id, **submitted_application,
                        "document_id": review_document.id},
        "decisions.": {"round_id": assessing_round.id, **submitted_application},
        "applications.withdraw_application": submitted_application,
        "applications.view_application": submitted_application,
        "applications.download_pdf": submitted_application,
        "applications.submitted": submitted_application,
        "funds.": {"round_id": draft_round.id},
        # Only a nomination round has county allocations.
        "funds.edit_allocations": {"round_id": nomination_round.id},
        # The public check asks the open round's own question.
        "rounds.check_question": {"check_question_id": open_round.check_questions[0].id},
        "plans.delete_priority": {"priority_id": unused_priority.id},
        "plans.delete_key_aim": {"key_aim_id": unused_key_aim.id},
        "allocations.": {"round_id": allocation_round.id},
        "nominations.": {"round_id": nomination_round.id},
        # A's expression of interest in the round that starts with one.
        "interest.": {"round_id": interest_round.id, "round_code": interest_round.code,
                      "interest_id": interest_of_a.id},
        "direct_awards.": {"award_id": direct.award_id},
        **{endpoint: {"award_id": delegated.award_id, "onward_grant_id": onward.id}
           for endpoint in ("direct_awards.onward_grants", "direct_awards.add_onward_grant",
                            "direct_awards.upload_onward_grants",
                            "direct_awards.remove_onward_grant")},
        "reports.": {"round_id": published_round.id},
        "monitoring.": {"document_id": report_document.id},
        "documents.": {"document_id": kept_document.id},
        "accounts.reset_password": {
            "token": tokens.make_password_reset_token(
                account_settings().secret_key, applicant_a.id, applicant_a.password_hash)},
        "accounts.verify_email": {
            "token": tokens.make_verification_token(
                account_settings().secret_key, applicant_a.id, applicant_a.email)},
        "pages.choose_language": {"code": "en"},
        "nominations.claim_organisation": {
            "token": make_claim_token(org_a.id, "someone.new@example.org")},
        "organisations.accept_invitation": {"token": INVITATION_TOKEN},
    }
    query_strings = {
        "awards.download_payments_csv": {"from": "2027-01-01", "to": "2027-01-31"},
    }
    form_fields = {
        "assessment.answer_questions": {"clarification_id": str(clarification.id)},
        # The version a section page was opened at, which every section post carries.
        "applications.edit_section": {"version": "0"},
    }
    # The same addresses naming a record of a different parent: B's document under A's
    # application, last year's recipient under this year's round, and so on.
    other_section = {"question_section_id": open_round.question_sections[0].id}
    under_another_parent = {
        "direct_awards.remove_onward_grant": {"onward_grant_id": onward_of_b.id},
        "organisations.decide_request": {"membership_id": request_to_join_b.id},
        "applications.download_document": {"document_id": document_of_b.id},
        "applications.use_kept_document": {"kept_document_id": kept_document_of_b.id},
        "documents.download_organisation_document": {"document_id": kept_document_of_b.id},
        "documents.remove_organisation_document": {"document_id": kept_document_of_b.id},
        "applications.remove_document": {"document_id": document_of_b.id},
        "assessment.download_review_document": {"document_id": review_document_of_b.id},
        "awards.verify_bank_details": {"details_id": bank_details_of_b.id},
        "monitoring.download_document": {"document_id": report_document_of_b.id},
        "monitoring.remove_document": {"document_id": report_document_of_b.id},
        "allocations.override": {"recipient_id": recipient_last_year.id},
        "funds.edit_question": {"question_id": open_round.eligibility_questions[0].id},
        "funds.remove_question": {"question_id": open_round.eligibility_questions[0].id},
        **{endpoint: {"check_question_id": open_round.check_questions[0].id}
           for endpoint in ("funds.edit_check_question", "funds.remove_check_question")},
        "funds.edit_criterion": {"criterion_id": open_round.scoring_criteria[0].id},
        "funds.remove_criterion": {"criterion_id": open_round.scoring_criteria[0].id},
        "funds.edit_question_section": other_section,
        "funds.remove_question_section": other_section,
        "funds.move_question_section": other_section,
        "funds.new_application_question": other_section,
        "funds.edit_application_question": {
            "round_question_id": open_round.question_sections[0].questions[0].id},
        "funds.remove_application_question": {
            "round_question_id": open_round.question_sections[0].questions[0].id},
        "funds.move_application_question": {
            "round_question_id": open_round.question_sections[0].questions[0].id},
        "plans.edit_priority": {"priority_id": other_priority.id},
        "plans.retire_priority": {"priority_id": other_priority.id},
        "plans.reinstate_priority": {"priority_id": other_priority.id},
        "plans.delete_priority": {"priority_id": other_priority.id},
        "plans.new_key_aim": {"priority_id": other_priority.id},
        "plans.edit_key_aim": {"key_aim_id": other_key_aim.id},
        "plans.retire_key_aim": {"key_aim_id": other_key_aim.id},
        "plans.reinstate_key_aim": {"key_aim_id": other_key_aim.id},
        "plans.delete_key_aim": {"key_aim_id": other_key_aim.id},
    }
    unpublished = _unpublished_offer(org_a, applicant_a, priority, staff)
    staff_and = frozenset({"staff", "admin"}).union
    private_text = {
        "A hearing loop for our chair": staff_and({"applicant_a"}),
        "Draft of A": staff_and({"applicant_a"}),
        "someone.invited@example.org": staff_and({"applicant_a"}),
        "Draft of B": staff_and({"applicant_b"}),
        "Bid of A": staff_and({"applicant_a", "reviewer_assigned"}),
        clarification.question: staff_and({"applicant_a", "reviewer_assigned"}),
        review.comment: staff_and({"reviewer_assigned"}),
        other_review.comment: staff_and(),
        report.delivered: staff_and({"applicant_a"}),
        nomination.reason: staff_and({"sheriff_berkshire"}),
        # Decided, not yet published: nobody outside the OPCC and the organisation hears of
        # it, and the organisation does not hear the decision.
        unpublished.application.title: staff_and({"applicant_a"}),
        "Ranked fourth of twelve": staff_and(),
        "Spend at least £500 on safeguarding training": staff_and(),
        # A direct award before sign-off, to the organisation too.
        "Urgent repairs to the hall of A": staff_and(),
        "A storm tore the roof off the hall of A": staff_and(),
        # An onward grant is staff's record.
        "Onward Youth Club": staff_and(),
        # An expression of interest is its organisation's and staff's.
        "Interest of A": staff_and({"applicant_a"}),
        "Interest of B": staff_and({"applicant_b"}),
    }
    emails = {kind: user.email if user else None for kind, user in users.items()}
    unpublished_offer = {"award_id": unpublished.id}
    draft_code = {"code": draft_round.code, "round_code": draft_round.code}
    last_term = _last_terms_nomination(berkshire, org_a, priority)
    hidden_values = {
        "under another parent": under_another_parent,
        "an offer not yet published": {
            endpoint: unpublished_offer for endpoint in (
                "awards.view_offer", "awards.decline_offer", "awards.bank_details",
                "monitoring.award_reports", "monitoring.start_report",
                "ceremonies.download_certificate")},
        "a removed review assignment": {
            endpoint: {"assignment_id": removed_assignment.id,
                       "document_id": review_document_of_b.id}
            for endpoint in ("assessment.declare", "assessment.review_application",
                             "assessment.download_review_document")},
        "a draft round": {endpoint: draft_code for endpoint in (
            "rounds.view_round", "applications.start_application")},
        # A draft is not yet a document to keep.
        "a draft application": {"applications.download_pdf": {"application_id": draft.id}},
        "last term's nominations": {
            **{endpoint: {"round_id": last_term.round_id} for endpoint in (
                "nominations.choose_organisation", "nominations.nominate_existing",
                "nominations.nominate_new")},
            **{endpoint: {"nomination_id": last_term.id} for endpoint in (
                "nominations.view_nomination", "nominations.edit_nomination",
                "nominations.withdraw_nomination")}},
    }
    # A draft round's eligibility check, and its own check question asked at an open round's
    # address.
    hidden_values["a draft round"] |= {endpoint: draft_code for endpoint in (
        "rounds.check_start", "rounds.check_organisation_type", "rounds.check_where",
        "rounds.check_areas", "rounds.check_amount", "rounds.check_priority",
        "rounds.check_result")}
    hidden_values["a draft round"]["rounds.check_question"] = {
        "check_question_id": draft_round.check_questions[0].id}
    hidden_form_fields = {
        # A's member answering, at A's address, the question staff asked B.
        "under another parent": {
            "assessment.answer_questions": {"clarification_id": str(question_to_b.id)}},
    }
    decided = {"application_id": unpublished.application_id}
    other_values = {
        # The organisation sees "being assessed" until the decisions are published, and may
        # still withdraw.
        "a decided application before publication": {endpoint: decided for endpoint in (
            "applications.view_application", "applications.submitted",
            "applications.withdraw_application")},
    }
    return World(emails=emails, url_values=url_values, endpoint_values=endpoint_values,
                 query_strings=query_strings, form_fields=form_fields,
                 hidden_values=hidden_values, hidden_form_fields=hidden_form_fields,
                 other_values=other_values, private_text=private_text)


def _unpublished_offer(organisation, member, priority, decider):
    """An award decided in a round whose decisions are not yet published: until they are, it
    does not exist for the organisation, nor for the public."""
    round_ = RoundFactory(
        fund=FundFactory(code="PPAF"), code="PPAF-2026-4", title="Round PPAF-2026-4",
        opens_at=datetime(2026, 9, 1, 9, tzinfo=UTC),
        closes_at=datetime(2026, 10, 31, 12, tzinfo=UTC),
        launched_at=datetime(2026, 8, 1, 9, tzinfo=UTC),
        assessing_at=datetime(2026, 11, 1, 9, tzinfo=UTC),
        decided_at=datetime(2027, 1, 10, 9, tzinfo=UTC))
    round_.priorities.append(priority)
    application = ApplicationFactory(
        round=round_, organisation=organisation, created_by=member, title="Decided bid of A",
        status=ApplicationStatus.AWARDED, reference="PPAF-2026-4-0001", sequence=1,
        submitted_at=datetime(2026, 10, 20, 9, tzinfo=UTC))
    db.session.add(Decision(
        application_id=application.id, outcome=DecisionOutcome.AWARD_IN_PART,
        amount_pence=150_000, reason="Ranked fourth of twelve",
        conditions="Spend at least £500 on safeguarding training", decided_by_id=decider.id))
    # As deciding leaves it: proposed, offered only when the decisions are published.
    return AwardFactory(round=round_, organisation=organisation, application=application,
                        amount_pence=150_000, status=AwardStatus.PROPOSED,
                        source=AwardSource.APPLICATION)


def _last_terms_nomination(county, organisation, priority) -> Nomination:
    """A nomination by the county's High Sheriff of the year before: the present one neither
    sees it nor nominates in that round."""
    round_ = RoundFactory(
        fund=FundFactory(code="PPAF"), code="HSA-2025-1", title="High Sheriff awards 2025/26",
        kind=RoundKind.NOMINATION, opens_at=datetime(2025, 11, 1, 9, tzinfo=UTC),
        closes_at=datetime(2025, 12, 1, 12, tzinfo=UTC),
        launched_at=datetime(2025, 10, 1, 9, tzinfo=UTC), budget_pence=2_000_000,
        min_award_pence=None, max_award_pence=None)
    round_.priorities.append(priority)
    round_.county_allocations.append(CountyAllocation(county_id=county.id,
                                                      amount_pence=1_000_000))
    former = _person("former_sheriff_berkshire", [Role.HIGH_SHERIFF], county=county,
                     term_year=TERM_YEAR - 1)
    nomination = Nomination(
        round_id=round_.id, county_id=county.id, nominated_by_id=former.id,
        organisation_id=organisation.id, amount_pence=100_000, priority_id=priority.id,
        purpose="Winter shelter", reason="Helps people sleeping rough",
        status=NominationStatus.SUBMITTED)
    db.session.add(nomination)
    db.session.flush()
    return nomination


def _document(storage, application, user) -> Document:
    document = Document(application_id=application.id,
                        kind=DocumentKind.SAFEGUARDING_POLICY,
                        original_filename="safeguarding.pdf", storage_key=storage.save(PDF),
                        content_type="application/pdf", size_bytes=len(PDF),
                        sha256="0" * 64, uploaded_by_id=user.id)
    db.session.add(document)
    db.session.flush()
    return document


def _kept_document(storage, organisation, user) -> OrganisationDocument:
    document = OrganisationDocument(
        organisation_id=organisation.id, kind=DocumentKind.SAFEGUARDING_POLICY,
        document_date=NOW.date() - timedelta(days=30), original_filename="safeguarding.pdf",
        storage_key=storage.save(PDF), content_type="application/pdf", size_bytes=len(PDF),
        sha256="1" * 64, uploaded_by_id=user.id)
    db.session.add(document)
    db.session.flush()
    return document


def _report_document(storage, report, user) -> MonitoringDocument:
    document = MonitoringDocument(report_id=report.id, original_filename="photos.pdf",
                                  storage_key=storage.save(PDF), content_type="application/pdf",
                                  size_bytes=len(PDF), sha256="0" * 64,
                                  uploaded_by_id=user.id)
    db.session.add(document)
    db.session.flush()
    return document
