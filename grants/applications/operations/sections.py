"""The sections of an application's task list, in the order people fill them in."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    # What the section asks, for the task list's hint text.
    hint: str
    # The page that edits it: the generic section page, or a page of its own.
    endpoint: str = "applications.edit_section"


SECTIONS = (
    Section("organisation", "Your organisation",
            "Check the details we hold about your organisation"),
    Section("project", "Your project", "What you will do, when, and a short summary"),
    Section("priorities", "Priorities and key aims",
            "Which of the round's priorities your project supports"),
    Section("areas", "Areas served", "Where the people your project helps live"),
    Section("budget", "Budget", "How much you are asking for and what you will spend it on"),
    Section("outcomes", "Outcomes and beneficiaries",
            "What will change, and for whom"),
    Section("documents", "Documents",
            "Your safeguarding policy, latest accounts and governing document",
            endpoint="applications.documents"),
    Section("declarations", "Declaration", "Confirm the application is true and complete"),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def next_section(key: str) -> Section | None:
    """The section after this one, or None after the last."""
    keys = [section.key for section in SECTIONS]
    position = keys.index(key)
    return SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None
