"""Every "may this user do X to Y" decision, as pure functions of the user and the record.

Views enforce these through the decorators in `grants.auth.decorators` or by calling them
before loading a record; templates receive the answers as booleans.
"""

from grants.accounts.models import Role, User
from grants.applications.models import Application, ApplicationStatus
from grants.awards.operations import publicity
from grants.organisations.models import MembershipStatus, Organisation

STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})


def is_signed_in(user: User | None) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def has_any_role(user: User | None, roles: frozenset[Role] | set[Role]) -> bool:
    return is_signed_in(user) and bool(user.roles & roles)


def is_staff(user: User | None) -> bool:
    """OPCC grants officers; admins are staff too."""
    return has_any_role(user, STAFF_ROLES)


def is_admin(user: User | None) -> bool:
    return has_any_role(user, {Role.ADMIN})


def is_applicant(user: User | None) -> bool:
    return has_any_role(user, {Role.APPLICANT})


def is_reviewer(user: User | None) -> bool:
    return has_any_role(user, {Role.REVIEWER})


def is_high_sheriff(user: User | None) -> bool:
    return has_any_role(user, {Role.HIGH_SHERIFF})


def may_submit_applications(user: User | None) -> bool:
    """Anyone signed in may draft; only someone whose email is confirmed may submit."""
    return is_signed_in(user) and user.is_active and user.email_verified


def may_view_staff_pages(user: User | None) -> bool:
    return is_staff(user)


def may_manage_users(user: User | None) -> bool:
    return is_admin(user)


def active_organisation_ids(user: User | None) -> frozenset[int]:
    """The organisations the user is an approved member of."""
    if not is_signed_in(user):
        return frozenset()
    return frozenset(
        membership.organisation_id
        for membership in user.memberships
        if membership.status is MembershipStatus.ACTIVE
    )


def is_member_of(user: User | None, organisation: Organisation) -> bool:
    return organisation.id in active_organisation_ids(user)


def may_view_organisation(user: User | None, organisation: Organisation) -> bool:
    """Staff see every organisation; an applicant sees only those they belong to."""
    return is_staff(user) or is_member_of(user, organisation)


def may_edit_organisation(user: User | None, organisation: Organisation) -> bool:
    return is_staff(user) or is_member_of(user, organisation)


def may_change_organisation_documents(user: User | None, organisation: Organisation) -> bool:
    """The organisation's members keep its documents; staff see them, read-only."""
    return is_member_of(user, organisation)


def may_approve_membership(user: User | None, organisation: Organisation) -> bool:
    """An existing member of the organisation, or staff, approves a request to join."""
    return is_staff(user) or is_member_of(user, organisation)


def may_invite_members(user: User | None, organisation: Organisation) -> bool:
    """An approved member invites people to join the organisation; staff may, on its behalf."""
    return is_staff(user) or is_member_of(user, organisation)


__all__ = [
    "STAFF_ROLES",
    "active_organisation_ids",
    "has_any_role",
    "is_admin",
    "is_applicant",
    "is_high_sheriff",
    "is_member_of",
    "is_reviewer",
    "is_signed_in",
    "is_staff",
    "may_approve_membership",
    "may_change_organisation_documents",
    "may_edit_organisation",
    "may_invite_members",
    "may_manage_users",
    "may_submit_applications",
    "may_view_organisation",
    "may_view_staff_pages",
]


def may_apply_for(user: User | None, organisation: Organisation) -> bool:
    """Members start and fill in their organisation's applications; staff may too, on its
    behalf, for someone who cannot use the service (assisted digital)."""
    return is_member_of(user, organisation) or is_staff(user)


def may_view_application(user: User | None, application: Application) -> bool:
    """The applying organisation's members and staff; anyone else is told it does not exist."""
    return is_staff(user) or is_member_of(user, application.organisation)


def may_edit_application(user: User | None, application: Application) -> bool:
    """Only a draft can change, by a member or by staff assisting the organisation."""
    return (application.status is ApplicationStatus.DRAFT
            and may_apply_for(user, application.organisation))


def may_withdraw_application(user: User | None, application: Application) -> bool:
    """A member may withdraw a submitted application until its decision is published.

    Until then a decision already made counts as none, so that whether the application may be
    withdrawn never gives away a decision the applicant has not been told."""
    if not is_member_of(user, application.organisation):
        return False
    if application.status in WITHDRAWABLE_STATUSES:
        return True
    return (application.status in DECIDED_STATUSES
            and not publicity.decisions_published(application.round))


