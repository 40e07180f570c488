"""Who may do what: for every endpoint and method, the answer each kind of user gets.

The records behind every address are organisation A's (its draft, its application under
review, its paid award and report), a review assigned to `reviewer_assigned`, and a nomination
Berkshire's High Sheriff made. So `applicant_b` and `sheriff_oxfordshire` ask about someone
else's record, which answers 404 as if it did not exist; so does `applicant_pending_a`, who
asked to join organisation A and is not yet a member.

Outcomes:
- ALLOWED: 200 (or 204), or a redirect anywhere but the sign-in page (a POST of an empty form that
  answers with its errors, or redirects back with a message, is allowed: it was not refused);
  never a redirect to someone about a record they may not see (test_matrix.py counts that as
  a leak: such a record answers 404, like one that does not exist);
- NOT_FOUND: 404, for another organisation's or county's record;
- FORBIDDEN: 403, signed in without the role;
- SIGN_IN: a redirect to the sign-in page, for someone not signed in;
- UNAUTHORISED: 401, for someone not signed in, from an address pages call from script.

Every endpoint of the app must appear here (tests/access/test_matrix.py fails otherwise).
"""

# The kinds of user the matrix asks about, in the order the tests run.
USER_KINDS = (
    "anonymous",
    "applicant_a",
    "applicant_b",
    "applicant_pending_a",
    "reviewer_assigned",
    "reviewer_unassigned",
    "staff",
    "admin",
    "sheriff_berkshire",
    "sheriff_oxfordshire",
)

ALLOWED = "allowed"
NOT_FOUND = "not_found"
FORBIDDEN = "forbidden"
SIGN_IN = "sign_in"
UNAUTHORISED = "unauthorised"


def row(*, default: str, anonymous: str = SIGN_IN, **kinds: str) -> dict[str, str]:
    """An outcome for every kind of user: `default` unless named."""
    unknown = set(kinds) - set(USER_KINDS)
    if unknown:
        raise ValueError(f"unknown kinds of user: {sorted(unknown)}")
    outcomes = dict.fromkeys(USER_KINDS, default)
    outcomes["anonymous"] = anonymous
    outcomes.update(kinds)
    return outcomes


def get(outcomes: dict[str, str]) -> dict[str, dict[str, str]]:
    return {"GET": outcomes}


def post(outcomes: dict[str, str]) -> dict[str, dict[str, str]]:
    return {"POST": outcomes}


def get_post(outcomes: dict[str, str], post_outcomes: dict[str, str] | None = None
             ) -> dict[str, dict[str, str]]:
    return {"GET": outcomes, "POST": post_outcomes or outcomes}


# Anyone, signed in or not.
PUBLIC = row(default=ALLOWED, anonymous=ALLOWED)
# Anyone signed in.
SIGNED_IN = row(default=ALLOWED)
# OPCC staff and admins.
STAFF = row(default=FORBIDDEN, staff=ALLOWED, admin=ALLOWED)
# Admins only.
ADMIN = row(default=FORBIDDEN, admin=ALLOWED)
# Organisation A's record: its members, and staff (who may also act on its behalf); to anyone
# else signed in it does not exist.
OWN_ORGANISATION = row(default=NOT_FOUND, applicant_a=ALLOWED, staff=ALLOWED, admin=ALLOWED)
# Organisation A's own business with the OPCC (its offer, bank details, reports, answers to
# staff's questions): its members only. Staff work on it through their own pages.
MEMBERS = row(default=NOT_FOUND, applicant_a=ALLOWED)
# Organisation A's own records that staff see but do not change (its kept documents).
MEMBERS_CHANGE = row(default=NOT_FOUND, applicant_a=ALLOWED, staff=FORBIDDEN, admin=FORBIDDEN)
# Reviewers' pages, and an assignment: its reviewer; to another reviewer it does not exist.
REVIEWERS = row(default=FORBIDDEN, reviewer_assigned=ALLOWED, reviewer_unassigned=ALLOWED)
ASSIGNED_REVIEWER = row(default=FORBIDDEN, reviewer_assigned=ALLOWED,
                        reviewer_unassigned=NOT_FOUND)
