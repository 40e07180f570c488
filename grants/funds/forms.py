"""Forms for funds, rounds and what rounds ask and score.

Fields check what one answer must look like (a real date, a time, an amount of money); the rules
between answers and records (closing after opening, minimum within maximum, budget above what is
committed) are the operations' and come back as field errors.
"""

from datetime import datetime

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
)
from wtforms import RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from grants.core import clock
from grants.core.fields import (
    LondonDateField,
    MoneyField,
    TimeOfDayField,
    WholeNumberField,
    radio_field,
    text_field,
)
from grants.core.validators import strip_text as _strip
from grants.funds.models import (
    FINANCIAL_YEAR_LENGTH,
    MAX_FUND_CODE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_ROUND_CODE_LENGTH,
    SET_UP_BY_STAFF,
    QuestionKind,
    Round,
    RoundKind,
)
from grants.funds.operations.check_questions import MAX_TEXT as MAX_CHECK_TEXT
from grants.funds.operations.check_questions import CheckQuestionDetails
from grants.funds.operations.criteria import MAX_SCORE, MAX_WEIGHT, CriterionDetails
from grants.funds.operations.eligibility import QuestionDetails
from grants.funds.operations.funds import FundDetails
from grants.funds.operations.round_questions import MAX_WORD_LIMIT
from grants.funds.operations.round_questions import QuestionDetails as AskedDetails
from grants.funds.operations.settings import RoundSettings
from grants.funds.operations.wording import KIND_LABELS
from grants.organisations.models import OrganisationType


def _year(value: str | None) -> str | None:
    """ "2026-27" and "2026 / 27" as "2026/27"."""
    return value.replace(" ", "").replace("-", "/") if isinstance(value, str) else value


def _upper(value: str | None) -> str | None:
    return value.strip().upper() if isinstance(value, str) else value


def _box(label: str, **kwargs) -> TextAreaField:
    """A box of free text of any length, trimmed (it may be left empty unless `validators` say)."""
    return TextAreaField(label, filters=[_strip], widget=GovTextArea(), **kwargs)


def _name(required: str):
    """A fund's or criterion's name, as long as the models keep."""
    return text_field("Name", limit=MAX_NAME_LENGTH, named="Name", required=required)


def time_text(moment: datetime) -> str:
    """A stored time as staff would type it: "midday", "5:30pm", and "midnight" for the end
    of a day."""
    return clock.time_text(clock.to_london(moment).time())


class FundForm(FlaskForm):
    code = text_field(
        "Fund code", limit=MAX_FUND_CODE_LENGTH, named="Fund code",
        required="Enter a fund code, like PPAF", filters=[_upper],
        description="Capital letters, digits and hyphens, like PPAF. Round codes start with it",
    )
    name = _name("Enter the fund's name")
    description = _box("Description")
    eligible_recipients = _box(
        "Who may apply",
        description="For example, registered charities, CIOs, CICs and constituted community "
                    "groups",
    )
    legal_basis = _box("Legal basis",
                         description="The law or regulation the fund's grants are made under")
    limited_by_money = radio_field(
        "Are rounds' budgets limited by the money paid into the fund?",
        choices=[("yes", "Yes: a round's budget, or a rise in it, must fit within the money "
                         "available in its financial year"),
                 ("no", "No")],
        default="no",
        description="Choose yes for a fund that holds money, such as the Police Property Act "
                    "Fund, which holds the proceeds of property. Choose no for a fund whose "
                    "budget is granted to it, such as the Community Safety Fund. Budgets set "
                    "before are not checked again",
        required="Choose whether rounds' budgets are limited by the money paid in")

    def fill_limited(self, fund) -> None:
        self.limited_by_money.data = "yes" if fund.budgets_limited_by_money_paid_in else "no"

    def details(self) -> FundDetails:
        return FundDetails(
            code=self.code.data or "", name=self.name.data or "",
            description=self.description.data or "",
            eligible_recipients=self.eligible_recipients.data or "",
            legal_basis=self.legal_basis.data or "",
            budgets_limited_by_money_paid_in=self.limited_by_money.data == "yes",
        )