# Submitted and not yet decided.
WITHDRAWABLE_STATUSES = frozenset({
    ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW,
})
DECIDED_STATUSES = frozenset({ApplicationStatus.AWARDED, ApplicationStatus.DECLINED})


# --- Reviewing ----------------------------------------------------------------------------

def belongs_to_organisation(user: User | None, organisation_id: int) -> bool:
    """Any membership of the organisation, approved or still pending."""
    return is_signed_in(user) and any(
        membership.organisation_id == organisation_id for membership in user.memberships)


def may_be_assigned_to_review(user: User | None, application: Application) -> bool:
    """A reviewer with an active account who is not a member (or would-be member) of the
    applying organisation."""
    return (is_reviewer(user) and user.is_active
            and not belongs_to_organisation(user, application.organisation_id))


def may_manage_reviews(user: User | None) -> bool:
    """Staff assign and remove reviewers, reopen reviews, moderate and see the ranking."""
    return is_staff(user)


def may_review(user: User | None, assignment) -> bool:
    """The assigned reviewer, while the assignment stands. `assignment` is a ReviewAssignment
    (typed loosely: the assessment models import this package's models)."""
    return (is_reviewer(user) and assignment.reviewer_id == user.id
            and assignment.removed_at is None)


def may_see_other_reviews(user: User | None, assignment) -> bool:
    """Other reviewers' scores show only to a reviewer who has submitted their own."""
    review = assignment.review
    return (may_review(user, assignment) and review is not None
            and review.submitted_at is not None)


# --- Screening, questions to applicants and internal notes ---------------------------------

def may_screen(user: User | None) -> bool:
    """Staff screen applications, list and export them, ask applicants questions and keep
    internal notes."""
    return is_staff(user)


def may_answer_clarifications(user: User | None, application: Application) -> bool:
    """Members of the applying organisation answer staff's questions about its application."""
    return is_member_of(user, application.organisation)


# --- Offers, bank details and payments -----------------------------------------------------

# Imported here, with this section, so that the file's other sections stay as they were.
from grants.awards.models import (  # noqa: E402
    Award,
    Payment,
    PaymentStatus,
)


def offer_is_published(award: Award) -> bool:
    """The recipient has been told of the offer: it was offered when its round's decisions
    were published, whatever the kind of round. Before then the award does not exist as far
    as the recipient knows."""
    return publicity.recipient_told(award)


def may_view_offer(user: User | None, award: Award) -> bool:
    """Members of the recipient organisation see its published offer (and answer it, and give
    its bank details); to anyone else it does not exist."""
    return is_member_of(user, award.organisation) and offer_is_published(award)


def may_manage_awards(user: User | None) -> bool:
    """Staff withdraw offers, verify bank details and record and approve payments."""
    return is_staff(user)


def may_approve_payment(user: User | None, payment: Payment) -> bool:
    """Staff other than the person who recorded the payment approve or reject it."""
    return (may_manage_awards(user) and payment.recorded_by_id != user.id
            and payment.status is PaymentStatus.AWAITING_APPROVAL)


# --- Decisions ----------------------------------------------------------------------------

def may_decide(user: User | None) -> bool:
    """Staff decide on applications, propose the funding line and publish decisions."""
    return is_staff(user)


def may_decide_on(user: User | None, declaration) -> bool:
    """Staff who declared no conflict of interest with the application. `declaration` is the
    user's DeciderDeclaration on it, or None."""
    return may_decide(user) and declaration is not None and not declaration.has_conflict


def may_sign_off_decisions(user: User | None, decider_ids) -> bool:
    """A second member of staff signs off a round's decisions: someone who made or changed
    none of them (`decider_ids`)."""
    return may_decide(user) and user.id not in set(decider_ids)


# --- Direct awards -------------------------------------------------------------------------

def may_publish_monthly_files(user: User | None) -> bool:
    """Staff publish a month's 360Giving file (or its correction) for everyone to download."""
    return is_staff(user)


def may_record_direct_awards(user: User | None) -> bool:
    """Staff record awards made outside any round, list them and withdraw one before it is
    signed off."""
    return is_staff(user)


def may_sign_off_direct_award(user: User | None, recorded_by_id: int) -> bool:
    """A second member of staff signs off a direct award: anyone on the staff but the person
    who recorded it (the two-person rule payments follow)."""
    return may_record_direct_awards(user) and user.id != recorded_by_id


# --- Monitoring reports, variations and repayments -----------------------------------------

from grants.awards import models as award_models  # noqa: E402

