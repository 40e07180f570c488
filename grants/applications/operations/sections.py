"""The sections of an application's task list, in the order people fill them in."""

from dataclasses import dataclass

from grants.core.translatable import N_
from grants.funds.models import Round


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    # What the section asks, for the task list's hint text.
    hint: str
    # The page that edits it: the generic section page, or a page of its own.
    endpoint: str = "applications.edit_section"
    # For a section of the round's own questions: its id (None for the sections every round
    # asks).
    question_section_id: int | None = None

    @property
    def template(self) -> str:
        """The page's template: one of its own, or the one every section of questions uses."""
        if self.question_section_id is not None:
            return "applications/sections/questions.html"
        return f"applications/sections/{self.key}.html"


# Titles and hints are marked for the catalogue, and said in the page's language where shown
# (a round's own sections are titled by staff: their titles are shown as typed).
SECTIONS = (
    Section("organisation", N_("Your organisation"),
            N_("Check the details we hold about your organisation")),
    Section("project", N_("Your project"), N_("What you will do, when, and a short summary")),
    Section("priorities", N_("Priorities and key aims"),
            N_("Which of the round's priorities your project supports")),
    Section("areas", N_("Areas served"), N_("Where the people your project helps live")),
    Section("budget", N_("Budget"),
            N_("How much you are asking for and what you will spend it on")),
    Section("outcomes", N_("Outcomes and beneficiaries"),
            N_("What will change, and for whom")),
    Section("documents", N_("Documents"),
            N_("Your safeguarding policy, latest accounts and governing document"),
            endpoint="applications.documents"),
    Section("declarations", N_("Declaration"),
            N_("Confirm the application is true and complete")),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
# The round's own sections of questions come after these, before the documents.
_BEFORE_ROUNDS_OWN = "documents"
QUESTIONS_KEY_PREFIX = "questions-"


def questions_key(question_section_id: int) -> str:
    return f"{QUESTIONS_KEY_PREFIX}{question_section_id}"


def sections_for(round_: Round) -> tuple[Section, ...]:
    """The task list of an application to this round: the sections every round asks, with the
    round's own sections of questions before the documents."""
    own = tuple(
        Section(questions_key(section.id), section.title, N_("Questions this round asks"),
                question_section_id=section.id)
        for section in round_.question_sections)
    split = [section.key for section in SECTIONS].index(_BEFORE_ROUNDS_OWN)
    return SECTIONS[:split] + own + SECTIONS[split:]


def section_for(round_: Round, key: str) -> Section | None:
    """The section of this round's task list with this key, or None."""
    if not key.startswith(QUESTIONS_KEY_PREFIX):
        return SECTIONS_BY_KEY.get(key)
    return next((section for section in sections_for(round_) if section.key == key), None)


def next_section(key: str, round_: Round) -> Section | None:
    """The section after this one in the round's task list, or None after the last."""
    sections = sections_for(round_)
    keys = [section.key for section in sections]
    position = keys.index(key)
    return sections[position + 1] if position + 1 < len(sections) else None
