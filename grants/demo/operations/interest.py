"""The demo's round that starts with an expression of interest: open for a few days, the
stage closing in eleven, with a section of questions asked at both stages. The demo applicant
has one ready to send; other organisations sent theirs: one waits for staff's answer, one was
invited to apply and one declined with a reason."""

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from grants.accounts.models import User
from grants.accounts.operations.settings import AccountSettings
from grants.core import clock
from grants.demo.operations.people import contact_user
from grants.demo.operations.rounds import london_at, open_kind_round
from grants.funds.models import Fund, QuestionKind, QuestionSection, Round, RoundQuestion
from grants.interest.operations import deciding, drafting
from grants.offices.operations.speaking import office_facts
from grants.organisations.models import Organisation
from grants.plans.models import Plan

logger = logging.getLogger(__name__)

WHO = "Who will the project mainly help?"
WHO_CHOICES = ["Young people", "Victims of crime", "Older people", "Everyone in the area"]
POLICE = "Have you worked with {office.force} before?"

# (organisation index, title, amount in pounds, who it helps, worked with the police, what
# staff answered: None (waiting), "invite", or the reason it was declined)
SENT = (
    (1, "Safe homes after domestic abuse", 8_000, "Victims of crime", "Yes", None),
    (2, "Detached youth work on Friday nights", 9_500, "Young people", "No", "invite"),
    (4, "A recovery cafe for people leaving custody", 6_000, "Everyone in the area", "No",
     "The round funds work to prevent violence against young people. A recovery cafe fits "
     "the Community Safety Fund's next round better: we will send you its dates."),
)


def _stage_round(session: Session, fund: Fund, plan: Plan) -> Round:
    today = clock.today_in_london()
    round_ = open_kind_round(
        session, fund, plan, opens_at=london_at(today - timedelta(days=3), 9),
        closes_at=london_at(today + timedelta(days=42), 12), budget_pence=50_000_00,
        priorities=("P1",),
        guidance=("This round funds work that prevents violence against young people. It "
                  "starts with a short expression of interest: tell us your idea in a few "
                  "answers, and we will invite the projects that fit to make a full "
                  "application."))
    round_.interest_closes_at = london_at(today + timedelta(days=11), 12)
    round_.question_sections = [QuestionSection(
        position=1, title="Your idea", in_interest=True, questions=[
            RoundQuestion(position=1, kind=QuestionKind.ONE_CHOICE, wording=WHO,
                          choices=WHO_CHOICES),
            RoundQuestion(position=2, kind=QuestionKind.YES_NO, wording=POLICE.format(
                office=office_facts(session, fund.office_id)))])]
    session.add(round_)
    session.flush()
    return round_


def _answered(session: Session, author: User, round_: Round, organisation: Organisation,
              title: str, pounds: int, who: str, police: str):
    interest, _ = drafting.start_interest(session, author, round_, organisation)
    who_question, police_question = round_.question_sections[0].questions
    drafting.save_interest(session, interest, drafting.InterestAnswers(
        title=title, summary=f"{title}, run by {organisation.name} with local partners.",
        amount_pence=pounds * 100, values={who_question.id: who, police_question.id: police}),
        complete=True, actor_id=author.id)
    return interest


def seed_demo_interest(session: Session, settings: AccountSettings, fund: Fund, plan: Plan,
                       organisations: list[Organisation], users: dict[str, User]) -> Round:
    round_ = _stage_round(session, fund, plan)
    staff = users["staff@example.org"]
    _answered(session, users["applicant@example.org"], round_, organisations[0],
              "Street mentors for teenagers", 7_500, "Young people", "Yes")
    for index, title, pounds, who, police, answer in SENT:
        organisation = organisations[index]
        author = contact_user(session, settings, organisation)
        interest = _answered(session, author, round_, organisation, title, pounds, who, police)
        drafting.send_interest(session, author, interest)
        if answer == "invite":
            deciding.invite(session, staff, interest)
        elif answer:
            deciding.decline(session, staff, interest, answer)
    logger.info("seed-demo: round %s starts with an expression of interest", round_.code)
    return round_
