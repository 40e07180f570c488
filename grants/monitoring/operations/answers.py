"""The rules a recipient's answers must pass: as typed (for a draft) and complete (to send)."""

from dataclasses import dataclass

from grants.awards.models import AwardSource
from grants.core.errors import unanswered
from grants.core.money import format_pounds
from grants.core.translatable import N_, Words
from grants.monitoring.models import MonitoringReport, ReportKind
from grants.monitoring.operations.wording import count_words

DELIVERED_WORDS = 500
OUTCOMES_WORDS = 500
CASE_STUDY_WORDS = 500
MAX_BENEFICIARIES = 10_000_000
MAX_PROJECTS = 20
MAX_PROJECT_NAME = 300
PROJECT_DESCRIPTION_WORDS = 250


@dataclass(frozen=True)
class ProjectAnswer:
    """A project funded, as the recipient typed it (a line left blank is not a project)."""

    name: str = ""
    description: str = ""
    spent_pence: int | None = None
    priority_ids: tuple[int, ...] = ()
    key_aim_ids: tuple[int, ...] = ()

    @property
    def is_blank(self) -> bool:
        return not (self.name.strip() or self.description.strip() or self.priority_ids
                    or self.key_aim_ids or self.spent_pence is not None)


@dataclass(frozen=True)
class ReportAnswers:
    """What the recipient typed, already turned into numbers where they are numbers."""

    delivered: str = ""
    outcomes_achieved: str = ""
    beneficiaries_reached: int | None = None
    spent_pence: int | None = None
    underspend_pence: int | None = None
    case_study: str = ""
    # The projects funded, for returns that list them (None: leave the report's as they are).
    projects: tuple[ProjectAnswer, ...] | None = None


def reports_projects(award) -> bool:
    """Formula allocations to councils and partnerships are spent on projects of their
    choosing, so their returns list each project and the priorities it supports."""
    return award.source is AwardSource.ALLOCATION


def expected_underspend(report: MonitoringReport, spent_pence: int) -> int:
    """What an end-of-grant report must return: the award less what was spent, or nothing."""
    return max(report.award.amount_pence - spent_pence, 0)


def kept_projects(report: MonitoringReport, projects: tuple[ProjectAnswer, ...] | None
                  ) -> tuple[ProjectAnswer, ...] | None:
    """The projects typed, without blank lines and trimmed; None for returns without them."""
    if projects is None or not reports_projects(report.award):
        return None
    return tuple(ProjectAnswer(name=" ".join(p.name.split()), description=p.description.strip(),
                               spent_pence=p.spent_pence, priority_ids=tuple(p.priority_ids),
                               key_aim_ids=tuple(p.key_aim_ids))
                 for p in projects if not p.is_blank)


def _project_errors(projects: tuple[ProjectAnswer, ...]) -> dict[str, str]:
    """What is wrong with each project typed, keyed by its line's fields (project_0_name)."""
    errors = {}
    if len(projects) > MAX_PROJECTS:
        errors["project_0_name"] = Words(N_("List %(most)s projects or fewer"),
                                         most=MAX_PROJECTS)
    for index, project in enumerate(projects):
        prefix, number = f"project_{index}_", index + 1
        if not project.name:
            errors[prefix + "name"] = Words(N_("Enter the name of project %(number)s"),
                                            number=number)
        elif len(project.name) > MAX_PROJECT_NAME:
            errors[prefix + "name"] = Words(
                N_("The name of project %(number)s must be %(most)s characters or fewer"),
                number=number, most=MAX_PROJECT_NAME)
        if count_words(project.description) > PROJECT_DESCRIPTION_WORDS:
            errors[prefix + "description"] = Words(
                N_("The description of project %(number)s must be %(most)s words or fewer"),
                number=number, most=PROJECT_DESCRIPTION_WORDS)
        if project.spent_pence is None:
            errors[prefix + "spent"] = Words(N_("Enter how much was spent on project "
                                                "%(number)s"), number=number)
        elif project.spent_pence < 0:
            errors[prefix + "spent"] = N_("Enter an amount of £0 or more")
    return errors


