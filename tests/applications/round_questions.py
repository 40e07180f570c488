"""Giving a round its own questions, for the tests of applying to it."""

from grants.extensions import db
from grants.funds.models import QuestionKind, QuestionSection, Round, RoundQuestion


def question(wording: str, kind: QuestionKind, **details) -> RoundQuestion:
    return RoundQuestion(wording=wording, kind=kind, **details)


def ask(round_: Round, title: str, *questions: RoundQuestion) -> QuestionSection:
    """A section of the round's own questions, after any it has; committed (to the test's
    savepoint), so that a request that rolls back keeps it."""
    section = QuestionSection(title=title, position=len(round_.question_sections) + 1)
    for position, item in enumerate(questions, 1):
        item.position = position
        section.questions.append(item)
    round_.question_sections.append(section)
    db.session.commit()
    return section


def when(item: RoundQuestion, condition: RoundQuestion, answer: str) -> RoundQuestion:
    """The question, asked only if `condition` has `answer`."""
    item.condition_question = condition
    item.condition_answer = answer
    return item
