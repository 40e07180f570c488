"""One form per section of the application, plus the form to start one.

Each section form knows how to fill itself from the application's checked answers
(`initial_data`) and what it contributes to the application (`apply`, which checks the
round's rules and writes the answers; it raises ValidationFailed).
"""

import re
from collections.abc import Callable
from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovTextInput,
)
from sqlalchemy.orm import Session
from wtforms import DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from grants.applications import rules
from grants.applications.models import Application
from grants.widgets import DateInput


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def count_words(text: str | None) -> int:
    """Words as the character count component counts them: runs of non-space characters."""
    return len(re.findall(r"\S+", text or ""))


class WordLimit:
    """At most `limit` words, checked on the server whatever the browser did."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form, field) -> None:
        if count_words(field.data) > self.limit:
            raise ValidationError(
                f"{field.label.text} must be {self.limit} words or fewer")


class StartApplicationForm(FlaskForm):
    organisation_id = RadioField(
        "Which organisation are you applying for?", coerce=str, validate_choice=False,
        validators=[InputRequired("Select the organisation you are applying for")],
        widget=GovRadioInput())


class SectionForm(FlaskForm):
    """What every section form has: the version it was opened at, and which button."""

    version = HiddenField()

    # The fields whose raw values are kept as the section's answers.
    def answers(self) -> dict[str, list[str]]:
        return {
            name: field.raw_data if field.raw_data is not None else []
            for name, field in self._fields.items()
            if name not in {"csrf_token", "version"}
        }

    @classmethod
    def initial_data(cls, application: Application) -> dict:
        """Field values from the application's checked answers, for a first visit."""
        return {}

    def apply(self) -> Callable[[Session, Application], None]:
        """A function that checks the round's rules and writes the answers."""
        raise TypeError(f"{type(self).__name__} must say how its answers are applied")


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
    planned_start = DateField(
        "When will the project start?", description="For example, 1 4 2027",
        validators=[InputRequired("Enter the date the project will start")],
        widget=DateInput(), format="%d %m %Y")
    planned_end = DateField(
        "When will the project end?", description="For example, 31 3 2028",
        validators=[InputRequired("Enter the date the project will end")],
        widget=DateInput(), format="%d %m %Y")

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


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "project": ProjectForm,
}
