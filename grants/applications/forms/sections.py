"""One form per section of the application.

Each section form knows how to fill itself from the application's checked answers
(`initial_data`) and what it contributes to the application (`apply`, which checks the
round's rules and writes the answers; it raises ValidationFailed).
"""

from functools import partial

from flask_babel import gettext
from flask_login import current_user
from wtforms import (
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional

from grants.applications.forms.section_base import HintedRadioInput, SectionForm
from grants.applications.models import Application
from grants.applications.operations import rules
from grants.core.fields import date_field, radio_field, text_field
from grants.core.money import pounds_text
from grants.core.translatable import N_
from grants.core.translatable import lazy_text as _l
from grants.core.validators import Pounds, WholeNumber, WordLimit, sent_number
from grants.core.validators import strip_text as _strip
from grants.core.widgets import CharacterCount, CheckboxesInput, TextInput
from grants.core.wording import OfficeText
from grants.extensions import db


def _in_words(label: str, *, words: int, description: str, named: str | None = None,
              required: str | None = None) -> TextAreaField:
    """An answer in the applicant's own words, at most `words` of them, counted as they type.

    `named` is what the message calls it when the label is a question; `required` is the
    message when it is left empty (None: it may be).
    """
    first = [DataRequired(required)] if required else []
    return TextAreaField(label, filters=[_strip], description=description,
                         validators=[*first, WordLimit(words, named)],
                         widget=CharacterCount())


class ProjectForm(SectionForm):
    title = text_field(_l("Project title"), limit=200, named=_l("Project title"),
                       required=_l("Enter a title for your project"))
    summary = _in_words(
        _l("Summary"), words=100, required=_l("Enter a summary of your project"),
        description=_l("Describe your project in 100 words or fewer. We may publish this "
                       "summary if you are awarded a grant."))
    description = _in_words(
        _l("Project description"), words=500, required=_l("Describe your project"),
        description=_l("What you will do, who will do it and how. 500 words or fewer."))
    planned_start = date_field(_l("When will the project start?"), example="1 4 2027",
                               required=_l("Enter the date the project will start"))
    planned_end = date_field(_l("When will the project end?"), example="31 3 2028",
                             required=_l("Enter the date the project will end"))

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        return {"title": application.title, "summary": application.summary,
                "description": application.description,
                "planned_start": application.planned_start,
                "planned_end": application.planned_end}

    def apply(self):
        return partial(rules.apply_project, title=self.title.data, summary=self.summary.data,
                       description=self.description.data,
                       planned_start=self.planned_start.data, planned_end=self.planned_end.data)


class OrganisationSectionForm(SectionForm):
    details_correct = radio_field(
        _l("Are these details correct?"), coerce=str, validate_choice=False,
        choices=[(rules.DETAILS_CORRECT, _l("Yes")),
                 (rules.DETAILS_TO_CHANGE, _l("No, I need to change them"))],
        required=_l("Select yes if your organisation's details are correct"))

    def apply(self):
        return partial(rules.apply_organisation, details_correct=self.details_correct.data)


class PrioritiesForm(SectionForm):
    primary_priority = RadioField(
        _l("What is your project's primary priority?"),
        description=_l("Choose the one priority your project does most for. We use it to "
                       "report how the round's money is spent."),
        coerce=str, validate_choice=False,
        validators=[InputRequired(_l("Select your project's primary priority"))],
        widget=HintedRadioInput())
    further_priorities = SelectMultipleField(
        _l("Which other priorities does your project support? (optional)"),
        description=_l("Select all that apply, besides your primary priority."),
        coerce=str, validate_choice=False, widget=CheckboxesInput())
    key_aims = SelectMultipleField(
        _l("Which key aims does your project support?"),
        description=_l("Select all that apply. Each must be a key aim of your primary "
                       "priority or of one of your other priorities."),
        coerce=str, validate_choice=False, widget=CheckboxesInput())

    def offer(self, application: Application) -> None:
        priorities = rules.priorities_on_offer(application.round)
        self.primary_priority.choices = [
            (str(p.id), f"{p.code} {p.title}", {"hint": p.objective}) for p in priorities]
        # The other priorities leave out the primary one chosen (as saved or sent).
        primary = self.primary_priority.data
        self.further_priorities.choices = [
            (str(p.id), f"{p.code} {p.title}") for p in priorities if str(p.id) != primary]
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
        return partial(rules.apply_priorities, primary_priority_id=self.primary_priority.data,
                       further_priority_ids=list(self.further_priorities.data or []),
                       key_aim_ids=list(self.key_aims.data or []))


class AreasForm(SectionForm):
    serves = radio_field(
        _l("Where will your project work?"),
        description=_l("Where the people your project helps live"),
        coerce=str, validate_choice=False,
        choices=[(rules.WHOLE_THAMES_VALLEY, OfficeText(N_("The whole of {office.short_name}"))),
                 (rules.PARTICULAR_AREAS, _l("Particular local authority areas"))],
        required=OfficeText(N_("Select whether your project serves the whole of "
                               "{office.short_name} or particular areas")))
    areas = SelectMultipleField(
        _l("Which local authority areas will it serve?"),
        description=_l("Select all that apply"),
        coerce=str, validate_choice=False, widget=CheckboxesInput())

    def offer(self, application: Application) -> None:
        self.areas.choices = [(str(authority.id), authority.proper_name)
                              for authority in rules.areas_on_offer(db.session, application.round)]

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
        return partial(rules.apply_areas, serves=self.serves.data,
                       area_ids=list(self.areas.data or []))


class _BudgetLines(SectionForm):
    """The budget's lines, each a description and an amount, named line_1_description ...;
    the page shows `line_count` of them (three at first), and "Add another line" one more."""

    line_count = HiddenField()


for _number in range(1, rules.MAX_BUDGET_LINES + 1):
    setattr(_BudgetLines, rules.line_field(_number, "description"), text_field(
        _l("Budget line %(number)s: what it is for", number=_number), limit=300,
        named=_l("Budget line %(number)s", number=_number)))
    setattr(_BudgetLines, rules.line_field(_number, "amount"), StringField(
        _l("Budget line %(number)s: amount", number=_number), filters=[_strip],
        validators=[Pounds()], widget=TextInput()))


class BudgetForm(_BudgetLines):
    MAX_LINES = rules.MAX_BUDGET_LINES

    amount_requested = StringField(
        _l("How much are you asking for? (optional)"), filters=[_strip],
        validators=[Optional(), Pounds(allow_zero=False)],
        widget=TextInput())
    total_cost = StringField(
        _l("What is the total cost of the project?"), filters=[_strip],
        description=_l("Including money from other places"),
        validators=[DataRequired(_l("Enter the total cost of the project")), Pounds()],
        widget=TextInput())
    other_funding = _in_words(
        _l("Where will the rest of the money come from?"), words=150,
        named=_l("Where the rest of the money comes from"),
        description=_l("Only if the project costs more than you are asking for: other grants, "
                       "your own funds, fundraising. Say whether the money is secured. 150 "
                       "words or fewer."))

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        lines = application.budget_lines[:rules.MAX_BUDGET_LINES]
        data = {"amount_requested": pounds_text(application.amount_requested_pence),
                "total_cost": pounds_text(application.total_cost_pence),
                "other_funding": application.other_funding,
                "line_count": str(max(len(lines), rules.FIRST_BUDGET_LINES))}
        for number, line in enumerate(lines, 1):
            data[rules.line_field(number, "description")] = line.description
            data[rules.line_field(number, "amount")] = pounds_text(line.amount_pence)
        return data

    def offer(self, application: Application) -> None:
        self.award_range = rules.award_range_text(application.round)

    def shown_lines(self) -> int:
        """How many lines the page shows: as many as it showed (three at first), and always
        every line with something in it."""
        filled = [number for number in range(1, rules.MAX_BUDGET_LINES + 1)
                  if self[rules.line_field(number, "description")].data
                  or self[rules.line_field(number, "amount")].data]
        return min(rules.MAX_BUDGET_LINES,
                   max(rules.FIRST_BUDGET_LINES, sent_number(self.line_count.data) or 0,
                       max(filled, default=0)))

    def add_another(self) -> str | None:
        """Show one more line (the add-another button): the new line's first field's id, or
        None when the page shows as many as it may."""
        shown = self.shown_lines()
        if shown >= rules.MAX_BUDGET_LINES:
            return None
        self.line_count.data = str(shown + 1)
        self.line_count.raw_data = [self.line_count.data]
        return rules.line_field(shown + 1, "description")

    def remove(self, number: int) -> str | None:
        """Take line `number` out of the page: the lines after it move up one, and the page
        shows one line fewer (never fewer than it starts with)."""
        shown = self.shown_lines()
        if not 1 <= number <= shown:
            return None
        for position in range(number, rules.MAX_BUDGET_LINES + 1):
            for part in ("description", "amount"):
                field = self[rules.line_field(position, part)]
                if position < rules.MAX_BUDGET_LINES:
                    after = self[rules.line_field(position + 1, part)]
                    field.data, field.raw_data = after.data, after.raw_data
                else:
                    field.data, field.raw_data = "", []
        self.line_count.data = str(max(rules.FIRST_BUDGET_LINES, shown - 1))
        self.line_count.raw_data = [self.line_count.data]
        return f"line-{min(number, int(self.line_count.data))}"

    def line_rows(self) -> list[tuple]:
        """The description and amount fields of each line the page shows."""
        return [(self[rules.line_field(number, "description")],
                 self[rules.line_field(number, "amount")])
                for number in range(1, self.shown_lines() + 1)]

    def lines(self) -> list[tuple[str, int | None]]:
        """Each row's description and pence (None when blank), blank rows included."""
        return [(self[rules.line_field(number, "description")].data or "",
                 getattr(self[rules.line_field(number, "amount")], "pence", None))
                for number in range(1, rules.MAX_BUDGET_LINES + 1)]

    def lines_total(self) -> int:
        """What the lines shown add up to, in pence, as the page says it after each save:
        amounts that are not money yet count for nothing."""
        return rules.lines_total(
            [amount.data for _, amount in self.line_rows()])

    def apply(self):
        return partial(rules.apply_budget,
                       amount_requested_pence=getattr(self.amount_requested, "pence", None),
                       total_cost_pence=self.total_cost.pence,
                       other_funding=self.other_funding.data or "", lines=self.lines())


class OutcomesForm(SectionForm):
    outcomes = _in_words(
        _l("What will change because of your project?"), words=300,
        named=_l("What will change"),
        required=_l("Describe what will change because of your project"),
        description=_l("The difference your project will make, and how you will know. 300 "
                       "words or fewer."))
    beneficiaries_count = StringField(
        _l("How many people will benefit?"), filters=[_strip],
        description=_l("An estimate is fine. Enter a whole number, like 250."),
        validators=[DataRequired(_l("Enter how many people will benefit")),
                    WholeNumber(_l("Enter a whole number, like 250"))],
        widget=TextInput())
    beneficiary_groups = _in_words(
        _l("Who will benefit?"), words=100, named=_l("Who will benefit"),
        required=_l("Describe who will benefit"),
        description=_l("For example, young people at risk of exploitation in Slough. 100 "
                       "words or fewer."))

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        count = application.beneficiaries_count
        return {"outcomes": application.outcomes,
                "beneficiaries_count": str(count) if count is not None else "",
                "beneficiary_groups": application.beneficiary_groups}

    def apply(self):
        return partial(rules.apply_outcomes, outcomes=self.outcomes.data,
                       beneficiaries_count=self.beneficiaries_count.number,
                       beneficiary_groups=self.beneficiary_groups.data)


class DeclarationsForm(SectionForm):
    statements = SelectMultipleField(
        _l("Confirm each statement"), description=_l("Tick every box. We cannot consider the "
                                                     "application without all four."),
        coerce=str, validate_choice=False,
        choices=list(rules.DECLARATION_STATEMENTS.items()),
        widget=CheckboxesInput())
    declared_by_name = text_field(_l("Your full name"), limit=200, named=_l("Your full name"),
                                  required=_l("Enter your full name"))
    declared_by_position = text_field(
        _l("Your position in the organisation"), limit=200, named=_l("Your position"),
        required=_l("Enter your position in the organisation"),
        description=_l("For example, chair, treasurer or project manager"))

    def offer(self, application: Application) -> None:
        # The statements in the page's language (marked in grants.applications.operations.rules).
        self.statements.choices = [(value, gettext(words))
                                   for value, words in rules.DECLARATION_STATEMENTS.items()]

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
        return partial(rules.apply_declarations, statements=list(self.statements.data or []),
                       name=self.declared_by_name.data, position=self.declared_by_position.data)


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "organisation": OrganisationSectionForm,
    "project": ProjectForm,
    "priorities": PrioritiesForm,
    "areas": AreasForm,
    "budget": BudgetForm,
    "outcomes": OutcomesForm,
    "declarations": DeclarationsForm,
}
