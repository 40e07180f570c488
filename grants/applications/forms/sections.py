"""One form per section of the application.

Each section form knows how to fill itself from the application's checked answers
(`initial_data`) and what it contributes to the application (`apply`, which checks the
round's rules and writes the answers; it raises ValidationFailed).
"""

from datetime import date

from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovTextInput,
)
from sqlalchemy.orm import Session
from wtforms import (
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from grants.applications.forms.section_base import HintedRadioInput, SectionForm
from grants.applications.models import Application
from grants.applications.operations import rules
from grants.core.fields import DateBoxesField
from grants.core.money import pounds_text
from grants.core.validators import Pounds, WholeNumber, WordLimit
from grants.core.validators import strip_text as _strip
from grants.extensions import db


class ProjectForm(SectionForm):
    title = StringField(
        "Project title", filters=[_strip],
        validators=[DataRequired("Enter a title for your project"),
                    Length(max=200, message="Project title must be 200 characters or fewer")],
        widget=GovTextInput())
    summary = TextAreaField(
        "Summary", filters=[_strip],
        description="Describe your project in 100 words or fewer. We may publish this summary "
                    "if you are awarded a grant.",
        validators=[DataRequired("Enter a summary of your project"), WordLimit(100)],
        widget=GovCharacterCount())
    description = TextAreaField(
        "Project description", filters=[_strip],
        description="What you will do, who will do it and how. 500 words or fewer.",
        validators=[DataRequired("Describe your project"), WordLimit(500)],
        widget=GovCharacterCount())
    planned_start = DateBoxesField(
        "When will the project start?", description="For example, 1 4 2027",
        validators=[InputRequired("Enter the date the project will start")])
    planned_end = DateBoxesField(
        "When will the project end?", description="For example, 31 3 2028",
        validators=[InputRequired("Enter the date the project will end")])

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        return {"title": application.title, "summary": application.summary,
                "description": application.description,
                "planned_start": application.planned_start,
                "planned_end": application.planned_end}

    def apply(self):
        title, summary, description = self.title.data, self.summary.data, self.description.data
        start: date = self.planned_start.data
        end: date = self.planned_end.data

        def _apply(session: Session, application: Application) -> None:
            rules.apply_project(session, application, title=title, summary=summary,
                                description=description, planned_start=start,
                                planned_end=end)

        return _apply


class OrganisationSectionForm(SectionForm):
    details_correct = RadioField(
        "Are these details correct?", coerce=str, validate_choice=False,
        choices=[(rules.DETAILS_CORRECT, "Yes"),
                 (rules.DETAILS_TO_CHANGE, "No, I need to change them")],
        validators=[InputRequired("Select yes if your organisation's details are correct")],
        widget=GovRadioInput())

    def apply(self):
        answer = self.details_correct.data

        def _apply(session: Session, application: Application) -> None:
            rules.apply_organisation(session, application, details_correct=answer)

        return _apply


class PrioritiesForm(SectionForm):
    primary_priority = RadioField(
        "What is your project's primary priority?",
        description="Choose the one priority your project does most for. We use it to report "
                    "how the round's money is spent.",
        coerce=str, validate_choice=False,
        validators=[InputRequired("Select your project's primary priority")],
        widget=HintedRadioInput())
    further_priorities = SelectMultipleField(
        "Which other priorities does your project support? (optional)",
        description="Select all that apply. You do not need to select your primary priority "
                    "again.",
        coerce=str, validate_choice=False, widget=GovCheckboxesInput())
    key_aims = SelectMultipleField(
        "Which key aims does your project support?",
        description="Select all that apply. Each must be a key aim of your primary priority "
                    "or of one of your other priorities.",
        coerce=str, validate_choice=False, widget=GovCheckboxesInput())

    def offer(self, application: Application) -> None:
        priorities = rules.priorities_on_offer(application.round)
        self.primary_priority.choices = [
            (str(p.id), f"{p.code} {p.title}", {"hint": p.objective}) for p in priorities]
        self.further_priorities.choices = [
            (str(p.id), f"{p.code} {p.title}") for p in priorities]
        self.key_aims.choices = [
            (str(aim.id), f"{aim.code} {aim.text}")
            for aim in rules.key_aims_on_offer(application.round)]

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        return {
            "primary_priority": (str(application.primary_priority_id)
                                 if application.primary_priority_id else None),
            "further_priorities": [str(p.id) for p in application.further_priorities],
            "key_aims": [str(aim.id) for aim in application.key_aims],
        }

    def apply(self):
        primary = self.primary_priority.data
        further = list(self.further_priorities.data or [])
        key_aims = list(self.key_aims.data or [])

        def _apply(session: Session, application: Application) -> None:
            rules.apply_priorities(session, application, primary_priority_id=primary,
                                   further_priority_ids=further, key_aim_ids=key_aims)

        return _apply


class AreasForm(SectionForm):
    serves = RadioField(
        "Where will your project work?",
        description="Where the people your project helps live",
        coerce=str, validate_choice=False,
        choices=[(rules.WHOLE_THAMES_VALLEY, "The whole of Thames Valley"),
                 (rules.PARTICULAR_AREAS, "Particular local authority areas")],
        validators=[InputRequired("Select whether your project serves the whole of Thames "
                                  "Valley or particular areas")],
        widget=GovRadioInput())
    areas = SelectMultipleField(
        "Which local authority areas will it serve?",
        description="Only if it serves particular areas. Select all that apply",
        coerce=str, validate_choice=False, widget=GovCheckboxesInput())

    def offer(self, application: Application) -> None:
        self.areas.choices = [(str(authority.id), f"{authority.name} ({authority.county.name})")
                              for authority in rules.areas_on_offer(db.session)]

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        if application.serves_whole_thames_valley:
            serves = rules.WHOLE_THAMES_VALLEY
        elif application.areas:
            serves = rules.PARTICULAR_AREAS
        else:
            serves = None
        return {"serves": serves, "areas": [str(area.id) for area in application.areas]}

    def apply(self):
        serves = self.serves.data
        areas = list(self.areas.data or [])

        def _apply(session: Session, application: Application) -> None:
            rules.apply_areas(session, application, serves=serves, area_ids=areas)

        return _apply


class _BudgetLines(SectionForm):
    """The budget's lines, each a description and an amount, named line_1_description ..."""


for _number in range(1, rules.MAX_BUDGET_LINES + 1):
    setattr(_BudgetLines, rules.line_field(_number, "description"), StringField(
        f"Budget line {_number}: what it is for", filters=[_strip],
        validators=[Length(max=300, message=f"Budget line {_number} must be 300 characters "
                                            "or fewer")],
        widget=GovTextInput()))
    setattr(_BudgetLines, rules.line_field(_number, "amount"), StringField(
        f"Budget line {_number}: amount", filters=[_strip], validators=[Pounds()],
        widget=GovTextInput()))


class BudgetForm(_BudgetLines):
    amount_requested = StringField(
        "How much are you asking for?", filters=[_strip],
        validators=[DataRequired("Enter the amount you are asking for"),
                    Pounds(allow_zero=False)],
        widget=GovTextInput())
    total_cost = StringField(
        "What is the total cost of the project?", filters=[_strip],
        description="Including money from other places",
        validators=[DataRequired("Enter the total cost of the project"), Pounds()],
        widget=GovTextInput())
    other_funding = TextAreaField(
        "Where will the rest of the money come from?", filters=[_strip],
        description="Only if the project costs more than you are asking for: other grants, "
                    "your own funds, fundraising. Say whether the money is secured. 150 words "
                    "or fewer.",
        validators=[WordLimit(150, "Where the rest of the money comes from")],
        widget=GovCharacterCount())

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        data = {"amount_requested": pounds_text(application.amount_requested_pence),
                "total_cost": pounds_text(application.total_cost_pence),
                "other_funding": application.other_funding}
        for number, line in enumerate(application.budget_lines[:rules.MAX_BUDGET_LINES], 1):
            data[rules.line_field(number, "description")] = line.description
            data[rules.line_field(number, "amount")] = pounds_text(line.amount_pence)
        return data

    def offer(self, application: Application) -> None:
        allowed = rules.award_range_text(application.round)
        self.amount_requested.description = (
            f"{allowed}. Your budget lines must add up to this amount." if allowed
            else "Your budget lines must add up to this amount.")

    def line_rows(self) -> list[tuple]:
        """Each budget line's description and amount fields, for the page."""
        return [(self[rules.line_field(number, "description")],
                 self[rules.line_field(number, "amount")])
                for number in range(1, rules.MAX_BUDGET_LINES + 1)]

    def lines(self) -> list[tuple[str, int | None]]:
        """Each row's description and pence (None when blank), blank rows included."""
        return [(self[rules.line_field(number, "description")].data or "",
                 getattr(self[rules.line_field(number, "amount")], "pence", None))
                for number in range(1, rules.MAX_BUDGET_LINES + 1)]

    def apply(self):
        requested = self.amount_requested.pence
        total = self.total_cost.pence
        other_funding = self.other_funding.data or ""
        lines = self.lines()

        def _apply(session: Session, application: Application) -> None:
            rules.apply_budget(session, application, amount_requested_pence=requested,
                               total_cost_pence=total, other_funding=other_funding,
                               lines=lines)

        return _apply


class OutcomesForm(SectionForm):
    outcomes = TextAreaField(
        "What will change because of your project?", filters=[_strip],
        description="The difference your project will make, and how you will know. 300 words "
                    "or fewer.",
        validators=[DataRequired("Describe what will change because of your project"),
                    WordLimit(300, "What will change")],
        widget=GovCharacterCount())
    beneficiaries_count = StringField(
        "How many people will benefit?", filters=[_strip],
        description="An estimate is fine. Enter a whole number, like 250.",
        validators=[DataRequired("Enter how many people will benefit"),
                    WholeNumber("Enter a whole number, like 250")],
        widget=GovTextInput())
    beneficiary_groups = TextAreaField(
        "Who will benefit?", filters=[_strip],
        description="For example, young people at risk of exploitation in Slough. 100 words "
                    "or fewer.",
        validators=[DataRequired("Describe who will benefit"),
                    WordLimit(100, "Who will benefit")],
        widget=GovCharacterCount())

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        count = application.beneficiaries_count
        return {"outcomes": application.outcomes,
                "beneficiaries_count": str(count) if count is not None else "",
                "beneficiary_groups": application.beneficiary_groups}

    def apply(self):
        outcomes = self.outcomes.data
        count = self.beneficiaries_count.number
        groups = self.beneficiary_groups.data

        def _apply(session: Session, application: Application) -> None:
            rules.apply_outcomes(session, application, outcomes=outcomes,
                                 beneficiaries_count=count, beneficiary_groups=groups)

        return _apply


class DeclarationsForm(SectionForm):
    statements = SelectMultipleField(
        "Confirm each statement", description="Tick every box. We cannot consider the "
                                              "application without all four.",
        coerce=str, validate_choice=False,
        choices=list(rules.DECLARATION_STATEMENTS.items()),
        widget=GovCheckboxesInput())
    declared_by_name = StringField(
        "Your full name", filters=[_strip],
        validators=[DataRequired("Enter your full name"),
                    Length(max=200, message="Your full name must be 200 characters or fewer")],
        widget=GovTextInput())
    declared_by_position = StringField(
        "Your position in the organisation", filters=[_strip],
        description="For example, chair, treasurer or project manager",
        validators=[DataRequired("Enter your position in the organisation"),
                    Length(max=200, message="Your position must be 200 characters or fewer")],
        widget=GovTextInput())

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        name = application.declared_by_name
        if not name and current_user and current_user.is_authenticated:
            name = current_user.name
        return {"declared_by_name": name,
                "declared_by_position": application.declared_by_position,
                "statements": (list(rules.DECLARATION_STATEMENTS)
                               if application.declared_at else [])}

    def apply(self):
        statements = list(self.statements.data or [])
        name, position = self.declared_by_name.data, self.declared_by_position.data

        def _apply(session: Session, application: Application) -> None:
            rules.apply_declarations(session, application, statements=statements,
                                     name=name, position=position)

        return _apply


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "organisation": OrganisationSectionForm,
    "project": ProjectForm,
    "priorities": PrioritiesForm,
    "areas": AreasForm,
    "budget": BudgetForm,
    "outcomes": OutcomesForm,
    "declarations": DeclarationsForm,
}
