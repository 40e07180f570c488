"""The year as a state machine: random sequences of the services the pages call, over an open
round, a High Sheriff round and a Community Safety Fund allocation round of one financial year
(and past grants imported into it), with every rule that ties them together checked after each
step (tests/properties/year_checks.py).

Each example starts from a drawn point of the year (still taking applications, or assessing,
with the other rounds somewhere on their way), built through the services, then takes a few
steps. A step the service refuses must change nothing. Each example runs inside a savepoint
that is rolled back at its end; the people and reference data are made once.
"""

import io
import json
from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from grants.allocations.operations.confirmation import confirm_allocation
from grants.allocations.operations.proposal import propose_shares
from grants.allocations.operations.top_slice_awards import TopSliceAward, record_top_slice_award
from grants.applications.models import Application, ApplicationStatus
from grants.applications.operations.submission import submit_application
from grants.applications.operations.withdrawal import withdraw_application
from grants.assessment.models import EligibilityAnswerValue, Recommendation
from grants.assessment.operations.assignment import assign_reviewer
from grants.assessment.operations.declarations import declare as declare_as_reviewer
from grants.assessment.operations.ranking import rank_round
from grants.assessment.operations.reviews import CriterionAnswer, ReviewAnswers, save_review
from grants.assessment.operations.screening import AnswerInput, screen_application
from grants.awards.models import Award, AwardStatus, Payment
from grants.awards.operations import bank_details, offers, payments
from grants.core import clock
from grants.core.errors import Refusal
from grants.decisions.models import DecisionOutcome
from grants.decisions.operations.publishing import publish
from grants.decisions.operations.remaining import remaining_pence
from grants.decisions.operations.sign_off import sign_off, sign_off_problems
from grants.extensions import db
from grants.funds.models import Round
from grants.funds.operations.status import start_assessment
from grants.monitoring.operations.variations import agree_variation
from grants.nominations.models import Nomination, NominationStatus
from grants.nominations.operations.deciding import approve_nomination, decline_nomination
from grants.opendata.operations.importing import import_file
from tests.properties import year_checks
from tests.properties.year_bases import (
    PUBLIC_REASON,
    STARTS,
    build_bases,
    decide_as,
    nominate_in,
)
from tests.properties.year_world import (
    AFTER,
    DURING,
    SHERIFF_COUNTIES,
    Attached,
    World,
    build_world,
    in_year,
    past_grant,
)

# Enough examples in every profile (CI's is bounded and derandomised), three steps each after
# the drawn set-up.
YEAR_SETTINGS = settings(max_examples=max(200, settings().max_examples), deadline=None,
                         stateful_step_count=3,
                         suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.filter_too_much])
AMOUNTS = st.sampled_from([150_000, 250_000, 400_000])
PICK = st.integers(min_value=0, max_value=7)
EVERY_OPERATION = {
    "submit_application", "withdraw_application", "start_assessment", "screen_application",
    "assign_declare_and_score", "_decide", "sign_off", "publish", "accept_offer",
    "decline_offer", "pay_with_verified_details", "agree_variation", "_nominate",
    "approve_nomination", "decline_nomination", "propose_shares", "confirm_allocation",
    "record_top_slice_award", "import_file"}