# Fields of a round that stay as they are once it is launched.
FROZEN_AT_LAUNCH = ("code", "financial_year", "kind", "opens_at", "opens_at_time", "min_award",
                    "max_award")


class RoundForm(FlaskForm):
    fund = RadioField("Fund", coerce=int, invalid_choice_message="Choose the fund",
                      description="The round's code starts with the fund's code",
                      widget=GovRadioInput())
    title = text_field("Title", limit=MAX_NAME_LENGTH, named="Title",
                       required="Enter the round's title",
                       description="For example, PPAF 2026/27 Round 1: Vulnerability")
    kind = RadioField(
        "Kind of round",
        choices=[(kind.value, KIND_LABELS[kind]) for kind in SET_UP_BY_STAFF],
        description="It cannot change once the round is launched",
        invalid_choice_message="Choose the kind of round",
        widget=GovRadioInput(),
    )
    code = text_field(
        "Round code", limit=MAX_ROUND_CODE_LENGTH, named="Round code", filters=[_upper],
        description=("Used in application references, reports and exports. Leave it blank "
                     "for the next code of the fund and financial year, like PPAF-2026-1"),
    )
    opens_at = LondonDateField("Opening date", description="For example, 1 9 2026")
    opens_at_time = TimeOfDayField("Opening time")
    closes_at = LondonDateField("Closing date", description="For example, 31 3 2027")
    closes_at_time = TimeOfDayField("Closing time", closing=True)
    financial_year = text_field(
        "Financial year", limit=FINANCIAL_YEAR_LENGTH, named="Financial year", filters=[_year],
        description=("The year whose budget and reports the round belongs to, like 2026/27. "
                     "Leave it blank for the financial year of the opening date"),
    )
    budget = MoneyField("Budget", description="In pounds, for example £150,000",
                        required_message="Enter the budget", allow_zero=False)
    min_award = MoneyField("Minimum award", description="In pounds. Needed for open rounds")
    max_award = MoneyField("Maximum award", description="In pounds. Needed for open rounds")
    guidance = _box(
        "Guidance for applicants",
        description="Shown to applicants on the round's page. Leave a blank line between "
                    "paragraphs",
    )

    def __init__(self, *args, funds=(), round_: Round | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opens_at_utc: datetime | None = None
        self.closes_at_utc: datetime | None = None
        if round_ is None:
            self.fund.choices = [(fund.id, f"{fund.name} ({fund.code})") for fund in funds]
        else:
            del self.fund
            if round_.launched_at is not None:
                for name in FROZEN_AT_LAUNCH:
                    delattr(self, name)

    def fill_from(self, round_: Round) -> None:
        """Show the round's values (on first opening the edit page)."""
        self.title.data = round_.title
        self.guidance.data = round_.guidance
        self.budget.data = round_.budget_pence
        self.closes_at.data = clock.to_london(round_.closes_at).date()
        self.closes_at_time.data = time_text(round_.closes_at)
        if "code" in self:
            self.code.data = round_.code
            self.financial_year.data = round_.financial_year
            self.kind.data = round_.kind.value
            self.opens_at.data = clock.to_london(round_.opens_at).date()
            self.opens_at_time.data = time_text(round_.opens_at)
            self.min_award.data = round_.min_award_pence
            self.max_award.data = round_.max_award_pence

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if "opens_at" in self:
            self.opens_at_utc = _moment(self.opens_at, self.opens_at_time)
        self.closes_at_utc = _moment(self.closes_at, self.closes_at_time)
        return valid and not any(field.errors for field in self)

    def settings(self, round_: Round | None = None) -> RoundSettings:
        """The round's settings as typed; fields not on the form keep the round's values."""
        values = dict(RoundSettings.of(round_).__dict__) if round_ is not None else {}
        values.update(
            title=self.title.data or "",
            closes_at=self.closes_at_utc,
            budget_pence=self.budget.data,
            guidance=self.guidance.data or "",
        )
        if "code" in self:
            values.update(
                code=self.code.data or "",
                financial_year=self.financial_year.data or "",
                kind=RoundKind(self.kind.data),
                opens_at=self.opens_at_utc,
                min_award_pence=self.min_award.data,
                max_award_pence=self.max_award.data,
            )
        return RoundSettings(**values)


def _moment(day_field: LondonDateField, time_field: TimeOfDayField) -> datetime | None:
    """The London date and time as UTC; a time the clocks skip is an error on the time."""
    if day_field.data is None or time_field.time is None:
        return None
    try:
        return clock.london_to_utc(day_field.data, time_field.time)
    except clock.TimeError as error:
        time_field.errors = [*time_field.errors, str(error)]
        return None


class PrioritiesForm(FlaskForm):
    priorities = SelectMultipleField(
        "Priorities", coerce=int, widget=GovCheckboxesInput(),
        invalid_choice_message="Choose priorities from the list",
    )
    key_aims = SelectMultipleField(
        "Key aims", coerce=int, invalid_choice_message="Choose key aims from the list",
    )


class OrganisationTypesForm(FlaskForm):
    organisation_types = SelectMultipleField(
        "Who may apply",
        description="Select all that apply",
        choices=[(kind.value, kind.label) for kind in OrganisationType],
        invalid_choice_message="Choose organisation types from the list",
        widget=GovCheckboxesInput(),
    )

    def types(self) -> list[OrganisationType]:
        return [OrganisationType(value) for value in self.organisation_types.data or []]


def allocations_form_class(counties) -> type[FlaskForm]:
    """A form with one money field per county with a High Sheriff."""

    class AllocationsForm(FlaskForm):
        def amounts(self) -> dict[int, int | None]:
            return {county.id: self[f"county_{county.id}"].data for county in counties}

    for county in counties:
        setattr(AllocationsForm, f"county_{county.id}", MoneyField(
            county.name, description="In pounds. Leave blank for no allocation"))
    return AllocationsForm


class QuestionForm(FlaskForm):
    text = _box(
        "Question",
        description="For example, Does the organisation have a safeguarding policy reviewed in "
                    "the last 12 months?",
        validators=[DataRequired("Enter the question")],
    )
    guidance = _box("Guidance", description="Optional: how to answer it")
    mandatory = RadioField(
        "Must an application meet it to be eligible?",
        choices=[("yes", "Yes, failing it makes the application ineligible"),
                 ("no", "No, it is for information")],
        description="Staff answer each question when they check an application's eligibility",
        invalid_choice_message="Choose whether the question is mandatory",
        widget=GovRadioInput(),
    )

    def fill_from(self, question) -> None:
        self.text.data = question.text
        self.guidance.data = question.guidance
        self.mandatory.data = "yes" if question.mandatory else "no"

    def details(self) -> QuestionDetails:
        return QuestionDetails(text=self.text.data or "", guidance=self.guidance.data or "",
                               mandatory=self.mandatory.data == "yes")


class CheckQuestionForm(FlaskForm):
    text = text_field(
        "Question", limit=MAX_CHECK_TEXT, named="The question", required="Enter the question",
        description="A question people answer yes or no, for example, Have you been operating "
                    "for at least 12 months?")
    needed_answer = radio_field(
        "Which answer does someone need to give to be able to apply?",
        choices=[("yes", "Yes"), ("no", "No")],
        required="Select the answer someone needs to give",
        invalid_choice_message="Select the answer someone needs to give")
    reason = text_field(
        "Reason shown to someone who gives the other answer", limit=MAX_CHECK_TEXT,
        named="The reason", required="Enter why someone who gives the other answer cannot "
                                     "apply",
        description="It completes the sentence \"You cannot apply to this round because\", "
                    "for example, the round funds organisations that have been operating for "
                    "at least 12 months")

    def fill_from(self, question) -> None:
        self.text.data = question.text
        self.needed_answer.data = "yes" if question.needed_answer else "no"
        self.reason.data = question.reason

    def details(self) -> CheckQuestionDetails:
        return CheckQuestionDetails(text=self.text.data or "",
                                    needed_answer=self.needed_answer.data == "yes",
                                    reason=self.reason.data or "")


class CriterionForm(FlaskForm):
    name = _name("Enter the criterion's name")
    guidance = _box("Guidance for reviewers")
    weight = WholeNumberField(
        "Weight",
        description="A whole number greater than 0. A criterion's share of the weighted score "
                    "is its weight divided by the total of the weights",
        validators=[InputRequired("Enter the weight"),
                    NumberRange(min=1, max=MAX_WEIGHT,
                                message=f"Weight must be a whole number from 1 to {MAX_WEIGHT}")],
    )
    max_score = WholeNumberField(
        "Maximum score",
        description="Reviewers score from 0 to this",
        validators=[InputRequired("Enter the maximum score"),
                    NumberRange(min=1, max=MAX_SCORE, message="Maximum score must be a whole "
                                                               f"number from 1 to {MAX_SCORE}")],
    )

    def fill_from(self, criterion) -> None:
        self.name.data = criterion.name
        self.guidance.data = criterion.guidance
        self.weight.data = criterion.weight
        self.max_score.data = criterion.max_score

    def details(self) -> CriterionDetails:
        return CriterionDetails(name=self.name.data or "", guidance=self.guidance.data or "",
                                weight=self.weight.data, max_score=self.max_score.data)


class QuestionSectionForm(FlaskForm):
    title = text_field("Section name", limit=MAX_NAME_LENGTH, named="The name",
                       required="Enter the section's name",
                       description="As the task list shows it, for example Safeguarding")


_YES_NO = [("yes", "Yes"), ("no", "No")]


class AskedQuestionForm(FlaskForm):
    """One question the round asks applicants."""

    wording = _box("Question", validators=[DataRequired("Enter the question")],
                   description="As applicants will read it, for example When was your "
                               "safeguarding policy last reviewed?")
    hint = _box("Hint (optional)", description="Help with answering, shown under the question")
    kind = RadioField(
        "What kind of answer does it take?", choices=[(k.value, k.label) for k in QuestionKind],
        validate_choice=False, widget=GovRadioInput())
    word_limit = WholeNumberField(
        "Word limit", description=f"For long text: from 1 to {MAX_WORD_LIMIT:,} words",
        validators=[Optional(), NumberRange(min=1, max=MAX_WORD_LIMIT,
                                message=f"Enter a word limit from 1 to {MAX_WORD_LIMIT:,}")])
    choices = _box("Choices", description="For one choice or several choices: each choice on "
                                          "its own line")
    required = RadioField("Must applicants answer it?", choices=_YES_NO, default="yes",
                          invalid_choice_message="Select yes if applicants must answer it",
                          widget=GovRadioInput())
    show_to_screeners = RadioField(
        "Show the answer to screeners?", choices=_YES_NO, default="no",
        description="Staff checking eligibility see the applicant's answer beside the checks",
        invalid_choice_message="Select yes to show the answer to screeners",
        widget=GovRadioInput())
    condition_question_id = SelectField(
        "Ask only if", description="Ask it only when an earlier question has a given answer",
        coerce=str, validate_choice=False, widget=GovSelect())
    condition_answer = text_field(
        "has this answer", limit=MAX_NAME_LENGTH, named="The answer",
        description="One of that question's answers, for example Yes")

    def offer(self, questions) -> None:
        """The earlier questions "ask only if" may name."""
        self.condition_question_id.choices = [("", "Always ask it")] + [
            (str(q.id), q.wording[:100]) for q in questions]

    def fill_from(self, question) -> None:
        self.wording.data = question.wording
        self.hint.data = question.hint
        self.kind.data = question.kind.value
        self.word_limit.data = question.word_limit
        self.choices.data = "\n".join(question.choices or [])
        self.required.data = "yes" if question.required else "no"
        self.show_to_screeners.data = "yes" if question.show_to_screeners else "no"
        self.condition_question_id.data = str(question.condition_question_id or "")
        self.condition_answer.data = question.condition_answer

    def details(self) -> AskedDetails:
        kinds = {k.value: k for k in QuestionKind}
        condition = self.condition_question_id.data or ""
        return AskedDetails(
            kind=kinds.get(self.kind.data or ""), wording=self.wording.data or "",
            hint=self.hint.data or "", required=self.required.data == "yes",
            word_limit=self.word_limit.data,
            choices=[line.strip() for line in (self.choices.data or "").splitlines()
                     if line.strip()],
            show_to_screeners=self.show_to_screeners.data == "yes",
            condition_question_id=int(condition) if condition.isdigit() else None,
            condition_answer=self.condition_answer.data or "")