def _project_completeness_errors(answers: ReportAnswers) -> dict[str, str]:
    projects = answers.projects or ()
    if not projects:
        return {"project_0_name": N_("List at least one project the grant funded")}
    errors = {}
    for index, project in enumerate(projects):
        prefix, number = f"project_{index}_", index + 1
        if not project.priority_ids and not project.key_aim_ids:
            errors[prefix + "priorities"] = Words(
                N_("Choose the priorities project %(number)s supports"), number=number)
    total = sum(p.spent_pence or 0 for p in projects)
    if not errors and answers.spent_pence is not None and total > answers.spent_pence:
        errors["spent"] = Words(
            N_("The projects' spending adds up to %(total)s, more than the %(spent)s you say "
               "you spent"), total=format_pounds(total), spent=format_pounds(answers.spent_pence))
    return errors


def answer_errors(answers: ReportAnswers) -> dict[str, str]:
    """What is wrong with the answers as typed, whether sending or saving a draft."""
    errors = _project_errors(answers.projects or ())
    for field, words, name in [("delivered", DELIVERED_WORDS, N_("What you delivered")),
                               ("outcomes_achieved", OUTCOMES_WORDS, N_("Outcomes achieved")),
                               ("case_study", CASE_STUDY_WORDS, N_("Case study"))]:
        if count_words(getattr(answers, field)) > words:
            errors[field] = Words(N_("%(name)s must be %(limit)s words or fewer"),
                                  name=Words(name), limit=words)
    reached = answers.beneficiaries_reached
    if reached is not None and reached < 0:
        errors["beneficiaries_reached"] = N_("Enter a number of people of 0 or more")
    elif reached is not None and reached > MAX_BENEFICIARIES:
        errors["beneficiaries_reached"] = Words(
            N_("Enter a number of people of %(most)s or fewer"),
            most=format(MAX_BENEFICIARIES, ","))
    if answers.spent_pence is not None and answers.spent_pence < 0:
        errors["spent"] = N_("Enter an amount of £0 or more")
    if answers.underspend_pence is not None and answers.underspend_pence < 0:
        errors["underspend"] = N_("Enter an amount of £0 or more")
    return errors


def completeness_errors(report: MonitoringReport, answers: ReportAnswers) -> dict[str, str]:
    """What a report still needs before it can be sent."""
    errors = unanswered(
        delivered=(answers.delivered, N_("Describe what the project delivered")),
        outcomes_achieved=(answers.outcomes_achieved, N_("Describe the outcomes achieved")),
        beneficiaries_reached=(answers.beneficiaries_reached,
                               N_("Enter how many people the project reached")),
        spent=(answers.spent_pence, N_("Enter how much of the grant was spent")))
    if answers.spent_pence is not None and report.kind is ReportKind.END_OF_GRANT:
        message = _underspend_error(report, answers.spent_pence, answers.underspend_pence)
        if message:
            errors["underspend"] = message
    if answers.projects is not None:
        errors = {**_project_completeness_errors(answers), **errors}
    return errors


def _underspend_error(report: MonitoringReport, spent_pence: int,
                      underspend_pence: int | None) -> str | None:
    """The underspend must be the grant less what was spent (nothing when all was spent)."""
    amount = report.award.amount_pence
    expected = expected_underspend(report, spent_pence)
    if expected == 0:
        if underspend_pence:
            return Words(N_("You spent %(spent)s of the grant of %(amount)s, so there is no "
                            "underspend to return. Enter 0"),
                         spent=format_pounds(spent_pence), amount=format_pounds(amount))
        return None
    figures = {"expected": format_pounds(expected), "amount": format_pounds(amount),
               "spent": format_pounds(spent_pence)}
    if underspend_pence is None:
        return Words(N_("Enter the underspend to return: %(expected)s (the grant of "
                        "%(amount)s less the %(spent)s spent)"), **figures)
    if underspend_pence != expected:
        return Words(N_("The underspend to return must be %(expected)s: the grant of "
                        "%(amount)s less the %(spent)s spent"), **figures)
    return None