# High Sheriffs' pages (both counties have an allocation in the nomination round), and
# Berkshire's nomination: to Oxfordshire's High Sheriff it does not exist.
HIGH_SHERIFFS = row(default=FORBIDDEN, sheriff_berkshire=ALLOWED, sheriff_oxfordshire=ALLOWED)
BERKSHIRE_SHERIFF = row(default=FORBIDDEN, sheriff_berkshire=ALLOWED,
                        sheriff_oxfordshire=NOT_FOUND)

TABLE: dict[str, dict[str, dict[str, str]]] = {
    # --- Public pages ------------------------------------------------------------------------
    "pages.home": get(PUBLIC),
    "pages.accessibility": get(PUBLIC),
    "pages.privacy": get(PUBLIC),
    "pages.favicon": get(PUBLIC),
    "pages.healthz": get(PUBLIC),
    # Choosing English (or Welsh, where the office offers it), back to the page one was on.
    "pages.choose_language": get(PUBLIC),
    "rounds.list_rounds": get(PUBLIC),
    "rounds.view_round": get(PUBLIC),
    # A round's "Check if you can apply": no account needed.
    "rounds.check_start": get(PUBLIC),
    "rounds.check_organisation_type": get_post(PUBLIC),
    "rounds.check_where": get_post(PUBLIC),
    "rounds.check_areas": get_post(PUBLIC),
    "rounds.check_amount": get_post(PUBLIC),
    "rounds.check_priority": get_post(PUBLIC),
    "rounds.check_question": get_post(PUBLIC),
    "rounds.check_result": get(PUBLIC),
    "opendata.list_awards": get(PUBLIC),
    "opendata.download_csv": get(PUBLIC),
    "opendata.download_json": get(PUBLIC),
    "opendata.monthly_files": get(PUBLIC),
    "opendata.download_monthly_file": get(PUBLIC),
    "opendata.publish_monthly_file": post(STAFF),

    # --- Accounts ----------------------------------------------------------------------------
    "accounts.register": get_post(PUBLIC),
    "accounts.check_email": get(PUBLIC),
    "accounts.sign_in": get_post(PUBLIC),
    # The second step of signing in: with no first step waiting, back to the sign-in page.
    "accounts.sign_in_code": get_post(SIGNED_IN),
    # Signing out (or being signed out already) ends on the sign-in page.
    "accounts.sign_out": post(row(default=SIGN_IN)),
    "accounts.forgotten_password": get_post(PUBLIC),
    "accounts.reset_link_sent": get(PUBLIC),
    "accounts.reset_password": get_post(PUBLIC),
    "accounts.verify_email": get_post(PUBLIC),
    "accounts.account": get(SIGNED_IN),
    "accounts.change_password": get_post(SIGNED_IN),
    "accounts.resend_verification": post(SIGNED_IN),
    "accounts.set_up_authenticator": get_post(SIGNED_IN),
    "accounts.turn_off_authenticator": get_post(SIGNED_IN),
    # Naming no session of theirs, it says so on the account page.
    "accounts.end_session": post(SIGNED_IN),
    # Called by the session timeout warning's script: 401 (not a redirect) when signed out.
    "applications.keep_alive": get(row(default=ALLOWED, anonymous=UNAUTHORISED)),

    # --- Organisations -----------------------------------------------------------------------
    "organisations.dashboard": get(SIGNED_IN),
    "organisations.list_organisations": get(SIGNED_IN),
    "organisations.new_organisation": get_post(SIGNED_IN),
    "organisations.view_organisation": get(OWN_ORGANISATION),
    "organisations.edit_organisation": get_post(OWN_ORGANISATION),
    # Anyone signed in may ask to join an organisation by its number, and is answered the
    # same whether or not one has it; its members or staff decide.
    "organisations.ask_to_join": get_post(SIGNED_IN),
    "organisations.join_requested": get(SIGNED_IN),
    "organisations.decide_request": post(OWN_ORGANISATION),
    # Members (and staff) invite people by email address. The invitation's link is for the
    # person it was sent to (someone new here): anyone else signed in is refused, and someone
    # not signed in is asked to sign in.
    "organisations.invite_member": get_post(OWN_ORGANISATION),
    "organisations.accept_invitation": get_post(row(default=FORBIDDEN, anonymous=ALLOWED),
                                                row(default=FORBIDDEN)),
    # Staff merge a second record of an organisation into the first.
    "organisations.choose_duplicate": get(STAFF),
    "organisations.merge_duplicate": get_post(STAFF),
    "nominations.claim_organisation": get_post(PUBLIC),

    # --- Applications ------------------------------------------------------------------------
    "applications.start_application": get_post(SIGNED_IN),
    "applications.start_on_behalf": get_post(STAFF),
    "applications.task_list": get(OWN_ORGANISATION),
    "applications.edit_section": get_post(OWN_ORGANISATION),
    "applications.documents": get_post(OWN_ORGANISATION),
    "applications.download_document": get(OWN_ORGANISATION),
    "applications.remove_document": post(OWN_ORGANISATION),
    "applications.use_kept_document": post(OWN_ORGANISATION),
    # The documents an organisation keeps: its members change them, staff only look.
    "documents.organisation_documents": get_post(OWN_ORGANISATION, MEMBERS_CHANGE),
    "documents.download_organisation_document": get(OWN_ORGANISATION),
    "documents.remove_organisation_document": post(MEMBERS_CHANGE),
    "applications.check_answers": get(OWN_ORGANISATION),
    "applications.submit_application": post(OWN_ORGANISATION),
    "applications.submitted": get(OWN_ORGANISATION),
    "applications.view_application": get(OWN_ORGANISATION),
    # The application as sent, as a PDF: whoever may see its page (a draft has none).
    "applications.download_pdf": get(OWN_ORGANISATION),
    # Only the organisation withdraws its application; staff may not do it for them.
    "applications.withdraw_application": get_post(
        row(default=NOT_FOUND, applicant_a=ALLOWED, staff=FORBIDDEN, admin=FORBIDDEN)),
    "assessment.answer_questions": get_post(MEMBERS),
    # An expression of interest, in a round that starts with one: anyone signed in may start
    # one (for an organisation of theirs); its organisation's members answer and send it.
    # Staff answer it on their own pages, and set the stage up with the round.
    "interest.start_interest": get_post(SIGNED_IN),
    "interest.edit_interest": get_post(MEMBERS),
    "interest.view_interest": get(MEMBERS),
    "interest.send_interest": post(MEMBERS),
    "interest.set_up_stage": get_post(STAFF),
    "interest.round_interests": get(STAFF),
    "interest.decide_interest": get_post(STAFF),

    # --- Screening, reviewing and deciding (staff) -------------------------------------------
    "assessment.list_applications": get(STAFF),
    "assessment.download_applications_csv": get(STAFF),
    "assessment.mark_eligible": post(STAFF),
    "assessment.view_application": get(STAFF),
    "assessment.ask_clarification": post(STAFF),
    "assessment.add_note": post(STAFF),
    "assessment.screen_application": get_post(STAFF),
    "assessment.reverse_screening": get_post(STAFF),
    "assessment.application_reviewers": get(STAFF),
    "assessment.assign_reviewer": post(STAFF),
    "assessment.remove_assignment": get_post(STAFF),
    "assessment.reopen_review": get_post(STAFF),
    "assessment.manage_reviewers": get_post(STAFF),
    "assessment.ranking": get(STAFF),
    "assessment.moderate": get_post(STAFF),
    "decisions.round_decisions": get(STAFF),
    "decisions.propose": get_post(STAFF),
    "decisions.sign_off": post(STAFF),
    "decisions.publish": post(STAFF),
    "decisions.decide": get_post(STAFF),
    "decisions.declare": post(STAFF),

    # --- Reviewers ---------------------------------------------------------------------------
    "assessment.my_reviews": get(REVIEWERS),
    "assessment.declare": get_post(ASSIGNED_REVIEWER),
    "assessment.review_application": get_post(ASSIGNED_REVIEWER),
    "assessment.download_review_document": get(ASSIGNED_REVIEWER),

    # --- Offers, payments and monitoring -----------------------------------------------------
    "awards.view_offer": get_post(MEMBERS),
    "awards.decline_offer": get_post(MEMBERS),
    "awards.bank_details": get_post(MEMBERS),
    "monitoring.award_reports": get(MEMBERS),
    "monitoring.start_report": post(MEMBERS),
    "monitoring.edit_report": get_post(MEMBERS),
    "monitoring.remove_document": post(MEMBERS),
    # Staff read a report's documents when they review it.
    "monitoring.download_document": get(OWN_ORGANISATION),
    "awards.manage_award": get(STAFF),
    "awards.record_payment": post(STAFF),
    "awards.verify_bank_details": post(STAFF),
    "awards.withdraw_offer": get_post(STAFF),
    "awards.approve_payment": post(STAFF),
    "awards.reject_payment": get_post(STAFF),
    "awards.list_payments": get(STAFF),
    "awards.download_payments_csv": get(STAFF),
    "monitoring.overview": get(STAFF),
    "monitoring.review_report": get(STAFF),
    "monitoring.accept_report": post(STAFF),
    "monitoring.ask_for_more": post(STAFF),
    "monitoring.award_monitoring": get(STAFF),
    "monitoring.record_repayment": get_post(STAFF),
    "monitoring.agree_variation": get_post(STAFF),

    # --- High Sheriff nominations ------------------------------------------------------------
    "nominations.home": get(HIGH_SHERIFFS),
    "nominations.choose_organisation": get(HIGH_SHERIFFS),
    "nominations.nominate_existing": get_post(HIGH_SHERIFFS),
    "nominations.nominate_new": get_post(HIGH_SHERIFFS),
    "nominations.view_nomination": get(BERKSHIRE_SHERIFF),
    "nominations.edit_nomination": get_post(BERKSHIRE_SHERIFF),
    "nominations.withdraw_nomination": get_post(BERKSHIRE_SHERIFF),
    "nominations.staff_rounds": get(STAFF),
    "nominations.round_nominations": get(STAFF),
    "nominations.staff_view": get(STAFF),
    "nominations.approve": post(STAFF),
    "nominations.ask_for_changes": post(STAFF),
    "nominations.decline": post(STAFF),

    # --- Funds, rounds and plans (staff) -----------------------------------------------------
    "staff.home": get(STAFF),
    "funds.list_funds": get(STAFF),
    "funds.new_fund": get_post(STAFF),
    "funds.edit_fund": get_post(STAFF),
    "funds.new_round": get_post(STAFF),
    "funds.view_round": get(STAFF),
    "funds.edit_round": get_post(STAFF),
    "funds.launch_round": post(STAFF),
    "funds.start_assessment": post(STAFF),
    "funds.mark_decided": post(STAFF),
    "funds.archive_round": post(STAFF),
    "funds.copy_round": post(STAFF),
    "funds.edit_priorities": get_post(STAFF),
    "funds.edit_organisation_types": get_post(STAFF),
    "funds.edit_allocations": get_post(STAFF),
    "funds.new_question": get_post(STAFF),
    "funds.edit_question": get_post(STAFF),
    "funds.remove_question": post(STAFF),
    "funds.new_check_question": get_post(STAFF),
    "funds.edit_check_question": get_post(STAFF),
    "funds.remove_check_question": post(STAFF),
    "funds.new_criterion": get_post(STAFF),
    "funds.edit_criterion": get_post(STAFF),
    "funds.remove_criterion": post(STAFF),
    "funds.new_question_section": get_post(STAFF),
    "funds.edit_question_section": get_post(STAFF),
    "funds.remove_question_section": post(STAFF),
    "funds.move_question_section": post(STAFF),
    "funds.new_application_question": get_post(STAFF),
    "funds.edit_application_question": get_post(STAFF),
    "funds.remove_application_question": post(STAFF),
    "funds.move_application_question": post(STAFF),
    "ledger.view_money": get(STAFF),
    "ledger.record_money": get_post(STAFF),
    "ledger.import_money": get_post(STAFF),
    "ledger.download_ledger": get(STAFF),
    "ledger.download_money_paid_in": get(STAFF),
    # Direct awards: recorded by one member of staff, signed off by another.
    "direct_awards.list_direct_awards": get(STAFF),
    "direct_awards.record_direct_award": get_post(STAFF),
    "direct_awards.sign_off_direct_award": get_post(STAFF),
    "direct_awards.withdraw_direct_award": get_post(STAFF),
    # Community Foundation allocations and their onward grants: staff record them.
    "direct_awards.record_delegated_award": get_post(STAFF),
    "direct_awards.onward_grants": get(STAFF),
    "direct_awards.add_onward_grant": get_post(STAFF),
    "direct_awards.upload_onward_grants": get_post(STAFF),
    "direct_awards.remove_onward_grant": post(STAFF),
    # The awards ceremony: staff plan it, invite and read the guest list, send an invitation
    # again, cancel it or take its reply by phone; the invited organisation's members reply;
    # they and staff download the certificate of its published award, invited or not.
    "ceremonies.list_ceremonies": get(STAFF),
    "ceremonies.plan_ceremony": get_post(STAFF),
    "ceremonies.change_ceremony": get_post(STAFF),
    "ceremonies.view_ceremony": get(STAFF),
    "ceremonies.invite_recipients": get_post(STAFF),
    "ceremonies.download_guest_list": get(STAFF),
    "ceremonies.send_invitation_again": get_post(STAFF),
    "ceremonies.cancel_invitation": get_post(STAFF),
    "ceremonies.take_phone_reply": get_post(STAFF),
    "ceremonies.reply": get_post(MEMBERS),
    "ceremonies.download_certificate": get(OWN_ORGANISATION),
    "plans.list_plans": get(STAFF),
    "plans.new_plan": get_post(STAFF),
    "plans.view_plan": get(STAFF),
    "plans.edit_plan": get_post(STAFF),
    "plans.make_current": post(STAFF),
    "plans.new_priority": get_post(STAFF),
    "plans.edit_priority": get_post(STAFF),
    "plans.retire_priority": post(STAFF),
    "plans.reinstate_priority": post(STAFF),
    "plans.delete_priority": get_post(STAFF),
    "plans.new_key_aim": get_post(STAFF),
    "plans.edit_key_aim": get_post(STAFF),
    "plans.retire_key_aim": post(STAFF),
    "plans.reinstate_key_aim": post(STAFF),
    "plans.delete_key_aim": get_post(STAFF),

    # --- Allocation rounds (staff) -----------------------------------------------------------
    "allocations.overview": get(STAFF),
    "allocations.top_slice": get_post(STAFF),
    "allocations.decision_date": get_post(STAFF),
    "allocations.recipients": get_post(STAFF),
    "allocations.factors": get_post(STAFF),
    "allocations.inputs": get_post(STAFF),
    "allocations.upload_inputs": post(STAFF),
    "allocations.propose": post(STAFF),
    "allocations.override": get_post(STAFF),
    "allocations.confirm": post(STAFF),
    "allocations.new_top_slice_award": get_post(STAFF),

    # --- Reports (staff) ---------------------------------------------------------------------
    "reports.index": get(STAFF),
    "reports.round_report": get(STAFF),
    "reports.round_csv": get(STAFF),
    "reports.round_xlsx": get(STAFF),
    "reports.year_report": get(STAFF),
    "reports.year_csv": get(STAFF),
    "reports.year_xlsx": get(STAFF),
    "reports.panel_page": get(STAFF),
    "reports.panel_docx": get(STAFF),
    "reports.panel_markdown": get(STAFF),

    # --- People, the audit log and personal data (admins) ------------------------------------
    "staff.list_users": get(ADMIN),
    "staff.sign_out_everywhere": post(ADMIN),
    "records.audit": get(ADMIN),
    "records.export_person": get_post(ADMIN),

    # --- Offices (admins) ----------------------------------------------------------------------
    "offices.list_offices": get(ADMIN),
    "offices.new_office": get_post(ADMIN),
}
