"""The reason for an award, written for publication: asked by every form that decides an award
with one field and one rule, approved at sign-off, and required before publication."""

import pytest
from sqlalchemy import select

from grants.allocations.forms import ConfirmSharesForm, TopSliceAwardForm
from grants.awards.models import Award
from grants.awards.operations.public_reasons import LABEL, MISSING_PUBLIC_REASON
from grants.core.errors import ValidationFailed
from grants.decisions.forms import DecisionForm
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations.guard import decide
from grants.decisions.operations.publishing import publish, publish_problems
from grants.decisions.operations.rules import DecisionInput, DecisionRefused
from grants.decisions.operations.sign_off import sign_off, sign_off_problems
from grants.direct_awards.forms import DirectAwardForm
from grants.extensions import db
from grants.nominations.forms import ApproveForm
from grants.records.models import AuditEvent
from tests.assessment.screening_data import words
from tests.awards.decisions_data import (  # noqa: F401  (fixed_clock is a fixture)
    PUBLIC_REASON,
    decided,
    deciding_round,
    decision_form,
    declared,
    eligible,
    fixed_clock,
    staff_member,
)
from tests.fixtures import source
from tests.fixtures.auth import post_form

pytestmark = pytest.mark.usefixtures("fixed_clock")


def award_of(application) -> Award:
    return db.session.scalars(select(Award).where(Award.application_id == application.id)
                              ).one()


def test_an_award_needs_its_reason_for_publication_and_a_decline_does_not():
    round_ = deciding_round()
    sam = staff_member()
    funded, declined = eligible(round_, 1), eligible(round_, 2)
    declared(sam, funded)

    with pytest.raises(ValidationFailed) as refused:
        decide(db.session, sam, funded, DecisionInput(
            outcome=DecisionOutcome.AWARD_IN_FULL, reason="Strong", public_reason="  "))
    db.session.rollback()
    decided(sam, declined, DecisionOutcome.DECLINE, public_reason="")
    decided(sam, funded, public_reason="  Mentoring keeps young people out of court  ")

    assert refused.value.errors == {"public_reason": MISSING_PUBLIC_REASON}
    assert award_of(funded).public_reason == "Mentoring keeps young people out of court"


def test_sign_off_and_publishing_wait_for_every_awards_reason_naming_each_application():
    round_ = deciding_round()
    sam, pat = staff_member("Sam Staff"), staff_member("Pat Partner")
    first, second = eligible(round_, 1), eligible(round_, 2)
    decided(sam, first)
    declared(sam, second)
    # Funding in rank order leaves the reason to be written afterwards.
    decide(db.session, sam, second, DecisionInput(
        outcome=DecisionOutcome.AWARD_IN_FULL, reason="In rank order",
        public_reason_now=False))
    db.session.commit()
    named = f"{second.reference} ({second.organisation.name})"

    problems = sign_off_problems(db.session, round_, pat)
    with pytest.raises(DecisionRefused, match=r"no reason for the award written for publica"):
        sign_off(db.session, pat, round_.id)
    db.session.rollback()

    assert len(problems) == 1 and problems[0].startswith(f"{named} has no reason")
    assert first.reference not in problems[0]
    assert any(named in problem for problem in publish_problems(db.session, round_))

    decided(sam, second, reason="In rank order", public_reason="It reaches a rural area")
    sign_off(db.session, pat, round_.id)
    publish(db.session, sam, round_.id)
    assert round_.decisions_published_at is not None


def test_the_sign_off_shows_each_reason_and_approving_them_is_audited(sign_in_as):
    round_ = deciding_round()
    sam, pat = staff_member("Sam Staff"), staff_member("Pat Partner")
    application = eligible(round_, 1)
    decided(sam, application, public_reason="A night shelter the town lacks")
    award = award_of(application)
    second = sign_in_as(pat)
    path = f"/staff/rounds/{round_.id}/decisions"

    page = words(second.get(path).get_data(as_text=True))
    response = post_form(second, f"/staff/rounds/{round_.id}/sign-off", form_page=path)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.decisions_signed_off")).one()

    assert "Reasons for the awards, as they will be published" in page
    assert f"{application.reference} ({application.organisation.name})" in page
    assert "A night shelter the town lacks" in page
    assert response.status_code == 302
    assert event.actor_id == pat.id
    assert event.after["public_reasons_approved"] == {
        str(award.id): "A night shelter the town lacks"}


def test_the_decision_page_asks_for_the_reason_and_shows_it_again(sign_in_as):
    round_ = deciding_round()
    sam = staff_member()
    application = eligible(round_, 1)
    declared(sam, application)
    client = sign_in_as(sam)
    path = f"/staff/applications/{application.id}/decision"

    missing = post_form(client, path, decision_form(public_reason=""))
    saved = post_form(client, path, decision_form(public_reason="Youth work the area lacks"))
    again = client.get(path).get_data(as_text=True)

    assert missing.status_code == 200
    assert MISSING_PUBLIC_REASON in missing.get_data(as_text=True)
    assert saved.status_code == 302
    assert award_of(application).public_reason == "Youth work the area lacks"
    assert again.count("Youth work the area lacks") == 2  # the decision now, and the form


def test_every_form_that_decides_an_award_asks_for_the_reason_with_the_one_field(app):
    with app.test_request_context():
        labels = {form_class.__name__: form_class(formdata=None, meta={"csrf": False})
                  .public_reason.label.text
                  for form_class in (DecisionForm, ApproveForm, ConfirmSharesForm,
                                     TopSliceAwardForm, DirectAwardForm)}

    assert set(labels.values()) == {LABEL}
    # One rule: the message for a missing reason is written in one place only.
    writers = {module.relative for module in source.modules()
               if MISSING_PUBLIC_REASON in module.text}
    assert writers == {"awards/operations/public_reasons.py"}