# Awards whose recipients have reports to send or to look back on.
REPORTING_AWARD_STATUSES = frozenset({award_models.AwardStatus.ACCEPTED,
                                      award_models.AwardStatus.PAID,
                                      award_models.AwardStatus.CLOSED})


def may_report_on(user: User | None, award) -> bool:
    """Members of the recipient organisation see and send the reports an accepted grant owes;
    to anyone else they do not exist. `award` is an Award."""
    return (award.status in REPORTING_AWARD_STATUSES
            and is_member_of(user, award.organisation))


def may_review_reports(user: User | None) -> bool:
    """Staff accept monitoring reports or ask for more, record repayments and agree
    variations."""
    return is_staff(user)


# --- High Sheriff nominations --------------------------------------------------------------

from grants.core import clock  # noqa: E402
from grants.funds.models import Round, RoundKind  # noqa: E402
from grants.nominations.models import NominationStatus  # noqa: E402

# A nomination the High Sheriff may still change or withdraw: staff have not decided on it.
CHANGEABLE_NOMINATION_STATUSES = frozenset({NominationStatus.SUBMITTED,
                                            NominationStatus.CHANGES_REQUESTED})


def term_year_of(round_: Round) -> int:
    """The High Sheriff term a nomination round belongs to: its financial year's first year."""
    return clock.financial_year_start(round_.financial_year)


def is_current_high_sheriff_for(user: User | None, round_: Round) -> bool:
    """A High Sheriff whose term year is the round's: they act for their county in it. An
    outgoing High Sheriff (an earlier term) does not."""
    return (is_high_sheriff(user) and user.county_id is not None
            and round_.kind is RoundKind.NOMINATION
            and user.term_year == term_year_of(round_))


def may_nominate_in(user: User | None, round_: Round) -> bool:
    """The round's current High Sheriff of a county with an allocation in it."""
    return (is_current_high_sheriff_for(user, round_) and user.is_active
            and any(allocation.county_id == user.county_id
                    for allocation in round_.county_allocations))


def may_view_nomination(user: User | None, nomination) -> bool:
    """Staff; the county's current High Sheriff for the nomination's round; and whoever made
    it, read-only after their term. Anyone else is told it does not exist. `nomination` is a
    Nomination."""
    if is_staff(user):
        return True
    if not is_high_sheriff(user) or nomination.county_id != user.county_id:
        return False
    return (nomination.nominated_by_id == user.id
            or is_current_high_sheriff_for(user, nomination.round))


def may_change_nomination(user: User | None, nomination) -> bool:
    """The county's current High Sheriff edits or withdraws a nomination until staff decide
    on it."""
    return (nomination.status in CHANGEABLE_NOMINATION_STATUSES
            and is_high_sheriff(user) and nomination.county_id == user.county_id
            and is_current_high_sheriff_for(user, nomination.round))


def may_decide_nominations(user: User | None) -> bool:
    """Staff approve nominations, ask for changes or decline them."""
    return is_staff(user)


# --- Allocation rounds --------------------------------------------------------------------

def may_manage_allocations(user: User | None) -> bool:
    """Staff set an allocation round's top-slice, recipients, formula and shares, confirm the
    shares as awards and record awards from the top-slice."""
    return is_staff(user)


# --- Reports ------------------------------------------------------------------------------

def may_view_reports(user: User | None) -> bool:
    """Staff see the report figures, their downloads and the progress report paragraphs."""
    return is_staff(user)


# --- Audit log and personal data -------------------------------------------------------------

def may_view_audit_log(user: User | None) -> bool:
    """Admins read the audit log; nobody can change it."""
    return is_admin(user)


def may_export_personal_data(user: User | None) -> bool:
    """Admins answer a person's request for their data (a subject access request)."""
    return is_admin(user)


def may_manage_offices(user: User | None) -> bool:
    """Admins set up the offices the service runs grant funds for."""
    return is_admin(user)


# --- The presentation ceremony ------------------------------------------------------------

def may_plan_ceremonies(user: User | None) -> bool:
    """Staff plan the awards event, invite the year's recipients and read the guest list."""
    return is_staff(user)


def may_reply_to_invitation(user: User | None, organisation: Organisation) -> bool:
    """Members of the invited organisation reply to its invitation; to anyone else it does not
    exist."""
    return is_member_of(user, organisation)


def may_download_certificate(user: User | None, organisation: Organisation) -> bool:
    """Members of the award's organisation download its certificate, invited or not; staff may
    too, to print them for the ceremony."""
    return is_member_of(user, organisation) or is_staff(user)