class YearMachine(RuleBasedStateMachine):
    """Set on a subclass by the test: the world and the starting points made once, the clock's
    hand, and the states already checked."""

    world: World
    bases: list
    connection = None
    hand: list
    checked: set
    done: Counter  # the services that did something, by name, over the whole run

    def __init__(self) -> None:
        super().__init__()
        self.session = db.session
        # A fresh session inside a savepoint of the test's connection, rolled back at the end.
        self.session.remove()
        self.savepoint = self.connection.begin_nested()
        self.world = Attached(self.session, self.world)
        self.state = None  # the rows' state, when known to be current
        self.imported = 0

    @initialize(number=st.integers(min_value=0, max_value=len(STARTS) - 1))
    def start_from(self, number):
        """A drawn point of the year (tests/properties/year_bases.py)."""
        base = self.bases[number]
        self.year = Attached(self.session, base.year)
        self.hand[0] = base.now
        self.after = base.start.after
        self.published = set(base.published)
        self.confirmed = base.start.allocation != "ready"

    def _nominate(self, county: str, organisation_id: int, amount: int) -> Nomination:
        return nominate_in(self.session, self.year, county, organisation_id, amount)

    def _decide(self, application: Application, outcome: DecisionOutcome, amount: int | None):
        return decide_as(self.session, self.world.people.decider, application, outcome, amount)

    def teardown(self) -> None:
        self.session.remove()
        self.savepoint.rollback()

    # --- Steps -----------------------------------------------------------------------------

    def _snapshot(self) -> tuple:
        """The rows the steps change and the checks read, in the order they were made but
        without the ids the steps' rows were given (a PostgreSQL sequence does not go back
        when an example's savepoint is rolled back), so that equal states compare equal."""
        session = self.session
        return (
            tuple(session.execute(select(Round.code, Award.organisation_id,
                                         Award.nominating_county_id, Award.status,
                                         Award.amount_pence).join(Award.round)
                                  .order_by(Award.id)).all()),
            tuple(session.execute(select(Application.id, Application.status)
                                  .order_by(Application.id)).all()),
            tuple(session.execute(select(Nomination.county_id, Nomination.organisation_id,
                                         Nomination.status, Nomination.amount_pence)
                                  .order_by(Nomination.id))),
            tuple(session.execute(select(Round.code, Round.budget_pence,
                                         Round.decisions_signed_off_at,
                                         Round.decisions_published_at).order_by(Round.id))),
            tuple(session.execute(select(Payment.status, Payment.amount_pence)
                                  .order_by(Payment.id))),
        )

    def _attempt(self, step, *args, **values):
        """Run one service as a request would: committed when it answers, rolled back when it
        refuses, and then nothing may have changed."""
        before = self.state or self._snapshot()
        self.state = None
        try:
            result = step(*args, **values)
        except Refusal:
            self.session.rollback()
            self.state = self._snapshot()
            assert self.state == before, f"{step.__name__} refused but changed something"
            return None
        self.session.commit()
        self.done[step.__name__] += 1
        return result

    def _applications(self, *statuses: ApplicationStatus) -> list[Application]:
        return list(self.session.scalars(
            select(Application).where(Application.round_id == self.year.open.id,
                                      Application.status.in_(statuses))
            .order_by(Application.id)))

    def _nominations(self, *statuses: NominationStatus) -> list[Nomination]:
        return list(self.session.scalars(
            select(Nomination).where(Nomination.round_id == self.year.nomination.id,
                                     Nomination.status.in_(statuses)).order_by(Nomination.id)))

    def _awards(self, *statuses: AwardStatus) -> list[Award]:
        """Awards of the year's rounds to the organisations whose member takes the steps."""
        own = [o.id for o in self.world.organisations]
        return list(self.session.scalars(
            select(Award).where(Award.status.in_(statuses), Award.organisation_id.in_(own),
                                Award.round_id.in_([self.year.open.id,
                                                    self.year.nomination.id]))
            .options(joinedload(Award.round)).order_by(Award.id)))

    @staticmethod
    def _pick(items: list, index: int):
        return items[index % len(items)] if items else None

    @precondition(lambda self: not self.after)
    @rule(index=PICK)
    def submit(self, index):
        application = self._pick(self._applications(ApplicationStatus.DRAFT), index)
        if application is not None:
            self._attempt(submit_application, self.session, self.world.people.member,
                          application)

    @rule(index=PICK)
    def withdraw(self, index):
        application = self._pick(self._applications(
            ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE,
            ApplicationStatus.IN_REVIEW, ApplicationStatus.AWARDED), index)
        if application is not None:
            self._attempt(withdraw_application, self.session, self.world.people.member,
                          application, "We found other funding")

    @precondition(lambda self: not self.after)
    @rule()
    def time_passes(self):
        self.after = True
        self.hand[0] = in_year(AFTER, self.year.start)
        self._attempt(start_assessment, self.session, self.year.open,
                      actor_id=self.world.people.decider.id)

    @precondition(lambda self: self.after)
    @rule(index=PICK, ineligible=st.booleans())
    def screen(self, index, ineligible):
        application = self._pick(self._applications(ApplicationStatus.SUBMITTED), index)
        if application is None:
            return
        question = self.year.open.eligibility_questions[0]
        answer = EligibilityAnswerValue.NO if ineligible else EligibilityAnswerValue.YES
        self._attempt(screen_application, self.session, self.world.people.decider,
                      application, {question.id: AnswerInput(answer)},
                      reason="Not based in the Thames Valley" if ineligible else "")

    @precondition(lambda self: self.after)
    @rule(index=PICK, score=st.integers(min_value=1, max_value=9))
    def review(self, index, score):
        application = self._pick(self._applications(ApplicationStatus.ELIGIBLE), index)
        if application is None:
            return
        people = self.world.people
        criterion = self.year.open.scoring_criteria[0]

        def assign_declare_and_score():
            assignment = assign_reviewer(self.session, people.decider, application,
                                         people.reviewer)
            declare_as_reviewer(self.session, people.reviewer, assignment, has_conflict=False)
            return save_review(self.session, people.reviewer, assignment, ReviewAnswers(
                scores={criterion.id: CriterionAnswer(score, "Clear need")},
                recommendation=Recommendation.FUND, comment="A sound plan"), submit=True)

        self._attempt(assign_declare_and_score)

    @precondition(lambda self: self.after and self.year.open.id not in self.published)
    @rule(index=PICK, outcome=st.sampled_from(DecisionOutcome), part=AMOUNTS)
    def decide_one(self, index, outcome, part):
        waiting = self._applications(ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
        decided = self._applications(ApplicationStatus.AWARDED, ApplicationStatus.DECLINED)
        application = self._pick(waiting + decided, index)  # first, those waiting
        if application is not None:
            self._attempt(self._decide, application, outcome, part)

    @precondition(lambda self: len(self.published) < 3)
    @rule(index=PICK)
    def sign_off_and_publish(self, index):
        """Sign off and publish a round's decisions: first choice, one staff may sign off."""
        checker = self.world.people.checker
        rounds = [r for r in (self.year.open, self.year.nomination, self.year.allocation)
                  if r.id not in self.published]
        rounds.sort(key=lambda r: bool(sign_off_problems(self.session, r, checker)))
        round_ = self._pick(rounds, index)
        if self._attempt(sign_off, self.session, self.world.people.checker, round_.id):
            if self._attempt(publish, self.session, self.world.people.decider, round_.id):
                self.published.add(round_.id)

    @precondition(lambda self: self.published)
    @rule(index=PICK, decline=st.booleans())
    def answer_offer(self, index, decline):
        award = self._pick(self._awards(AwardStatus.OFFERED), index)
        if award is None:
            return
        member = self.world.people.member
        if not decline:
            self._attempt(offers.accept_offer, self.session, member, award, name="Jo Member",
                          position="Treasurer", accepted_on=clock.today_in_london(),
                          confirmed=True)
        else:
            self._attempt(offers.decline_offer, self.session, member, award,
                          "We no longer need it")

    @precondition(lambda self: self.published)
    @rule(index=PICK, share=st.sampled_from([2, 1]))
    def pay(self, index, share):
        award = self._pick(self._awards(AwardStatus.ACCEPTED), index)
        if award is None:
            return
        people = self.world.people

        def pay_with_verified_details():
            details = bank_details.save_bank_details(
                self.session, people.member, award, account_name=award.organisation.name,
                sort_code="309430", account_number="00733445")
            bank_details.verify_bank_details(self.session, people.checker, award, details.id)
            payment = payments.record_payment(
                self.session, people.decider, award, paid_on=clock.today_in_london(),
                amount_pence=award.amount_pence // share, reference="BACS 1")
            return payments.approve_payment(self.session, people.checker, payment)

        self._attempt(pay_with_verified_details)

    @precondition(lambda self: self.published)
    @rule(index=PICK, months=st.sampled_from([-3, 6]))
    def vary(self, index, months):
        award = self._pick(self._awards(AwardStatus.ACCEPTED, AwardStatus.PAID), index)
        if award is None:
            return
        end = (award.planned_end or date(self.year.start + 1, 9, 30)) + timedelta(
            days=30 * months)
        self._attempt(agree_variation, self.session, self.world.people.decider, award,
                      new_end_on=end, changed_purpose="", reason="Agreed at the review")

    @precondition(lambda self: not self.after)
    @rule(county=st.sampled_from(SHERIFF_COUNTIES), index=PICK,
          amount=st.sampled_from([50_000, 100_000, 150_000]))
    def nominate_one(self, county, index, amount):
        organisation = self._pick(self.world.organisations, index)
        self._attempt(self._nominate, county, organisation.id, amount)

    @rule(index=PICK, decline=st.booleans())
    def answer_nomination(self, index, decline):
        nomination = self._pick(self._nominations(NominationStatus.SUBMITTED), index)
        if nomination is None:
            return
        if not decline:
            self._attempt(approve_nomination, self.session, self.world.people.decider,
                          nomination.id, public_reason=PUBLIC_REASON)
        else:
            self._attempt(decline_nomination, self.session, self.world.people.decider,
                          nomination.id, "Another nomination serves the county better")

    @precondition(lambda self: not self.confirmed)
    @rule()
    def allocate(self):
        people, round_id = self.world.people, self.year.allocation.id
        if self._attempt(propose_shares, self.session, people.decider, round_id) is not None:
            self.confirmed = bool(self._attempt(confirm_allocation, self.session,
                                                people.decider, round_id,
                                                public_reason=PUBLIC_REASON))

    @rule(amount=st.sampled_from([50_000, 100_000, 150_000]), index=PICK)
    def top_slice(self, amount, index):
        priority = self.world.plan.priorities[0]
        self._attempt(record_top_slice_award, self.session, self.world.people.decider,
                      self.year.allocation.id, TopSliceAward(
                          organisation_id=self._pick(self.world.councils, index).id,
                          amount_pence=amount, priority_id=priority.id,
                          key_aim_ids=[priority.key_aims[0].id], public_reason=PUBLIC_REASON,
                          title="Cybercrime initiatives"))

    @rule(into=st.sampled_from([None, "open", "nomination", "allocation"]),
          pounds=st.sampled_from([1_500, 4_000, 12_000]),
          county=st.sampled_from(SHERIFF_COUNTIES))
    def import_past_grant(self, into, pounds, county):
        """A 360Giving grant into a round of its own, or into a round the service holds: that
        is taken only once the round's decisions are published, and within its budget (and
        the county's allocation)."""
        self.imported += 1
        round_ = getattr(self.year, into) if into else None
        code = round_.code if round_ else f"PAST-{self.year.start}-{self.imported}"
        grant = past_grant(f"360G-other-{self.imported}", code, pounds,
                           f"{self.year.start}-06-01", county if into == "nomination" else None)
        fund = "CSF" if into == "allocation" else "PPAF"
        left = remaining_pence(self.session, round_) if round_ else None
        county_left = (year_checks.county_left(self.session, round_, county)
                       if into == "nomination" else None)
        summary = self._attempt(import_file, self.session,
                                io.BytesIO(json.dumps({"grants": [grant]}).encode()),
                                "past.json", fund, prefix="360G-tvopcc")
        may_join = round_ is None or (
            round_.id in self.published and pounds * 100 <= left
            and (county_left is None or pounds * 100 <= county_left))
        assert (summary is not None) == may_join, (
            f"importing £{pounds} into {code} was {'taken' if summary else 'refused'}")
        if round_ is None:
            self.published.add(self.session.scalars(select(Round.id).where(
                Round.code == code)).one())

    # --- After every step ------------------------------------------------------------------

    @invariant()
    def the_year_agrees(self):
        """Every rule of the year holds. The checks read nothing but the rows, so a state
        already checked (this run) is not checked again."""
        self.state = self.state or self._snapshot()
        # The checks read one year's rows and what the steps published: with the same rows
        # (of every year), the same year and the same rounds published, they answer the same.
        checking = (self.year.start, frozenset(self.published), self.state)
        if checking in self.checked:
            return
        session, year = self.session, self.year
        rounds = list(session.scalars(select(Round).where(Round.financial_year == year.name)
                                      .order_by(Round.id)))
        year_checks.check_budgets(session, rounds)
        year_checks.check_counties(session, year.nomination)
        assert rank_round(session, year.open.id).remaining_pence == remaining_pence(
            session, year.open), "the ranking's remaining is not the guard's"
        held = year_checks.held_awards(session, year.name)
        year_checks.check_publication(held, self.published)
        year_checks.check_outsiders_agree(session, held, year.name)
        for round_ in rounds:
            year_checks.check_round_report(session, round_, held)
        self.checked.add(checking)


def test_the_year_keeps_its_rules_whatever_the_order_of_its_steps(db_session, monkeypatch):
    hand = [DURING]
    monkeypatch.setattr(clock, "utcnow", lambda: hand[0])
    world = build_world(db_session)
    bases = build_bases(db_session, world, hand)
    done = Counter()
    machine = type("Year", (YearMachine,), {
        "world": world, "bases": bases, "hand": hand, "checked": set(), "done": done,
        "connection": db.engines[None]})
    run_state_machine_as_test(machine, settings=YEAR_SETTINGS)
    # Every operation did something real in some example, not only its refusals.
    assert set(done) == EVERY_OPERATION, f"never done: {EVERY_OPERATION - set(done)}"
