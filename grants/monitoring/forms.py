"""Forms for monitoring: the recipient's report, and staff asking for more, recording a
repayment and agreeing a variation. The services check the same rules again; the forms say
what is wrong with each field as it was typed."""

import re
from datetime import date, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextInput
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from grants.core.fields import COUNTED, date_field, text_field
from grants.core.money import pounds_text
from grants.core.translatable import lazy_text as _l
from grants.core.validators import Pounds, WordLimit
from grants.core.validators import strip_text as _strip
from grants.core.widgets import CharacterCount, TextInput
from grants.documents.operations import checks as documents
from grants.monitoring.operations import answers as rules
from grants.monitoring.operations import repayments, review, variations

_WHOLE_NUMBER = re.compile(r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$")


class OptionalWholeNumber:
    """Blank, or a whole number of 0 or more (commas allowed); kept on the field as `number`."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        field.number = None
        value = (field.data or "").replace(" ", "")
        if not value:
            return
        if not _WHOLE_NUMBER.match(value):
            raise ValidationError(self.message)
        field.number = int(value.replace(",", ""))


def _words_field(label: str, words: int, named: str, hint: str = "") -> TextAreaField:
    """An answer of at most `words` words, which may be blank in a draft; its words in the
    page's language."""
    limit = (_l("%(hint)s %(words)s words or fewer.", hint=hint, words=words) if hint
             else _l("%(words)s words or fewer.", words=words))
    return TextAreaField(
        label, filters=[_strip], description=limit,
        validators=[WordLimit(words, named)], widget=CharacterCount())


class ReportForm(FlaskForm):
    """The recipient's report. Every answer may be blank in a draft; the service says what a
    report needs before it is sent."""

    delivered = _words_field(
        _l("What did the project deliver?"), rules.DELIVERED_WORDS, _l("What you delivered"),
        _l("The activities, sessions or services you ran with the grant."))
    outcomes_achieved = _words_field(
        _l("What outcomes did the project achieve?"), rules.OUTCOMES_WORDS,
        _l("Outcomes achieved"),
        _l("Against the outcomes you promised in your application, shown above."))
    beneficiaries_reached = StringField(
        _l("How many people did the project reach?"), filters=[_strip],
        description=_l("A whole number, like 250."),
        validators=[OptionalWholeNumber(_l("Enter the number of people as a whole number, "
                                           "like 250"))],
        widget=TextInput())
    spent = StringField(
        _l("How much of the grant did you spend?"), filters=[_strip],
        description=_l("In pounds, like 2450 or £2,450.50."),
        validators=[Pounds()], widget=TextInput())
    underspend = StringField(
        _l("Underspend to return"), filters=[_strip],
        description=_l("The grant less what you spent, in pounds. Enter 0 if you spent all of "
                       "it."),
        validators=[Pounds()], widget=TextInput())
    case_study = _words_field(
        _l("Case study (optional)"), rules.CASE_STUDY_WORDS, _l("Case study"),
        _l("The story of one person or group the project helped, without their name."))
    document_file = FileField(
        _l("Add a document (optional)"),
        description=_l("For example, photos, an evaluation or accounts. A %(formats)s, smaller "
                       "than %(megabytes)sMB.", formats=documents.ALLOWED_TEXT,
                       megabytes=documents.MAX_MEGABYTES),
        widget=GovFileInput())

    def fill_from(self, report) -> None:
        """The saved answers, for a first visit."""
        self.delivered.data = report.delivered
        self.outcomes_achieved.data = report.outcomes_achieved
        reached = report.beneficiaries_reached
        self.beneficiaries_reached.data = str(reached) if reached is not None else ""
        self.spent.data = pounds_text(report.spent_pence)
        self.underspend.data = pounds_text(report.underspend_pence)
        self.case_study.data = report.case_study

    # Lines for the projects funded; 0 for reports that do not list projects.
    project_lines = 0

    def answers(self) -> rules.ReportAnswers:
        """The checked answers (call after validating)."""
        return rules.ReportAnswers(
            delivered=self.delivered.data or "",
            outcomes_achieved=self.outcomes_achieved.data or "",
            beneficiaries_reached=getattr(self.beneficiaries_reached, "number", None),
            spent_pence=getattr(self.spent, "pence", None),
            underspend_pence=getattr(self.underspend, "pence", None),
            case_study=self.case_study.data or "",
            projects=self.projects() if self.project_lines else None)

    def projects(self) -> tuple[rules.ProjectAnswer, ...]:
        return tuple(rules.ProjectAnswer(
            name=self[f"project_{i}_name"].data or "",
            description=self[f"project_{i}_description"].data or "",
            spent_pence=getattr(self[f"project_{i}_spent"], "pence", None),
            priority_ids=tuple(self[f"project_{i}_priorities"].data or ()),
            key_aim_ids=tuple(self[f"project_{i}_key_aims"].data or ()))
            for i in range(self.project_lines))

    def fill_projects_from(self, report) -> None:
        for index, project in enumerate(report.projects[:self.project_lines]):
            self[f"project_{index}_name"].data = project.name
            self[f"project_{index}_description"].data = project.description
            self[f"project_{index}_spent"].data = pounds_text(project.spent_pence)
            self[f"project_{index}_priorities"].data = [p.id for p in project.priorities]
            self[f"project_{index}_key_aims"].data = [a.id for a in project.key_aims]

    def set_project_choices(self, priorities) -> None:
        for index in range(self.project_lines):
            self[f"project_{index}_priorities"].choices = [
                (p.id, f"{p.code} {p.title}") for p in priorities]
            self[f"project_{index}_key_aims"].choices = [
                (a.id, f"{a.code} {a.text}") for p in priorities for a in p.key_aims]


def project_line_count(report) -> int:
    """Lines for projects: those listed and two more, at least three."""
    return min(max(len(report.projects) + 2, 3), rules.MAX_PROJECTS)


def report_form_class(report) -> type[ReportForm]:
    """The report form, with lines for the projects funded when the return lists them."""
    if not rules.reports_projects(report.award):
        return ReportForm
    lines = project_line_count(report)

    class ProjectsReportForm(ReportForm):
        project_lines = lines

    for index in range(lines):
        number = index + 1
        setattr(ProjectsReportForm, f"project_{index}_name", text_field(
            _l("Project name"), limit=rules.MAX_PROJECT_NAME,
            named=_l("The name of project %(number)s", number=number)))
        setattr(ProjectsReportForm, f"project_{index}_description", _words_field(
            _l("What the project did (optional)"), rules.PROJECT_DESCRIPTION_WORDS,
            _l("The description of project %(number)s", number=number)))
        setattr(ProjectsReportForm, f"project_{index}_spent", StringField(
            _l("Spent on the project"), filters=[_strip],
            description=_l("In pounds, like 12500."), validators=[Pounds()],
            widget=TextInput()))
        setattr(ProjectsReportForm, f"project_{index}_priorities", SelectMultipleField(
            _l("Priorities it supports"), coerce=int,
            invalid_choice_message=_l("Choose priorities from the list")))
        setattr(ProjectsReportForm, f"project_{index}_key_aims", SelectMultipleField(
            _l("Key aims it supports"), coerce=int,
            invalid_choice_message=_l("Choose key aims from the list")))
    return ProjectsReportForm


class MoreInformationForm(FlaskForm):
    comment = text_field(
        "What more do you need?", limit=review.MAX_COMMENT, named="What you need",
        required="Enter what more you need from the recipient", kind=COUNTED,
        description="The recipient is sent this by email and sees it on their report.")


class RepaymentForm(FlaskForm):
    amount = StringField(
        "Amount repaid", filters=[_strip], description="In pounds, like 350 or £350.50.",
        validators=[DataRequired("Enter the amount repaid"), Pounds(allow_zero=False)],
        widget=GovTextInput())
    received_on = date_field("Date received", example="3 4 2028",
                             required="Enter the date the repayment was received")
    reference = text_field(
        "Reference", limit=repayments.MAX_REFERENCE, named="The reference",
        required="Enter the repayment reference",
        description="The reference on the bank transfer or the finance system")


class OptionalDate:
    """A date that may be left blank, but not half typed or impossible: blank gives None.
    (It replaces the DateField's own "not a valid date" error with one for people.)"""

    def __call__(self, form, field) -> None:
        parts = [part.strip() for part in (field.raw_data or [])]
        if not any(parts):
            field.errors[:] = []
            field.data = None
            return
        try:
            field.data = datetime.strptime(" ".join(parts), "%d %m %Y").date()
        except ValueError:
            field.errors[:] = []
            raise ValidationError("Enter the new end date as a real date, like 31 3 2028") \
                from None


class VariationForm(FlaskForm):
    new_end_on = date_field("New end date (if it changes)", example="31 3 2028",
                            validators=[OptionalDate()])
    changed_purpose = text_field(
        "Changed purpose (if it changes)", limit=variations.MAX_PURPOSE,
        named="The changed purpose", kind=COUNTED,
        description="What the grant may now be spent on.")
    reason = text_field(
        "Why was the change agreed?", limit=variations.MAX_REASON, named="The reason",
        required="Enter why the change was agreed", kind=COUNTED,
        description="The recipient is sent this by email.")

    def new_end(self) -> date | None:
        return self.new_end_on.data
